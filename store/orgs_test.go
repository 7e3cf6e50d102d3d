package store_test

import (
	"context"
	"reflect"
	"testing"

	"sout/store"
)

func TestStore_SoutOrgs(t *testing.T) {
	s, _ := openStore(t)
	if _, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ооо  «охрана труда»"}); err != nil {
		t.Fatal(err)
	}
	e := validEntry() // ООО «Охрана труда», № 123
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	e.SoutOrg = store.SoutOrg{Name: "ООО «Центр»"}
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	got, err := s.SoutOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []store.KnownOrg{
		{SoutOrg: store.SoutOrg{Name: "ООО «Охрана труда»", RegNo: "123"}, Uses: 2},
		{SoutOrg: store.SoutOrg{Name: "ООО «Центр»"}, Uses: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SoutOrgs = %+v, want %+v", got, want)
	}
	// A write after the read is seen by the next one (the list is kept
	// only until a write).
	e.SoutOrg = store.SoutOrg{Name: "ООО «Центр»", RegNo: "77"}
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	got, err = s.SoutOrgs(context.Background())
	if err != nil || len(got) != 2 || got[1].RegNo != "77" && got[0].RegNo != "77" {
		t.Fatalf("after a write SoutOrgs = %+v, %v", got, err)
	}
}

// BenchmarkSoutOrgs reads the known SOUT organisations of the 200,000-employer
// demo file, as a card does when it opens.
func BenchmarkSoutOrgs(b *testing.B) {
	s := openBench(b)
	for b.Loop() {
		if _, err := s.SoutOrgs(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
