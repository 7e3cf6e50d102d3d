package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
	"sout/store/demo/demotest"
)

// benchRegisterCSV returns the register of the benchmark file as a data file
// (CSV, about 1,000,000 rows) without its journal links, so that it loads
// into an empty file; it is built once next to the benchmark file.
func benchRegisterCSV(b *testing.B) string {
	b.Helper()
	path := strings.TrimSuffix(demotest.FilePath(demotest.BenchEmployers()), ".db") + "-register.csv"
	if _, err := os.Stat(path); err == nil {
		return path
	}
	s := openBench(b)
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(f.Name())
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(ExportRegister(context.Background(), pw, s, store.Period{}, Format{})) }()
	r, w := csv.NewReader(pr), csv.NewWriter(f)
	journal := -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if journal < 0 {
			for i, c := range rec {
				if c == "journal_no" {
					journal = i
				}
			}
		} else {
			rec[journal] = ""
		}
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImportRegister loads the same 1,000,000-row CSV into a new sout
// file (`sout import register`) and, side by side, into a new SQLite file
// with the sqlite3 shell's .import followed by the two indexes the store
// keeps (INN, date of entry); both with their default durability.
func BenchmarkImportRegister(b *testing.B) {
	src := benchRegisterCSV(b)
	admin := store.Actor{Name: "bench", Role: store.RoleAdmin}
	b.Run("sout", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			path := filepath.Join(b.TempDir(), fmt.Sprintf("import-%d.db", i))
			s, err := store.Open(path, store.Options{Now: func() time.Time { return benchNow }})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := ImportRegister(context.Background(), s, admin, src, ImportOptions{})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Count), "rows")
			s.Close()
			os.Remove(path)
		}
	})
	b.Run("sqlite", func(b *testing.B) {
		if _, err := exec.LookPath("sqlite3"); err != nil {
			b.Skip("sqlite3 is not installed")
		}
		script := ".import --csv " + src + " register\n" +
			"CREATE INDEX register_inn ON register(inn, id);\n" +
			"CREATE INDEX register_date ON register(entered_on, id);\n"
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			path := filepath.Join(b.TempDir(), fmt.Sprintf("import-%d.sqlite", i))
			cmd := exec.Command("sqlite3", path)
			cmd.Stdin = strings.NewReader(script)
			b.StartTimer()
			out, err := cmd.CombinedOutput()
			b.StopTimer()
			if err != nil || len(out) > 0 {
				b.Fatalf("sqlite3: %v\n%s", err, out)
			}
			os.Remove(path)
		}
	})
}
