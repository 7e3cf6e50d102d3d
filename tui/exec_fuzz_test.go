package tui

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// shellSpecial are the characters a shell would interpret outside quotes.
const shellSpecial = ";|&$`><(){}*?~!#\n\r"

// quoteScan is an independent reading of a command line for the fuzzer: the
// characters left outside quotes (not escaped), those inside double quotes
// (not escaped), and whether every quote and escape is closed.
func quoteScan(line string) (outside, inDouble []rune, closed bool) {
	quote := rune(0)
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			}
		case r == '\\':
			escaped = true
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				inDouble = append(inDouble, r)
			}
		case r == '\'' || r == '"':
			quote = r
		default:
			outside = append(outside, r)
		}
	}
	return outside, inDouble, quote == 0 && !escaped
}

// singleQuote quotes w so that splitWords reads it back as one word.
func singleQuote(w string) string {
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

func FuzzSplitWords(f *testing.F) {
	for _, s := range []string{
		"report summary --period 2026H1 --format csv",
		"export register --format xlsx",
		"lookup 7707083893 --json",
		"  lookup\t7707083893  ",
		`lookup "77070 83893"`,
		`audit --user 'Анна Петрова'`,
		`audit --user Анна\ Петрова`,
		`a "b\"c" 'd'\''e' ""`,
		`"\$HOME" '$HOME' \$HOME`,
		"echo $(id)",
		"lookup 1; rm -rf /",
		"a|b", "a && b", "a > f", "a < f", "`id`", "{a,b}", "*", "a?", "~root", "!1", "# comment",
		"a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x7fb",
		"'unterminated", `"unterminated`, `trailing\`, `"a\`,
		"", " ", "\t\t",
		"\u00a0lookup\u2003x", "lookup\u0085x",
		"\xff\xfe lookup", "ж\xd0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := splitWords(line)
		outside, inDouble, closed := quoteScan(line)
		bad := !closed ||
			slices.ContainsFunc(outside, func(r rune) bool { return strings.ContainsRune(shellSpecial, r) || (r < ' ' && r != '\t') }) ||
			slices.ContainsFunc(inDouble, func(r rune) bool { return r == '$' || r == '`' })
		if err != nil {
			if words != nil {
				t.Errorf("splitWords(%q) = %q with error %v", line, words, err)
			}
			if !bad {
				t.Errorf("splitWords(%q) refused a line with closed quotes and no special character outside them: %v", line, err)
			}
			return
		}
		if bad {
			t.Fatalf("splitWords(%q) = %q: accepted a line with an open quote or a special character outside quotes", line, words)
		}
		for _, w := range words {
			if !utf8.ValidString(w) {
				t.Errorf("splitWords(%q): word %q is not valid UTF-8", line, w)
			}
		}

		// Plain input: the words are the blank-separated fields, and none
		// holds a character a shell would interpret.
		if !strings.ContainsAny(line, `'"\`) {
			for _, w := range words {
				if strings.ContainsAny(w, shellSpecial) || strings.ContainsFunc(w, func(r rune) bool { return r < ' ' }) {
					t.Errorf("splitWords(%q): word %q holds a special character", line, w)
				}
			}
			got := strings.Join(words, " ")
			clean := string([]rune(line)) // invalid bytes read as U+FFFD, as range does
			if want := strings.Join(strings.FieldsFunc(clean, func(r rune) bool { return r == ' ' || r == '\t' }), " "); got != want {
				t.Errorf("splitWords(%q) joined = %q, want %q", line, got, want)
			}
			// Only blanks and tabs separate words; where the line has no other
			// white space, that is strings.Fields.
			if utf8.ValidString(line) && !strings.ContainsFunc(line, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' && r != '\t' }) {
				if want := strings.Join(strings.Fields(line), " "); got != want {
					t.Errorf("splitWords(%q) joined = %q, strings.Fields gives %q", line, got, want)
				}
			}
		}

		// Quoting every word gives the same words back.
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = singleQuote(w)
		}
		again, err := splitWords(strings.Join(quoted, " "))
		if err != nil || !slices.Equal(again, words) {
			t.Errorf("splitWords(%q) = %q; quoted again and split: %q, %v", line, words, again, err)
		}
	})
}
