package report_test

import (
	"testing"

	"sout/report"
)

// TestFromExcelText_OnlyWhatExcelTextWrote: FromExcelText undoes exactly
// what ExcelText does and leaves every other value as it is, so that a «'»
// or a ="…" typed by a person survives an import.
func TestFromExcelText_OnlyWhatExcelTextWrote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`'=1+2`, `=1+2`},
		{`'-5`, `-5`},
		{"'\tx", "\tx"},
		{`="7707083893"`, `7707083893`},
		{`="01.11.1"`, `01.11.1`},
		{`'abc`, `'abc`},
		{`''=x`, `''=x`},
		{`'`, `'`},
		{`="abc"`, `="abc"`},
		{`="."`, `="."`},
		{`=""`, `=""`},
		{`ООО «Волга»`, `ООО «Волга»`},
	} {
		if got := report.FromExcelText(tt.in); got != tt.want {
			t.Errorf("FromExcelText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
