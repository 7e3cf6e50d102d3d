package report_test

import (
	"bytes"
	"context"
	"fmt"
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
		"ogrn": "1027700132195", "okved": "25.11", "sout_org_name": "ООО «Центр охраны труда»", "sout_org_reg_no": "1",
		"journal_no": "",
		"total_wp":   "20", "total_workers": "30", "total_women": "10", "assessed_wp": "10", "assessed_workers": "12",
		"assessed_women": "5",
		"c2_wp":          "7", "c2_workers": "8", "c2_women": "4", "c3_1_wp": "3", "c3_1_workers": "4", "c3_1_women": "1",
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
	res, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{DryRun: true})
	if err != nil || res.Count != 2 {
		t.Fatalf("dry run = %+v, %v", res, err)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("dry run wrote %d entries", n)
	}
}

// TestImportRegister_NotAFile: a file that is not there, or a folder given for a file, is named in
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
			t.Errorf("ImportRegister(%s) = %v, want %q", path, err, want)
		}
	}
}

// TestImport_OwnRegisterForm: sout's own register form XLSX imports back to the same data (OGRN and the
// journal link aside, which the form does not carry).
func TestImport_OwnRegisterForm(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	var b bytes.Buffer
	if err := report.WriteRegister(context.Background(), &b, s,
		store.Period{From: store.NewDate(2026, 1, 1), To: store.NewDate(2026, 12, 31)},
		report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t)
	res, err := importBytes(t, s2, "register.xlsx", b.Bytes(), report.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want, got bytes.Buffer
	report.ExportRegister(context.Background(), &want, s, store.Period{}, report.Format{})
	report.ExportRegister(context.Background(), &got, s2, store.Period{}, report.Format{})
	if got.String() != want.String() {
		t.Errorf("the register form read back differs:\n%s\nwant\n%s", got.String(), want.String())
	}
	if res.Count != 7 {
		t.Errorf("read %d entries, want 7", res.Count)
	}
}

// TestImport_Duplicates: importing the same file twice changes nothing and says why; with
// SkipDuplicates the rest loads and the skipped are listed.
func TestImport_Duplicates(t *testing.T) {
	s := openStore(t)
	first := csvFile(goodRow(nil), goodRow(map[string]string{"inn": "500100732259"}))
	if _, err := importBytes(t, s, "in.csv", first, report.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := importBytes(t, s, "in.csv", first, report.ImportOptions{})
	want := "строка 2: такая же запись (ИНН 7707083893, дата 15.03.2026, та же организация СОУТ и все показатели) уже " +
		"есть в базе: № 1 в реестре за 1-е полугодие 2026 г., внесена 15.03.2026"
	if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "ошибок: 2") {
		t.Fatalf("second import = %v\nwant %q", err, want)
	}
	res, err := importBytes(t, s, "in.csv", first, report.ImportOptions{SkipDuplicates: true})
	if err != nil || res.Count != 0 || res.Duplicates != 2 {
		t.Fatalf("second import skipping duplicates = %+v, %v; want 0 loaded, 2 skipped", res, err)
	}
	more := csvFile(
		goodRow(nil),
		goodRow(map[string]string{"total_wp": "21"}),
		goodRow(map[string]string{"total_wp": "21"}),
	)
	res, err = importBytes(t, s, "more.csv", more, report.ImportOptions{SkipDuplicates: true})
	if err != nil || res.Count != 1 || res.Duplicates != 2 ||
		!strings.Contains(strings.Join(res.Notes, "\n"), "строка 4: пропущена: такая же запись") {
		t.Fatalf("import skipping duplicates = %+v, %v", res, err)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 3 {
		t.Errorf("the register holds %d entries, want 3", n)
	}
}

// TestImport_JournalLink: a journal_no whose entry has another INN, or is annulled, is an error
// naming the line, the column and both INNs.
func TestImport_JournalLink(t *testing.T) {
	s := openStore(t)
	j, err := s.CreateJournalEntry(
		clerk,
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 1), EmployerName: "ООО «Ока»",
			EmployerINN: "500100732259", SoutOrgName: "ООО «Центр охраны труда»"},
	)
	if err != nil {
		t.Fatal(err)
	}
	_, err = importBytes(
		t,
		s,
		"in.csv",
		csvFile(goodRow(map[string]string{"journal_no": "1/2026"})),
		report.ImportOptions{},
	)
	want := "строка 2, столбец 9 (journal_no): Запись журнала 1/2026 — пакет другого работодателя: в журнале ИНН " +
		"500100732259, в записи реестра ИНН 7707083893, значение «1/2026»"
	if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), want) {
		t.Fatalf("import = %v\nwant %q", err, want)
	}
	if _, err := s.AnnulJournalEntry(clerk, j.ID, j.Version, "ошибка"); err != nil {
		t.Fatal(err)
	}
	_, err = importBytes(
		t,
		s,
		"in.csv",
		csvFile(goodRow(map[string]string{"journal_no": "1/2026", "inn": "500100732259"})),
		report.ImportOptions{},
	)
	if !strings.Contains(fmt.Sprint(err), "строка 2, столбец 9 (journal_no): Запись журнала 1/2026 аннулирована") {
		t.Fatalf("import = %v, want the annulled entry refused", err)
	}
}

// TestImport_DryRunLocks: the dry run runs every check of the real import, period locks included,
// and a lock refusal names the first line in the locked period.
func TestImport_DryRunLocks(t *testing.T) {
	s := openStore(t)
	head := store.Actor{Name: "olga", Role: store.RoleHead}
	if err := s.LockPeriod(head, store.HalfYear(2026, 1), "сдано"); err != nil {
		t.Fatal(err)
	}
	data := csvFile(goodRow(map[string]string{"entered_on": "2026-07-01"}), goodRow(nil))
	for _, dry := range []bool{true, false} {
		_, err := importBytes(t, s, "in.csv", data, report.ImportOptions{DryRun: dry})
		want := "ошибок: 1\nстрока 3, столбец 1 (entered_on): период 1-е полугодие 2026 г. заблокирован (olga"
		if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), want) {
			t.Errorf("import (dry run %v) = %v\nwant %q", dry, err, want)
		}
	}
}

// TestImport_WrongEncodings: encodings other than UTF-8 and Windows-1251 are refused, never loaded as
// garbage, naming what the file looks like.
func TestImport_WrongEncodings(t *testing.T) {
	plain := csvFile(
		goodRow(
			map[string]string{
				"employer_name":    "МБОУ Средняя школа имени Героя",
				"employer_address": "город Самара, улица Ленина",
				"sout_org_name":    "ООО Центр охраны труда",
			},
		),
	)
	enc := func(cm *charmap.Charmap) []byte {
		b, err := cm.NewEncoder().Bytes(plain)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range string(plain) {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{
		"KOI8-R":       enc(charmap.KOI8R),
		"CP866":        enc(charmap.CodePage866),
		"Mac Cyrillic": enc(charmap.MacintoshCyrillic),
		"UTF-16":       utf16,
	} {
		t.Run(name, func(t *testing.T) {
			s := openStore(t)
			path := filepath.Join(t.TempDir(), "in.csv")
			os.WriteFile(path, data, 0o644)
			_, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
			want := fmt.Sprintf(
				"Файл %s не в кодировке UTF-8 или Windows-1251 (похоже на %s): сохраните его как CSV UTF-8",
				path,
				name,
			)
			if store.ErrorCode(err) != store.CodeInvalid || err.Error() != want {
				t.Errorf("import = %v\nwant %s", err, want)
			}
		})
	}
}

// TestImport_ExcelFlavourRoundTrip: the --excel flavour imports back exactly: the «'» the export put before
// =, +, -, @ comes off.
func TestImport_ExcelFlavourRoundTrip(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	e := entry(store.NewDate(2026, 3, 3), "7707083893", "+7 (846) ООО «Волга»", "25.11", 10)
	e.Employer.Address = "-цех №2"
	e.SoutOrg.Name = "@Центр"
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	var x, want, got bytes.Buffer
	if err := report.ExportRegister(context.Background(), &x, s, store.Period{}, report.Format{Excel: true}); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t)
	if _, err := importBytes(t, s2, "excel.csv", x.Bytes(), report.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	report.ExportRegister(context.Background(), &want, s, store.Period{}, report.Format{})
	report.ExportRegister(context.Background(), &got, s2, store.Period{}, report.Format{})
	if noIDs(got.String()) != noIDs(want.String()) {
		t.Errorf("the --excel round trip changed the register:\n%s\nwant\n%s", got.String(), want.String())
	}
}

// TestImport_TempFolders: a killed XLSX import leaves its temp folder; the next import removes it,
// and leaves none of its own.
func TestImport_TempFolders(t *testing.T) {
	stale, err := os.MkdirTemp("", "sout-xlsx-999999999-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stale, "excelize-1"), make([]byte, 1000), 0o600)
	s := openStore(t)
	if _, err := importBytes(t, s, "book.xlsx", writeBook(t, formBook("Реестр", bookEntries(), blockOpts{})),
		report.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temp folder %s is still there (%v)", stale, err)
	}
	if own, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("sout-xlsx-%d-*", os.Getpid()))); len(own) > 0 {
		t.Errorf("the import left its temp folders %v", own)
	}
}

// noIDs drops the id column of a register export: ids follow the order of
// loading, the rest must not change.
func noIDs(export string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(export, "\n") {
		_, rest, _ := strings.Cut(l, ",")
		b.WriteString(rest)
	}
	return b.String()
}
