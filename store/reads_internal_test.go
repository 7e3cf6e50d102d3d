package store

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// importRegisterEntries imports n register entries of random employers in one chunk.
func importRegisterEntries(s *Store, seed uint64, n int) error {
	rng := rand.New(rand.NewPCG(seed, 11))
	used := map[string]bool{}
	es := make([]RegisterEntry, n)
	for i := range es {
		es[i] = RegisterEntry{EnteredOn: NewDate(2026, 1, 1).AddDays(i % 300), Employer: testEmployer(rng, i, used),
			SoutOrg: testOrgs[i%len(testOrgs)], Grid: testGrid(rng)}
	}
	im, err := s.BeginImport(context.Background(), Actor{Name: "admin", Role: RoleAdmin}, "grow")
	if err != nil {
		return err
	}
	if err := im.AddRegister(es); err != nil {
		im.Abort()
		return err
	}
	return im.Commit()
}

// TestEachRegister_StalledConsumerDoesNotBlockWriters: a long read whose consumer stalls (an SSH download to a
// client that stopped
// reading) holds no transaction while it waits: a write that must grow the
// file's map goes through meanwhile, and so does a save after it. Before the
// reads were bounded, the write waited for the stalled consumer, every save
// waited behind it, and a consumer that opened a second read then froze the
// store for good (issue 11).
func TestEachRegister_StalledConsumerDoesNotBlockWriters(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := importRegisterEntries(s, 1, 5000); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	stalled, release := make(chan struct{}), make(chan struct{})
	read := make(chan error, 1)
	go func() {
		n := 0
		read <- s.EachRegister(context.Background(), Period{}, func(*RegisterRecord) error {
			if n++; n == 1 {
				close(stalled)
				<-release
			}
			return nil
		})
	}()
	<-stalled
	wrote := make(chan error, 1)
	go func() {
		if err := importRegisterEntries(s, 2, 30000); err != nil { // five times the file: the map must grow
			wrote <- err
			return
		}
		_, err := s.CreateJournalEntry(Actor{Name: "anna", Role: RoleClerk}, JournalEntry{ReceivedOn: NewDate(2026, 3, 10),
			EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»"})
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the writes waited 30 s for a reader whose consumer stalled")
		close(release)
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		release = nil
	}
	if release != nil {
		close(release)
	}
	if err := <-read; err != nil {
		t.Fatalf("EachRegister after the writes: %v", err)
	}
	var mapped int64
	_ = s.db.View(func(tx *bolt.Tx) error { mapped = tx.Size(); return nil })
	if mapped <= 2*st.Size() {
		t.Fatalf("the writes took the data from %d to %d bytes: not enough to be sure the map grew", st.Size(), mapped)
	}
}

// TestImportRollbackGivesNumbersBack: an import rolled back, by a crash (the next Open) or by Abort, gives its
// journal numbers back: the year's numbering continues from the last entry
// kept, not from the last number the import took.
func TestImportRollbackGivesNumbersBack(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "s.db")
	open := func() *Store {
		s, err := Open(path, Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	clerk := Actor{Name: "anna", Role: RoleClerk}
	entry := JournalEntry{ReceivedOn: NewDate(2025, 3, 10), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»"}
	s := open()
	for i := 0; i < 3; i++ {
		if _, err := s.CreateJournalEntry(clerk, entry); err != nil {
			t.Fatal(err)
		}
	}
	importing := func(s *Store) *Import {
		im, err := s.BeginImport(context.Background(), Actor{Name: "admin", Role: RoleAdmin}, "journal.csv")
		if err != nil {
			t.Fatal(err)
		}
		es := make([]JournalEntry, 500)
		for i := range es {
			es[i] = entry
		}
		if err := im.AddJournal(es); err != nil {
			t.Fatal(err)
		}
		return im
	}
	next := func(s *Store, want string) {
		t.Helper()
		j, err := s.CreateJournalEntry(clerk, entry)
		if err != nil {
			t.Fatal(err)
		}
		if j.Ref() != want {
			t.Errorf("the entry after the rolled back import is №%s, want №%s", j.Ref(), want)
		}
	}
	importing(s)
	s.Close() // a crash: the import is neither committed nor aborted
	s = open()
	defer func() { s.Close() }()
	next(s, "4/2025")
	if err := importing(s).Abort(); err != nil {
		t.Fatal(err)
	}
	next(s, "5/2025")
	if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Check = %v, %v", problems, err)
	}
}

// TestImportStopsWithItsContext: an import whose context ends stops at its next chunk or merge batch, and
// the rollback leaves nothing of it.
func TestImportStopsWithItsContext(t *testing.T) {
	s := openTest(t)
	rng := rand.New(rand.NewPCG(3, 3))
	es := []RegisterEntry{{EnteredOn: NewDate(2026, 3, 1), Employer: testEmployer(rng, 0, map[string]bool{}),
		SoutOrg: testOrgs[0], Grid: testGrid(rng)}}
	for _, stage := range []string{"chunk", "commit"} {
		ctx, cancel := context.WithCancel(context.Background())
		im, err := s.BeginImport(ctx, Actor{Name: "admin", Role: RoleAdmin}, stage)
		if err != nil {
			t.Fatal(err)
		}
		if err := im.AddRegister(slices.Clone(es)); err != nil {
			t.Fatal(err)
		}
		cancel()
		if stage == "chunk" {
			err = im.AddRegister(slices.Clone(es))
			im.Abort()
		} else {
			err = im.Commit()
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s after the context ended: %v, want context.Canceled", stage, err)
		}
		if n, _ := s.CountRegister(RegisterQuery{}); n != 0 {
			t.Errorf("%s: %d entries left after the rollback", stage, n)
		}
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Check = %v, %v", problems, err)
	}
}

// bufStall blocks its first write until release is closed, then keeps what it is given.
type bufStall struct {
	once             sync.Once
	stalled, release chan struct{}
	bytes.Buffer
}

func (w *bufStall) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.stalled); <-w.release })
	return w.Buffer.Write(p)
}

// TestBackup_StalledClientDoesNotBlockWriters: a backup streamed to a client that stops reading holds no transaction:
// writes that grow the map go through meanwhile, and the copy is the file
// as it was when the backup began.
func TestBackup_StalledClientDoesNotBlockWriters(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := importRegisterEntries(s, 1, 5000); err != nil {
		t.Fatal(err)
	}
	w := &bufStall{stalled: make(chan struct{}), release: make(chan struct{})}
	backup := make(chan error, 1)
	go func() { _, err := s.Backup(context.Background(), w); backup <- err }()
	<-w.stalled
	wrote := make(chan error, 1)
	go func() { wrote <- importRegisterEntries(s, 2, 30000) }()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the writes waited 30 s for a backup stalled on its client")
		defer func() { <-wrote }()
	}
	close(w.release)
	if err := <-backup; err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(copyPath, w.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Open(copyPath, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, err := c.CountRegister(RegisterQuery{}); n != 5000 || err != nil {
		t.Errorf("the copy holds %d register entries (%v), want the 5000 from when the backup began", n, err)
	}
	if problems, err := c.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Check of the copy = %v, %v", problems, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".s.db.backup-*")); len(left) > 0 {
		t.Errorf("the backup left %v", left)
	}
}
