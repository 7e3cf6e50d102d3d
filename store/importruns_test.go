package store

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestImportRunsMatchDirectWrites: an import builds its indexes by merging sorted runs; entries saved one by
// one write them directly. Both ways must leave the same indexes and
// employer cards, byte for byte, whatever the chunking and the merge batch.
func TestImportRunsMatchDirectWrites(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	open := func(name string) *Store {
		s, err := Open(filepath.Join(t.TempDir(), name), Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	before, chunks, journals := importRunsData()
	clerk := Actor{Name: "clerk", Role: RoleClerk}
	admin := Actor{Name: "admin", Role: RoleAdmin}
	direct, imported := open("direct.db"), open("imported.db")
	for _, s := range []*Store{direct, imported} {
		for _, e := range before {
			if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, chunk := range journals {
		for _, j := range chunk {
			if _, err := direct.CreateJournalEntry(clerk, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, chunk := range chunks {
		for _, e := range chunk {
			if _, err := direct.SaveRegisterEntry(clerk, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	im, err := imported.BeginImport(context.Background(), admin, "chunks")
	if err != nil {
		t.Fatal(err)
	}
	im.batch = 7 // many merge transactions, resumed mid-run and mid-employer
	for _, chunk := range journals {
		if err := im.AddJournal(append([]JournalEntry(nil), chunk...)); err != nil {
			t.Fatal(err)
		}
	}
	// A number the import itself has given is refused, though not yet in the index.
	dup := journals[0][1]
	if err := im.AddJournal([]JournalEntry{dup}); ErrorCode(err) != CodeInvalid ||
		!strings.Contains(err.Error(), "уже занят") {
		t.Errorf("a number given twice in one import: %v", err)
	}
	for _, chunk := range chunks {
		if err := im.AddRegister(append([]RegisterEntry(nil), chunk...)); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	compareIndexes(t, direct, imported)
	if problems, err := imported.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Errorf("Check after the import = %v, %v", problems, err)
	}
	imported.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImportRuns) != nil || tx.Bucket(bucketImportUndo) != nil {
			t.Error("the import's runs or undo records are left in the file")
		}
		return nil
	})
}

// importRunsData is the data of TestImportRunsMatchDirectWrites: register
// entries saved before the import, and the import's register and journal
// chunks, of a dozen employers (a fixed seed).
func importRunsData() (before []RegisterEntry, chunks [][]RegisterEntry, journals [][]JournalEntry) {
	rng := rand.New(rand.NewPCG(7, 7))
	used := map[string]bool{}
	var emps []Employer
	for i := 0; i < 12; i++ {
		emps = append(emps, testEmployer(rng, i, used))
	}
	entry := func() RegisterEntry {
		e := RegisterEntry{EnteredOn: NewDate(2024, 1, 1).AddDays(rng.IntN(900)), Employer: emps[rng.IntN(len(emps))],
			SoutOrg: testOrgs[0], Grid: testGrid(rng)}
		e.Employer.Name += " " + string(rune('А'+rng.IntN(30))) // the card must come from the latest entry
		return e
	}
	before = []RegisterEntry{entry(), entry(), entry()}
	before[0].EnteredOn = NewDate(2026, 11, 1) // later than anything imported: its card stays
	for c := 0; c < 5; c++ {
		var chunk []RegisterEntry
		for i := 0; i < 3+rng.IntN(20); i++ {
			chunk = append(chunk, entry())
		}
		chunks = append(chunks, chunk)
	}

	// Journal entries too: of the same employers, of one known only from
	// the journal, with given numbers and without.
	loner := testEmployer(rng, 99, used)
	for c := 0; c < 3; c++ {
		var chunk []JournalEntry
		for i := 0; i < 2+rng.IntN(6); i++ {
			emp := emps[rng.IntN(len(emps))]
			if i == 0 {
				emp = loner
			}
			j := JournalEntry{ReceivedOn: NewDate(2025, 1, 1).AddDays(rng.IntN(600)), EmployerName: emp.Name + " (журнал)",
				EmployerINN: emp.INN, SoutOrgName: "ООО «Охрана труда»"}
			if i == 1 {
				j.No = 900 + 100*c // given
			}
			chunk = append(chunk, j)
		}
		journals = append(journals, chunk)
	}
	return before, chunks, journals
}

// compareIndexes asserts that the index buckets and employer cards of
// direct and imported hold the same keys and values, byte for byte.
func compareIndexes(t *testing.T, direct, imported *Store) {
	t.Helper()
	for _, name := range [][]byte{bucketRegByDate, bucketINN, bucketEmployers, bucketJournalNo, bucketRegByOrg} {
		want, got := dumpBucket(t, direct, name), dumpBucket(t, imported, name)
		if len(want) != len(got) {
			t.Errorf("bucket %s: %d keys written directly, %d by the import", name, len(want), len(got))
			continue
		}
		for i := range want {
			if !bytes.Equal(want[i].k, got[i].k) || !bytes.Equal(want[i].v, got[i].v) {
				t.Errorf("bucket %s, key %d: direct %x=%x, import %x=%x", name, i, want[i].k, want[i].v, got[i].k, got[i].v)
				break
			}
		}
	}
}

func dumpBucket(t *testing.T, s *Store, name []byte) []runKey {
	t.Helper()
	var out []runKey
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(name).ForEach(func(k, v []byte) error {
			out = append(out, runKey{bytes.Clone(k), bytes.Clone(v)})
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportAcceptsJournalAndRollsBack: an import accepts the journal entries its entries were made from while it
// merges its runs. A crash after that, before the import is committed: the
// rollback gives the journal entries made before the import their status
// and version back. Committed, the entries are accepted and linked.
func TestImportAcceptsJournalAndRollsBack(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	clerk := Actor{Name: "clerk", Role: RoleClerk}
	admin := Actor{Name: "admin", Role: RoleAdmin}
	rng := rand.New(rand.NewPCG(1, 2))
	emp := testEmployer(rng, 0, map[string]bool{})
	var before []JournalEntry
	for i := 0; i < 3; i++ {
		j, err := s.CreateJournalEntry(clerk, JournalEntry{ReceivedOn: NewDate(2026, 3, 10), EmployerName: emp.Name,
			EmployerINN: emp.INN, SoutOrgName: "ООО «Охрана труда»"})
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, j)
	}
	entries := func() []RegisterEntry {
		var es []RegisterEntry
		for _, j := range append(before, before[0]) { // the first package twice: its first entry keeps the link
			es = append(es, RegisterEntry{EnteredOn: NewDate(2026, 3, 15), Employer: emp, SoutOrg: testOrgs[1],
				Grid: testGrid(rng), JournalID: j.ID})
		}
		return es
	}
	im, err := s.BeginImport(context.Background(), admin, "crash.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddRegister(entries()); err != nil {
		t.Fatal(err)
	}
	if err := im.mergeIndexRuns(); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.JournalEntry(before[2].ID); j.Status != StatusAccepted || j.RegisterID == 0 {
		t.Fatalf("after the merge the journal entry is %v, register №%d; want accepted", j.Status, j.RegisterID)
	}
	s.Close() // the crash: no Commit

	s, err = Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkRolledBack(t, s, before)

	im, err = s.BeginImport(context.Background(), admin, "again.csv")
	if err != nil {
		t.Fatal(err)
	}
	es := entries()
	if err := im.AddRegister(es); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, want := range before {
		got, _ := s.JournalEntry(want.ID)
		if got.Status != StatusAccepted || got.RegisterID != es[i].ID {
			t.Errorf("journal %s after the import: %v, register №%d; want accepted, №%d", want.Ref(), got.Status, got.RegisterID,
				es[i].ID)
		}
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Errorf("Check after the import = %v, %v", problems, err)
	}
}

// checkRolledBack asserts that the journal entries before have the status,
// version and no register link they had before a rolled back import, and
// that the file checks clean.
func checkRolledBack(t *testing.T, s *Store, before []JournalEntry) {
	t.Helper()
	for _, want := range before {
		got, err := s.JournalEntry(want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want.Status || got.RegisterID != 0 || got.Version != want.Version {
			t.Errorf("journal %s after rollback: %v, register №%d, version %d; want %v, none, %d",
				want.Ref(), got.Status, got.RegisterID, got.Version, want.Status, want.Version)
		}
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Errorf("Check after rollback = %v, %v", problems, err)
	}
}

// TestImportFailedChunkFreesNumbers: a chunk of journal entries that fails is not written, and the numbers its
// first entries took are free again for the rest of the import.
func TestImportFailedChunkFreesNumbers(t *testing.T) {
	s := openTest(t)
	im, err := s.BeginImport(context.Background(), Actor{Name: "admin", Role: RoleAdmin}, "numbers")
	if err != nil {
		t.Fatal(err)
	}
	ok := JournalEntry{ReceivedOn: NewDate(2026, 3, 10), No: 700, EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»"}
	bad := ok
	bad.No, bad.EmployerName = 701, "" // the name is required
	if err := im.AddJournal([]JournalEntry{ok, bad}); ErrorCode(err) != CodeInvalid {
		t.Fatalf("a chunk with an invalid entry: %v", err)
	}
	if err := im.AddJournal([]JournalEntry{ok}); err != nil {
		t.Fatalf("№700 after the failed chunk: %v", err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if j, err := s.JournalByNo(2026, 700); err != nil || j.EmployerName != "ООО «Волга»" {
		t.Errorf("JournalByNo(700) = %v, %v", j.Ref(), err)
	}
	if problems, _ := s.Check(context.Background()); len(problems) > 0 {
		t.Errorf("Check = %v", problems)
	}
}
