package report

import (
	"context"
	"io"
	"testing"
	"time"

	"sout/store"
	"sout/store/demo/demotest"

	"github.com/xuri/excelize/v2"
)

var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// openBench opens the shared 1,000,000-entry demo file read-only.
func openBench(b *testing.B) *store.Store {
	b.Helper()
	path := demotest.FilePath(demotest.BenchEmployers())
	if err := demotest.EnsureFile(path, demotest.BenchEmployers(), benchNow); err != nil {
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
		sum, err := BuildSummary(context.Background(), s, p)
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
		if _, err := WriteSummary(context.Background(), io.Discard, s, p, Format{XLSX: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// registerBenchPeriod holds about 200,000 register entries of the 1M-entry file.
var registerBenchPeriod = store.Period{From: store.NewDate(2025, 1, 1), To: store.NewDate(2025, 7, 31)}

// BenchmarkRegisterXLSX writes the Register form of about 200,000 entries
// (1,000,000 sheet rows); BenchmarkRegisterXLSXBare writes the same cells
// through a bare excelize StreamWriter, the floor to compare with.
func BenchmarkRegisterXLSX(b *testing.B) {
	s := openBench(b)
	for b.Loop() {
		cw := &countWriter{}
		if err := WriteRegister(context.Background(), cw, s, registerBenchPeriod, Format{XLSX: true}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(cw.n)/(1<<20), "MiB")
	}
}

func BenchmarkRegisterXLSXBare(b *testing.B) {
	s := openBench(b)
	set, err := s.Settings()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		form := RegisterForm(set, registerBenchPeriod, func(fn func(*store.RegisterRecord) error) error {
			return s.EachRegister(context.Background(), registerBenchPeriod, fn)
		})
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		row := 1
		err = form.Body(func(cells []Cell) error {
			vals := make([]any, len(cells))
			for c, cell := range cells {
				if cell.IsNum {
					vals[c] = cell.Num
				} else {
					vals[c] = cell.Text
				}
			}
			name, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(name, vals)
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		cw := &countWriter{}
		if _, err := f.WriteTo(cw); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.ReportMetric(float64(row-1), "rows")
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
