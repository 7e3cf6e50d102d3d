package report

import (
	"encoding/csv"
	"io"
	"strings"
)

// Format selects how a form or data file is written.
type Format struct {
	XLSX  bool // XLSX instead of CSV
	Excel bool // CSV for Russian Excel: UTF-8 with BOM, ';', formula-like text neutralised
}

// DataFormat selects how a data file is written (the same choices as Format).
type DataFormat = Format

// newCSV returns a CSV writer in the flavour f (writing the BOM for Excel).
func newCSV(w io.Writer, f Format) (*csv.Writer, error) {
	if f.Excel {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if f.Excel {
		cw.Comma = ';'
	}
	return cw, nil
}

// Neutralize makes text that a spreadsheet would run as a formula inert by
// prefixing «'»: text starting with =, +, -, @, tab or CR (FORMS.md §5).
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// oneLine folds line breaks so that a form CSV has one line per printed row.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}
