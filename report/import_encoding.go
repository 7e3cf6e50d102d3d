package report

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
)

// ruFreq is how often each Russian letter occurs in Russian text (per
// thousand letters), from the usual frequency tables.
var ruFreq = map[rune]float64{
	'о': 110, 'е': 85, 'а': 80, 'и': 74, 'н': 67, 'т': 63, 'с': 55, 'р': 47, 'в': 45, 'л': 44,
	'к': 35, 'м': 32, 'д': 30, 'п': 28, 'у': 26, 'я': 20, 'ы': 19, 'ь': 17, 'г': 17, 'з': 16,
	'б': 16, 'ч': 14, 'й': 12, 'х': 10, 'ж': 9, 'ш': 7, 'ю': 6, 'ц': 5, 'щ': 4, 'э': 3,
	'ф': 2, 'ё': 1, 'ъ': 0.4,
}

// cyrillicCandidates are the 8-bit Cyrillic encodings a CSV may come in;
// only Windows-1251 is read, the others are named in the refusal.
var cyrillicCandidates = []struct {
	name string
	cm   *charmap.Charmap
}{
	{"Windows-1251", charmap.Windows1251},
	{"KOI8-R", charmap.KOI8R},
	{"CP866", charmap.CodePage866},
	{"Mac Cyrillic", charmap.MacintoshCyrillic},
}

// cyrillicEncoding decides by letter statistics which 8-bit encoding the
// bytes (not UTF-8) are in: each candidate decodes them, and the text that
// reads most like Russian wins: frequent letters, lowercase inside words,
// no stray symbols.
func cyrillicEncoding(b []byte) string {
	best, bestScore := cyrillicCandidates[0].name, math.Inf(-1)
	for _, c := range cyrillicCandidates {
		text, err := c.cm.NewDecoder().Bytes(b)
		if err != nil {
			continue
		}
		if s := russianScore(string(text)); s > bestScore {
			best, bestScore = c.name, s
		}
	}
	return best
}

// russianScore is the log-likelihood of the non-ASCII letters of s as
// Russian text.
func russianScore(s string) float64 {
	score := 0.0
	prevLetter := false
	for _, r := range s {
		if r < 0x80 {
			prevLetter = unicode.IsLetter(r)
			continue
		}
		if strings.ContainsRune("«»№–—“”„…\u00a0’", r) {
			prevLetter = false // punctuation of Russian text: no evidence either way
			continue
		}
		lower := unicode.ToLower(r)
		f, ok := ruFreq[lower]
		switch {
		case !ok:
			score += math.Log(0.05) // a symbol or a letter of another language
		case r != lower && prevLetter:
			score += math.Log(f) + math.Log(0.02) // a capital inside a word
		default:
			score += math.Log(f)
		}
		prevLetter = ok || unicode.IsLetter(r)
	}
	return score
}
