package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sout/report"
	"sout/store"
)

// TestFromExcelText_OnlyWhatExcelTextWrote: FromExcelText undoes exactly
// what ExcelText does and leaves every other value as it is, so that a «'»
// or a ="…" typed by a person survives an import.
func TestFromExcelText_OnlyWhatExcelTextWrote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`'=1+2`, `=1+2`},
		{`'-5`, `-5`},
		{"'\tx", "\tx"},
		{`="7707083893"`, `7707083893`},
		{`="01.11.1"`, `01.11.1`},
		{`'abc`, `'abc`},
		{`''=x`, `''=x`},
		{`'`, `'`},
		{`="abc"`, `="abc"`},
		{`="."`, `="."`},
		{`=""`, `=""`},
		{`ООО «Волга»`, `ООО «Волга»`},
	} {
		if got := report.FromExcelText(tt.in); got != tt.want {
			t.Errorf("FromExcelText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSummarize_OnlyThePeriod: Summarize counts only the entries dated in
// its period, whatever its source yields, and counts each once.
func TestSummarize_OnlyThePeriod(t *testing.T) {
	h1 := store.HalfYear(2026, 1)
	fig := func(id uint64, on store.Date, wp int) *store.Figures {
		f := &store.Figures{ID: id, EnteredOn: on, INN: "7707083893", OKVED: "25.11"}
		f.Grid[store.ColTotal][store.RowWorkplaces] = wp
		return f
	}
	in := []*store.Figures{fig(1, h1.From.AddDays(-1), 100), fig(2, h1.From, 10), fig(3, h1.To, 5),
		fig(4, h1.To.AddDays(1), 1000)}
	sum, err := report.Summarize(h1, func(fn func(*store.Figures) error) error {
		for _, f := range in {
			if err := fn(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Entries != 2 {
		t.Errorf("Entries = %d, want 2 (the period's ends, not the days either side)", sum.Entries)
	}
	if got := sum.Rows[1].Values[store.ColTotal]; sum.Rows[1].Code != "1.1" || got != 15 {
		t.Errorf("row %s, workplaces in all = %d, want row 1.1 and 15", sum.Rows[1].Code, got)
	}
}

// TestMerge_SummaryWithoutRegion: a Summary printed before the region was
// set has the line to fill in by hand as its subject; Merge refuses it.
func TestMerge_SummaryWithoutRegion(t *testing.T) {
	in := mergeInputs(t)
	bare := openStore(t)
	if _, err := bare.SaveRegisterEntry(clerk, entry(store.NewDate(2026, 2, 10), "7707083893", "ООО «Волга»",
		"25.11", 40)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	h1 := store.HalfYear(2026, 1)
	if _, err := report.WriteSummary(context.Background(), &b, bare, h1, report.Format{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bare.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want := path + ": в ведомости не указан субъект Российской Федерации " +
		"(строка «Субъект Российской Федерации: …»); свод сводов не делается"
	var out bytes.Buffer
	if err := report.Merge(&out, []string{in["samara.csv"], path}, report.Format{}); err == nil || err.Error() != want {
		t.Errorf("Merge = %v, want %q", err, want)
	}
}

// TestMerge_RowMissingOrMisnamed: a Summary that lacks one form row, or has
// a sub-row under a section's lettered name, is not taken as a Summary.
func TestMerge_RowMissingOrMisnamed(t *testing.T) {
	in := mergeInputs(t)
	data, err := os.ReadFile(in["samara.csv"])
	if err != nil {
		t.Fatal(err)
	}
	row := "4.2.3,из них инвалидов,"
	if !bytes.Contains(data, []byte("\n"+row)) {
		t.Fatalf("samara.csv has no line %q", row)
	}
	for name, changed := range map[string][]byte{
		"missing":  bytes.Replace(data, []byte("\n"+row), []byte("\nx"), 1),
		"misnamed": bytes.Replace(data, []byte("\n"+row), []byte("\n4.2.3,C. из них инвалидов,"), 1),
	} {
		path := filepath.Join(t.TempDir(), name+".csv")
		if err := os.WriteFile(path, changed, 0o644); err != nil {
			t.Fatal(err)
		}
		want := path + ": это не сводная ведомость sout — найдено строк формы 119 из 120"
		var out bytes.Buffer
		err := report.Merge(&out, []string{path, in["ulyanovsk-excel.csv"]}, report.Format{})
		if err == nil || err.Error() != want {
			t.Errorf("%s: Merge = %v, want %q", name, err, want)
		}
	}
}

// TestImport_ErrorListBounds: an import refused for many errors names the
// first 50, then how many more; a long value is cut at 60 bytes.
func TestImport_ErrorListBounds(t *testing.T) {
	s := openStore(t)
	var rows [][]string
	for i := 0; i < 50; i++ {
		rows = append(rows, goodRow(map[string]string{"inn": "7707083894", "total_wp": strconv.Itoa(20 + i)}))
	}
	long := strings.Repeat("x", 100)
	rows = append(rows, goodRow(map[string]string{"total_wp": long})) // one error more than shown
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, csvFile(rows...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
	if err == nil {
		t.Fatal("a file with 51 errors was loaded")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"Файл " + path + " не загружен (ничего не записано), ошибок: 51",
		"строка 2, столбец 4 (inn): ИНН 7707083894: неверное контрольное число, значение «7707083894»",
		"строка 51, столбец 4 (inn): ИНН 7707083894: неверное контрольное число, значение «7707083894»",
		"и ещё ошибок: 1"}
	if len(lines) != 52 || lines[0] != want[0] || lines[1] != want[1] || lines[50] != want[2] || lines[51] != want[3] {
		t.Fatalf("%d lines:\n%s\nwant 52: %q, the first and the 50th error, %q", len(lines), err, want[0], want[3])
	}

	rows = [][]string{goodRow(map[string]string{"total_wp": long})}
	if err := os.WriteFile(path, csvFile(rows...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
	if err == nil || !strings.HasSuffix(err.Error(), "значение «"+long[:60]+"…»") {
		t.Errorf("import of a 100-byte figure = %v, want the value cut at 60 bytes", err)
	}
}

// TestImportJournal_RegNoZero: a journal number must be positive; 0 is
// refused, naming the row, the column and the value.
func TestImportJournal_RegNoZero(t *testing.T) {
	s := openStore(t)
	path := filepath.Join(t.TempDir(), "journal.csv")
	data := strings.Join(report.JournalColumns, ",") + "\n0,2026-03-02,ООО «Волга»,7707083893,ООО «Центр»,,,,,,,\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "Файл " + path + " не загружен (ничего не записано), ошибок: 1\n" +
		"строка 2, столбец 1 (reg_no): нужно целое положительное число, значение «0»"
	if _, err := report.ImportJournal(context.Background(), s, clerk, path, report.ImportOptions{}); err == nil ||
		err.Error() != want {
		t.Errorf("ImportJournal = %v\nwant %q", err, want)
	}
}
