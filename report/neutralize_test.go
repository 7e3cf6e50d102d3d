package report

import "testing"

// TestNeutralize covers every character that makes a spreadsheet run a cell
// as a formula (FORMS.md §5), and text that must stay as it is.
func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=СУММ(A1)":    "'=СУММ(A1)",
		"+7 (846) 123": "'+7 (846) 123",
		"-1":           "'-1",
		"@cmd":         "'@cmd",
		"\tтаб":        "'\tтаб",
		"\rвозврат":    "'\rвозврат",
		"ООО «Волга»":  "ООО «Волга»",
		"7707083893":   "7707083893",
		"":             "",
		"a=b":          "a=b",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}
