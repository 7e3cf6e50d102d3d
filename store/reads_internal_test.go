package store

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
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
		es[i] = RegisterEntry{EnteredOn: NewDate(2026, 1, 1).AddDays(i % 300), Employer: demoEmployer(rng, i, used, 100),
			SoutOrg: demoOrgs[i%len(demoOrgs)], Grid: demoGrid(rng)}
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

// A long read whose consumer stalls (an SSH download to a client that stopped
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
