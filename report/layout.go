package report

import (
	"math"
	"strconv"
	"strings"

	"sout/store"
)

// Cell is one body cell of a form.
type Cell struct {
	Text    string // text, written as text (never as a formula)
	Num     int    // a figure, when IsNum
	IsNum   bool
	Dec     float64 // a share with one decimal (percent), when IsDec: a number in XLSX, «32,7» in CSV
	IsDec   bool
	Mark    bool  // a mark of the form («<*>», «<1*>»), centred
	SumRows []int // XLSX only: Num is the SUM of the same column in the body rows at these offsets from this one
}

// Span joins heading cells: the cell at (Row, Col) spans Rows×Cols (0-based,
// in heading coordinates).
type Span struct{ Row, Col, Rows, Cols int }

// Form is the layout of an official form, declared once and rendered by both
// the CSV and the XLSX writer.
type Form struct {
	Sheet     string     // sheet name
	Title     []string   // title lines, centred over all columns
	Header    []string   // the header block: region, inspectorate, period
	Headings  [][]string // heading rows; "" under a merged cell
	Merges    []Span     // merges within Headings
	Widths    []float64  // column widths (characters)
	Numbers   []string   // the row of column numbers under the headings; nil numbers every column 1…n
	CSVHead   []string   // the CSV header line: one heading per column, the words of Headings (csvHeads)
	Group     int        // body rows per record, kept on one printed page (Register: 5, Summary: 6), 0 = 1
	GroupCols int        // the first columns that read as one cell over a record's rows (Register: 6)
	// Body yields the body rows in order; rows of one record come together.
	// A row's cells are valid only during the call (a form may reuse them).
	Body   func(yield func([]Cell) error) error
	Notes  []string // the form's footnotes under the table
	Footer []string // the signature lines (XLSX only)
	Annex  *Annex   // a further sheet (XLSX) or further lines (CSV), e.g. the subjects of a roll-up
}

// Annex is a table that follows a form: on a sheet of its own in XLSX, after
// the form's lines in CSV.
type Annex struct {
	Sheet string
	Title string
	Head  []string
	Rows  [][]string
}

// Cols returns the number of columns.
func (f *Form) Cols() int { return len(f.CSVHead) }

func text(s string) Cell { return Cell{Text: s} }
func num(n int) Cell     { return Cell{Num: n, IsNum: true} }
func dec(v float64) Cell { return Cell{Dec: math.Round(v*10) / 10, IsDec: true} } // as printed: one decimal
func mark(s string) Cell { return Cell{Text: s, Mark: true} }

// NotFilled is the mark of a cell the form does not fill, explained by NotFilledNote.
const NotFilled = "<*>"

// NotFilledNote is the Summary's footnote, as in the order.
const NotFilledNote = "<*> Не заполняется."

// csvHeads gives each column one heading for a CSV header line: the words of
// its heading rows top to bottom, a merged heading counted in every column it
// spans, so that CSV and XLSX say the same.
func csvHeads(heads [][]string, merges []Span) []string {
	n := len(heads[0])
	grid := make([][]string, len(heads))
	for r := range heads {
		grid[r] = append([]string(nil), heads[r]...)
	}
	for _, m := range merges {
		v := heads[m.Row][m.Col]
		for r := m.Row; r < m.Row+m.Rows; r++ {
			for c := m.Col; c < m.Col+m.Cols; c++ {
				grid[r][c] = v
			}
		}
	}
	out := make([]string, n)
	for c := 0; c < n; c++ {
		var parts []string
		for r := range grid {
			if v := grid[r][c]; v != "" && (len(parts) == 0 || parts[len(parts)-1] != v) {
				parts = append(parts, v)
			}
		}
		out[c] = strings.Join(parts, ": ")
	}
	return out
}

// gridHeadings returns the heading rows of the grid columns 7–15 (Register)
// or 4–12 (Summary): total, assessed, and the classes under a common heading.
func gridHeadings() (rows [3][]string, merges []Span) {
	rows[0] = []string{
		"Общее количество рабочих мест / работников",
		"Количество рабочих мест, на которых проведена специальная оценка условий труда / работников на них",
		"Количество рабочих мест (работников), на которых установлены классы (подклассы) условий труда", "", "", "",
		"", "", "",
	}
	rows[1] = []string{"", "", "класс 1 (оптимальный)", "класс 2 (допустимый)", "класс 3 (вредный)", "", "", "",
		"класс 4 (опасный)"}
	rows[2] = []string{"", "", "", "", "подкласс 3.1", "подкласс 3.2", "подкласс 3.3", "подкласс 3.4", ""}
	merges = []Span{{0, 0, 3, 1}, {0, 1, 3, 1}, {0, 2, 1, 7}, {1, 2, 2, 1}, {1, 3, 2, 1}, {1, 4, 1, 4}, {1, 8, 2, 1}}
	return rows, merges
}

// withLead prefixes lead columns (spanning all three heading rows) to the grid headings.
func withLead(lead []string) ([][]string, []Span) {
	g, gm := gridHeadings()
	n := len(lead)
	rows := make([][]string, 3)
	var merges []Span
	for i := range rows {
		rows[i] = make([]string, n, n+store.NumCols)
		if i == 0 {
			copy(rows[i], lead)
		}
		rows[i] = append(rows[i], g[i]...)
	}
	for c := 0; c < n; c++ {
		merges = append(merges, Span{0, c, 3, 1})
	}
	for _, m := range gm {
		m.Col += n
		merges = append(merges, m)
	}
	return rows, merges
}

func signatureFooter(set store.Settings) []string {
	head := set.Head
	if head == "" {
		head = "____________________"
	}
	comp := set.Compiler
	if comp == "" {
		comp = "____________________"
	}
	phone := set.Phone
	if phone == "" {
		phone = "____________"
	}
	return []string{
		"Руководитель государственной инспекции труда   ____________ " +
			"(подпись)   " + head + " (Ф.И.О.)   «___» ____________ 20__ г. (дата)",
		"Должностное лицо, ответственное за составление формы   ____________ " +
			"(подпись)   " + comp + " (Ф.И.О.)   «___» ____________ 20__ г. (дата)   " +
			"тел. " + phone + " (номер контактного телефона)",
	}
}

// Header lines of a form: their leading words, which Merge reads back.
const (
	subjectLine = "Субъект Российской Федерации: "
	periodLine  = "Отчётный период: "
)

// fillInLine is what a form prints for a header value the settings lack: a
// line to fill in by hand.
var fillInLine = strings.Repeat("_", 40)

// subjectMissing reports whether the subject Merge read from a Summary's
// header names none: empty, the line left to fill in by hand, or the hint
// in brackets that older versions printed (a roll-up has none either).
func subjectMissing(subject string) bool {
	return strings.Trim(subject, "_ ") == "" || strings.HasPrefix(subject, "(")
}

// headerBlock is the lines above a form's table: the region (a line to fill
// in by hand when the settings have none: the form is printed and signed, so
// it carries no hint to the program), the inspectorate, the period.
func headerBlock(set store.Settings, p store.Period) []string {
	region := set.Region
	if region == "" {
		region = fillInLine
	}
	lines := []string{subjectLine + region}
	if set.Inspectorate != "" {
		lines = append(lines, set.Inspectorate)
	}
	if !p.IsZero() {
		lines = append(lines, periodLine+p.String())
	}
	return lines
}

// SummaryForm lays out a computed Summary (Appendix 3).
func SummaryForm(sum *Summary, set store.Settings) *Form {
	heads, merges := withLead([]string{"№ строки", "Наименование показателя",
		"Количество организаций, где проведена специальная оценка условий труда"})
	f := &Form{
		Sheet: "Сводная ведомость",
		Title: []string{"Сводная ведомость результатов проведения специальной оценки условий труда в субъекте Российской" +
			" Федерации"},
		Header:   headerBlock(set, sum.Period),
		Headings: heads,
		Merges:   merges,
		Widths:   []float64{9, 46, 15, 14, 16, 13, 13, 11, 11, 11, 11, 11},
		CSVHead:  csvHeads(heads, merges),
		Group:    1 + store.NumRows,
		Notes:    []string{NotFilledNote},
		Footer:   signatureFooter(set),
	}
	f.Body = func(yield func([]Cell) error) error {
		for i := range sum.Rows {
			if err := yield(summaryCells(sum.Rows, i)); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

// summaryCells are the cells of row i: «<*>» where the form fills nothing
// (columns 4–12 of a section row, column 3 of a sub-row); rows 1.1 … 1.2.3
// sum the same sub-row of every section.
func summaryCells(rows []SummaryRow, i int) []Cell {
	r := rows[i]
	cells := make([]Cell, 3+store.NumCols)
	cells[0], cells[1] = text(r.Code), text(r.Name)
	if r.Header {
		cells[2] = num(r.Employers)
		for c := 0; c < store.NumCols; c++ {
			cells[3+c] = mark(NotFilled)
		}
		return cells
	}
	cells[2] = mark(NotFilled)
	for c := 0; c < store.NumCols; c++ {
		cells[3+c] = num(r.Values[c])
	}
	if r.Section == -1 {
		var offs []int
		for j, o := range rows {
			if o.Section >= 0 && o.Sub == r.Sub {
				offs = append(offs, j-i)
			}
		}
		for c := range store.NumCols {
			cells[3+c].SumRows = offs
		}
	}
	return cells
}

// registerNotes are the order's footnotes to the five sub-rows of an employer
// in the Register (Appendix 2), marked <1*>…<5*>.
var registerNotes = []string{
	"<1*> Количество рабочих мест, на которых проведена специальная оценка условий труда.",
	"<2*> Численность занятых на них работников по классам (подклассам) условий труда из числа рабочих мест, указанных в" +
		" графе 8.",
	"<3*> Численность женщин, занятых на данных рабочих местах по классам (подклассам) условий труда из числа рабочих " +
		"мест, указанных в графе 8.",
	"<4*> Численность лиц до 18 лет, занятых на данных рабочих местах по классам (подклассам) условий труда из числа " +
		"рабочих мест, указанных в графе 8.",
	"<5*> Численность инвалидов, занятых на данных рабочих местах по классам (подклассам) условий труда из числа рабочих" +
		" мест, указанных в графе 8.",
}

// registerMarks mark the five sub-rows of an employer in the Register.
var registerMarks = [store.NumRows]string{"<1*>", "<2*>", "<3*>", "<4*>", "<5*>"}

// registerLead is the number of the Register's columns before its figures
// (1–6), after which stands the narrow unnumbered column of the marks <1*>…<5*>.
const registerLead = 6

// RegisterForm lays out the Register (Appendix 2): five rows per entry, marked <1*>…<5*>.
func RegisterForm(set store.Settings, p store.Period, each func(fn func(*store.RegisterRecord) error) error) *Form {
	heads, merges := withLead([]string{"№ п/п", "Дата внесения сведений в реестр",
		"Наименование работодателя, место нахождения и место осуществления деятельности", "ИНН работодателя", "Код по ОКВЭД",
		"Наименование организации, проводившей специальную оценку условий труда, регистрационный номер в реестре", ""})
	numbers := make([]string, 0, registerLead+1+store.NumCols)
	for c := 1; c <= registerLead+store.NumCols; c++ {
		if c == registerLead+1 {
			numbers = append(numbers, "")
		}
		numbers = append(numbers, strconv.Itoa(c))
	}
	f := &Form{
		Sheet: "Реестр",
		Title: []string{"Реестр сведений о результатах проведения специальной оценки условий труда в хозяйствующих " +
			"субъектах"},
		Header:    headerBlock(set, p),
		Headings:  heads,
		Merges:    merges,
		Widths:    []float64{7, 11, 40, 13, 10, 30, 5, 12, 14, 12, 12, 9, 9, 9, 9, 9},
		Numbers:   numbers,
		CSVHead:   csvHeads(heads, merges),
		Group:     store.NumRows,
		GroupCols: registerLead,
		Notes:     registerNotes,
		Footer:    signatureFooter(set),
	}
	f.Body = func(yield func([]Cell) error) error {
		n := 0
		cells := make([]Cell, registerLead+1+store.NumCols) // reused: the writers copy what they keep
		return each(func(e *store.RegisterRecord) error {
			n++
			emp := e.Employer.Name
			if e.Employer.Address != "" {
				emp += "\n" + e.Employer.Address
			}
			org := e.SoutOrg.Name
			if e.SoutOrg.RegNo != "" {
				org += ", рег. № " + e.SoutOrg.RegNo
			}
			for r := 0; r < store.NumRows; r++ {
				clear(cells[:registerLead])
				if r == 0 {
					cells[0], cells[1], cells[2] = num(n), text(e.EnteredOn.Ru()), text(emp)
					cells[3], cells[4], cells[5] = text(e.Employer.INN), text(e.Employer.OKVED), text(org)
				}
				cells[registerLead] = mark(registerMarks[r])
				for c := 0; c < store.NumCols; c++ {
					cells[registerLead+1+c] = num(e.Grid[c][r])
				}
				if err := yield(cells); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return f
}

// JournalForm lays out the Journal (Appendix 4).
func JournalForm(set store.Settings, p store.Period, each func(fn func(*store.JournalEntry) error) error) *Form {
	cols := []string{"Регистрационный номер", "Дата поступления",
		"Наименование работодателя, на рабочих местах которого проведена специальная оценка условий труда",
		"Наименование организации, проводившей специальную оценку условий труда",
		"Дата, номер сопроводительного письма к материалам специальной оценки условий труда", "Примечания"}
	f := &Form{
		Sheet: "Журнал",
		Title: []string{"Журнал регистрации поступления материалов по результатам проведения специальной оценки условий " +
			"труда"},
		Header:   headerBlock(set, p),
		Headings: [][]string{cols},
		Widths:   []float64{16, 12, 44, 40, 24, 40},
		CSVHead:  csvHeads([][]string{cols}, nil),
		Footer:   nil,
	}
	f.Body = func(yield func([]Cell) error) error {
		return each(func(j *store.JournalEntry) error {
			org := j.SoutOrgName
			if j.SoutOrgRegNo != "" {
				org += " (рег. № " + j.SoutOrgRegNo + ")"
			}
			return yield([]Cell{text(j.Ref()), text(j.ReceivedOn.Ru()), text(j.EmployerName), text(org),
				text(j.Letter()), text(journalNote(j))})
		})
	}
	return f
}

// journalNote is column 6: the entry's status history, then the clerk's notes.
func journalNote(j *store.JournalEntry) string {
	s := j.HistoryNote()
	if j.Notes != "" {
		if s != "" {
			s += ". "
		}
		s += j.Notes
	}
	return s
}
