package store

import (
	"context"
	"testing"
	"time"
)

// TestSoutOrgs_SlowListKeptForAMinute: when reading the organisations is slow (a big file), a list read less than
// a minute ago is given after a write; after the minute it is read again.
func TestSoutOrgs_SlowListKeptForAMinute(t *testing.T) {
	s := openTest(t)
	actor := Actor{Name: "anna", Role: RoleClerk}
	add := func(org string) {
		t.Helper()
		if _, err := s.CreateJournalEntry(actor, JournalEntry{ReceivedOn: NewDate(2026, 3, 2),
			EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: org}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		t.Helper()
		orgs, err := s.SoutOrgs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(orgs)
	}
	add("ООО «Центр»")
	if n := count(); n != 1 {
		t.Fatalf("%d organisations, want 1", n)
	}
	s.orgs.took = time.Second // as on a file of 200,000 employers
	add("ООО «Охрана»")
	if n := count(); n != 1 {
		t.Fatalf("a slow list read just now was read again after a write: %d organisations", n)
	}
	s.orgs.at = time.Now().Add(-2 * orgsFresh)
	if n := count(); n != 2 {
		t.Fatalf("after the fresh minute: %d organisations, want 2", n)
	}
}
