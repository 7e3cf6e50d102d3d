package report_test

import (
	"bytes"
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

func TestImportRegister_BadInput(t *testing.T) {
	wide := strings.Repeat("x,", 100000) + "x\n"
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "пуст"},
		{"binary", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00"), make([]byte, 100)...), "двоичные данные"},
		{"nul inside", append(csvFile(goodRow(nil)), []byte("2026-03-15,ООО\x00,x\n")...), "NUL"},
		{"long line", append(csvFile(goodRow(nil)), bytes.Repeat([]byte("a"), 50<<20)...), "длиннее 1 МиБ"},
		{"invalid utf-8", append([]byte("\ufeff"), csvFile(goodRow(map[string]string{"employer_name": "ООО \xff\xfe"}))...), "UTF-8"},
		{"100000 columns", []byte(wide), "столбцов"},
		{"inn check digit", csvFile(goodRow(map[string]string{"inn": "7707083894"})), "строка 2, столбец 4 (inn): ИНН 7707083894: неверное контрольное число"},
		{"okved class", csvFile(goodRow(map[string]string{"okved": "40.10"})), "старого ОКВЭД"},
		{"class sum", csvFile(goodRow(map[string]string{"c2_workers": "7"})), "Сумма классов по работникам 11 ≠ 12 в графе СОУТ"},
		{"women above workers", csvFile(goodRow(map[string]string{"total_women": "31"})), "Женщин (31) больше, чем работников (30)"},
		{"negative", csvFile(goodRow(map[string]string{"total_wp": "-1"})), "столбец 10 (total_wp): нужно целое число не меньше 0, значение «-1»"},
		{"non-numeric", csvFile(goodRow(map[string]string{"total_wp": "двадцать"})), "значение «двадцать»"},
		{"31 February", csvFile(goodRow(map[string]string{"entered_on": "31.02.2026"})), "дата «31.02.2026» не существует"},
		{"future", csvFile(goodRow(map[string]string{"entered_on": "2027-01-01"})), "ещё не наступила"},
		{"missing column", []byte("entered_on,inn\n2026-01-01,7707083893\n"), "нет столбцов: employer_name"},
		{"unknown column", []byte(strings.Join(append(append([]string{}, report.RegisterColumns...), "colour"), ",") + "\n"), "неизвестные столбцы: «colour»"},
		{"header only", csvFile(), "нет ни одной строки данных"},
		{"zip bomb", zipBomb(t), "XLSX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := report.ImportRegister(s, clerk, path, report.ImportOptions{})
			if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ImportRegister(%s) = %v, want an invalid-input error containing %q", tt.name, err, tt.want)
			}
			if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
				t.Errorf("a bad file wrote %d entries", n)
			}
		})
	}
}

// zipBomb is a zip named like an XLSX whose one member inflates to 2 GiB.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("PK\x03\x04")
	b.Write(make([]byte, 200))
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
			res, err := report.ImportRegister(s, clerk, path, report.ImportOptions{})
			if err != nil {
				t.Fatalf("ImportRegister(%s) = %v", name, err)
			}
			e, err := s.RegisterEntry(1)
			if err != nil || res.Count != 1 || !strings.HasPrefix(e.Employer.Name, "ООО") {
				t.Errorf("ImportRegister(%s) read %d entries, name %q, %v", name, res.Count, e.Employer.Name, err)
			}
		})
	}
}

func TestImportRegister_DryRunWritesNothing(t *testing.T) {
	s := openStore(t)
	path := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(path, csvFile(goodRow(nil), goodRow(map[string]string{"inn": "500100732259"})), 0o644)
	res, err := report.ImportRegister(s, clerk, path, report.ImportOptions{DryRun: true})
	if err != nil || res.Count != 2 {
		t.Fatalf("dry run = %+v, %v", res, err)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("dry run wrote %d entries", n)
	}
}
