package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
)

// TestStore_FullDisk fills a small tmpfs with journal saves until the disk
// is full: the save that does not fit is refused with CodeNoSpace and a
// Russian line, every save acknowledged before is in the file, the file
// passes both checks, and once space is freed saving works again.
func TestStore_FullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	path := filepath.Join(dir, "sout.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 700<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	note := strings.Repeat("примечание ", 40)
	saved := 0
	var saveErr error
	for saved < 5000 {
		_, saveErr = s.CreateJournalEntry(clerk,
			store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2), EmployerName: "ООО «Волга»",
				EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»", Notes: note})
		if saveErr != nil {
			break
		}
		saved++
	}
	if saveErr == nil {
		t.Fatalf("%d saves and the disk is not full", saved)
	}
	want := "на диске нет места: изменение не записано, файл " + path + " цел; освободите место и повторите"
	if store.ErrorCode(saveErr) != store.CodeNoSpace || store.ErrorMessage(saveErr) != want {
		t.Fatalf("save on a full disk: %v (%s), want %s", saveErr, store.ErrorCode(saveErr), want)
	}
	t.Logf("%d saves before the disk was full", saved)
	countJournal(t, s, saved)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateJournalEntry(clerk,
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2), EmployerName: "ООО «Волга»",
			EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"}); err != nil {
		t.Fatalf("save after space was freed: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	countJournal(t, s, saved+1)
	for _, check := range []func() ([]string, error){func() ([]string, error) { return s.Check(context.Background()) },
		s.CheckPages} {
		if problems, err := check(); err != nil || len(problems) > 0 {
			t.Errorf("check after a full disk: %v %q", err, problems)
		}
	}
}

func countJournal(t *testing.T, s *store.Store, want int) {
	t.Helper()
	n := 0
	if err := s.EachJournal(context.Background(), store.Period{},
		func(*store.JournalEntry) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d journal entries in the file, want %d", n, want)
	}
}
