package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestCheck_OrgIndex: Check names an entry missing from the organisation
// index and a key of it that no entry has, and a list by organisation of a
// file without the index (a schema 1 file opened as it is) reads the register.
func TestCheck_OrgIndex(t *testing.T) {
	s := openTest(t)
	if err := importRegisterEntries(s, 3, 40); err != nil {
		t.Fatal(err)
	}
	q := RegisterQuery{Org: strings.ToUpper(testOrgs[1].Name), Section: "C"}
	indexed, err := s.readOrgPositions(q)
	if err != nil || len(indexed) == 0 {
		t.Fatalf("readOrgPositions(%+v) = %d, %v", q, len(indexed), err)
	}
	scanned, err := s.orgPositionsUnindexed(q, 0, ^Date(0))
	if err != nil || !slices.Equal(indexed, scanned) {
		t.Errorf("the register read gives %v, %v; the index %v", scanned, err, indexed)
	}
	e, err := s.RegisterEntry(indexed[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stray := orgKey("ООО «Нет такой»", e.EnteredOn, 999)
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRegByOrg)
		if err := b.Delete(orgKeyOf(&e)); err != nil {
			return err
		}
		return b.Put(stray, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	probs, err := s.Check(context.Background())
	got := strings.Join(probs, "\n")
	for _, want := range []string{
		fmt.Sprintf("Записи реестра №%d нет в индексе по организации, проводившей СОУТ", e.ID),
		"Индекс по организации, проводившей СОУТ, указывает на несуществующую запись реестра №999",
	} {
		if err != nil || !strings.Contains(got, want) {
			t.Errorf("Check() = %q, %v; want %q", got, err, want)
		}
	}
}
