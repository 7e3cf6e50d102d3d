package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/report"
	"sout/store"
	"sout/store/demo/demotest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	clerk = store.Actor{Name: "anna", Role: store.RoleClerk}
	now   = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "sout.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// entry returns a valid register entry with workplaces wp split 70/30 between classes 2 and 3.1.
func entry(date store.Date, inn, name, okved string, wp int) store.RegisterEntry {
	e := store.RegisterEntry{EnteredOn: date,
		Employer: store.Employer{Name: name, Address: "443001, г. Самара, ул. Ленина, 1", INN: inn, OKVED: okved},
		SoutOrg:  store.SoutOrg{Name: "ООО «Центр охраны труда»", RegNo: "1"}}
	c2 := wp * 7 / 10
	set := func(col int, places int) {
		e.Grid[col] = [5]int{places, places * 2, places, 0, 0}
	}
	set(store.ColTotal, wp+5)
	set(store.ColAssessed, wp)
	set(store.ColClass2, c2)
	set(store.ColClass31, wp-c2)
	return e
}

// fill writes a small register and journal: two employers in section C, one
// employer in C and G, one in section T, and one dated outside 2026H1.
func fill(t testing.TB, s *store.Store) {
	t.Helper()
	if err := s.SaveSettings(store.Actor{Name: "root", Role: store.RoleAdmin},
		store.Settings{Region: "Самарская область", Inspectorate: "Государственная инспекция труда в Самарской области",
			Head: "Иванов И. И.", Compiler: "Петрова А. С.", Phone: "+7 846 000-00-00"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []store.RegisterEntry{
		entry(store.NewDate(2026, 1, 15), "7707083893", "ООО «Волга»", "25.11", 10),
		entry(store.NewDate(2026, 2, 1), "7707083893", "ООО «Волга»", "25.11", 20),
		entry(store.NewDate(2026, 3, 1), "500100732259", "ИП Петров П. П.", "10.71", 10),
		entry(store.NewDate(2026, 4, 1), "7736050003", "=HYPERLINK(\"http://x\",\"ПАО «Газ»\")", "47.11", 30),
		entry(store.NewDate(2026, 5, 1), "7736050003", "=HYPERLINK(\"http://x\",\"ПАО «Газ»\")", "20.14", 10),
		entry(store.NewDate(2026, 6, 30), "7830002293", "Домохозяйство", "97.00", 3),
		entry(store.NewDate(2026, 7, 1), "7707083893", "ООО «Волга»", "25.11", 50),
	} {
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatal(err)
		}
	}
	j := store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Центр охраны труда»", SoutOrgRegNo: "1", LetterDate: store.NewDate(2026, 2, 28), LetterNo: "15/2",
		Notes: "+7 позвонить"}
	if _, err := s.CreateJournalEntry(clerk, j); err != nil {
		t.Fatal(err)
	}
	j.ReceivedOn, j.Notes = store.NewDate(2026, 3, 5), ""
	e, err := s.CreateJournalEntry(clerk, j)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := returnBack(s, e.ID, e.Version, "нет карт СОУТ", store.NewDate(2026, 4, 5)); err != nil {
		t.Fatal(err)
	}
	// A history in «Примечания»: returned with a long reason, then received again.
	j.ReceivedOn, j.Notes = store.NewDate(2026, 3, 10), "повторно — курьером"
	if e, err = s.CreateJournalEntry(clerk, j); err != nil {
		t.Fatal(err)
	}
	long := "неполный пакет: нет отчёта о проведении специальной оценки, нет карт СОУТ рабочих мест 3–7 и перечня " +
		"мероприятий"
	if e, err = returnBack(s, e.ID, e.Version, long, store.NewDate(2026, 12, 20)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResubmitJournalEntry(clerk, e.ID, e.Version, 0); err != nil {
		t.Fatal(err)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestSummarize(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	sum, err := report.BuildSummary(context.Background(), s, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Rows) != 120 {
		t.Fatalf("rows = %d, want 120", len(sum.Rows))
	}
	row := func(code string) report.SummaryRow {
		for _, r := range sum.Rows {
			if r.Code == code {
				return r
			}
		}
		t.Fatalf("no row %s", code)
		return report.SummaryRow{}
	}
	tests := []struct {
		code      string
		employers int
		col, want int
	}{
		{"1", 3, -1, 0}, // distinct INNs in C and G, T left out
		{"4", 3, -1, 0}, // section C: Волга, Петров, Газ (20.14)
		{"8", 1, -1, 0}, // section G: Газ (47.11)
		{"1.1", 0, store.ColAssessed, 80},
		{"4.1", 0, store.ColAssessed, 50},
		{"8.1", 0, store.ColAssessed, 30},
		{"1.2", 0, store.ColAssessed, 160},
		{"1.2.1", 0, store.ColClass2, 56},
		{"1.1", 0, store.ColTotal, 105},
	}
	for _, tt := range tests {
		r := row(tt.code)
		if tt.col < 0 && r.Employers != tt.employers {
			t.Errorf("row %s employers = %d, want %d", tt.code, r.Employers, tt.employers)
		}
		if tt.col >= 0 && r.Values[tt.col] != tt.want {
			t.Errorf("row %s column %s = %d, want %d", tt.code, store.ColNames[tt.col], r.Values[tt.col], tt.want)
		}
	}
	checkSummaryWarnings(t, s, sum)
}

// checkSummaryWarnings asserts the two warnings of fill's half-year: the
// employer counted in two sections, with its INN as the ref, and the entry of
// section T left out, with that entry's ID as the ref.
func checkSummaryWarnings(t *testing.T, s *store.Store, sum *report.Summary) {
	t.Helper()
	leftOut := "Запись № 6 реестра за период (внесена 30.06.2026, ИНН 7830002293, Домохозяйство, " +
		"ОКВЭД «97.00») не вошла в сводную: раздел T, для которого в форме нет строки"
	var tID uint64
	err := s.EachRegister(context.Background(), sum.Period, func(r *store.RegisterRecord) error {
		if r.Employer.INN == "7830002293" {
			tID = r.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]report.WarningRef{
		"ИНН 7736050003 учтён в разделах C, G": {INN: "7736050003"},
		leftOut: {RegisterID: tID},
	}
	for part, ref := range want {
		found := false
		for _, w := range sum.Warnings {
			if strings.Contains(w.Text, part) {
				found = true
				if w.Ref != ref {
					t.Errorf("warning %q is about %+v, want %+v", w.Text, w.Ref, ref)
				}
			}
		}
		if !found {
			t.Errorf("warnings %q lack %q", sum.WarningTexts(), part)
		}
	}
}

func TestForms_CSVGolden(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	year, _ := store.ParsePeriod("2026")
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"summary-2026H1.csv", func(b *bytes.Buffer) error {
			_, err := report.WriteSummary(context.Background(), b, s, p, report.Format{})
			return err
		}},
		{"summary-2026H1-excel.csv", func(b *bytes.Buffer) error {
			_, err := report.WriteSummary(context.Background(), b, s, p, report.Format{Excel: true})
			return err
		}},
		{"register-2026H1.csv", func(b *bytes.Buffer) error {
			return report.WriteRegister(context.Background(), b, s, p, report.Format{})
		}},
		{"journal-2026.csv", func(b *bytes.Buffer) error {
			return report.WriteJournal(context.Background(), b, s, year, report.Format{})
		}},
		{"export-register-2026.csv", func(b *bytes.Buffer) error {
			return report.ExportRegister(context.Background(), b, s, year, report.Format{})
		}},
		{"export-journal-2026.csv", func(b *bytes.Buffer) error {
			return report.ExportJournal(context.Background(), b, s, year, report.Format{})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestForms_SummaryCSVShape(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	var b bytes.Buffer
	if _, err := report.WriteSummary(context.Background(), &b, s, p, report.Format{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "\r\n") || strings.Count(b.String(), "\n") != strings.Count(b.String(), "\r\n") {
		t.Errorf("summary CSV lines do not all end in CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	// The header, 120 rows, the footnote and the header block (subject, inspectorate, period).
	if len(lines) != 125 {
		t.Fatalf("summary CSV has %d lines, want a header, 120 rows, the footnote and three header lines", len(lines))
	}
	tail := []string{"<*> Не заполняется.", "Субъект Российской Федерации: Самарская область",
		"Государственная инспекция труда в Самарской области", "Отчётный период: 1-е полугодие 2026 г."}
	for i, want := range tail {
		if got := strings.TrimRight(lines[121+i], ","); got != want {
			t.Errorf("line %d = %q, want %q", 122+i, got, want)
		}
	}
	var codes []string
	for _, l := range lines[1:8] {
		codes = append(codes, strings.SplitN(l, ",", 2)[0])
	}
	if got := strings.Join(codes, " "); got != "1 1.1 1.2 1.2.1 1.2.2 1.2.3 2" {
		t.Errorf("first codes = %s", got)
	}
	if last := strings.SplitN(lines[120], ",", 2)[0]; last != "20.2.3" {
		t.Errorf("last code = %s, want 20.2.3", last)
	}
}

func TestForms_FormulaInjection(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	hostile := "=HYPERLINK(\"http://x\",\"ПАО «Газ»\")"
	var form, data, excel bytes.Buffer
	if err := report.WriteRegister(context.Background(), &form, s, p, report.Format{}); err != nil {
		t.Fatal(err)
	}
	if err := report.ExportRegister(context.Background(), &data, s, p, report.Format{}); err != nil {
		t.Fatal(err)
	}
	if err := report.ExportRegister(context.Background(), &excel, s, p, report.Format{Excel: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(form.String(), `"'=HYPERLINK(""http://x""`) {
		t.Errorf("form CSV does not neutralise the formula:\n%s", form.String())
	}
	if !strings.Contains(data.String(), `"=HYPERLINK(""http://x"",""ПАО «Газ»"")"`) {
		t.Errorf("data CSV changed the value:\n%s", data.String())
	}
	if !strings.Contains(excel.String(), `'=HYPERLINK(`) || !strings.HasPrefix(excel.String(), "\ufeff") {
		t.Errorf("Excel CSV flavour is not neutralised or lacks the BOM")
	}
	x := readXLSX(t, func(b *bytes.Buffer) error {
		return report.WriteRegister(context.Background(), b, s, p, report.Format{XLSX: true})
	})
	found := false
	for _, row := range x.rows {
		for _, c := range row {
			if strings.HasPrefix(c, hostile) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the XLSX register does not hold the name as text %q", hostile)
	}
	if len(x.formulas) != 0 {
		t.Errorf("the XLSX register has formulas: %v", x.formulas)
	}
}

// mergeInputs writes the Summaries that TestMerge adds up: Самарская область
// (fill) and Ульяновская область, for 2026H1, as XLSX, CSV and --excel CSV,
// and Ульяновская for 2026H2; it returns their paths by name.
func mergeInputs(t *testing.T) map[string]string {
	t.Helper()
	sam := openStore(t)
	fill(t, sam)
	ul := openStore(t)
	if err := ul.SaveSettings(store.Actor{Name: "root", Role: store.RoleAdmin},
		store.Settings{Region: "Ульяновская область",
			Inspectorate: "Государственная инспекция труда в Ульяновской области"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []store.RegisterEntry{
		entry(store.NewDate(2026, 2, 10), "7707083893", "ООО «Волга»", "25.11", 40),
		entry(store.NewDate(2026, 3, 10), "7325000013", "АО «Авиастар»", "30.30", 100),
		entry(store.NewDate(2026, 9, 1), "7325000013", "АО «Авиастар»", "30.30", 7),
	} {
		if _, err := ul.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatal(err)
		}
	}
	h1, _ := store.ParsePeriod("2026H1")
	h2, _ := store.ParsePeriod("2026H2")
	dir := t.TempDir()
	paths := map[string]string{}
	for _, in := range []struct {
		name string
		s    *store.Store
		p    store.Period
		f    report.Format
	}{
		{"samara.xlsx", sam, h1, report.Format{XLSX: true}},
		{"samara.csv", sam, h1, report.Format{}},
		{"ulyanovsk-excel.csv", ul, h1, report.Format{Excel: true}},
		{"ulyanovsk-2026H2.csv", ul, h2, report.Format{}},
	} {
		var b bytes.Buffer
		if _, err := report.WriteSummary(context.Background(), &b, in.s, in.p, in.f); err != nil {
			t.Fatal(err)
		}
		paths[in.name] = filepath.Join(dir, in.name)
		if err := os.WriteFile(paths[in.name], b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestMerge adds up sout's own Summaries, XLSX and --excel CSV, into the
// federal roll-up, written as CSV and XLSX and compared with golden files.
func TestMerge(t *testing.T) {
	in := mergeInputs(t)
	files := []string{in["samara.xlsx"], in["ulyanovsk-excel.csv"]}
	var c, x bytes.Buffer
	if err := report.Merge(&c, files, report.Format{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "merge-2026H1.csv", c.Bytes())
	if err := report.Merge(&x, files, report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "merge-2026H1.xlsx.txt", []byte(xlsxDump(t, x.Bytes())))
	// Row 1.1, column 5: 80 in Самарская, 140 in Ульяновская.
	for _, line := range strings.Split(c.String(), "\r\n") {
		if strings.HasPrefix(line, "1.1,") && strings.Split(line, ",")[4] != "220" {
			t.Errorf("row 1.1 of the roll-up = %s, want 220 workplaces assessed", line)
		}
	}
	// The plain CSV of the same Summary merges to the same figures as its XLSX.
	var c2 bytes.Buffer
	if err := report.Merge(&c2, []string{in["samara.csv"], in["ulyanovsk-excel.csv"]}, report.Format{}); err != nil {
		t.Fatal(err)
	}
	if body := func(s string) string {
		return s[:strings.Index(s,
			"<*> Не заполняется.")]
	}; body(c2.String()) != body(c.String()) {
		t.Errorf("merging the CSV gives other figures than merging the XLSX:\n%s", c2.String())
	}
}

// TestMerge_Refused: a file given twice, a subject given twice, periods that
// differ, and a file that is no Summary are refused with the files named.
func TestMerge_Refused(t *testing.T) {
	in := mergeInputs(t)
	other := filepath.Join(t.TempDir(), "other.csv")
	os.WriteFile(other, []byte("a,b\r\n1,2\r\n"), 0o644)
	var rf bytes.Buffer
	if err := report.Merge(&rf, []string{in["samara.xlsx"], in["ulyanovsk-excel.csv"]},
		report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	rollup := filepath.Join(t.TempDir(), "rf.xlsx")
	os.WriteFile(rollup, rf.Bytes(), 0o644)
	for _, tt := range []struct {
		name  string
		files []string
		want  string
	}{
		{"same file", []string{in["samara.xlsx"], in["ulyanovsk-excel.csv"], in["samara.xlsx"]},
			"Файл samara.xlsx указан " +
				"дважды (" + in["samara.xlsx"] + " и " + in["samara.xlsx"] + "): каждый субъект входит в свод один раз"},
		{"same subject", []string{in["samara.xlsx"], in["samara.csv"]},
			"Субъект «Самарская область» дважды: в файлах " + in["samara.xlsx"] + " и " + in["samara.csv"]},
		{"periods", []string{in["samara.xlsx"], in["ulyanovsk-2026H2.csv"]},
			"Файлы разных периодов: " + in["samara.xlsx"] + " — «1-е полугодие 2026 г.», " + in["ulyanovsk-2026H2.csv"] +
				" — «2-е полугодие 2026 г.»; сводятся ведомости одного периода"},
		{"a roll-up", []string{rollup, in["samara.csv"]}, rollup + ": в ведомости не указан субъект Российской Федерации " +
			"(строка «Субъект Российской Федерации: …»); свод сводов не делается"},
		{"not a summary", []string{in["samara.xlsx"], other},
			other + ": это не сводная ведомость sout — найдено строк формы 0 из 120"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := report.Merge(&b, tt.files, report.Format{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("Merge(%v) = %v, want %q", tt.files, err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("Merge wrote %d bytes though it failed", b.Len())
			}
		})
	}
}

// TestExcelText: codes a Russian-locale spreadsheet would turn into numbers
// or dates are written as ="…", formula-like text gets «'», dates and other
// text stay as they are, and FromExcelText gives back every value.
func TestExcelText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1.2.1", `="1.2.1"`},
		{"0274062111", `="0274062111"`},
		{"500100732259", `="500100732259"`},
		{"1027700132195", `="1027700132195"`},
		{"01.11.1", `="01.11.1"`},
		{"3/2026", `="3/2026"`},
		{"15/2", `="15/2"`},
		{"15.01.2026", "15.01.2026"},
		{"2026-01-15", "2026-01-15"},
		{"=HYPERLINK(1)", "'=HYPERLINK(1)"},
		{"-1", "'-1"},
		{"ООО «Волга»", "ООО «Волга»"},
		{"", ""},
	} {
		got := report.ExcelText(tt.in)
		if got != tt.want {
			t.Errorf("ExcelText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := report.FromExcelText(got); back != tt.in {
			t.Errorf("FromExcelText(%q) = %q, want %q", got, back, tt.in)
		}
	}
}

// TestWrappedLines: text breaks between words at the column's width, on its own line breaks, and inside a word too long
// for a line.
func TestWrappedLines(t *testing.T) {
	for _, tt := range []struct {
		text  string
		width float64
		want  int
	}{
		{"ООО «Волга»", 40, 1},
		{"ООО «Волга»\n443001, г. Самара, ул. Ленина, 1", 40, 2},
		{strings.Repeat("слово ", 20), 40, 3}, // 119 characters, 49 a line
		{strings.Repeat("ж", 30), 10, 3},      // 11 a line
		{"", 10, 1},
	} {
		if got := report.WrappedLines(tt.text, tt.width); got != tt.want {
			t.Errorf("WrappedLines(%q, %g) = %d, want %d", tt.text, tt.width, got, tt.want)
		}
	}
}

// returnBack returns entry id as on the day of its deadline, the clock set
// back to it (ReturnJournalEntry refuses a deadline before the day of the
// return), so that by now the return may be overdue.
func returnBack(s *store.Store, id, version uint64, reason string, deadline store.Date) (store.JournalEntry, error) {
	return demotest.ReturnBack(s, &now, clerk, id, version, reason, deadline)
}
