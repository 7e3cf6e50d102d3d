package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sout/store"
	"sout/store/demo"
)

var admin = store.Actor{Name: "root", Role: store.RoleAdmin}

// openStore opens a fresh store in a temporary directory with a fixed clock.
func openStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sout.db")
	now := time.Date(2026, 11, 20, 10, 30, 0, 0, time.Local)
	s, err := store.Open(path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestGenerate(t *testing.T) {
	s, _ := openStore(t)
	stats, err := demo.Generate(context.Background(), s, admin, demo.Options{Employers: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Employers != 300 || stats.Register < 900 || stats.Register > 2100 || stats.Journal == 0 {
		t.Fatalf("stats = %+v", stats)
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("Check = %v, %v", problems, err)
	}
	var sum store.Grid
	today := s.Today()
	n := 0
	err = s.EachRegister(context.Background(), store.Period{}, func(e *store.RegisterRecord) error {
		n++
		if ps := e.Validate(today); ps.HasErrors() {
			t.Errorf("demo entry %d does not validate: %v", e.ID, ps)
		}
		sum.Add(&e.Grid)
		return nil
	})
	if err != nil || n != stats.Register {
		t.Fatalf("EachRegister gave %d entries (%v), want %d", n, err, stats.Register)
	}
	a := sum[store.ColAssessed][store.RowWorkplaces]
	share := func(c int) float64 { return float64(sum[c][store.RowWorkplaces]) / float64(a) }
	if s2 := share(store.ColClass2); s2 < 0.6 || s2 > 0.7 {
		t.Errorf("class 2 share = %.3f, want about 0.65", s2)
	}
	if s31 := share(store.ColClass31); s31 < 0.15 || s31 > 0.21 {
		t.Errorf("class 3.1 share = %.3f, want about 0.18", s31)
	}
	women := float64(sum[store.ColTotal][store.RowWomen]) / float64(sum[store.ColTotal][store.RowWorkers])
	if women < 0.42 || women > 0.48 {
		t.Errorf("women share = %.3f, want about 0.45", women)
	}
	statuses := map[store.JournalStatus]int{}
	years := map[int]int{}
	overdue := 0
	var prev store.JournalEntry
	s.EachJournal(context.Background(), store.Period{}, func(j *store.JournalEntry) error { // in registration order
		if j.Year == prev.Year && (j.No != prev.No+1 || j.ReceivedOn < prev.ReceivedOn) {
			t.Errorf("journal %s of %s follows %s of %s: numbers must run 1, 2, 3… with the dates",
				j.Ref(), j.ReceivedOn.Ru(), prev.Ref(), prev.ReceivedOn.Ru())
		} else if j.Year != prev.Year && j.No != 1 {
			t.Errorf("the journal of %d starts at %s", j.Year, j.Ref())
		}
		prev = *j
		statuses[j.Status]++
		years[j.Year]++
		if j.Overdue(today) {
			overdue++
		}
		return nil
	})
	for _, st := range store.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no journal entry in status %s: %v", st, statuses)
		}
	}
	for y := today.Year() - 2; y <= today.Year(); y++ {
		if years[y] == 0 {
			t.Errorf("no journal entry of %d: %v", y, years)
		}
	}
	if overdue == 0 {
		t.Errorf("no overdue return among %v", statuses)
	}
	// The same seed gives the same data.
	s2, _ := openStore(t)
	stats2, _ := demo.Generate(context.Background(), s2, admin, demo.Options{Employers: 300, Seed: 7})
	if stats2 != stats {
		t.Errorf("same seed: %+v, then %+v", stats, stats2)
	}
}
