package report

import (
	"io"
	"strconv"
)

// writeFormCSV writes a form as CSV: the header line, one line per printed
// body row, then the form's footnotes, its header block (subject, inspectorate,
// period: what Merge reads back) and its annex, each line as wide as the form.
// Text is neutralised against formula injection; in the --excel flavour codes
// stay text (ExcelText).
func writeFormCSV(w io.Writer, f *Form, fm Format) error {
	cw, err := newCSV(w, fm)
	if err != nil {
		return err
	}
	textOf := Neutralize
	if fm.Excel {
		textOf = ExcelText
	}
	rec := make([]string, f.Cols())
	line := func(vals ...string) error {
		for i := range rec {
			rec[i] = ""
			if i < len(vals) {
				rec[i] = textOf(oneLine(vals[i]))
			}
		}
		return cw.Write(rec)
	}
	if err := line(f.CSVHead...); err != nil {
		return err
	}
	err = f.Body(func(cells []Cell) error {
		for i := range rec {
			rec[i] = ""
			if i >= len(cells) {
				continue
			}
			switch c := cells[i]; {
			case c.IsNum:
				rec[i] = strconv.Itoa(c.Num)
			case c.IsDec:
				rec[i] = Percent1(c.Dec)
			default:
				rec[i] = textOf(oneLine(c.Text))
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	for _, s := range append(append([]string(nil), f.Notes...), f.Header...) {
		if err := line(s); err != nil {
			return err
		}
	}
	if a := f.Annex; a != nil {
		for _, r := range append([][]string{{a.Title}, a.Head}, a.Rows...) {
			if err := line(r...); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
