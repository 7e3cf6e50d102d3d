package report

import (
	"context"
	"slices"
	"syscall"
	"testing"
	"time"

	"sout/store"
)

// BenchmarkRisksYear computes the risk indicators of 2025: every register
// entry up to 31.12.2025 (about 705,000 of the 1,000,000) and the journal.
// Compare with BenchmarkSummaryYear: the target is 3× its time, which
// BenchmarkRisksAgainstSummary measures in pairs.
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

// BenchmarkRisksAgainstSummary runs the Summary of 2025 and the risk
// indicators of 2025 one after the other in each iteration (in turn which
// first) and reports the medians of both and the median of the ratios of
// the pairs: on a shared machine the load changes from second to second,
// and a ratio of two benchmarks run a minute apart measures the load. The
// target is a ratio of at most 3 (FORMS.md §6).
func BenchmarkRisksAgainstSummary(b *testing.B) {
	s := openBench(b)
	p, _ := store.ParsePeriod("2025")
	ctx := context.Background()
	var sums, risks, ratios, cpuRatios []float64
	i := 0
	for b.Loop() {
		var ts, tr, cs, cr time.Duration
		for k := range 2 {
			start, cpu := time.Now(), processCPU()
			if (i+k)%2 == 0 {
				if _, err := BuildSummary(ctx, s, p); err != nil {
					b.Fatal(err)
				}
				ts, cs = time.Since(start), processCPU()-cpu
			} else {
				if _, err := BuildRisks(ctx, s, p); err != nil {
					b.Fatal(err)
				}
				tr, cr = time.Since(start), processCPU()-cpu
			}
		}
		i++
		sums, risks = append(sums, ts.Seconds()*1e3), append(risks, tr.Seconds()*1e3)
		ratios, cpuRatios = append(ratios, float64(tr)/float64(ts)), append(cpuRatios, float64(cr)/float64(cs))
	}
	b.ReportMetric(median(sums), "summary-ms")
	b.ReportMetric(median(risks), "risks-ms")
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(cpuRatios), "cpu-ratio")
}

// processCPU is the CPU time the process has used: on a shared machine the
// wall time of a computation is partly other processes' work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}
