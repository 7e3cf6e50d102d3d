package report

import (
	"context"
	"encoding/csv"
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
// file (`sout import register`) and, right after, into a new SQLite file
// with the sqlite3 shell's .import followed by the two indexes the store
// keeps (INN, date of entry), both with their default durability. The two
// alternate, so that a busy machine slows both alike; the metrics are the
// seconds of each and their ratio.
func BenchmarkImportRegister(b *testing.B) {
	src := benchRegisterCSV(b)
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Skip("sqlite3 is not installed")
	}
	var soutTime, sqliteTime time.Duration
	for i := 0; i < b.N; i++ {
		soutTime += benchImportSout(b, src)
		sqliteTime += benchImportSQLite(b, src)
	}
	b.ReportMetric(soutTime.Seconds()/float64(b.N), "sout-s")
	b.ReportMetric(sqliteTime.Seconds()/float64(b.N), "sqlite-s")
	b.ReportMetric(float64(soutTime)/float64(sqliteTime), "sout/sqlite")
}

// benchImportSout imports src into a new sout file and returns how long it took.
func benchImportSout(b *testing.B, src string) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	path := filepath.Join(b.TempDir(), "import.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(path)
	defer s.Close()
	began := time.Now()
	res, err := ImportRegister(context.Background(), s, store.Actor{Name: "bench", Role: store.RoleAdmin}, src,
		ImportOptions{})
	took := time.Since(began)
	if err != nil || res.Count < 1000 {
		b.Fatalf("import: %v", err)
	}
	return took
}

// benchImportSQLite loads src into a new SQLite file with its two indexes
// and returns how long it took.
func benchImportSQLite(b *testing.B, src string) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	path := filepath.Join(b.TempDir(), "import.sqlite")
	defer os.Remove(path)
	cmd := exec.Command("sqlite3", path)
	cmd.Stdin = strings.NewReader(".import --csv " + src + " register\n" +
		"CREATE INDEX register_inn ON register(inn, id);\n" +
		"CREATE INDEX register_date ON register(entered_on, id);\n")
	began := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(began)
	if err != nil || len(out) > 0 {
		b.Fatalf("sqlite3: %v\n%s", err, out)
	}
	return took
}
