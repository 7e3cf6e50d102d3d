package store

import (
	"fmt"
	"unicode/utf8"
)

// badRune reports whether no text field accepts r: a C0 or C1 control
// character (tab and line breaks included), DEL, a bidirectional control
// (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: they reverse the text printed
// around them), or the replacement of a byte that was not UTF-8.
func badRune(r rune) bool {
	switch {
	case r < ' ', r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return r == utf8.RuneError
}

// TextError is the one rule for the characters of a text field, used by the
// records' validation, the screens, the command line and the imports: it
// returns a Russian sentence naming the field (title), the first character no
// field accepts and its position, or "" when s is acceptable.
func TextError(title, s string) string {
	pos := 0
	for i, r := range s {
		pos++
		if !badRune(r) {
			continue
		}
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return fmt.Sprintf("%s: байт 0x%02X в позиции %d — текст не в кодировке UTF-8", title, s[i], pos)
			}
		}
		kind := "управляющий символ"
		if r >= 0x200e {
			kind = "символ управления направлением текста"
		}
		return fmt.Sprintf("%s: недопустимый %s U+%04X в позиции %d", title, kind, r, pos)
	}
	return ""
}

// CheckText returns TextError(title, s) as an *Error with CodeInvalid, or nil.
func CheckText(title, s string) error {
	if msg := TextError(title, s); msg != "" {
		return Errorf(CodeInvalid, "%s", msg)
	}
	return nil
}
