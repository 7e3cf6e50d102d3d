package report

import (
	"io"
	"testing"
	"time"

	"sout/store"
)

var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// openBench opens the shared 1,000,000-entry demo file read-only.
func openBench(b *testing.B) *store.Store {
	b.Helper()
	path := store.DemoFilePath(store.BenchEmployers())
	if err := store.EnsureDemoFile(path, store.BenchEmployers(), benchNow); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(path, store.Options{Now: func() time.Time { return benchNow }, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkSummaryYear computes the Summary of a whole year (about 330,000
// register entries of the 1,000,000 in the file).
func BenchmarkSummaryYear(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	for b.Loop() {
		sum, err := BuildSummary(s, p)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Entries == 0 {
			b.Fatal("no entries")
		}
	}
}

// BenchmarkSummaryXLSX writes the Summary form of a half-year as XLSX.
func BenchmarkSummaryXLSX(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025H2")
	for b.Loop() {
		if _, err := WriteSummary(io.Discard, s, p, Format{XLSX: true}); err != nil {
			b.Fatal(err)
		}
	}
}
