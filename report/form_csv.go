package report

import (
	"io"
	"strconv"
)

// writeFormCSV writes a form as CSV: the header line, then one line per
// printed body row. Text is neutralised against formula injection.
func writeFormCSV(w io.Writer, f *Form, fm Format) error {
	cw, err := newCSV(w, fm)
	if err != nil {
		return err
	}
	if err := cw.Write(f.CSVHead); err != nil {
		return err
	}
	rec := make([]string, f.Cols())
	err = f.Body(func(cells []Cell) error {
		for i := range rec {
			rec[i] = ""
			if i >= len(cells) {
				continue
			}
			switch c := cells[i]; {
			case c.IsNum:
				rec[i] = strconv.Itoa(c.Num)
			default:
				rec[i] = Neutralize(oneLine(c.Text))
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
