package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"sout/store"
	"sout/store/demo/demotest"
)

var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// benchFile returns a demo database under os.TempDir(), built once per size
// and kept between runs.
func benchFile(b *testing.B) string {
	b.Helper()
	path := demotest.FilePath(demotest.BenchEmployers())
	start := time.Now()
	if err := demotest.EnsureFile(path, demotest.BenchEmployers(), benchNow); err != nil {
		b.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		b.Logf("built %s in %v", path, d)
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
		if err := s.EachFigures(context.Background(), p,
			func(f *store.Figures) error { n++; g.Add(&f.Grid); return nil }); err != nil {
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

// BenchmarkListJournalYear lists the journal of the current year, as the
// Journal screen does on start.
func BenchmarkListJournalYear(b *testing.B) {
	s := openBench(b)
	q := store.JournalQuery{Period: store.Period{From: store.NewDate(2026, 1, 1), To: store.NewDate(2026, 12, 31)}}
	for b.Loop() {
		rows, err := s.ListJournal(q)
		if err != nil || len(rows) == 0 {
			b.Fatal(len(rows), err)
		}
		b.ReportMetric(float64(len(rows)), "entries")
	}
}

// BenchmarkCheckFile is what Open adds before bbolt maps the file: the meta
// pages, the length, the root page and the freelist, read with plain reads
// (on the benchmarks' demo file, when it has been built).
func BenchmarkCheckFile(b *testing.B) {
	path := demotest.FilePath(demotest.BenchEmployers())
	if _, err := os.Stat(path); err != nil {
		b.Skip("no demo file: run the store benchmarks once to build it")
	}
	for b.Loop() {
		if _, err := store.CheckFile(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListRegisterFiltered reads the first page of 50 of the Register
// filtered by a section (a common one and a rare one) and the count the
// screen shows with it; and by a SOUT organisation, alternating between the
// most and the least used of the known ones, so that every call reads the
// register again rather than the kept positions (the first page after the
// clerk chooses one), and then the next page (kept).
func BenchmarkListRegisterFiltered(b *testing.B) {
	s := openBench(b)
	orgs, err := s.SoutOrgs(context.Background())
	if err != nil || len(orgs) < 2 {
		b.Fatal(len(orgs), err)
	}
	for _, c := range []struct {
		name string
		q    store.RegisterQuery
	}{
		{"section", store.RegisterQuery{Section: "C"}},
		{"rare_section", store.RegisterQuery{Section: "U"}},
	} {
		b.Run("page_"+c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListRegister(c.q, store.Pos{}, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("count_"+c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CountRegister(c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	qs := []store.RegisterQuery{{Org: orgs[0].Name}, {Org: orgs[len(orgs)-1].Name}}
	b.Run("page_org_first", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := s.ListRegister(qs[i%2], store.Pos{}, 50); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("page_org_next", func(b *testing.B) {
		page, err := s.ListRegister(qs[0], store.Pos{}, 50)
		if err != nil || len(page) == 0 {
			b.Fatal(len(page), err)
		}
		at := store.Pos{Date: page[len(page)-1].EnteredOn, ID: page[len(page)-1].ID}
		for b.Loop() {
			if _, err := s.ListRegister(qs[0], at, 50); err != nil {
				b.Fatal(err)
			}
			if _, err := s.CountRegister(qs[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListRegisterOrgAfterWrite is the register screen with the SOUT
// organisation filter on while the file changes: one write (a new entry of
// the most used organisation), then the first page and the count, on a copy
// of the demo file. The write alone is the «write» case, for the difference.
func BenchmarkListRegisterOrgAfterWrite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "copy.db")
	if out, err := exec.Command("cp", "--reflink=auto", benchFile(b), path).CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	s, err := store.Open(path, store.Options{Now: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	orgs, err := s.SoutOrgs(context.Background())
	if err != nil || len(orgs) == 0 {
		b.Fatal(len(orgs), err)
	}
	q := store.RegisterQuery{Org: orgs[0].Name}
	e := validEntry()
	e.EnteredOn, e.SoutOrg = store.DateOf(benchNow), orgs[0].SoutOrg
	a := store.Actor{Name: "bench", Role: store.RoleClerk}
	for _, page := range []bool{false, true} {
		name := map[bool]string{false: "write", true: "write_page_count"}[page]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SaveRegisterEntry(a, e); err != nil {
					b.Fatal(err)
				}
				if !page {
					continue
				}
				if list, err := s.ListRegister(q, store.Pos{}, 50); err != nil || len(list) != 50 {
					b.Fatal(len(list), err)
				}
				if n, err := s.CountRegister(q); err != nil || n < 50 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
