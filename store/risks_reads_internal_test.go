package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The light reads of the risks give what the whole-record reads give.
func TestRiskReadsMatchWholeReads(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := importRegisterEntries(s, 3, 5000); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := Period{From: NewDate(2026, 3, 1), To: NewDate(2026, 6, 30)}
	var want, got []OrgFigures
	err = s.EachRegister(ctx, p, func(r *RegisterRecord) error {
		want = append(want, OrgFigures{OKVED: r.Employer.OKVED, SoutOrg: r.SoutOrg, Grid: r.Grid})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EachOrgFigures(ctx, p, func(f *OrgFigures) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	key := func(f OrgFigures) string { return f.OKVED + "|" + f.SoutOrg.Name + "|" + f.SoutOrg.RegNo }
	sortBy := func(a, b OrgFigures) int { return cmpStrings(key(a), key(b)) }
	slices.SortStableFunc(want, sortBy)
	slices.SortStableFunc(got, sortBy)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("EachOrgFigures: %d entries, EachRegister: %d", len(got), len(want))
	}
	sum := func(fs []OrgFigures) (n int) {
		for _, f := range fs {
			n += f.Grid[ColAssessed][RowWorkers] + f.Grid[ColClass4][RowWorkplaces]
		}
		return n
	}
	if sum(got) != sum(want) {
		t.Fatalf("EachOrgFigures: %d workers, EachRegister: %d", sum(got), sum(want))
	}
	var inns []string
	err = s.EachRegister(ctx, Period{}, func(r *RegisterRecord) error { inns = append(inns, r.Employer.INN); return nil })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(inns)
	inns = slices.Compact(inns)[:len(inns)/3]
	names, err := s.EmployerNames(ctx, append([]string{"0000000000"}, inns...)) // the first is unknown
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(inns) {
		t.Fatalf("EmployerNames: %d names of %d INNs", len(names), len(inns))
	}
	for _, n := range names {
		emp, ok, err := s.LastEmployer(n.INN)
		if err != nil || !ok || emp.Name != n.Name {
			t.Fatalf("EmployerNames %s: %q, LastEmployer: %q %v %v", n.INN, n.Name, emp.Name, ok, err)
		}
	}
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
