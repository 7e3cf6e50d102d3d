package report

import (
	"context"
	"testing"

	"sout/store"
)

// BenchmarkRisksYear computes the risk indicators of 2025: every register
// entry up to 31.12.2025 (about 705,000 of the 1,000,000) and the journal.
// Compare with BenchmarkSummaryYear: the target is 3× its time.
func BenchmarkRisksYear(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	for b.Loop() {
		r, err := BuildRisks(context.Background(), s, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Flags) == 0 {
			b.Fatal("no flags")
		}
		b.ReportMetric(float64(len(r.Flags)), "flags")
	}
}

// BenchmarkOrgSharesYear compares the SOUT organisations of 2025 (about
// 330,000 entries, of which only the figures, OKVED and SOUT organisation
// are decoded: store.EachOrgFigures) with the region.
func BenchmarkOrgSharesYear(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	for b.Loop() {
		orgs, err := BuildOrgShares(context.Background(), s, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(orgs) == 0 {
			b.Fatal("no organisations")
		}
	}
}

// BenchmarkRisksXLSX writes the risks workbook of 2025.
func BenchmarkRisksXLSX(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	for b.Loop() {
		cw := &countWriter{}
		if err := WriteRisks(context.Background(), cw, s, p, Format{XLSX: true}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(cw.n)/(1<<20), "MiB")
	}
}
