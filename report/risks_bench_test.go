package report

import (
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
		r, err := BuildRisks(s, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Flags) == 0 {
			b.Fatal("no flags")
		}
		b.ReportMetric(float64(len(r.Flags)), "flags")
	}
}
