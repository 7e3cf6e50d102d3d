package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sout/store"
)

// TestBackup_WhileWriting takes copies while another goroutine saves entries;
// every copy opens, passes check, and holds a prefix of the saves; old copies
// are pruned; a copy restored in place of the file works.
func TestBackup_WhileWriting(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sout.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clerk := store.Actor{Name: "anna", Role: store.RoleClerk}
	today := st.Today()
	var saved atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := st.CreateJournalEntry(clerk,
				store.JournalEntry{ReceivedOn: today, EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
					SoutOrgName: "ООО «Центр»"}); err != nil {
				t.Error(err)
				return
			}
			saved.Add(1)
		}
	}()
	backups := filepath.Join(dir, "backups")
	var paths []string
	for i := 0; i < 5; i++ {
		time.Sleep(30 * time.Millisecond)
		p, err := takeBackup(context.Background(), st, backups, 3, time.Date(2026, 11, 23, 2, 0, i, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	close(stop)
	wg.Wait()
	total := saved.Load()
	st.Close()

	entries, _ := os.ReadDir(backups)
	if len(entries) != 3 {
		t.Fatalf("%d files in the backup directory, want the 3 newest", len(entries))
	}
	if entries[0].Name() != "sout-20261123-020002.db" {
		t.Errorf("oldest kept copy is %s", entries[0].Name())
	}
	prev := 0
	for _, p := range paths[2:] {
		mustSout(t, p, "check")
		n := strings.Count(mustSout(t, p, "export", "journal", "--format", "csv"), "\n") - 1
		if n < prev || int64(n) > total {
			t.Errorf("%s holds %d entries (previous copy %d, saved %d)", filepath.Base(p), n, prev, total)
		}
		prev = n
	}
	t.Logf("%d saves during 5 copies; the last copy holds %d", total, prev)

	// Restoring: the server stopped, the copy goes in place of the file.
	last, _ := os.ReadFile(paths[len(paths)-1])
	if err := os.WriteFile(db, last, 0o600); err != nil {
		t.Fatal(err)
	}
	mustSout(t, db, "check")
	if n := strings.Count(mustSout(t, db, "export", "journal", "--format", "csv"), "\n") - 1; n != prev {
		t.Errorf("restored file holds %d entries, the copy %d", n, prev)
	}
}

func TestServe_BackupFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, _, errs := sout(t, db, "serve", "--backup-dir", t.TempDir(), "--backup-every", "1s")
	if code != 2 || !strings.Contains(errs, "не меньше минуты") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
