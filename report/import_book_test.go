package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sout/report"
	"sout/store"
)

// bookEntries are the register entries the clerks' workbooks of the table
// test hold, in the order they hold them.
func bookEntries() []store.RegisterEntry {
	a := entry(store.NewDate(2026, 1, 15), "7707083893", "ООО «Волга»", "25.11", 10)
	b := entry(store.NewDate(2026, 2, 3), "500100732259", "ИП Петров П. П.", "10.71", 1200)
	b.Employer.Address = "Самарская обл., г. Сызрань, ул. Мира, д. 3"
	c := entry(store.NewDate(2026, 3, 1), "0274062111", "МБОУ \"Школа № 5\"", "86.10", 4)
	c.Employer.Address = "г. Энск, ул. Ленина, д. 3"
	c.SoutOrg = store.SoutOrg{Name: "АНО «Институт охраны труда»", RegNo: "245"}
	return []store.RegisterEntry{a, b, c}
}

// xv is a cell written with a number format (excelize's built-in id, or a
// custom format).
type xv struct {
	v      any
	numFmt int
	custom string
}

// sheetRows is one sheet of a test workbook: its rows from A1, nil cells
// left empty, and ranges to merge.
type sheetRows struct {
	name   string
	rows   [][]any
	merges [][2]string
}

// writeBook writes the sheets as an XLSX the way a clerk's Excel would.
func writeBook(t *testing.T, sheets ...sheetRows) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", sh.name)
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if x, ok := v.(xv); ok {
					style := &excelize.Style{NumFmt: x.numFmt}
					if x.custom != "" {
						style.CustomNumFmt = &x.custom
					}
					id, err := f.NewStyle(style)
					if err != nil {
						t.Fatal(err)
					}
					f.SetCellStyle(sh.name, cell, cell, id)
					v = x.v
				}
				if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
					f.SetCellFormula(sh.name, cell, s[1:])
					continue
				}
				if err := f.SetCellValue(sh.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range sh.merges {
			f.MergeCell(sh.name, m[0], m[1])
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// formHeads are the form's three heading rows as a clerk types them; no is
// the first heading.
func formHeads(no string) [][]any {
	return [][]any{
		{
			no,
			"Дата внесения сведений в реестр",
			"Наименование работодателя, место нахождения и место осуществления деятельности",
			"ИНН работодателя",
			"Код по ОКВЭД",
			"Наименование организации, проводившей специальную оценку условий труда, регистрационный номер",
			"Общее количество рабочих мест / работников",
			"Количество рабочих мест, на которых проведена СОУТ",
			"Количество рабочих мест (работников), на которых установлены классы (подклассы) условий труда",
		},
		{nil, nil, nil, nil, nil, nil, nil, nil, "класс 1", "класс 2", "класс 3", nil, nil, nil, "класс 4"},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "3.1", "3.2", "3.3", "3.4"},
	}
}

// numberingRow is the row of column numbers under the headings.
func numberingRow() []any {
	row := make([]any, 15)
	for i := range row {
		row[i] = i + 1
	}
	return row
}

// blockOpts say how a clerk typed one employer's block.
type blockOpts struct {
	no, date, name, inn, okved, org any // nil: the entry's own value as text (date dd.mm.yyyy)
	blankZeros                      bool
	figure                          func(v int) any // how a figure is written; nil: a number
}

// block is an entry's five rows in the form's layout.
func block(e store.RegisterEntry, n int, o blockOpts) [][]any {
	or := func(v any, def any) any {
		if v != nil {
			return v
		}
		return def
	}
	name := e.Employer.Name
	if e.Employer.Address != "" {
		name += "\n" + e.Employer.Address
	}
	org := e.SoutOrg.Name
	if e.SoutOrg.RegNo != "" {
		org += ", рег. № " + e.SoutOrg.RegNo
	}
	rows := make([][]any, store.NumRows)
	for r := range rows {
		rows[r] = make([]any, 15)
		if r == 0 {
			copy(
				rows[r],
				[]any{
					or(o.no, n),
					or(o.date, e.EnteredOn.Ru()),
					or(o.name, name),
					or(o.inn, e.Employer.INN),
					or(o.okved, e.Employer.OKVED),
					or(o.org, org),
				},
			)
		}
		for c := 0; c < store.NumCols; c++ {
			v := e.Grid[c][r]
			switch {
			case v == 0 && o.blankZeros:
			case o.figure != nil:
				rows[r][6+c] = o.figure(v)
			default:
				rows[r][6+c] = v
			}
		}
	}
	return rows
}

// formBook is a register sheet in the form's layout: a title, the headings,
// the numbering row, the entries, and the signature footer.
func formBook(name string, es []store.RegisterEntry, o blockOpts) sheetRows {
	rows := [][]any{
		{"Реестр сведений о результатах проведения специальной оценки условий труда"},
		{"Самарская область"},
		nil,
	}
	rows = append(rows, formHeads("№ п/п")...)
	rows = append(rows, numberingRow())
	for i, e := range es {
		rows = append(rows, block(e, i+1, o)...)
	}
	rows = append(
		rows,
		nil,
		[]any{"Руководитель государственной инспекции труда", nil, "_____________", nil, "Иванов И. И."},
	)
	return sheetRows{name: name, rows: rows}
}

// sumRows returns the five totals rows of es, the first labelled.
func sumRows(es []store.RegisterEntry, label string, col int) [][]any {
	var g store.Grid
	for i := range es {
		g.Add(&es[i].Grid)
	}
	rows := make([][]any, store.NumRows)
	for r := range rows {
		rows[r] = make([]any, 15)
		for c := 0; c < store.NumCols; c++ {
			rows[r][6+c] = g[c][r]
		}
	}
	rows[0][col] = label
	return rows
}

// exportOf returns the data export of es saved one by one in a fresh store:
// what an exact import of a workbook holding es must give.
func exportOf(t *testing.T, es []store.RegisterEntry) string {
	t.Helper()
	s := openStore(t)
	for _, e := range es {
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := report.ExportRegister(context.Background(), &b, s, store.Period{}, report.Format{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func importBytes(
	t *testing.T,
	s *store.Store,
	name string,
	data []byte,
	opt report.ImportOptions,
) (*report.ImportResult, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return report.ImportRegister(context.Background(), s, clerk, path, opt)
}

// clerkBook is one workbook of TestImport_ClerksWorkbooks and what its
// import must give.
type clerkBook struct {
	name     string
	book     func() []byte
	want     []store.RegisterEntry // loaded exactly; nil: es
	wantErr  string                // refused with this
	wantNote string                // a warning or note that must be there
}

// TestImport_ClerksWorkbooks imports workbooks made the way clerks keep
// their registers: each is loaded exactly (compared through the export) or
// refused with a message naming sheet, row and column.
func TestImport_ClerksWorkbooks(t *testing.T) {
	es := bookEntries()
	all := exportOf(t, es)
	var books []clerkBook
	for _, cases := range []func(*testing.T, []store.RegisterEntry) []clerkBook{
		clerkBooksLayouts, clerkBooksCells, clerkBooksSheets, clerkBooksRefused,
	} {
		books = append(books, cases(t, es)...)
	}
	for _, tt := range books {
		t.Run(tt.name, func(t *testing.T) { checkClerkBook(t, tt, all) })
	}
}

// checkClerkBook imports tt's workbook into a new store and checks it was
// refused with tt.wantErr and left nothing, or loaded exactly (the export
// equal to all, or to tt.want's) with tt.wantNote said.
func checkClerkBook(t *testing.T, tt clerkBook, all string) {
	s := openStore(t)
	res, err := importBytes(t, s, "book.xlsx", tt.book(), report.ImportOptions{})
	if tt.wantErr != "" {
		if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), tt.wantErr) {
			t.Fatalf("import = %v\nwant an error containing %q", err, tt.wantErr)
		}
		if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
			t.Errorf("a refused workbook left %d entries", n)
		}
		return
	}
	if err != nil {
		t.Fatalf("import = %v", err)
	}
	want := all
	if tt.want != nil {
		want = exportOf(t, tt.want)
	}
	var got bytes.Buffer
	report.ExportRegister(context.Background(), &got, s, store.Period{}, report.Format{})
	if got.String() != want {
		t.Errorf("imported register differs:\n%s\nwant\n%s", got.String(), want)
	}
	said := strings.Join(append(append(res.Warnings, res.Notes...), res.Details()), "\n")
	if !strings.Contains(said, tt.wantNote) {
		t.Errorf("warnings and notes:\n%s\nwant %q", said, tt.wantNote)
	}
}

// clerkBooksLayouts are the form's layouts as clerks make them: zeros left
// blank, other headings, blank rows, merged cells, figures as text or floats.
func clerkBooksLayouts(t *testing.T, es []store.RegisterEntry) []clerkBook {
	t.Helper()
	form := func(o blockOpts) []byte { return writeBook(t, formBook("Реестр", es, o)) }
	return []clerkBook{
		{name: "the form as printed", book: func() []byte { return form(blockOpts{}) }},
		{name: "blank zeros", book: func() []byte { return form(blockOpts{blankZeros: true}) }},
		{name: "Latin N п/п, lower case, no numbering row", book: func() []byte {
			rows := formHeads("N п/п")
			rows[0][1], rows[0][3] = "дата внесения", "инн"
			for i, e := range es {
				rows = append(rows, block(e, i+1, blockOpts{})...)
			}
			return writeBook(t, sheetRows{name: "Лист1", rows: rows})
		}},
		{name: "No п/п, blank rows between employers", book: func() []byte {
			rows := formHeads("No п/п")
			for i, e := range es {
				rows = append(rows, nil)
				rows = append(rows, block(e, i+1, blockOpts{})...)
			}
			return writeBook(t, sheetRows{name: "Лист1", rows: rows})
		}},
		{name: "merged lead cells", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{blankZeros: true})
			for i := range es {
				top := 8 + i*5
				for _, col := range "ABCDEF" {
					sh.merges = append(
						sh.merges,
						[2]string{fmt.Sprintf("%c%d", col, top), fmt.Sprintf("%c%d", col, top+4)},
					)
				}
			}
			return writeBook(t, sh)
		}},
		{name: "numbers as text with spaces and NBSP", book: func() []byte {
			return form(blockOpts{figure: func(v int) any {
				if v >= 1000 {
					return fmt.Sprintf("%d\u00a0%03d", v/1000, v%1000)
				}
				return fmt.Sprint(v)
			}})
		}},
		{name: "floats ending in .0", book: func() []byte {
			return form(blockOpts{figure: func(v int) any { return fmt.Sprintf("%d.0", v) }})
		}},
	}
}

// clerkBooksCells are cells as clerks type or paste them: dates in every
// form, codes as numbers, a name and address in one cell.
func clerkBooksCells(t *testing.T, es []store.RegisterEntry) []clerkBook {
	t.Helper()
	with := func(mod func(es []store.RegisterEntry)) []store.RegisterEntry {
		c := bookEntries()
		mod(c)
		return c
	}
	return []clerkBook{
		{name: "dates as real dates", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			for i, e := range es {
				sh.rows[7+i*5][1] = xv{v: e.EnteredOn.Time(), numFmt: 14}
			}
			return writeBook(t, sh)
		}},
		{name: "dates as date-times", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			for i, e := range es {
				sh.rows[7+i*5][1] = xv{v: e.EnteredOn.Time().Add(14*time.Hour + 30*time.Minute), numFmt: 22}
			}
			return writeBook(t, sh)
		}},
		{name: "dates typed d.m.yyyy, dd.mm.yy, yyyy-mm-dd", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[7][1], sh.rows[12][1], sh.rows[17][1] = "15.1.2026", "03.02.26", "2026-03-01"
			return writeBook(t, sh)
		}},
		{name: "two-digit years as Excel reads them", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[7][1] = "15.01.99"
			return writeBook(t, sh)
		}, want: with(func(es []store.RegisterEntry) { es[0].EnteredOn = store.NewDate(1999, 1, 15) })},
		{name: "OKVED as a number formatted 0.00", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[17][4] = xv{v: 86.1, numFmt: 2}
			return writeBook(t, sh)
		}},
		{name: "INN as a number that lost its leading zero", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[17][3] = 274062111
			return writeBook(t, sh)
		}, wantNote: "лист «Реестр», строка 18, столбец D (ИНН): ИНН 274062111 записан числом и потерял ведущий ноль: " +
			"восстановлен 0274062111"},
		{name: "name and address split at a comma", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[12][2] = "ИП Петров П. П., Самарская обл., г. Сызрань, ул. Мира, д. 3"
			sh.rows[17][2] = "МБОУ \"Школа № 5\", г. Энск, ул. Ленина, д. 3"
			return writeBook(t, sh)
		}, wantNote: "лист «Реестр», строка 18: наименование и адрес разделены по запятой: «МБОУ \"Школа № 5\"» | «г. Энск," +
			" ул. Ленина, д. 3»"},
		{name: "a name without an address", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[7][2] = "ООО «Волга»"
			return writeBook(t, sh)
		}, want: with(func(es []store.RegisterEntry) { es[0].Employer.Address = "" })},
	}
}

// clerkBooksSheets are the totals rows and the other sheets a register workbook has beside the register.
func clerkBooksSheets(t *testing.T, es []store.RegisterEntry) []clerkBook {
	t.Helper()
	return []clerkBook{
		{name: "a totals row «Итого» in column C", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			tot := sumRows(es, "Итого", 2)
			sh.rows = append(sh.rows[:22], append([][]any{tot[0]}, sh.rows[22:]...)...)
			return writeBook(t, sh)
		}, wantNote: "лист «Реестр», строка 23: строка итогов пропущена"},
		{name: "a totals block of five «Всего»", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{blankZeros: true})
			sh.rows = append(sh.rows[:22], append(sumRows(es, "Всего по реестру", 0), sh.rows[22:]...)...)
			return writeBook(t, sh)
		}, wantNote: "строка итогов пропущена"},
		{name: "totals that do not add up are a warning", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			tot := sumRows(es, "Итого", 2)
			tot[0][6] = 1
			sh.rows = append(sh.rows[:22], append([][]any{tot[0]}, sh.rows[22:]...)...)
			return writeBook(t, sh)
		}, wantNote: "лист «Реестр», строка 23: итоги не сходятся с суммой записей выше"},
		{name: "two half-years on two sheets", book: func() []byte {
			return writeBook(
				t,
				formBook("1 полугодие", es[:2], blockOpts{}),
				formBook("2 полугодие", es[2:], blockOpts{}),
			)
		}},
		{name: "instructions first, then the register", book: func() []byte {
			return writeBook(
				t,
				sheetRows{
					name: "Инструкция",
					rows: [][]any{{"Заполняйте реестр на втором листе"}, {"ИНН — 10 или 12 цифр"}},
				},
				formBook("Реестр", es, blockOpts{}),
			)
		}, wantNote: "лист «Инструкция» пропущен"},
		{name: "a data sheet beside a form sheet", book: func() []byte {
			data := sheetRows{name: "Данные"}
			data.rows = append(data.rows, toAny(report.RegisterColumns))
			for _, rec := range dataRows(t, es[:1]) {
				data.rows = append(data.rows, toAny(rec))
			}
			return writeBook(t, data, formBook("Реестр", es[1:], blockOpts{}))
		}},
		{name: "a journal sheet beside the register is skipped", book: func() []byte {
			return writeBook(
				t,
				formBook("Реестр", es, blockOpts{}),
				sheetRows{name: "Журнал", rows: [][]any{toAny(report.JournalColumns)}},
			)
		}, wantNote: "лист «Журнал» пропущен: не форма реестра и не таблица данных"},
		{name: "a formula's stored value", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[7][7] = xv{
				v: 10,
			} // written as a value, the stored value of a formula is what is read; see the LibreOffice test
			return writeBook(t, sh)
		}},
	}
}

// clerkBooksRefused are the workbooks refused, each with a message naming sheet, row and column.
func clerkBooksRefused(t *testing.T, es []store.RegisterEntry) []clerkBook {
	t.Helper()
	return []clerkBook{
		{name: "a wrong INN check digit", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[12][3] = "500100732258"
			return writeBook(t, sh)
		}, wantErr: "лист «Реестр», строка 13, столбец D (ИНН): ИНН 500100732258: неверное контрольное число"},
		{name: "a word for a figure", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[9][8] = "десять"
			return writeBook(t, sh)
		}, wantErr: "лист «Реестр», строка 10, столбец I (графа 9 «класс 1»): нужно целое число не меньше 0, значение " +
			"«десять»"},
		{name: "classes that do not add up", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			sh.rows[9][9] = 8
			return writeBook(t, sh)
		}, wantErr: "лист «Реестр», строка 10, столбец H (графа 8 «СОУТ»): Сумма классов"},
		{name: "31 February", book: func() []byte {
			sh := formBook("2 полугодие", es, blockOpts{})
			sh.rows[12][1] = "31.02.2026"
			return writeBook(t, sh)
		}, wantErr: "лист «2 полугодие», строка 13, столбец B (дата внесения): дата «31.02.2026» не существует"},
		{name: "figures outside an employer's block", book: func() []byte {
			sh := formBook("Реестр", es, blockOpts{})
			extra := make([]any, 15)
			extra[6] = 5
			sh.rows = append(sh.rows[:22], append([][]any{extra}, sh.rows[22:]...)...)
			return writeBook(t, sh)
		}, wantErr: "лист «Реестр», строка 23: строка показателей вне записи"},
		{name: "the same entry on two sheets", book: func() []byte {
			return writeBook(t, formBook("Январь", es[:1], blockOpts{}), formBook("Копия", es[:1], blockOpts{}))
		}, wantErr: "лист «Копия», строка 8: такая же запись (ИНН 7707083893, дата 15.01.2026, та же организация СОУТ и все" +
			" показатели) уже есть в этом файле: лист «Январь», строка 8"},
		{name: "no sheet in either layout", book: func() []byte {
			return writeBook(
				t,
				sheetRows{name: "Инструкция", rows: [][]any{{"Как заполнять"}}},
				sheetRows{name: "Лист2", rows: [][]any{{"Наименование", "Адрес"}}},
			)
		}, wantErr: "ни на одном листе («Инструкция», «Лист2») нет ни заголовков формы реестра (№ п/п, Дата внесения, " +
			"Наименование работодателя, ИНН, Код по ОКВЭД, Организация, проводившая СОУТ), ни столбцов данных реестра\nстолбцы" +
			" данных: entered_on, employer_name"},
	}
}

func toAny(rec []string) []any {
	out := make([]any, len(rec))
	for i, v := range rec {
		out[i] = v
	}
	return out
}

// dataRows returns es as rows of the register data columns (no id).
func dataRows(t *testing.T, es []store.RegisterEntry) [][]string {
	recs, err := csv.NewReader(strings.NewReader(exportOf(t, es))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, rec := range recs[1:] {
		out = append(out, rec[1:])
	}
	return out
}

// TestImport_FormulasSavedByLibreOffice: a workbook whose entries' figures and totals are formulas, saved through
// LibreOffice so that the cells carry their stored values, loads exactly.
func TestImport_FormulasSavedByLibreOffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	es := bookEntries()
	sh := formBook("Реестр", es, blockOpts{})
	for i := range es {
		for r := 0; r < store.NumRows; r++ {
			row := 8 + i*5 + r
			sh.rows[row-1][7] = fmt.Sprintf("=SUM(I%d:O%d)", row, row) // column 8 is the sum of the classes
		}
	}
	tot := sumRows(es, "Итого", 2)
	for r := range tot {
		for c := 6; c < 15; c++ {
			col, _ := excelize.ColumnNumberToName(c + 1)
			tot[r][c] = fmt.Sprintf("=%s%d+%s%d+%s%d", col, 8+r, col, 13+r, col, 18+r)
		}
	}
	sh.rows = append(sh.rows[:22], append(tot, sh.rows[22:]...)...)
	dir := t.TempDir()
	src := filepath.Join(dir, "formulas.xlsx")
	os.WriteFile(src, writeBook(t, sh), 0o644)
	out := filepath.Join(dir, "lo")
	cmd := exec.Command(
		"soffice",
		"--headless",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to",
		"xlsx",
		"--outdir",
		out,
		src,
	)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(out, "formulas.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	res, err := importBytes(t, s, "saved.xlsx", data, report.ImportOptions{})
	if err != nil {
		t.Fatalf("import of the LibreOffice copy = %v", err)
	}
	var got bytes.Buffer
	report.ExportRegister(context.Background(), &got, s, store.Period{}, report.Format{})
	if want := exportOf(t, es); got.String() != want {
		t.Errorf("imported register differs:\n%s\nwant\n%s", got.String(), want)
	}
	if res.Totals != 1 || len(res.Warnings) != 0 {
		t.Errorf("totals skipped %d, warnings %v; want 1 and none", res.Totals, res.Warnings)
	}
}
