package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestRollback_CancelledJournalMerge: a journal import into an empty (or
// nearly empty) journal, cancelled at each step of its merge, is rolled
// back within the call, leaves the file sound and gives its numbers back.
// bbolt's Cursor.Last never returned on the numbers bucket a rollback had
// just emptied: an interrupted `sout import journal` hung, and so did every
// later open of the file (seen in TestCrash_Interrupt).
func TestRollback_CancelledJournalMerge(t *testing.T) {
	admin := Actor{Name: "root", Role: RoleAdmin}
	entry := func(name string, day int) JournalEntry {
		return JournalEntry{ReceivedOn: NewDate(2026, 2, 1+day%27), EmployerName: name, EmployerINN: "7707083893",
			SoutOrgName: "ООО «Центр»"}
	}
	for _, kept := range []bool{false, true} {
		for n := int64(0); n < 40; n++ {
			s, err := Open(filepath.Join(t.TempDir(), "sout.db"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if kept {
				if _, err := s.CreateJournalEntry(admin, entry("ООО «Прежнее»", 0)); err != nil {
					t.Fatal(err)
				}
			}
			ctx := &countdownCtx{Context: context.Background()}
			ctx.left.Store(1 << 40)
			im, err := s.BeginImport(ctx, admin, "journal.csv")
			if err != nil {
				t.Fatal(err)
			}
			im.batch = 500
			es := make([]JournalEntry, 3000) // many pages of registration numbers
			for i := range es {
				es[i] = entry(fmt.Sprintf("ООО «Импорт %d»", i), i)
			}
			if err := im.AddJournal(es); err != nil {
				t.Fatal(err)
			}
			ctx.left.Store(n)
			done := make(chan error, 1)
			go func() { done <- im.Commit() }()
			select {
			case err = <-done:
			case <-time.After(60 * time.Second):
				t.Fatalf("kept %v, cancelled after %d: the import's rollback did not return in 60 s", kept, n)
			}
			imported := err == nil
			e, cerr := s.CreateJournalEntry(admin, entry("ООО «Новое»", 3))
			if cerr != nil {
				t.Fatal(cerr)
			}
			want := 1
			switch {
			case imported:
				want = len(es) + 1 + btoi(kept)
			case kept:
				want = 2
			}
			if e.No != want {
				t.Errorf("kept %v, cancelled after %d (%v): the next entry got № %d, want %d", kept, n, err, e.No, want)
			}
			if ps, cerr := s.Check(context.Background()); cerr != nil || len(ps) > 0 {
				t.Errorf("kept %v, cancelled after %d: check: %q %v", kept, n, ps, cerr)
			}
			s.Close()
			if imported {
				break
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
