package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestCheckSearch: Check names an index that differs from the cards.
func TestCheckSearch(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "sout.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j := JournalEntry{ReceivedOn: NewDate(2026, 2, 1), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»"}
	if _, err := s.CreateJournalEntry(Actor{Name: "anna", Role: RoleClerk}, j); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Fatalf("Check = %q, %v", problems, err)
	}
	x := s.search
	x.mu.Lock()
	x.data.set(searchOp{txid: x.data.builtAt + 100, inn: "7707083893",
		card: &employerCard{Employer: Employer{Name: "ООО «Ока»", INN: "7707083893"}}})
	x.mu.Unlock()
	problems, err := s.Check(context.Background())
	want := []string{
		"Индекс поиска: по слову «волга» находятся не те работодатели",
		"Индекс поиска: по слову «ока» находятся работодатели, которых у него нет",
		"Индекс поиска: работодатель с ИНН 7707083893 не такой, как в справочнике",
	}
	if err != nil || !slices.Equal(problems, want) {
		t.Errorf("Check = %q, %v; want %q", problems, err, want)
	}
}
