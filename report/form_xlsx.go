package report

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxSheetRows is the most rows a sheet holds; a longer form continues on a
// further sheet with the headings repeated. Tests lower it.
var maxSheetRows = 1048576

// xlsxStyles are the cell styles of a form.
type xlsxStyles struct {
	title, header, heading, number, text, num, dec, mark, note, footer int
	groupTop, groupMid, groupBottom                                    int // the merged-looking columns of grouped rows
}

// decFormat shows a share with one decimal (the locale gives its comma).
var decFormat = "0.0"

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
		{&s.title, excelize.Style{Font: font(12, true, false), Alignment: &excelize.Alignment{Horizontal: "center",
			Vertical: "center", WrapText: true}}},
		{&s.header, excelize.Style{Font: font(10, false, false), Alignment: &excelize.Alignment{Horizontal: "left",
			Vertical: "top", WrapText: true}}},
		{&s.heading, excelize.Style{Font: font(9, true, false), Border: all,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.number, excelize.Style{Font: font(8, false, true), Border: all,
			Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.text, excelize.Style{Font: font(9, false, false), Border: all,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
		{&s.num, excelize.Style{Font: font(9, false, false), Border: all,
			Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}}},
		{&s.dec, excelize.Style{Font: font(9, false, false), Border: all,
			Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top"}, CustomNumFmt: &decFormat}},
		{&s.mark, excelize.Style{Font: font(8, false, false), Border: all,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}, NumFmt: 49}},
		{&s.note, excelize.Style{Font: font(9, false, false), Alignment: &excelize.Alignment{Vertical: "top",
			WrapText: true}}},
		{&s.footer, excelize.Style{Font: font(10, false, false)}},
		{&s.groupTop, excelize.Style{Font: font(9, false, false), Border: thin("left", "right", "top"),
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
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
// printed page, page breaks only between records, the footnotes and the
// signature footer. The body is streamed.
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
	x := &xlsxForm{f: f, form: form, st: st, dims: map[int]string{}}
	if err := x.startSheet(form.Sheet, true); err != nil {
		return err
	}
	x.bodyStart = x.row
	// The rows of one record are gathered (into cells reused from record to
	// record) to be measured before they are written.
	group := max(form.Group, 1)
	rows := make([][]Cell, group)
	n := 0
	var block [][]Cell
	err = form.Body(func(cells []Cell) error {
		rows[n] = append(rows[n][:0], cells...)
		n++
		block = rows[:n]
		if n < group {
			return nil
		}
		n = 0
		return x.writeBlock(block)
	})
	block = rows[:n]
	if err == nil && len(block) > 0 {
		err = x.writeBlock(block)
	}
	if err != nil {
		return err
	}
	if err := x.footer(); err != nil {
		return err
	}
	if err := x.endSheet(); err != nil {
		return err
	}
	if err := x.annex(); err != nil {
		return err
	}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return &dimensionZip{Writer: zip.NewWriter(w), dims: x.dims}
	})
	_, err = f.WriteTo(w)
	return err
}

// writeBlock writes the body rows of one record, on a new page when they do
// not fit on the current one and on a new sheet when they do not fit on this one.
func (x *xlsxForm) writeBlock(block [][]Cell) error {
	if x.row+len(block)-1 > maxSheetRows {
		if err := x.nextSheet(); err != nil {
			return err
		}
		x.bodyStart = x.row
	}
	heights := make([]float64, len(block))
	total := 0.0
	for r, cells := range block {
		heights[r] = wrappedHeight(cells, x.form.Widths)
		total += heights[r]
	}
	if x.row > x.bodyStart && x.used+total > x.page {
		cell, _ := excelize.CoordinatesToCellName(1, x.row)
		if err := x.sw.InsertPageBreak(cell); err != nil {
			return err
		}
		x.used = x.titles
	}
	for r, cells := range block {
		if err := x.setRow(x.rowValues(cells, r), heights[r]); err != nil {
			return err
		}
	}
	return nil
}

// rowValues are the styled values of the body row with the cells, the r-th row of its record.
func (x *xlsxForm) rowValues(cells []Cell, r int) []any {
	form, st := x.form, x.st
	vals := make([]any, len(cells))
	for c, cell := range cells {
		style := st.text
		switch {
		case form.GroupCols > 0 && c < form.GroupCols && r == 0:
			style = st.groupTop
		case form.GroupCols > 0 && c < form.GroupCols && r == form.Group-1:
			style = st.groupBottom
		case form.GroupCols > 0 && c < form.GroupCols:
			style = st.groupMid
		case cell.Mark:
			style = st.mark
		case cell.IsNum:
			style = st.num
		case cell.IsDec:
			style = st.dec
		}
		v := excelize.Cell{StyleID: style}
		switch {
		case cell.IsNum:
			v.Value = cell.Num
		case cell.IsDec:
			v.Value = cell.Dec
		case cell.Text != "":
			v.Value = cell.Text
		}
		if len(cell.SumRows) > 0 {
			refs := make([]string, len(cell.SumRows))
			col, _ := excelize.ColumnNumberToName(c + 1)
			for k, off := range cell.SumRows {
				refs[k] = fmt.Sprintf("%s%d", col, x.row+off)
			}
			v.Formula = "SUM(" + strings.Join(refs, ",") + ")"
		}
		vals[c] = v
	}
	return vals
}

// The measures of the 9-point body font in a spreadsheet column: characters
// per unit of column width, and points per line (seen in LibreOffice).
const (
	charsPerUnit = 1.25
	lineHeight   = 11.5
	rowPadding   = 3.5
)

// wrappedHeight is the height of a body row: that of its tallest text cell
// once the text wraps at word boundaries in its column. A streamed sheet has
// no automatic row heights, and a long note would run over the rows below it
// in a reader or on paper.
func wrappedHeight(cells []Cell, widths []float64) float64 {
	lines := 1
	for c, cell := range cells {
		if cell.IsNum || c >= len(widths) || cell.Text == "" {
			continue
		}
		lines = max(lines, wrappedLines(cell.Text, widths[c]))
	}
	return float64(lines)*lineHeight + rowPadding
}

// wrappedLines counts the lines text takes in a column of width units: its
// own lines, each broken between words where the next would overflow.
func wrappedLines(text string, width float64) int {
	per := max(int(width*charsPerUnit)-1, 1) // the cell's inner margins take about a character
	n, used, word := 1, 0, 0
	place := func() { // puts the word just read on the line, or on the next
		switch {
		case word == 0:
			return
		case used == 0:
			used = word
		case used+1+word <= per:
			used += 1 + word
		default:
			n++
			used = word
		}
		for used > per { // a word longer than the line breaks inside it
			n++
			used -= per
		}
		word = 0
	}
	for _, r := range text {
		switch {
		case r == '\n':
			place()
			n, used = n+1, 0
		case unicode.IsSpace(r):
			place()
		default:
			word++
		}
	}
	place()
	return n
}

// xlsxForm is the state of one XLSX form being written.
type xlsxForm struct {
	f         *excelize.File
	form      *Form
	st        xlsxStyles
	sw        *excelize.StreamWriter
	sheet     string
	sheets    int
	row       int            // the next row to write
	bodyStart int            // the first body row of the current sheet
	page      float64        // the height of a printed page, in points of the sheet at 100 %
	titles    float64        // the height of the rows repeated at the top of every page
	used      float64        // how much of the current page the rows written take
	dims      map[int]string // the used range of each sheet, by its number
}

// defaultRowHeight is the height of a row given none (excelize's default sheet).
const defaultRowHeight = 15

func (x *xlsxForm) setRow(vals []any, height float64) error {
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	x.row++
	if height > 0 {
		x.used += height
		return x.sw.SetRow(cell, vals, excelize.RowOpts{Height: height})
	}
	x.used += defaultRowHeight
	return x.sw.SetRow(cell, vals)
}

// pageHeight is the height of a landscape A4 page within the margins, in
// points of a sheet with the column widths that is fitted to the page width
// (at a whole percent, as spreadsheets scale), less a little for the
// difference between their font measures.
func pageHeight(widths []float64, margin float64) float64 {
	const a4w, a4h, ptPerUnit = 841.89, 595.28, 7 * 0.75 // a unit of width is 7 pixels
	total := 0.0
	for _, w := range widths {
		total += w * ptPerUnit
	}
	scale := min(1, math.Floor((a4w-2*margin*72)/total*100)/100)
	return (a4h - 2*margin*72) / scale * 0.97
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
	x.sheet, x.row, x.used = name, 1, 0
	x.sheets++
	const margin = 0.4
	if err := x.pageSetup(name, margin); err != nil {
		return err
	}
	x.page = pageHeight(form.Widths, margin)
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
	for _, t := range form.Title {
		if err := x.wide(t, x.st.title, 32); err != nil {
			return err
		}
	}
	total := 0.0
	for _, w := range form.Widths {
		total += w
	}
	for _, h := range form.Header {
		height := 0.0                           // a line that fits keeps the default height
		if n := wrappedLines(h, total); n > 1 { // a long note wraps over the table's width, never cut
			height = float64(n)*lineHeight + rowPadding
		}
		if err := x.wide(h, x.st.header, height); err != nil {
			return err
		}
	}
	if err := x.setRow(nil, 0); err != nil {
		return err
	}
	headStart, usedBefore := x.row, x.used
	if err := x.headings(cols); err != nil {
		return err
	}
	x.titles = x.used - usedBefore
	x.bodyStart = x.row
	// Headings and their numbers repeat on every printed page.
	titles := fmt.Sprintf("'%s'!$%d:$%d", name, headStart, x.row-1)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: name})
}

// pageSetup sets landscape A4 fitted to the page width, with margins in inches.
func (x *xlsxForm) pageSetup(name string, margin float64) error {
	size, orient, one, zero, yes := 9, "landscape", 1, 0, true
	layout := &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}
	if err := x.f.SetPageLayout(name, layout); err != nil {
		return err
	}
	if err := x.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	m := &margin
	return x.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: m, Right: m, Top: m, Bottom: m})
}

// wide writes a row of one text merged over all the form's columns.
func (x *xlsxForm) wide(s string, style int, height float64) error {
	r := x.row
	if err := x.setRow([]any{excelize.Cell{StyleID: style, Value: s}}, height); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(x.form.Cols())
	return x.sw.MergeCell(fmt.Sprintf("A%d", r), fmt.Sprintf("%s%d", last, r))
}

// headings writes the heading rows with their merges and the row of column numbers.
func (x *xlsxForm) headings(cols int) error {
	form, sw := x.form, x.sw
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
		var v any = c + 1
		if form.Numbers != nil {
			v = form.Numbers[c]
			if n, err := strconv.Atoi(form.Numbers[c]); err == nil {
				v = n
			}
		}
		nums[c] = excelize.Cell{StyleID: x.st.number, Value: v}
	}
	return x.setRow(nums, 0)
}

// endSheet flushes the current sheet and notes its used range.
func (x *xlsxForm) endSheet() error {
	last, _ := excelize.CoordinatesToCellName(x.form.Cols(), max(x.row-1, 1))
	x.dims[x.sheets] = "A1:" + last
	return x.sw.Flush()
}

// nextSheet closes the current sheet and continues the form on a new one.
func (x *xlsxForm) nextSheet() error {
	if err := x.endSheet(); err != nil {
		return err
	}
	return x.startSheet(fmt.Sprintf("%s (%d)", x.form.Sheet, x.sheets+1), false)
}

// footer writes the footnotes under the table and the signature lines.
func (x *xlsxForm) footer() error {
	for _, note := range x.form.Notes {
		total := 0.0
		for _, w := range x.form.Widths {
			total += w
		}
		h := float64(wrappedLines(note, total))*lineHeight + rowPadding
		if err := x.wide(note, x.st.note, h); err != nil {
			return err
		}
	}
	if len(x.form.Footer) == 0 {
		return nil
	}
	if err := x.setRow(nil, 0); err != nil {
		return err
	}
	for i, line := range x.form.Footer {
		if i > 0 {
			if err := x.setRow(nil, 0); err != nil {
				return err
			}
		}
		if err := x.setRow([]any{excelize.Cell{StyleID: x.st.footer, Value: line}}, 0); err != nil {
			return err
		}
	}
	return nil
}

// annex writes the form's annex on a sheet of its own.
func (x *xlsxForm) annex() error {
	a := x.form.Annex
	if a == nil {
		return nil
	}
	if _, err := x.f.NewSheet(a.Sheet); err != nil {
		return err
	}
	if err := x.pageSetup(a.Sheet, 0.4); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(a.Sheet)
	if err != nil {
		return err
	}
	widths := make([]float64, len(a.Head))
	for _, r := range append([][]string{a.Head}, a.Rows...) {
		for c, v := range r {
			if c < len(widths) {
				widths[c] = min(max(widths[c], float64(utf8.RuneCountInString(v))*1.1+2), 60)
			}
		}
	}
	for c, w := range widths {
		if err := sw.SetColWidth(c+1, c+1, w); err != nil {
			return err
		}
	}
	rows := [][]any{{excelize.Cell{StyleID: x.st.header, Value: a.Title}}, nil}
	row := func(vals []string, style int) []any {
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = excelize.Cell{StyleID: style, Value: v}
		}
		return out
	}
	rows = append(rows, row(a.Head, x.st.heading))
	for _, r := range a.Rows {
		rows = append(rows, row(r, x.st.text))
	}
	for i, vals := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	x.sheets++
	last, _ := excelize.CoordinatesToCellName(len(a.Head), len(rows))
	x.dims[x.sheets] = "A1:" + last
	return sw.Flush()
}

// dimensionZip writes the workbook's parts, giving each sheet the used range
// it has: a streamed sheet says A1, and readers that trust it see one cell.
type dimensionZip struct {
	*zip.Writer
	dims    map[int]string
	pending *dimensionWriter // the sheet part being written, until it is flushed
}

var sheetPart = regexp.MustCompile(`^xl/worksheets/sheet(\d+)\.xml$`)

// Create starts a part; a sheet's part has its dimension rewritten on the way.
func (z *dimensionZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil {
		return nil, err
	}
	if m := sheetPart.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		if ref, ok := z.dims[n]; ok {
			z.pending = &dimensionWriter{w: w, ref: ref}
			return z.pending, nil
		}
	}
	return w, nil
}

// Close finishes the last part and the archive.
func (z *dimensionZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.Writer.Close()
}

// flush writes what the pending sheet part still holds back.
func (z *dimensionZip) flush() error {
	d := z.pending
	z.pending = nil
	if d == nil || d.done {
		return nil
	}
	d.done = true
	_, err := d.w.Write(d.head)
	return err
}

// dimensionWriter holds back the start of a sheet's XML until its dimension
// element has passed, rewrites its range, then passes everything through.
type dimensionWriter struct {
	w    io.Writer
	ref  string
	head []byte
	done bool
}

var dimensionRef = regexp.MustCompile(`<dimension ref="[^"]*"`)

func (d *dimensionWriter) Write(p []byte) (int, error) {
	if d.done {
		return d.w.Write(p)
	}
	d.head = append(d.head, p...)
	if loc := dimensionRef.FindIndex(d.head); loc != nil || len(d.head) > 1<<16 {
		if loc != nil {
			d.head = append(d.head[:loc[0]:loc[0]], append([]byte(`<dimension ref="`+d.ref+`"`), d.head[loc[1]:]...)...)
		}
		d.done = true
		if _, err := d.w.Write(d.head); err != nil {
			return 0, err
		}
		d.head = nil
	}
	return len(p), nil
}
