package tui

import (
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	"github.com/charmbracelet/x/ansi"
)

// width is the number of cells s takes. The screens' text is Cyrillic,
// Latin, digits and a few symbols, one cell a rune: those are counted
// directly (skipping escape sequences), which is many times faster than
// grapheme segmentation; anything else goes to ansi.StringWidth. Every frame
// of every session measures its lines, so this matters over SSH.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b: // a well-formed CSI sequence takes no cells
			j := i + 1
			if j < len(s) && s[j] == '[' {
				j++
				for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
					j++
				}
				if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
					i = j + 1
					continue
				}
			}
			return ansi.StringWidth(s) // anything unusual: the careful way
		case c < 0x20 || c == 0x7f:
			return ansi.StringWidth(s)
		case c < 0x80:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowRune(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// narrowRune reports whether r is certainly one cell wide and not combining:
// Latin-1, Cyrillic, general punctuation, arrows, box drawing, geometric shapes.
func narrowRune(r rune) bool {
	switch {
	case r == 0xad, r >= 0x483 && r <= 0x489: // soft hyphen, Cyrillic combining marks
		return false
	case r >= 0xa0 && r <= 0x2ff, r >= 0x400 && r <= 0x4ff:
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e:
		return true
	case r >= 0x2190 && r <= 0x21ff, r >= 0x2500 && r <= 0x25ff:
		return true
	case r == 0x2713 || r == 0x2717 || r == 0x2116 || r == 0x2260 || r == 0x2264 || r == 0x2265:
		return true // ✓ ✗ № ≠ ≤ ≥
	}
	return false
}

// plainRune reports whether r is printable text one cell wide that is a
// grapheme of its own: no control, no escape, no combining mark.
func plainRune(r rune) bool { return r >= 0x20 && r != 0x7f && (r < 0x80 || narrowRune(r)) }

// truncate cuts s to w cells.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	// Plain text of one-cell runes (names, addresses) is cut by runes; the
	// grapheme-aware ansi.Truncate is for the rest.
	if !strings.ContainsFunc(s, func(r rune) bool { return !plainRune(r) }) {
		n := 0
		for i := range s {
			if n == w-1 {
				return s[:i] + "…"
			}
			n++
		}
	}
	return ansi.Truncate(s, w, "…")
}

// pad fills s with spaces to w cells.
func pad(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	if n := width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// fit cuts every line of s to w cells and s to exactly h lines.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// cols lays out cells in fixed widths, separated by one space; a column
// of width 0 is left out (a list too narrow for it).
func cols(cells []string, widths []int, right map[int]bool) string {
	var b strings.Builder
	for i, c := range cells {
		if widths[i] == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		c = truncate(strings.ReplaceAll(c, "\n", " "), widths[i])
		if right[i] {
			b.WriteString(padLeft(c, widths[i]))
		} else {
			b.WriteString(pad(c, widths[i]))
		}
	}
	return b.String()
}

// colSpec is a list column: fixed width w, or a share of what the fixed
// columns leave (at least min); drop is the order in which a column too
// narrow a screen does without (1 first; 0 never).
type colSpec struct{ w, share, min, drop int }

// layoutCols gives the columns' widths for a line of total cells: columns
// are dropped (width 0) in their drop order until every flexible one gets
// its minimum, so that the name is never cut to a sliver.
func layoutCols(total int, cs []colSpec) []int {
	out := make([]int, len(cs))
	gone := make([]bool, len(cs))
	for {
		fixed, shares, n := 0, 0, 0
		for i, c := range cs {
			if gone[i] {
				continue
			}
			n++
			fixed += c.w
			shares += c.share
		}
		left := total - fixed - (n - 1)
		ok, used, lastFlex := true, 0, -1
		for i, c := range cs {
			out[i] = 0
			if gone[i] {
				continue
			}
			out[i] = c.w
			if c.share > 0 {
				out[i] = max(left*c.share/max(shares, 1), 0)
				used += out[i]
				lastFlex = i
				ok = ok && out[i] >= c.min
			}
		}
		if lastFlex >= 0 {
			out[lastFlex] += max(left-used, 0) // the rounding's rest
		}
		next := -1
		for i, c := range cs {
			if !gone[i] && c.drop > 0 && (next < 0 || c.drop < cs[next].drop) {
				next = i
			}
		}
		if ok || next < 0 {
			for i, c := range cs {
				if !gone[i] && c.share > 0 {
					out[i] = max(out[i], c.min)
				}
			}
			return out
		}
		gone[next] = true
	}
}

// newInput returns a text input with a steady cursor: a blinking one would
// re-render every idle session twice a second, over SSH too.
func newInput(prompt string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.CharLimit = limit
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	return ti
}

// lastRender keeps the last rendering of a part of the frame with the key
// it was made for, and renders again only when the key changes.
type lastRender[K comparable, V any] struct {
	key K
	out V
	ok  bool
}

func (l *lastRender[K, V]) get(k K, render func() V) V {
	if !l.ok || l.key != k {
		l.key, l.out, l.ok = k, render(), true
	}
	return l.out
}

// wrapOption changes how wrap breaks lines.
type wrapOption int

// atSpacesOnly breaks lines at spaces only: a hyphen is no break and a word
// wider than the line stands alone on it, whole (a command or a file name to
// copy).
const atSpacesOnly wrapOption = 1

// wrap breaks s into lines of at most w cells, at spaces where it can: by
// default x/ansi's word wrap, which keeps escape sequences whole, also
// breaks after a hyphen and inside a word wider than w; with atSpacesOnly
// it breaks at spaces only.
func wrap(s string, w int, opts ...wrapOption) string {
	if !slices.Contains(opts, atSpacesOnly) {
		return ansi.Wrap(s, max(w, 1), "")
	}
	var lines []string
	cur := ""
	for _, word := range strings.Split(s, " ") {
		switch {
		case cur == "":
			cur = word
		case width(cur)+1+width(word) <= w:
			cur += " " + word
		default:
			lines, cur = append(lines, cur), word
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// oneAtATime keeps a screen's computation to one at a time: asked for while
// one is under way, the next one runs once that one has ended, however many
// times it was asked for.
type oneAtATime struct{ running, again bool }

// queue reports whether a computation is under way, remembering that
// another is wanted; when it returns false the caller starts one.
func (o *oneAtATime) queue() bool {
	o.again = o.again || o.running
	return o.running
}

// begin marks a computation as started.
func (o *oneAtATime) begin() { o.running = true }

// end marks the computation as ended and reports whether another was asked
// for meanwhile (then the caller starts it).
func (o *oneAtATime) end() bool {
	again := o.again
	o.running, o.again = false, false
	return again
}
