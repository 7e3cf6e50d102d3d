package tui

import (
	"strings"
	"testing"
)

func TestExecArgs(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		words []string
		want  string
	}{
		{"   ", nil, "пустая команда: укажите её, например report summary --period 2026H1 --format csv; экраны — ssh -t"},
		{"", nil, "пустая команда: укажите её, например report summary --period 2026H1 --format csv; экраны — ssh -t"},
		{"report 'x", nil, "незакрытая кавычка в команде"},
		{"lookup \x1b[2J", []string{"lookup", "\x1b[2J"},
			"Слово команды: недопустимый управляющий символ U+001B в позиции 1"},
		{"lookup a\u202eb", []string{"lookup", "a\u202eb"},
			"Слово команды: недопустимый символ управления направлением текста U+202E в позиции 2"},
		{"lookup 7707083893", []string{"lookup", "7707083893"}, ""},
	} {
		_, err := execArgs(tc.raw, tc.words)
		if got := errText(err); got != tc.want {
			t.Errorf("execArgs(%q, %q) = %q, want %q", tc.raw, tc.words, got, tc.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzExecArgs: whatever the line, execArgs never accepts no words, nor a
// word holding a control character.
func FuzzExecArgs(f *testing.F) {
	for _, s := range []string{"report summary --period 2026H1", "   ", "lookup \x00", "a\u2066b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Fields(line)
		got, err := execArgs(line, words)
		if err != nil {
			return
		}
		if len(got) == 0 {
			t.Fatalf("execArgs(%q) accepted no words", line)
		}
		for _, w := range got {
			bad := func(r rune) bool { return r < ' ' || r == 0x7f || (r >= 0x202a && r <= 0x202e) }
			if strings.ContainsFunc(w, bad) {
				t.Fatalf("execArgs(%q) accepted the word %q", line, w)
			}
		}
	})
}
