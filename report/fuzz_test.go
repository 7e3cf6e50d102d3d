package report_test

// Fuzzers of the import of outside files (CSV and XLSX data files, and a
// register kept in Excel in the form's own layout). Each run imports into a
// fresh copy of a small demo database and checks that:
//
//   - the import never panics;
//   - a refused file changes nothing (records, links, statuses, employer
//     cards), and the refusal is an input error, not an internal one;
//   - an accepted file adds exactly the reported number of records;
//   - what was accepted is well formed: the file passes Store.Check, every
//     register entry's figures add up without overflow, and text is valid
//     UTF-8 without control characters.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"sout/report"
	"sout/store"
	"sout/store/demo"
)

var (
	fzNow   = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	fzClerk = store.Actor{Name: "fuzz", Role: store.RoleClerk}
)

// fzBase is the database every run starts from, and seed files made from it.
type fzBase struct {
	db           []byte // the file: demo data of 5 employers, 2025H1 locked
	register     []byte // register export, CSV, all periods (some rows in the locked half-year)
	register2026 []byte // register export, CSV, 2026 only (imports cleanly)
	registerXLSX []byte // register export, XLSX, 2026
	formXLSX     []byte // the register form (Appendix 2) as XLSX, 2026
	formRows     string // formXLSX's cells, a tab between cells, a newline between rows
	journal      []byte // journal export, CSV (every number already taken)
	journalNew   []byte // the same without registration numbers (imports cleanly)
	state        fzState
}

var (
	fzOnce sync.Once
	fzData *fzBase
	fzErr  error
)

// fzSetup builds the base database once per process.
func fzSetup(f *testing.F) *fzBase {
	f.Helper()
	fzOnce.Do(func() { fzData, fzErr = fzBuild() })
	if fzErr != nil {
		f.Fatal(fzErr)
	}
	return fzData
}

// fzBuild writes the base database of the fuzzers (demo data, a locked
// half-year) and its exports, and keeps the file's bytes.
func fzBuild() (*fzBase, error) {
	dir, err := os.MkdirTemp("", "sout-fuzz-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "base.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return fzNow }})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := demo.Generate(context.Background(), s, fzClerk, demo.Options{Employers: 5, Seed: 1}); err != nil {
		return nil, err
	}
	locked, _ := store.ParsePeriod("2025H1")
	if err := s.LockPeriod(store.Actor{Name: "head", Role: store.RoleHead}, locked, "сводная отправлена"); err != nil {
		return nil, err
	}
	b := &fzBase{}
	y2026, _ := store.ParsePeriod("2026")
	var buf bytes.Buffer
	export := func(fn func() error) ([]byte, error) {
		buf.Reset()
		if err := fn(); err != nil {
			return nil, err
		}
		return bytes.Clone(buf.Bytes()), nil
	}
	steps := []struct {
		dst *[]byte
		fn  func() error
	}{
		{&b.register, func() error {
			return report.ExportRegister(context.Background(), &buf, s, store.Period{}, report.Format{})
		}},
		{&b.register2026, func() error {
			return report.ExportRegister(context.Background(), &buf, s, y2026, report.Format{})
		}},
		{&b.registerXLSX, func() error {
			return report.ExportRegister(context.Background(), &buf, s, y2026, report.Format{XLSX: true})
		}},
		{&b.formXLSX, func() error {
			return report.WriteRegister(context.Background(), &buf, s, y2026, report.Format{XLSX: true})
		}},
		{&b.journal, func() error {
			return report.ExportJournal(context.Background(), &buf, s, store.Period{}, report.Format{})
		}},
	}
	for _, st := range steps {
		if *st.dst, err = export(st.fn); err != nil {
			return nil, err
		}
	}
	if err := b.derive(); err != nil {
		return nil, err
	}
	if b.state, err = fzSnapshot(s); err != nil {
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	if b.db, err = os.ReadFile(path); err != nil {
		return nil, err
	}
	return b, nil
}

// derive makes from b's exports the journal without its numbers and the
// form's cells as text.
func (b *fzBase) derive() error {
	// The journal without its numbers: every row gets the next free one.
	lines := strings.Split(string(b.journal), "\n")
	for i := 1; i < len(lines); i++ {
		if _, rest, ok := strings.Cut(lines[i], ","); ok {
			lines[i] = "," + rest
		}
	}
	b.journalNew = []byte(strings.Join(lines, "\n"))
	// The form's cells as text, for the form-layout fuzzer.
	x, err := excelize.OpenReader(bytes.NewReader(b.formXLSX))
	if err != nil {
		return err
	}
	rows, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
	x.Close()
	if err != nil {
		return err
	}
	var rb strings.Builder
	for _, r := range rows {
		rb.WriteString(strings.Join(r, "\t"))
		rb.WriteByte('\n')
	}
	b.formRows = rb.String()
	return nil
}

// fzRegisterHead is the header of a register data file.
var fzRegisterHead = strings.Join(report.RegisterColumns, ",")

// fzRegisterRow is a valid register data row as a CSV line (goodRow of
// import_test.go); mod overrides columns by key.
func fzRegisterRow(mod map[string]string) string {
	return strings.Join(goodRow(mod), ",")
}

func fzRegisterFile(rows ...string) []byte {
	return []byte(fzRegisterHead + "\n" + strings.Join(rows, "\n") + "\n")
}

// fzState is everything an import may change, as text to compare.
type fzState struct {
	register, journal, employers string
	registerCount, journalCount  int
}

func fzSnapshot(s *store.Store) (fzState, error) {
	var st fzState
	var b strings.Builder
	err := s.EachRegister(context.Background(), store.Period{}, func(e *store.RegisterRecord) error {
		fmt.Fprintf(&b, "%+v\n", *e)
		st.registerCount++
		return nil
	})
	if err != nil {
		return st, err
	}
	st.register = b.String()
	js, err := s.ListJournal(store.JournalQuery{})
	if err != nil {
		return st, err
	}
	b.Reset()
	for _, j := range js {
		fmt.Fprintf(&b, "%+v\n", j)
	}
	st.journal, st.journalCount = b.String(), len(js)
	b.Reset()
	for d := '0'; d <= '9'; d++ {
		es, err := s.SearchEmployers(string(d), math.MaxInt32)
		if err != nil {
			return st, err
		}
		for _, e := range es {
			fmt.Fprintf(&b, "%+v\n", e)
		}
	}
	st.employers = b.String()
	if n, err := s.CountRegister(store.RegisterQuery{}); err != nil || n != st.registerCount {
		return st, fmt.Errorf("CountRegister = %d, %v; the register holds %d entries", n, err, st.registerCount)
	}
	return st, nil
}

// fzWellFormed checks one accepted register entry beyond Validate: its
// figures add up in exact arithmetic, and its text is clean.
func fzWellFormed(e *store.RegisterEntry) error {
	g := &e.Grid
	for r := 0; r < store.NumRows; r++ {
		var sum uint64
		for c := store.ColClass1; c <= store.ColClass4; c++ {
			v := g[c][r]
			if v < 0 {
				return fmt.Errorf("negative figure %d in column %d row %d", v, c, r)
			}
			next := sum + uint64(v)
			if next < sum {
				return fmt.Errorf("row %d: the class figures %v add up beyond 2^64", r, fzColumn(g, r))
			}
			sum = next
		}
		if a := g[store.ColAssessed][r]; a < 0 || sum != uint64(a) {
			return fmt.Errorf("row %d: the class figures %v add up to %d (exactly), not to the assessed %d", r,
				fzColumn(g, r), sum, a)
		}
		if a, t := g[store.ColAssessed][r], g[store.ColTotal][r]; a > t {
			return fmt.Errorf("row %d: assessed %d above total %d", r, a, t)
		}
	}
	for _, s := range []string{e.Employer.Name, e.Employer.Address, e.Employer.INN, e.Employer.OGRN, e.Employer.OKVED,
		e.SoutOrg.Name, e.SoutOrg.RegNo} {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return fmt.Errorf("text %q is not clean", s)
		}
	}
	return nil
}

func fzColumn(g *store.Grid, r int) []int {
	var out []int
	for c := store.ColClass1; c <= store.ColClass4; c++ {
		out = append(out, g[c][r])
	}
	return out
}

// fzImport imports data (a register or journal file) into a fresh copy of
// the base in dir and checks the properties listed at the top of the file.
func fzImport(t *testing.T, dir string, base *fzBase, data []byte, journal bool) {
	dbPath := filepath.Join(dir, "sout.db")
	if err := os.WriteFile(dbPath, base.db, 0o600); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dbPath, store.Options{Now: func() time.Time { return fzNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := base.state // every run starts from the same file at the same time
	var res *report.ImportResult
	var importErr error
	func() {
		// A panic fails this input alone instead of ending the test binary.
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("the import panicked: %v\n%s", r, debug.Stack())
			}
		}()
		if journal {
			res, importErr = report.ImportJournal(context.Background(), s, fzClerk, in, report.ImportOptions{})
		} else {
			res, importErr = report.ImportRegister(context.Background(), s, fzClerk, in, report.ImportOptions{})
		}
	}()
	after, err := fzSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	if importErr != nil {
		msg, _, _ := strings.Cut(importErr.Error(), "\n")
		t.Logf("refused: %s", msg)
	} else {
		t.Logf("imported %d records", res.Count)
	}
	if err := importErr; err != nil {
		if code := store.ErrorCode(err); code != store.CodeInvalid && code != store.CodeLocked {
			t.Errorf("a bad file gave a %q error, want invalid or locked: %v", code, err)
		}
		if after != before {
			t.Fatalf("the import failed (%v) but changed the database:\nregister %d → %d entries (same text: %v), journal %d →"+
				" %d (same text: %v), employers same: %v",
				err, before.registerCount, after.registerCount, before.register == after.register,
				before.journalCount, after.journalCount, before.journal == after.journal, before.employers == after.employers)
		}
	} else {
		wantReg, wantJournal := before.registerCount, before.journalCount+res.Count
		if !journal {
			wantReg, wantJournal = before.registerCount+res.Count, before.journalCount
		}
		if res.Count <= 0 || after.registerCount != wantReg || after.journalCount != wantJournal {
			t.Fatalf("the import reported %d records; register %d → %d, journal %d → %d", res.Count, before.registerCount,
				after.registerCount, before.journalCount, after.journalCount)
		}
		if journal && after.register != before.register {
			t.Fatalf("a journal import changed the register")
		}
	}
	err = s.EachRegister(context.Background(), store.Period{}, func(e *store.RegisterRecord) error {
		if err := fzWellFormed(&e.RegisterEntry); err != nil {
			t.Errorf("register entry %d (%s, %s) was accepted: %v", e.ID, e.Employer.INN, e.EnteredOn, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("check after the import (import error: %v): %s", importErr, p)
	}
}

func FuzzImportRegisterCSV(f *testing.F) {
	base := fzSetup(f)
	good := fzRegisterRow(nil)
	cp1251, _ := charmap.Windows1251.NewEncoder().Bytes(fzRegisterFile(good))
	maxInt := strconv.Itoa(math.MaxInt)
	for _, seed := range [][]byte{
		base.register2026,
		base.register, // rows in the locked 2025H1: refused while writing, rolled back
		fzRegisterFile(good),
		fzRegisterFile(good, fzRegisterRow(map[string]string{"inn": "500100732259", "ogrn": "", "entered_on": "01.02.2026"})),
		append([]byte("\ufeff"), fzRegisterFile(good)...),
		cp1251,
		bytes.ReplaceAll(fzRegisterFile(good), []byte(","), []byte(";")),
		bytes.ReplaceAll(fzRegisterFile(good), []byte("\n"), []byte("\r\n")),
		fzRegisterFile(good, fzRegisterRow(map[string]string{"journal_no": "1/2026"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"journal_no": "2"})),
		// Hostile.
		nil,
		[]byte(fzRegisterHead + "\n"),
		fzRegisterFile(good, "2026-03-15,ООО\x00,x"),
		append([]byte("\ufeff"), fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "ООО \xff\xfe"}))...),
		fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "ООО \xc0\xc1 \xe9\xf2\xee"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "\"ООО; «Волга»\"",
			"employer_address": "\"a;b;c\""})),
		fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "=1+1", "sout_org_name": "\"x\"\"y\""})),
		fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "\"ООО\nВолга\""})),
		fzRegisterFile(fzRegisterRow(map[string]string{"employer_name": "\"unterminated"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"total_wp": "99999999999999999999"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"total_wp": maxInt, "total_workers": maxInt})),
		fzRegisterFile(fzRegisterRow(map[string]string{"total_wp": maxInt, "assessed_wp": maxInt, "c1_wp": maxInt,
			"c2_wp": maxInt, "c3_1_wp": "0"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"total_wp": "-1", "c2_wp": "+7", "c3_1_wp": " 3 ",
			"assessed_wp": "1e1"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"entered_on": "31.02.2026"}),
			fzRegisterRow(map[string]string{"entered_on": "2027-01-01"})),
		fzRegisterFile(fzRegisterRow(map[string]string{"journal_no": "99999999999/2026"})),
		fzRegisterFile(strings.Repeat(",", 2000)),
		[]byte("entered_on,inn\n2026-01-01,7707083893\n"),
		[]byte(fzRegisterHead + ",colour\n" + good + ",red\n"),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		fzImport(t, dir, base, data, false)
	})
}

func FuzzImportJournalCSV(f *testing.F) {
	base := fzSetup(f)
	head := strings.Join(report.JournalColumns, ",")
	row := "7,2026-03-02,ООО «Волга»,7707083893,ООО «Центр охраны труда»,1,2026-02-28,15/2,+7 позвонить,received,,"
	file := func(rows ...string) []byte { return []byte(head + "\n" + strings.Join(rows, "\n") + "\n") }
	cp1251, _ := charmap.Windows1251.NewEncoder().Bytes(file(row))
	for _, seed := range [][]byte{
		base.journalNew,
		base.journal, // every number taken
		file(row),
		file(",2026-03-05,ООО «Волга»,7707083893,ООО «Центр охраны труда»,1,2026-02-28,15/2,,returned,нет карт " +
			"СОУТ,2026-04-05"),
		file(",05.03.2026,ИП Петров П. П.,500100732259,ООО «Центр охраны труда»,,,,,annulled,ошибка,"),
		file(",2026-03-05,ООО «Волга»,7707083893,ООО «Центр»,,,,,accepted,,",
			",2026-03-06,ООО «Волга»,7707083893,ООО «Центр»,,,,,received,,"),
		append([]byte("\ufeff"), file(row)...),
		cp1251,
		bytes.ReplaceAll(file(row), []byte(","), []byte(";")),
		bytes.ReplaceAll(file(row), []byte("\n"), []byte("\r\n")),
		// Hostile.
		nil,
		[]byte(head + "\n"),
		file(row, row),
		file("7,2026-03-02,ООО\x00,7707083893,x,,,,,received,,"),
		file("7,2026-03-02,ООО \xff\xfe,7707083893,x,,,,,received,,"),
		file("99999999999999999999,2026-03-02,ООО,7707083893,x,,,,,received,,"),
		file("-1,2026-03-02,ООО,7707083893,x,,,,,received,,"),
		file("0,2026-03-02,ООО,7707083893,x,,,,,received,,"),
		file("8,2026-03-02,\"ООО; «Волга»\",7707083893,\"a\"\"b\",,,,\"строка 1\nстрока 2\",received,,"),
		file("9,2026-03-02,ООО,7707083893,x,,2026-03-03,,,received,,"),
		file("10,2026-03-02,ООО,7707083893,x,,,,,returned,,"),
		file("11,2026-03-02,ООО,7707083893,x,,,,,frozen,,"),
		file("12,2027-03-02,ООО,7707083893,x,,,,,received,,"),
		file("13,2026-03-02,ООО,7707083894,x,,,,,received,,"),
		[]byte("reg_no,received_on\n1,2026-03-02\n"),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		fzImport(t, dir, base, data, true)
	})
}

func FuzzImportRegisterXLSX(f *testing.F) {
	base := fzSetup(f)
	truncated := base.registerXLSX[:len(base.registerXLSX)/2]
	bomb := append([]byte("PK\x03\x04"), make([]byte, 200)...)
	for _, seed := range [][]byte{base.registerXLSX, base.formXLSX, truncated, bomb, []byte("PK\x03\x04")} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		fzImport(t, dir, base, data, false)
	})
}

// fzSheet writes rows (cells separated by tabs, rows by newlines) as an XLSX
// sheet; cells that read as numbers are written as numbers, as Excel keeps
// them. It returns nil when excelize refuses the content.
func fzSheet(text string) []byte {
	const maxRows, maxCols = 200, 60
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	for r, line := range strings.Split(text, "\n") {
		if r >= maxRows {
			break
		}
		for c, cell := range strings.Split(line, "\t") {
			if c >= maxCols {
				break
			}
			if cell == "" {
				continue
			}
			name, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return nil
			}
			var v any = cell
			if n, err := strconv.ParseFloat(cell, 64); err == nil && !math.IsInf(n, 0) && !math.IsNaN(n) {
				v = n
			}
			if err := x.SetCellValue(sheet, name, v); err != nil {
				return nil
			}
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		return nil
	}
	return b.Bytes()
}

// FuzzImportFormXLSX fuzzes the import of a register kept in Excel in the
// form's own layout (title rows, the printed headings, five rows per
// employer). It has no entry point of its own: ImportRegister recognises
// the layout by its headings. The input is the sheet's cells as text.
func FuzzImportFormXLSX(f *testing.F) {
	base := fzSetup(f)
	rows := base.formRows
	lines := strings.Split(strings.TrimSuffix(rows, "\n"), "\n")
	// Find the first data row (after the row of column numbers "1 2 3 …").
	first := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "1\t2\t") {
			first = i + 1
			break
		}
	}
	head := strings.Join(lines[:first], "\n") + "\n"
	// The first entry dated by an Excel serial number (days since 30.12.1899).
	cells := strings.Split(lines[first], "\t")
	excelEpoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	cells[1] = strconv.Itoa(int(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24))
	serial := strings.Join(cells, "\t")
	for _, seed := range []string{
		rows,
		head + strings.Join(lines[first:first+5], "\n") + "\n",            // one employer
		head + strings.Join(lines[first:first+4], "\n") + "\n",            // four figure rows, not five
		head + strings.Join(lines[first:first+6], "\n") + "\n",            // a sixth row
		head + serial + "\n" + strings.Join(lines[first+1:], "\n") + "\n", // a date as an Excel serial number
		head + "1\t15.01.2026\tООО «Волга», 443001, г. Самара\t7707083893\t25.11\tООО «Центр», рег. № 1" +
			"\t10\t10\t0\t7\t3\t0\t0\t0\t0\n\t\t\t\t\t\t20\t20\t0\t14\t6\t0\t0\t0\t0\n" +
			"\t\t\t\t\t\t5\t5\t0\t3\t2\t0\t0\t0\t0\n\t\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\n" +
			"\t\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\nРуководитель\n",
		head + "1\t15.01.2026\tООО\t7707083893\t25.11\tx\t9223372036854775807\t1e300\t-1\t7.5\tabc\n",
		"№ п/п\tДата внесения\tНаименование работодателя\tИНН\tОКВЭД\tпроводившей СОУТ\n",
		"",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		data := fzSheet(text)
		if data == nil {
			return
		}
		fzImport(t, dir, base, data, false)
	})
}
