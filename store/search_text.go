package store

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// searchWords splits a name or a query into the words the employer index
// knows: lower case, ё as е, every quote, dash, «№» and other punctuation a
// separator, and a number apart from the letters around it («школа№155» is
// «школа» and «155»). Legal forms (ООО, АО, МБОУ…) stay ordinary words.
func searchWords(s string) []string {
	var out []string
	eachSearchWord([]byte(s), make([]byte, 0, len(s)), func(w []byte) { out = append(out, string(w)) })
	return out
}

// eachSearchWord calls fn with each word of s as searchWords splits them,
// in buf (valid only during the call).
func eachSearchWord(s, buf []byte, fn func(w []byte)) {
	prev := 0 // 0 none, 1 letter, 2 digit
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		switch {
		case r < utf8.RuneSelf:
		case r >= 0xC2 && r < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80: // Cyrillic: two bytes
			r, n = (r&0x1F)<<6|rune(s[i+1]&0x3F), 2
		default:
			r, n = utf8.DecodeRune(s[i:])
		}
		i += n
		kind := 1
		switch {
		case r >= '0' && r <= '9':
			kind = 2
		case r >= 'а' && r <= 'я', r >= 'a' && r <= 'z':
		case r >= 'А' && r <= 'Я', r >= 'A' && r <= 'Z':
			r += 'а' - 'А'
			if r < 0x80 {
				r = r - ('а' - 'А') + ('a' - 'A')
			}
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case r < 0x80 || !unicode.IsLetter(r):
			kind = 0
		default:
			r = unicode.ToLower(r)
		}
		if kind != prev && len(buf) > 0 {
			fn(buf)
			buf = buf[:0]
		}
		switch {
		case kind == 0:
		case r < utf8.RuneSelf:
			buf = append(buf, byte(r))
		case r < 0x800:
			buf = append(buf, byte(0xC0|r>>6), byte(0x80|r&0x3F))
		default:
			buf = utf8.AppendRune(buf, r)
		}
		prev = kind
	}
	if len(buf) > 0 {
		fn(buf)
	}
}

// withinOneEdit reports whether a and b (runes) differ by at most one
// insertion, deletion, substitution or swap of neighbours.
func withinOneEdit(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true // equal, or one rune added at the end
	}
	if len(a) == len(b) {
		if slices.Equal(a[i+1:], b[i+1:]) {
			return true // one substituted
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
	}
	return slices.Equal(a[i:], b[i+1:]) // one inserted into a
}

// prefixWithinOneEdit reports whether some start of word t is within one
// edit of w: what a clerk typed so far, with one slip, of a longer word.
func prefixWithinOneEdit(w, t []rune) bool {
	for n := len(w) - 1; n <= len(w)+1; n++ {
		if n >= 1 && n <= len(t) && withinOneEdit(w, t[:n]) {
			return true
		}
	}
	return false
}

// isDigitWord reports whether a search word is a number.
func isDigitWord(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }
