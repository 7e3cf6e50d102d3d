package report

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"sout/store"
)

// RisksCSVHead is the header line of the risks CSV (data columns).
var RisksCSVHead = []string{"inn", "employer_name", "okved", "indicator", "value", "entered_on"}

// WriteRisks computes the risk indicators of p and writes them: as CSV one
// line per employer and indicator; as XLSX the workbook for people (a
// summary sheet, a sheet per indicator, the SOUT organisations against the
// region, the class shares over ten half-years with a chart).
func WriteRisks(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	r, err := BuildRisks(ctx, s, p)
	if err != nil {
		return err
	}
	if !f.XLSX {
		return WriteRisksCSV(w, r, f)
	}
	set, err := s.Settings()
	if err != nil {
		return err
	}
	orgs, err := BuildOrgShares(ctx, s, p)
	if err != nil {
		return err
	}
	return WriteRisksXLSX(w, r, orgs, set)
}

// BuildOrgShares compares the SOUT organisations of the entries dated in p
// with the region (CompareOrgs), reading of each entry only its figures, OKVED
// and SOUT organisation (store.EachOrgFigures).
func BuildOrgShares(ctx context.Context, s *store.Store, p store.Period) ([]OrgShare, error) {
	return CompareOrgs(func(fn func(*store.OrgFigures) error) error { return s.EachOrgFigures(ctx, p, fn) })
}

// WriteRisksCSV writes the lines of r: inn, employer_name, okved, indicator
// (the key), value, entered_on (YYYY-MM-DD), sorted by INN then key. Text is
// neutralised against formula injection: the file is a report, not read back.
func WriteRisksCSV(w io.Writer, r *Risks, f Format) error {
	cw, err := newCSV(w, f)
	if err != nil {
		return err
	}
	if err := cw.Write(RisksCSVHead); err != nil {
		return err
	}
	for i := range r.Flags {
		fl := &r.Flags[i]
		inn, okved := fl.INN, Neutralize(fl.OKVED)
		if f.Excel { // codes stay text in a Russian spreadsheet: an INN keeps its leading zero
			inn, okved = ExcelText(inn), ExcelText(fl.OKVED)
		}
		rec := []string{inn, Neutralize(oneLine(fl.Employer)), okved, fl.Key, Neutralize(fl.Value), fl.EnteredOn.String()}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// risksHeader is the header block of every sheet of the risks workbook.
func risksHeader(set store.Settings, r *Risks) []string {
	return append(headerBlock(set, r.Period),
		fmt.Sprintf("Состояние работодателей — по последней записи реестра, внесённой не позднее %s; "+
			"работодателей в реестре: %d",
			r.Period.To.Ru(), r.Employers))
}

// RisksSummaryForm lays out the summary sheet: each indicator with its
// basis, how many employers raise it, and by OKVED section.
func RisksSummaryForm(r *Risks, set store.Settings) *Form {
	lead := []string{"№", "Индикатор риска", "Основание", "Работодателей"}
	n := len(store.Sections)
	top := append(append([]string{}, lead...), "в том числе по разделам ОКВЭД")
	second := make([]string, len(lead))
	csv := append([]string{}, lead...)
	widths := []float64{5, 34, 52, 14}
	for _, sec := range store.Sections {
		second = append(second, sec.Letter)
		csv = append(csv, "Раздел "+sec.Letter)
		widths = append(widths, 5)
	}
	second = append(second, "без кода")
	csv = append(csv, "Без кода ОКВЭД")
	widths = append(widths, 8)
	for len(top) < len(second) {
		top = append(top, "")
	}
	merges := []Span{{0, len(lead), 1, n + 1}}
	for c := range lead {
		merges = append(merges, Span{0, c, 2, 1})
	}
	f := &Form{
		Sheet:    "Индикаторы риска",
		Title:    []string{"Индикаторы риска по результатам специальной оценки условий труда"},
		Header:   risksHeader(set, r),
		Headings: [][]string{top, second},
		Merges:   merges,
		Widths:   widths,
		CSVHead:  csv,
	}
	f.Body = func(yield func([]Cell) error) error {
		for i := range RiskIndicators {
			ind := &RiskIndicators[i]
			cells := []Cell{num(i + 1), text(ind.Name), text(ind.BasisFor(r.Thresholds)), num(r.Count(ind.Key))}
			for _, c := range r.CountBySection(ind.Key) {
				cells = append(cells, num(c))
			}
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

// txtRiskNoEmployers is the note under an indicator's empty table.
const txtRiskNoEmployers = "Работодателей с этим индикатором риска в периоде нет."

// RiskIndicatorForm lays out the sheet of one indicator: its employers.
func RiskIndicatorForm(r *Risks, ind *RiskIndicator, set store.Settings) *Form {
	date := "Дата записи реестра"
	if ind.Key == RiskOverdueReturn {
		date = "Дата поступления"
	}
	cols := []string{"№ п/п", "ИНН", "Наименование работодателя", "Код по ОКВЭД", "Раздел ОКВЭД", "Значение", date}
	f := &Form{
		Sheet:    ind.Short,
		Title:    []string{ind.Name},
		Header:   append(risksHeader(set, r), "Основание: "+ind.BasisFor(r.Thresholds)),
		Headings: [][]string{cols},
		Widths:   []float64{7, 14, 50, 11, 9, 30, 14},
		CSVHead:  cols,
	}
	if r.Count(ind.Key) == 0 {
		f.Notes = []string{txtRiskNoEmployers}
	}
	f.Body = func(yield func([]Cell) error) error {
		n := 0
		for i := range r.Flags {
			fl := &r.Flags[i]
			if fl.Key != ind.Key {
				continue
			}
			n++
			sec := ""
			if fl.Section >= 0 {
				sec = store.Sections[fl.Section].Letter
			}
			value := text(fl.Value)
			if v, err := strconv.Atoi(fl.Value); err == nil { // a count is a number, to sum and sort
				value = num(v)
			}
			if err := yield([]Cell{num(n), text(fl.INN), text(fl.Employer), text(fl.OKVED), text(sec), value,
				text(fl.EnteredOn.Ru())}); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

// OrgSharesForm lays out the SOUT organisations against the region.
func OrgSharesForm(r *Risks, orgs []OrgShare, set store.Settings) *Form {
	cols := []string{"№ п/п", "Организация, проводившая СОУТ", "Рег. номер в реестре", "Записей реестра",
		"Работников на рабочих местах с СОУТ (гр. 8)", "Из них в классах 3.1–4", "Доля в классах 3.1–4, %",
		"Доля по субъекту в тех же разделах ОКВЭД, %", "Разница, п. п."}
	f := &Form{
		Sheet: "Организации СОУТ",
		Title: []string{"Организации, проводившие СОУТ: доля работников во вредных и опасных условиях труда " +
			"против субъекта РФ"},
		Header: append(headerBlock(set, r.Period),
			"Записи реестра, внесённые в отчётном периоде; ожидаемая доля — доля субъекта в тех же разделах ОКВЭД, "+
				"взвешенная по работникам организации. Сначала — организации, чьи результаты ниже всего "+
				"против ожидаемых"),
		Headings: [][]string{cols},
		Widths:   []float64{7, 44, 14, 11, 15, 13, 12, 15, 11},
		CSVHead:  cols,
	}
	f.Body = func(yield func([]Cell) error) error {
		for i := range orgs {
			o := &orgs[i]
			cells := []Cell{num(i + 1), text(o.Name), text(o.RegNo), num(o.Entries), num(o.Workers), num(o.Harmful),
				dec(o.Share()), dec(o.Expected), dec(o.Gap())}
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

// TrendClassTitles name the classes of the trend, in order.
var TrendClassTitles = []string{"1", "2", "3.1", "3.2", "3.3", "3.4", "4"}

// TrendForm lays out the region's workers by class over ten half-years.
func TrendForm(r *Risks, set store.Settings) *Form {
	cols := []string{"Полугодие", "Работников на рабочих местах с СОУТ (гр. 8)"}
	for _, c := range TrendClassTitles {
		cols = append(cols, "Класс "+c)
	}
	for _, c := range TrendClassTitles {
		cols = append(cols, "Класс "+c+", %")
	}
	widths := []float64{22, 15}
	for range 2 * len(TrendClassTitles) {
		widths = append(widths, 10)
	}
	f := &Form{
		Sheet:    "Динамика",
		Title:    []string{"Работники по классам условий труда за десять полугодий (записи реестра, внесённые в полугодии)"},
		Header:   headerBlock(set, store.Period{}),
		Headings: [][]string{cols},
		Widths:   widths,
		CSVHead:  cols,
	}
	f.Body = func(yield func([]Cell) error) error {
		for _, h := range r.Trend {
			cells := []Cell{text(h.Period.String()), num(h.Workers)}
			for _, n := range h.Classes {
				cells = append(cells, num(n))
			}
			for _, s := range h.Share {
				cells = append(cells, dec(s))
			}
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	}
	return f
}

// Percent1 prints a percentage with one decimal and a decimal comma: «12,3».
func Percent1(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

// WriteRisksXLSX writes the risks workbook: the summary sheet, a sheet per
// indicator, the SOUT organisations and the trend with its chart, each in
// the style of the forms.
func WriteRisksXLSX(w io.Writer, r *Risks, orgs []OrgShare, set store.Settings) error {
	forms := []*Form{RisksSummaryForm(r, set)}
	for i := range RiskIndicators {
		forms = append(forms, RiskIndicatorForm(r, &RiskIndicators[i], set))
	}
	trend := TrendForm(r, set)
	forms = append(forms, OrgSharesForm(r, orgs, set), trend)
	return writeFormsXLSX(w, forms, map[*Form]func(*excelize.File, int) error{
		trend: func(f *excelize.File, bodyStart int) error { return addTrendChart(f, trend, bodyStart, len(r.Trend)) },
	})
}

// addTrendChart puts a 100 % stacked column chart of the workers by class
// under the trend table: one column per half-year.
func addTrendChart(f *excelize.File, form *Form, first, n int) error {
	sheet := form.Sheet
	last := first + n - 1
	var series []excelize.ChartSeries
	for i := range TrendClassTitles {
		col, _ := excelize.ColumnNumberToName(3 + i)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", sheet, col, first-2), // the heading «Класс …»
			Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sheet, first, last),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, first, col, last),
		})
	}
	return f.AddChart(sheet, fmt.Sprintf("B%d", last+3), &excelize.Chart{
		Type:   excelize.ColPercentStacked,
		Series: series,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Доли работников по классам условий труда, %"}}},
		Legend: excelize.ChartLegend{Position: "right"},
		Dimension: excelize.ChartDimension{
			Width: 900, Height: 380,
		},
	})
}

// writeFormsXLSX writes several forms as the sheets of one workbook, each
// as writeFormXLSX lays out a form without grouped rows. A form's extra
// function (a chart) gets the first body row and runs before the sheet's
// stream is flushed: the drawing a chart adds is written with the sheet.
//
// NOTE: the first sheet is the active one as the new file has it. Calling
// SetActiveSheet after streaming made excelize parse every streamed sheet
// back into memory and marshal it again: 3 of the 4.6 s the workbook of
// 120,000 flags took, and 1.7 GB allocated.
func writeFormsXLSX(w io.Writer, forms []*Form, extra map[*Form]func(*excelize.File, int) error) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	dims, sheets := map[int]string{}, 0
	for i, form := range forms {
		x := &xlsxForm{f: f, form: form, st: st, dims: dims, sheets: sheets}
		if err := x.startSheet(form.Sheet, i == 0); err != nil {
			return err
		}
		bodyStart := x.row
		if err := x.plainBody(); err != nil {
			return err
		}
		if err := x.footer(); err != nil {
			return err
		}
		if fn := extra[form]; fn != nil {
			if err := fn(f, bodyStart); err != nil {
				return err
			}
		}
		if err := x.endSheet(); err != nil {
			return err
		}
		sheets = x.sheets
	}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &dimensionZip{Writer: zip.NewWriter(w), dims: dims} })
	_, err = f.WriteTo(w)
	return err
}

// plainBody streams the body of a form without grouped rows or sums,
// continuing on a further sheet when one is full.
func (x *xlsxForm) plainBody() error {
	return x.form.Body(func(cells []Cell) error {
		if x.row > maxSheetRows {
			if err := x.nextSheet(); err != nil {
				return err
			}
		}
		vals := make([]any, len(cells))
		for c, cell := range cells {
			v := excelize.Cell{StyleID: x.st.text}
			switch {
			case cell.IsNum:
				v.StyleID, v.Value = x.st.num, cell.Num
			case cell.IsDec:
				v.StyleID, v.Value = x.st.dec, cell.Dec
			case cell.Text != "":
				v.Value = cell.Text
			}
			vals[c] = v
		}
		return x.setRow(vals, wrappedHeight(cells, x.form.Widths))
	})
}
