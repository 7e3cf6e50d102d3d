package report

import "sout/store"

// Cell is one body cell of a form.
type Cell struct {
	Text    string // text, written as text (never as a formula)
	Num     int    // a figure, when IsNum
	IsNum   bool
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
	CSVHead   []string   // the CSV header line: one heading per column
	Group     int        // body rows per record whose first GroupCols columns merge (Register: 5), 0 = none
	GroupCols int
	// Body yields the body rows in order; rows of one record come together.
	Body   func(yield func([]Cell) error) error
	Footer []string
}

// Cols returns the number of columns.
func (f *Form) Cols() int { return len(f.CSVHead) }

func text(s string) Cell { return Cell{Text: s} }
func num(n int) Cell     { return Cell{Num: n, IsNum: true} }

// classHeadings returns the heading rows of the grid columns 7–15 (Register)
// or 4–12 (Summary): total, assessed, and the classes under a common heading.
func gridHeadings() (rows [3][]string, merges []Span) {
	rows[0] = []string{
		"Общее количество рабочих мест / работников",
		"Количество рабочих мест, на которых проведена специальная оценка условий труда / работников на них",
		"Количество рабочих мест (работников), на которых установлены классы (подклассы) условий труда", "", "", "", "", "", "",
	}
	rows[1] = []string{"", "", "класс 1 (оптимальный)", "класс 2 (допустимый)", "класс 3 (вредный)", "", "", "", "класс 4 (опасный)"}
	rows[2] = []string{"", "", "", "", "подкласс 3.1", "подкласс 3.2", "подкласс 3.3", "подкласс 3.4", ""}
	merges = []Span{{0, 0, 3, 1}, {0, 1, 3, 1}, {0, 2, 1, 7}, {1, 2, 2, 1}, {1, 3, 2, 1}, {1, 4, 1, 4}, {1, 8, 2, 1}}
	return rows, merges
}

// gridCSVHeads are the CSV headings of the grid columns.
var gridCSVHeads = []string{
	"Общее количество рабочих мест / работников",
	"Рабочие места, на которых проведена СОУТ / работники на них",
	"Класс 1", "Класс 2", "Класс 3.1", "Класс 3.2", "Класс 3.3", "Класс 3.4", "Класс 4",
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
		"Руководитель государственной инспекции труда   ____________ (подпись)   " + head + " (Ф.И.О.)   «___» ____________ 20__ г. (дата)",
		"Должностное лицо, ответственное за составление формы   ____________ (подпись)   " + comp + " (Ф.И.О.)   «___» ____________ 20__ г. (дата)   тел. " + phone + " (номер контактного телефона)",
	}
}

func headerBlock(set store.Settings, p store.Period) []string {
	region := set.Region
	if region == "" {
		region = "(субъект Российской Федерации не указан: sout init --region …)"
	}
	lines := []string{"Субъект Российской Федерации: " + region}
	if set.Inspectorate != "" {
		lines = append(lines, set.Inspectorate)
	}
	if !p.IsZero() {
		lines = append(lines, "Отчётный период: "+p.String())
	}
	return lines
}

// SummaryForm lays out a computed Summary (Appendix 3).
func SummaryForm(sum *Summary, set store.Settings) *Form {
	heads, merges := withLead([]string{"№ строки", "Наименование показателя", "Количество организаций, в которых проведена специальная оценка условий труда"})
	f := &Form{
		Sheet:    "Сводная ведомость",
		Title:    []string{"Сводная ведомость результатов проведения специальной оценки условий труда в субъекте Российской Федерации"},
		Header:   headerBlock(set, sum.Period),
		Headings: heads,
		Merges:   merges,
		Widths:   []float64{9, 46, 15, 14, 16, 13, 13, 11, 11, 11, 11, 11},
		CSVHead:  append([]string{"№ строки", "Наименование показателя", "Количество организаций, в которых проведена СОУТ"}, gridCSVHeads...),
		Footer:   signatureFooter(set),
	}
	f.Body = func(yield func([]Cell) error) error {
		for _, r := range sum.Rows {
			if err := yield(summaryCells(sum, r)); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

func summaryCells(sum *Summary, r SummaryRow) []Cell {
	cells := make([]Cell, 3+store.NumCols)
	cells[0], cells[1] = text(r.Code), text(r.Name)
	if r.Header {
		cells[2] = num(r.Employers)
		return cells
	}
	for c := 0; c < store.NumCols; c++ {
		cells[3+c] = num(r.Values[c])
	}
	if r.Section == -1 {
		// Rows 1.1 … 1.2.3 sum the same sub-rows of sections 2…20, six body rows apart.
		offs := make([]int, 19)
		for i := range offs {
			offs[i] = 6 * (i + 1)
		}
		for c := range store.NumCols {
			cells[3+c].SumRows = offs
		}
	}
	return cells
}

// RegisterForm lays out the Register (Appendix 2): five rows per entry.
func RegisterForm(set store.Settings, p store.Period, journalRef func(id uint64) string, each func(fn func(*store.RegisterRecord) error) error) *Form {
	heads, merges := withLead([]string{"№ п/п", "Дата внесения сведений в реестр",
		"Наименование работодателя, место нахождения и место осуществления деятельности", "ИНН работодателя", "Код по ОКВЭД",
		"Наименование организации, проводившей специальную оценку условий труда, регистрационный номер в реестре"})
	f := &Form{
		Sheet:     "Реестр",
		Title:     []string{"Реестр сведений о результатах проведения специальной оценки условий труда в хозяйствующих субъектах"},
		Header:    headerBlock(set, p),
		Headings:  heads,
		Merges:    merges,
		Widths:    []float64{7, 11, 40, 13, 10, 30, 12, 14, 12, 12, 9, 9, 9, 9, 9},
		CSVHead:   append([]string{"№ п/п", "Дата внесения сведений в реестр", "Наименование работодателя, место нахождения и место осуществления деятельности", "ИНН", "Код по ОКВЭД", "Организация, проводившая СОУТ, регистрационный номер"}, gridCSVHeads...),
		Group:     store.NumRows,
		GroupCols: 6,
		Footer:    signatureFooter(set),
	}
	f.Body = func(yield func([]Cell) error) error {
		n := 0
		return each(func(e *store.RegisterRecord) error {
			n++
			emp := e.Employer.Name
			if e.Employer.Address != "" {
				emp += ", " + e.Employer.Address
			}
			org := e.SoutOrg.Name
			if e.SoutOrg.RegNo != "" {
				org += ", рег. № " + e.SoutOrg.RegNo
			}
			for r := 0; r < store.NumRows; r++ {
				cells := make([]Cell, 6+store.NumCols)
				if r == 0 {
					cells[0], cells[1], cells[2], cells[3], cells[4], cells[5] = num(n), text(e.EnteredOn.Ru()), text(emp), text(e.Employer.INN), text(e.Employer.OKVED), text(org)
				}
				for c := 0; c < store.NumCols; c++ {
					cells[6+c] = num(e.Grid[c][r])
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
		Sheet:    "Журнал",
		Title:    []string{"Журнал регистрации поступления материалов по результатам проведения специальной оценки условий труда"},
		Header:   headerBlock(set, p),
		Headings: [][]string{cols},
		Widths:   []float64{16, 12, 44, 40, 24, 40},
		CSVHead:  cols,
		Footer:   nil,
	}
	f.Body = func(yield func([]Cell) error) error {
		return each(func(j *store.JournalEntry) error {
			org := j.SoutOrgName
			if j.SoutOrgRegNo != "" {
				org += " (рег. № " + j.SoutOrgRegNo + ")"
			}
			return yield([]Cell{text(j.Ref()), text(j.ReceivedOn.Ru()), text(j.EmployerName), text(org), text(j.Letter()), text(journalNote(j))})
		})
	}
	return f
}

// journalNote is column 6: the clerk's notes and the entry's status.
func journalNote(j *store.JournalEntry) string {
	var s string
	switch j.Status {
	case store.StatusReturned:
		s = "Возвращено на доработку до " + j.ReturnDeadline.Ru() + ": " + j.StatusReason
	case store.StatusAnnulled:
		s = "Аннулировано: " + j.StatusReason
	case store.StatusAccepted:
		s = "Принято"
	}
	if j.Notes != "" {
		if s != "" {
			s += ". "
		}
		s += j.Notes
	}
	return s
}
