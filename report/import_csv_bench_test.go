package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"sout/report"
)

// BenchmarkImportRegisterCSV imports a 20,000-row register data CSV into
// an empty file: every check of the import (duplicates in the file and in
// the store, journal links, locks) included.
func BenchmarkImportRegisterCSV(b *testing.B) {
	rows := make([][]string, 20000)
	for i := range rows {
		rows[i] = goodRow(map[string]string{"total_wp": strconv.Itoa(20 + i)})
	}
	path := filepath.Join(b.TempDir(), "in.csv")
	if err := os.WriteFile(path, csvFile(rows...), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openStore(b)
		b.StartTimer()
		if _, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
}
