package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxSheetRows is the most rows a sheet holds; a longer form continues on a
// further sheet with the headings repeated. Tests lower it.
var maxSheetRows = 1048576

// xlsxStyles are the cell styles of a form.
type xlsxStyles struct {
	title, header, heading, number, text, num, footer int
	groupText, groupTop, groupMid, groupBottom        int // the merged-looking columns of grouped rows
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	thin := func(sides ...string) []excelize.Border {
		var b []excelize.Border
		for _, side := range sides {
			b = append(b, excelize.Border{Type: side, Color: "000000", Style: 1})
		}
		return b
	}
	all := thin("left", "right", "top", "bottom")
	font := func(size float64, bold, italic bool) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold, Italic: italic}
	}
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.title, excelize.Style{Font: font(12, true, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.header, excelize.Style{Font: font(10, false, false), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.heading, excelize.Style{Font: font(9, true, false), Border: all, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.number, excelize.Style{Font: font(8, false, true), Border: all, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.text, excelize.Style{Font: font(9, false, false), Border: all, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
		{&s.num, excelize.Style{Font: font(9, false, false), Border: all, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}}},
		{&s.footer, excelize.Style{Font: font(10, false, false)}},
		{&s.groupTop, excelize.Style{Font: font(9, false, false), Border: thin("left", "right", "top"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
		{&s.groupMid, excelize.Style{Font: font(9, false, false), Border: thin("left", "right")}},
		{&s.groupBottom, excelize.Style{Font: font(9, false, false), Border: thin("left", "right", "bottom")}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return s, err
		}
		*d.dst = id
	}
	return s, nil
}

// writeFormXLSX writes a form as an XLSX workbook that looks like the paper
// form: title, header block, numbered headings with merges, thin borders,
// landscape A4 fitted to the page width with the headings repeated on every
// printed page, and the signature footer. The body is streamed.
func writeFormXLSX(w io.Writer, form *Form) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	// Spreadsheets recompute the SUM rows on opening; the stored values serve readers that do not.
	yes := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes}); err != nil {
		return err
	}
	x := &xlsxForm{f: f, form: form, st: st}
	if err := x.startSheet(form.Sheet, true); err != nil {
		return err
	}
	bodyStart := x.row
	i := 0
	err = form.Body(func(cells []Cell) error {
		if form.Group > 0 && i%form.Group == 0 && x.row+form.Group-1 > maxSheetRows {
			if err := x.nextSheet(); err != nil {
				return err
			}
		} else if form.Group == 0 && x.row > maxSheetRows {
			if err := x.nextSheet(); err != nil {
				return err
			}
		}
		vals := make([]any, len(cells))
		for c, cell := range cells {
			style := st.text
			if form.Group > 0 && c < form.GroupCols {
				switch i % form.Group {
				case 0:
					style = st.groupTop
				case form.Group - 1:
					style = st.groupBottom
				default:
					style = st.groupMid
				}
			} else if cell.IsNum {
				style = st.num
			}
			v := excelize.Cell{StyleID: style}
			switch {
			case cell.IsNum:
				v.Value = cell.Num
			case cell.Text != "":
				v.Value = cell.Text
			}
			if len(cell.SumRows) > 0 {
				refs := make([]string, len(cell.SumRows))
				col, _ := excelize.ColumnNumberToName(c + 1)
				for k, off := range cell.SumRows {
					refs[k] = fmt.Sprintf("%s%d", col, bodyStart+i+off)
				}
				v.Formula = "SUM(" + strings.Join(refs, ",") + ")"
			}
			vals[c] = v
		}
		i++
		height := 0.0 // the default
		if form.Group == 0 {
			height = wrappedHeight(cells, form.Widths)
		}
		return x.setRow(vals, height)
	})
	if err != nil {
		return err
	}
	if err := x.footer(); err != nil {
		return err
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// wrappedHeight is the height a row of text cells needs once their text
// wraps in its column, or 0 when one line is enough. A streamed sheet has no
// automatic row heights, and a long note would run over the rows below it
// in a reader or on paper. The measure is that of the 9-point body font:
// about 1.2 characters per unit of column width, 12 points a line.
func wrappedHeight(cells []Cell, widths []float64) float64 {
	lines := 1
	for c, cell := range cells {
		if cell.IsNum || c >= len(widths) || cell.Text == "" {
			continue
		}
		perLine := max(int(widths[c]*1.2), 1)
		lines = max(lines, (utf8.RuneCountInString(cell.Text)+perLine-1)/perLine)
	}
	if lines == 1 {
		return 0
	}
	return float64(12*lines + 3)
}

// xlsxForm is the state of one XLSX form being written.
type xlsxForm struct {
	f      *excelize.File
	form   *Form
	st     xlsxStyles
	sw     *excelize.StreamWriter
	sheet  string
	sheets int
	row    int
}

func (x *xlsxForm) setRow(vals []any, height float64) error {
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	x.row++
	if height > 0 {
		return x.sw.SetRow(cell, vals, excelize.RowOpts{Height: height})
	}
	return x.sw.SetRow(cell, vals)
}

// startSheet sets up a sheet and writes the title, header and headings.
func (x *xlsxForm) startSheet(name string, first bool) error {
	f, form := x.f, x.form
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	x.sheet, x.row = name, 1
	x.sheets++
	size, orient, one, zero, yes := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	margin := 0.4
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw = sw
	cols := form.Cols()
	for i, wdt := range form.Widths {
		if err := sw.SetColWidth(i+1, i+1, wdt); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(cols)
	wide := func(s string, style int, height float64) error {
		r := x.row
		if err := x.setRow([]any{excelize.Cell{StyleID: style, Value: s}}, height); err != nil {
			return err
		}
		return sw.MergeCell(fmt.Sprintf("A%d", r), fmt.Sprintf("%s%d", last, r))
	}
	for _, t := range form.Title {
		if err := wide(t, x.st.title, 32); err != nil {
			return err
		}
	}
	for _, h := range form.Header {
		if err := wide(h, x.st.header, 0); err != nil {
			return err
		}
	}
	if err := x.setRow(nil, 0); err != nil {
		return err
	}
	headStart := x.row
	for _, hr := range form.Headings {
		vals := make([]any, cols)
		for c := range vals {
			v := ""
			if c < len(hr) {
				v = hr[c]
			}
			vals[c] = excelize.Cell{StyleID: x.st.heading, Value: v}
		}
		// Tall enough for the wrapped headings of the paper form.
		height := []float64{66, 30, 24}[min(x.row-headStart, 2)]
		if len(form.Headings) == 1 {
			height = 64
		}
		if err := x.setRow(vals, height); err != nil {
			return err
		}
	}
	for _, m := range form.Merges {
		a, _ := excelize.CoordinatesToCellName(m.Col+1, headStart+m.Row)
		b, _ := excelize.CoordinatesToCellName(m.Col+m.Cols, headStart+m.Row+m.Rows-1)
		if err := sw.MergeCell(a, b); err != nil {
			return err
		}
	}
	nums := make([]any, cols)
	for c := range nums {
		nums[c] = excelize.Cell{StyleID: x.st.number, Value: c + 1}
	}
	if err := x.setRow(nums, 0); err != nil {
		return err
	}
	// Headings and their numbers repeat on every printed page.
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$%d:$%d", name, headStart, x.row-1), Scope: name})
}

// nextSheet closes the current sheet and continues the form on a new one.
func (x *xlsxForm) nextSheet() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.startSheet(fmt.Sprintf("%s (%d)", x.form.Sheet, x.sheets+1), false)
}

func (x *xlsxForm) footer() error {
	if len(x.form.Footer) == 0 {
		return nil
	}
	if err := x.setRow(nil, 0); err != nil {
		return err
	}
	for _, line := range x.form.Footer {
		if err := x.setRow([]any{excelize.Cell{StyleID: x.st.footer, Value: line}}, 0); err != nil {
			return err
		}
		if err := x.setRow(nil, 0); err != nil {
			return err
		}
	}
	return nil
}
