package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sout/report"
	"sout/store"
)

// xlsxDoc is an XLSX read back: the first sheet's rows, merges, formulas
// (cell → formula) and the raw sheet XML.
type xlsxDoc struct {
	sheets   []string
	rows     [][]string
	merges   []string
	formulas map[string]string
	xml      string
}

func readXLSX(t *testing.T, write func(*bytes.Buffer) error) xlsxDoc {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xlsxDoc{sheets: f.GetSheetList(), formulas: map[string]string{}}
	sheet := d.sheets[0]
	if d.rows, err = f.GetRows(sheet); err != nil {
		t.Fatal(err)
	}
	mcs, _ := f.GetMergeCells(sheet)
	for _, m := range mcs {
		d.merges = append(d.merges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	for r := range d.rows {
		for c := range d.rows[r] {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
				d.formulas[cell] = fm
			}
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := zf.Open()
			raw, _ := io.ReadAll(rc)
			rc.Close()
			d.xml = string(raw)
		}
	}
	return d
}

func TestSummaryXLSX(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	d := readXLSX(t, func(b *bytes.Buffer) error {
		_, err := report.WriteSummary(context.Background(), b, s, p, report.Format{XLSX: true})
		return err
	})
	// Title, header, headings with merges, the numbers row.
	if !strings.HasPrefix(d.rows[0][0], "Сводная ведомость результатов") {
		t.Errorf("title = %q", d.rows[0][0])
	}
	if !strings.Contains(strings.Join(d.merges, " "), "F6:L6") {
		t.Errorf("merges %v lack the heading over the classes F6:L6", d.merges)
	}
	// Row 1.1 is a SUM over rows 2.1 … 20.1 and stores its value.
	var r11 int
	for i, row := range d.rows {
		if len(row) > 0 && row[0] == "1.1" {
			r11 = i + 1
		}
	}
	if r11 == 0 {
		t.Fatal("no row 1.1")
	}
	cell := "E" + strconv.Itoa(r11)
	if fm := d.formulas[cell]; !strings.HasPrefix(fm, "SUM(E"+strconv.Itoa(r11+6)+",") {
		t.Errorf("formula of %s = %q, want a SUM over the section rows", cell, fm)
	}
	if got := d.rows[r11-1][4]; got != "80" {
		t.Errorf("cached value of %s = %q, want 80", cell, got)
	}
	// Every formula cell stores a value.
	cells := regexp.MustCompile(`<c [^>]*>(.*?)</c>`).FindAllStringSubmatch(d.xml, -1)
	n := 0
	for _, c := range cells {
		if strings.Contains(c[1], "<f>") {
			n++
			if !strings.Contains(c[1], "<v>") {
				t.Errorf("formula cell without a stored value: %s", c[0])
			}
		}
	}
	if n != 45 {
		t.Errorf("formula cells = %d, want 45 (rows 1.1 … 1.2.3 × 9 columns)", n)
	}
	if !strings.Contains(d.xml, `orientation="landscape"`) || !strings.Contains(d.xml, `fitToWidth="1"`) {
		t.Errorf("page setup is not landscape fitted to the width")
	}
}

func TestRegisterXLSX_Sheets(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	restore := report.SetMaxSheetRows(20)
	defer restore()
	year, _ := store.ParsePeriod("2026")
	d := readXLSX(t, func(b *bytes.Buffer) error {
		return report.WriteRegister(context.Background(), b, s, year, report.Format{XLSX: true})
	})
	if len(d.sheets) < 3 {
		t.Fatalf("sheets = %v, want the register continued on further sheets", d.sheets)
	}
	if d.sheets[1] != "Реестр (2)" {
		t.Errorf("second sheet = %q", d.sheets[1])
	}
}

// TestSummaryXLSX_LibreOffice opens the Summary in LibreOffice, which
// recomputes the formulas, and compares the values with our CSV.
func TestSummaryXLSX_LibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-calc-nogui); skipping the LibreOffice check")
	}
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	dir := t.TempDir()
	var x, c bytes.Buffer
	if _, err := report.WriteSummary(context.Background(), &x, s, p, report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := report.WriteSummary(context.Background(), &c, s, p, report.Format{}); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "s.xlsx")
	os.WriteFile(in, x.Bytes(), 0o644)
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+dir+"/lo", "--convert-to",
		"csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	lo, err := os.ReadFile(filepath.Join(dir, "s.csv"))
	if err != nil {
		t.Fatal(err)
	}
	byCode := func(b []byte) map[string][]string {
		m := map[string][]string{}
		recs, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
		for _, r := range recs {
			if len(r) > 3 {
				m[r[0]] = r
			}
		}
		return m
	}
	want, got := byCode(c.Bytes()), byCode(lo)
	for _, code := range []string{"1.1", "1.2", "1.2.1", "1.2.2", "1.2.3", "4.1", "8.2"} {
		for col := 3; col < 12; col++ {
			if got[code] == nil || got[code][col] != want[code][col] {
				t.Errorf("row %s column %d: LibreOffice %v, ours %v", code, col+1, got[code], want[code][col])
				break
			}
		}
	}
}

func TestImport_RoundTrip(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	for _, f := range []report.Format{{}, {XLSX: true}} {
		var j, r bytes.Buffer
		if err := report.ExportJournal(context.Background(), &j, s, store.Period{}, f); err != nil {
			t.Fatal(err)
		}
		if err := report.ExportRegister(context.Background(), &r, s, store.Period{}, f); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		jp, rp := filepath.Join(dir, "j"), filepath.Join(dir, "r")
		os.WriteFile(jp, j.Bytes(), 0o644)
		os.WriteFile(rp, r.Bytes(), 0o644)
		s2 := openStore(t)
		if _, err := report.ImportJournal(context.Background(), s2, clerk, jp, report.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		res, err := report.ImportRegister(context.Background(), s2, clerk, rp, report.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != 7 {
			t.Errorf("imported %d entries, want 7", res.Count)
		}
		var r2 bytes.Buffer
		report.ExportRegister(context.Background(), &r2, s2, store.Period{}, report.Format{})
		var r1 bytes.Buffer
		report.ExportRegister(context.Background(), &r1, s, store.Period{}, report.Format{})
		if r1.String() != r2.String() {
			t.Errorf("round trip (xlsx=%v) changed the register:\n%s\nvs\n%s", f.XLSX, r1.String(), r2.String())
		}
	}
}

func TestImport_FormLayout(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	year, _ := store.ParsePeriod("2026")
	var b bytes.Buffer
	if err := report.WriteRegister(context.Background(), &b, s, year, report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.xlsx")
	os.WriteFile(path, b.Bytes(), 0o644)
	s2 := openStore(t)
	res, err := report.ImportRegister(context.Background(), s2, clerk, path, report.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 7 {
		t.Fatalf("read %d entries from the form layout, want 7", res.Count)
	}
	card, err := s2.FindByINN("7707083893")
	if err != nil || card.Register[0].Employer.Address != "443001, г. Самара, ул. Ленина, 1" ||
		card.Register[0].Grid[store.ColAssessed][store.RowWorkers] != 20 {
		t.Errorf("entry read back = %+v, %v", card.Register, err)
	}
}

// TestJournalXLSX_RowHeights: a journal row whose note wraps is made tall enough for it (a streamed sheet
// gets no automatic heights: the note ran over the rows below), a short one
// keeps the default.
func TestJournalXLSX_RowHeights(t *testing.T) {
	s := openStore(t)
	mk := func(notes string) {
		if _, err := s.CreateJournalEntry(clerk,
			store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 10), EmployerName: "ООО «Волга»",
				EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»", Notes: notes}); err != nil {
			t.Fatal(err)
		}
	}
	mk("")
	mk(strings.Repeat("карты СОУТ представлены не на все рабочие места; ", 4))
	var b bytes.Buffer
	if err := report.WriteJournal(context.Background(), &b, s,
		store.Period{From: store.NewDate(2026, 1, 1), To: store.NewDate(2026, 12, 31)},
		report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	heights := map[string]float64{}
	for r, row := range rows {
		if len(row) > 0 && strings.HasSuffix(row[0], "/2026") {
			h, _ := f.GetRowHeight(sheet, r+1)
			heights[row[0]] = h
		}
	}
	if len(heights) != 2 || heights["2/2026"] < 3*heights["1/2026"] {
		t.Errorf("row heights %v: the long note's row must be several lines tall", heights)
	}
}

// xlsxDump writes an XLSX as text for a golden file: every sheet with its
// used range (dimension), merges and manual page breaks, then every row with
// its height and cells («{=…}» after a formula's stored value).
func xlsxDump(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]string{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		raw[zf.Name] = string(data)
	}
	var out strings.Builder
	for i, sheet := range f.GetSheetList() {
		x := raw["xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml"]
		dim := regexp.MustCompile(`<dimension ref="([^"]*)"`).FindStringSubmatch(x)
		var breaks []string
		for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllStringSubmatch(x, -1) {
			breaks = append(breaks, m[1])
		}
		mcs, _ := f.GetMergeCells(sheet)
		var merges []string
		for _, m := range mcs {
			merges = append(merges, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		fmt.Fprintf(&out, "== %s dimension=%v\nmerges: %s\nbreaks after rows: %s\n", sheet, dim[1:],
			strings.Join(merges, " "), strings.Join(breaks, " "))
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			h, _ := f.GetRowHeight(sheet, r+1)
			cells := make([]string, len(row))
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					v += "{=" + fm + "}"
				}
				cells[c] = strings.ReplaceAll(v, "\n", `\n`)
			}
			fmt.Fprintf(&out, "%d [%g] %s\n", r+1, h, strings.Join(cells, " | "))
		}
	}
	return out.String()
}

// TestForms_XLSXGolden compares every XLSX form, read back, with its golden dump.
func TestForms_XLSXGolden(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	year, _ := store.ParsePeriod("2026")
	x := report.Format{XLSX: true}
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"summary-2026H1.xlsx.txt", func(b *bytes.Buffer) error {
			_, err := report.WriteSummary(context.Background(), b, s, p, x)
			return err
		}},
		{"register-2026H1.xlsx.txt", func(b *bytes.Buffer) error {
			return report.WriteRegister(context.Background(), b, s,
				p, x)
		}},
		{"journal-2026.xlsx.txt", func(b *bytes.Buffer) error {
			return report.WriteJournal(context.Background(), b, s,
				year, x)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, []byte(xlsxDump(t, b.Bytes())))
		})
	}
}

// TestRegisterXLSX_PageBreaks: a register of many pages breaks only between
// employers' blocks (the row after every break starts one: it has its № and
// the mark <1*>), every sheet's dimension is the range it uses, and the
// blocks' left columns close with a bottom border before every break.
func TestRegisterXLSX_PageBreaks(t *testing.T) {
	s := openStore(t)
	for i := 0; i < 40; i++ {
		e := entry(store.NewDate(2026, 1, 1+i%28), "7707083893", "ООО «Волга» "+strings.Repeat("и партнёры ", i%7),
			"25.11", 10+i)
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatal(err)
		}
	}
	restore := report.SetMaxSheetRows(120)
	defer restore()
	p, _ := store.ParsePeriod("2026H1")
	var b bytes.Buffer
	if err := report.WriteRegister(context.Background(), &b, s, p, report.Format{XLSX: true}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	breaks := 0
	for i, sheet := range f.GetSheetList() {
		var x string
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml" {
				rc, _ := zf.Open()
				raw, _ := io.ReadAll(rc)
				rc.Close()
				x = string(raw)
			}
		}
		rows, _ := f.GetRows(sheet)
		if want := "A1:P" + strconv.Itoa(len(rows)); !strings.Contains(x, `<dimension ref="`+want+`"`) {
			t.Errorf("sheet %s: dimension is not %s", sheet, want)
		}
		for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllStringSubmatch(x, -1) {
			breaks++
			after, _ := strconv.Atoi(m[1]) // the break falls after this row
			if next := rows[after]; len(next) < 7 || next[0] == "" || next[6] != "<1*>" {
				t.Errorf("sheet %s: the page after row %d begins with %q, not with an employer's first row", sheet, after, next)
			}
			if rows[after-1][6] != "<5*>" {
				t.Errorf("sheet %s: the page before row %d ends inside a block: %q", sheet, after+1, rows[after-1])
			}
			cell := "A" + strconv.Itoa(after)
			st, _ := f.GetCellStyle(sheet, cell)
			style, _ := f.GetStyle(st)
			bottom := false
			for _, bd := range style.Border {
				bottom = bottom || bd.Type == "bottom"
			}
			if !bottom {
				t.Errorf("sheet %s: %s, the last row before a break, has no bottom border", sheet, cell)
			}
		}
	}
	if breaks < 4 {
		t.Errorf("%d page breaks in 40 entries, want one every few entries", breaks)
	}
}

// TestExcelCSV_RussianLibreOffice opens the --excel CSVs as a Russian office
// does (LibreOffice, language ru-RU) and checks that row codes, INNs, OGRNs,
// OKVED codes and journal numbers come out as the text that was written, not
// as dates or numbers.
func TestExcelCSV_RussianLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed; skipping the ru-RU spreadsheet check")
	}
	s := openStore(t)
	fill(t, s)
	p, _ := store.ParsePeriod("2026H1")
	year, _ := store.ParsePeriod("2026")
	dir := t.TempDir()
	excel := report.Format{Excel: true}
	writes := map[string]func(*bytes.Buffer) error{
		"summary": func(b *bytes.Buffer) error {
			_, err := report.WriteSummary(context.Background(), b, s, p, excel)
			return err
		},
		"register": func(b *bytes.Buffer) error { return report.WriteRegister(context.Background(), b, s, p, excel) },
		"journal":  func(b *bytes.Buffer) error { return report.ExportJournal(context.Background(), b, s, year, excel) },
		"data":     func(b *bytes.Buffer) error { return report.ExportRegister(context.Background(), b, s, year, excel) },
	}
	args := []string{"--headless", "-env:UserInstallation=file://" + dir + "/lo", "--infilter=CSV:59,34,76,1,,1049",
		"--convert-to", "xlsx", "--outdir", dir}
	for name, write := range writes {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".csv")
		os.WriteFile(path, b.Bytes(), 0o644)
		args = append(args, path)
	}
	if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, tt := range []struct{ file, cell, want string }{
		{"summary", "A5", "1.2.1"}, {"summary", "A6", "1.2.2"}, {"summary", "A121", "20.2.3"},
		{"register", "D12", "500100732259"}, {"register", "E2", "25.11"},
		{"journal", "D2", "7707083893"}, {"journal", "H2", "15/2"},
		{"data", "E2", "7707083893"}, {"data", "G4", "10.71"}, {"data", "E4", "500100732259"},
	} {
		f, err := excelize.OpenFile(filepath.Join(dir, tt.file+".xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.GetCellValue(f.GetSheetList()[0], tt.cell, excelize.Options{RawCellValue: true})
		f.Close()
		if got != tt.want {
			t.Errorf("%s.csv in ru-RU LibreOffice: %s = %q, want the text %q", tt.file, tt.cell, got, tt.want)
		}
	}
}
