package store_test

import (
	"context"
	"slices"
	"syscall"
	"testing"
	"time"

	"sout/store"
)

// benchQueries are what clerks type, keystroke by keystroke or whole.
var benchQueries = []string{"о", "оо", "ооо", "нефтемаш", "нефтимаш", "ооо нефтемаш", "полет", "школа 155",
	"северсталь строй", "5508", "630", "15"}

// BenchmarkFindEmployers is one keystroke of the look-up on the demo file
// (200,000 employers), the index already built.
func BenchmarkFindEmployers(b *testing.B) {
	s := openBench(b)
	start, cpu := time.Now(), processCPU()
	if _, err := s.FindEmployers("ооо", 200); err != nil {
		b.Fatal(err)
	}
	// Not a benchmark of its own: -benchtime 2000x would build it 2000 times.
	b.Logf("the first search built the index in %v (CPU %v)", time.Since(start), processCPU()-cpu)
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			var m store.EmployerMatches
			cpu := processCPU()
			for b.Loop() {
				var err error
				if m, err = s.FindEmployers(q, 200); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.Total), "found")
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the CPU time the process has used: on a machine shared with
// other work, what a query costs, where ns/op also counts waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOpenIndex is opening the demo file (200,000 employers) and
// having its employer index ready for the first search.
func BenchmarkOpenIndex(b *testing.B) {
	path := benchFile(b)
	cpu := processCPU()
	for b.Loop() {
		s, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.FindEmployers("ооо", 200); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkScanEmployers is `sout lookup TEXT`'s one pass over the cards of
// the demo file (200,000 employers), no index built. First it checks that
// the pass finds what the index finds for every benchmark query.
func BenchmarkScanEmployers(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	for _, q := range benchQueries {
		want, err := s.FindEmployers(q, 200)
		if err != nil {
			b.Fatal(err)
		}
		got, err := s.ScanEmployers(ctx, q, 200)
		if err != nil {
			b.Fatal(err)
		}
		if !slices.Equal(got.Employers, want.Employers) || got.Total != want.Total {
			b.Fatalf("ScanEmployers(%q) found %d (%d shown), FindEmployers %d (%d)", q, got.Total, len(got.Employers),
				want.Total, len(want.Employers))
		}
	}
	for _, q := range []string{"нефтемаш", "ооо"} {
		b.Run(q, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				if _, err := s.ScanEmployers(ctx, q, 200); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
