package report

import (
	"encoding/csv"
	"io"
	"strings"

	"sout/store"
)

// Format selects how a form or data file is written.
type Format struct {
	XLSX  bool // XLSX instead of CSV
	Excel bool // CSV for Russian Excel: UTF-8 with BOM, ';', formula-like text neutralised
}

// newCSV returns a CSV writer in the flavour f (writing the BOM for Excel).
func newCSV(w io.Writer, f Format) (*csv.Writer, error) {
	if f.Excel {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
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

// ExcelText is how the --excel CSV flavour writes a text value: text that a
// spreadsheet would run as a formula gets a leading «'» (Neutralize), and text
// that a Russian-locale spreadsheet would turn into a number or a date — row
// codes (1.2.1), INNs and OGRNs with their leading zeros and all their digits,
// OKVED codes (01.11.1), journal and letter numbers (3/2026) — is written as
// ="…", which Excel and LibreOffice show as exactly that text. Dates
// (dd.mm.yyyy, YYYY-MM-DD) are left to become dates. FromExcelText undoes it.
func ExcelText(s string) string {
	if looksNumeric(s) && !looksDate(s) {
		return `="` + s + `"`
	}
	return Neutralize(s)
}

// FromExcelText gives back the value that ExcelText wrote (FORMS.md §5): it
// removes the ="…" around a code and the «'» that Neutralize put before
// formula-like text, and leaves any other value as it is. Both the merge of
// data files and the import of the --excel flavour read every cell through it.
func FromExcelText(s string) string {
	if len(s) > 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) && looksNumeric(s[2:len(s)-1]) {
		return s[2 : len(s)-1]
	}
	if len(s) > 1 && s[0] == '\'' && Neutralize(s[1:]) == s {
		return s[1:]
	}
	return s
}

// looksNumeric reports whether s is digits with dots, slashes or hyphens
// between them, which a spreadsheet reads as a number or a date.
func looksNumeric(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '/', c == '-':
		default:
			return false
		}
	}
	return true
}

// looksDate reports whether s is a date as sout writes them (dd.mm.yyyy or YYYY-MM-DD).
func looksDate(s string) bool {
	_, err := store.ParseDate(s)
	return err == nil && (len(s) == 10)
}

// oneLine folds line breaks so that a form CSV has one line per printed row:
// the lines of a cell are joined by «, ».
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var parts []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}
