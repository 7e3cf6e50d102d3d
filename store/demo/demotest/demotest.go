// Package demotest keeps the benchmarks' shared demo database: one file per
// size under os.TempDir(), built once with demo.Generate and kept between
// runs. It is for tests and benchmarks only; the program never imports it.
package demotest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"sout/store"
	"sout/store/demo"
	"sout/store/safefile"
)

// EnsureFile makes a demo database of employers employers at path unless
// a file is already there, building it under a temporary name so that an
// interrupted build leaves nothing at path. Benchmarks share it.
func EnsureFile(path string, employers int, now time.Time) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	s, err := store.Open(tmp, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	if _, err := demo.Generate(context.Background(), s, store.Actor{Name: "demo", Role: store.RoleAdmin},
		demo.Options{Employers: employers, Seed: 1}); err != nil {
		s.Close()
		os.Remove(tmp)
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	// Compacted, as `sout compact` leaves a file after a big load.
	if _, _, err := store.Compact(context.Background(), tmp); err != nil {
		return err
	}
	return safefile.Replace(tmp, path)
}

// FilePath is where benchmarks keep the demo file of n employers.
func FilePath(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("sout-bench-%d.db", n))
}

// BenchEmployers is the size of the benchmarks' demo file: 200,000
// employers, about 1,000,000 register entries, unless SOUT_BENCH_EMPLOYERS
// says otherwise.
func BenchEmployers() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("SOUT_BENCH_EMPLOYERS"), &n); err == nil && n > 0 {
		return n
	}
	return 200000
}

// ReturnBack returns journal entry id for a as on the day of its deadline:
// ReturnJournalEntry refuses a deadline before the day of the return, so a
// test that wants a return overdue by *clock sets the store's clock (which
// reads *clock) back to that day for the call, and restores it after.
func ReturnBack(s *store.Store, clock *time.Time, a store.Actor, id, version uint64, reason string,
	deadline store.Date) (store.JournalEntry, error) {
	saved := *clock
	defer func() { *clock = saved }()
	if deadline < store.DateOf(saved) {
		h, m, sec := saved.Clock()
		*clock = time.Date(deadline.Year(), deadline.Month(), deadline.Day(), h, m, sec, 0, saved.Location())
	}
	return s.ReturnJournalEntry(a, id, version, reason, deadline)
}
