package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sout/store"
)

// benchEmployers sizes the benchmark file: 200,000 employers give about
// 1,000,000 register entries. SOUT_BENCH_EMPLOYERS overrides it.
func benchEmployers() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("SOUT_BENCH_EMPLOYERS"), &n); err == nil && n > 0 {
		return n
	}
	return 200000
}

var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// benchFile returns a demo database under os.TempDir(), built once per size
// and kept between runs.
func benchFile(b *testing.B) string {
	b.Helper()
	n := benchEmployers()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("sout-bench-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	s, err := store.Open(tmp, store.Options{Now: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	stats, err := store.GenerateDemo(s, admin, store.DemoOptions{Employers: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("demo %v in %v", stats, time.Since(start))
	s.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func openBench(b *testing.B) *store.Store {
	s, err := store.Open(benchFile(b), store.Options{Now: func() time.Time { return benchNow }, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchINNs returns some INNs that are in the file.
func benchINNs(b *testing.B, s *store.Store) []string {
	var inns []string
	page, err := s.ListRegister(store.RegisterQuery{}, store.Pos{}, 1000)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range page {
		inns = append(inns, e.Employer.INN)
	}
	return inns
}

func BenchmarkFindByINN(b *testing.B) {
	s := openBench(b)
	inns := benchINNs(b, s)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.FindByINN(inns[i%len(inns)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkEachFiguresYear(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	for b.Loop() {
		n := 0
		var g store.Grid
		if err := s.EachFigures(p, func(f *store.Figures) error { n++; g.Add(&f.Grid); return nil }); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatal("no entries in 2025")
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	path := benchFile(b)
	for b.Loop() {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkListRegisterPage(b *testing.B) {
	s := openBench(b)
	pos := store.Pos{}
	for b.Loop() {
		page, err := s.ListRegister(store.RegisterQuery{}, pos, 50)
		if err != nil {
			b.Fatal(err)
		}
		if len(page) < 50 {
			pos = store.Pos{}
			continue
		}
		last := page[len(page)-1]
		pos = store.Pos{Date: last.EnteredOn, ID: last.ID}
	}
}
