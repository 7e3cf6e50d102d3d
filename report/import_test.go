package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"sout/report"
	"sout/store"
)

// goodRow is a valid register data row in the order of report.RegisterColumns.
func goodRow(mod map[string]string) []string {
	vals := map[string]string{
		"entered_on": "2026-03-15", "employer_name": "ООО «Волга»", "employer_address": "г. Самара", "inn": "7707083893",
		"ogrn": "1027700132195", "okved": "25.11", "sout_org_name": "ООО «Центр охраны труда»", "sout_org_reg_no": "1", "journal_no": "",
		"total_wp": "20", "total_workers": "30", "total_women": "10", "assessed_wp": "10", "assessed_workers": "12", "assessed_women": "5",
		"c2_wp": "7", "c2_workers": "8", "c2_women": "4", "c3_1_wp": "3", "c3_1_workers": "4", "c3_1_women": "1",
	}
	for k, v := range mod {
		vals[k] = v
	}
	row := make([]string, len(report.RegisterColumns))
	for i, k := range report.RegisterColumns {
		row[i] = vals[k]
	}
	return row
}

func csvFile(rows ...[]string) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(report.RegisterColumns, ",") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.Bytes()
}

func TestImportRegister_Encodings(t *testing.T) {
	plain := csvFile(goodRow(nil))
	cp, err := charmap.Windows1251.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatal(err)
	}
	semi := bytes.ReplaceAll(plain, []byte(","), []byte(";"))
	for name, data := range map[string][]byte{
		"utf-8":        plain,
		"utf-8 bom":    append([]byte("\ufeff"), plain...),
		"windows-1251": cp,
		"semicolon":    semi,
		"crlf":         bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			s := openStore(t)
			path := filepath.Join(t.TempDir(), "in.csv")
			os.WriteFile(path, data, 0o644)
			res, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
			if err != nil {
				t.Fatalf("ImportRegister(context.Background(), %s) = %v", name, err)
			}
			e, err := s.RegisterEntry(1)
			if err != nil || res.Count != 1 || !strings.HasPrefix(e.Employer.Name, "ООО") {
				t.Errorf("ImportRegister(context.Background(), %s) read %d entries, name %q, %v", name, res.Count, e.Employer.Name, err)
			}
		})
	}
}

func TestImportRegister_DryRunWritesNothing(t *testing.T) {
	s := openStore(t)
	path := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(path, csvFile(goodRow(nil), goodRow(map[string]string{"inn": "500100732259"})), 0o644)
	res, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{DryRun: true})
	if err != nil || res.Count != 2 {
		t.Fatalf("dry run = %+v, %v", res, err)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("dry run wrote %d entries", n)
	}
}

// A file that is not there, or a folder given for a file, is named in
// Russian, not with the system's English error.
func TestImportRegister_NotAFile(t *testing.T) {
	s := openStore(t)
	dir := t.TempDir()
	for path, want := range map[string]string{
		filepath.Join(dir, "нет.csv"): "такого файла нет",
		dir:                           "это папка, а не файл",
	} {
		_, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
		if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), want) {
			t.Errorf("ImportRegister(context.Background(), %s) = %v, want %q", path, err, want)
		}
	}
}
