package store

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// EmployerMatch is one employer a search found.
type EmployerMatch struct {
	Employer
	LastDate Date // date of its latest register entry (0: known from the journal only)
}

// EmployerMatches is what FindEmployers found: the best matches, best
// first, and how many employers match in all.
type EmployerMatches struct {
	Employers []EmployerMatch
	Total     int
}

// Search words: every word of a query must match some word of the name (as
// itself, as its start, or, from typoMinRunes letters, with one typo), or,
// digits, the INN or OGRN anywhere in it (three digits: the start of the INN)
// or a number of the name at its start.
const (
	typoMinRunes  = 5
	maxQueryWords = 8
	maxWordBytes  = 64

	scoreExact  = 0
	scorePrefix = 1
	scoreTypo   = 8 // one typo ranks below several words matched by their start
)

// FindEmployers returns up to limit employers matching the words of text,
// best first: words matched exactly before those matched by their start,
// before those with a typo, then the most recent register entry first.
// Letters are compared in lower case with ё as е; punctuation, quotes and
// «№» separate words, so word order and punctuation do not matter.
func (s *Store) FindEmployers(text string, limit int) (EmployerMatches, error) {
	var out EmployerMatches
	words := queryWords(text)
	if len(words) == 0 || limit <= 0 {
		return out, nil
	}
	err := s.search.view(func(d *searchData) { out = d.find(words, limit) })
	return out, err
}

// SearchEmployers returns the employers of FindEmployers(text, limit).
func (s *Store) SearchEmployers(text string, limit int) ([]Employer, error) {
	m, err := s.FindEmployers(text, limit)
	out := make([]Employer, len(m.Employers))
	for i := range m.Employers {
		out[i] = m.Employers[i].Employer
	}
	return out, err
}

// searchINNs returns the INNs of every employer matching text, for the
// list filters; ok is false when text has no words.
func (s *Store) searchINNs(text string) (inns []string, ok bool, err error) {
	words := queryWords(text)
	if len(words) == 0 {
		return nil, false, nil
	}
	err = s.search.view(func(d *searchData) {
		d.match(words, func(o uint32, _ uint16) { inns = append(inns, d.emps[o].inn) })
	})
	return inns, true, err
}

// EmployerMatchesText reports whether an employer with this name and INN
// matches the words of text as FindEmployers matches them (every employer
// matches an empty text).
func EmployerMatchesText(text, name, inn string) bool {
	return newTextMatcher(text).matches(name, inn)
}

// textMatcher matches one record's employer without the index, as
// FindEmployers would: for a list that goes through its records anyway.
type textMatcher struct {
	words []string
	runes [][]rune // of the words that may match with a typo
}

// newTextMatcher returns the matcher of the words of text (nil when none).
func newTextMatcher(text string) *textMatcher {
	words := queryWords(text)
	if len(words) == 0 {
		return nil
	}
	m := &textMatcher{words: words, runes: make([][]rune, len(words))}
	for i, w := range words {
		if r := []rune(w); !isDigitWord(w) && len(r) >= typoMinRunes {
			m.runes[i] = r
		}
	}
	return m
}

// matches reports whether every word matches a word of name or, digits, the INN.
func (m *textMatcher) matches(name, inn string) bool {
	if m == nil {
		return true
	}
	names := searchWords(name)
	for i, w := range m.words {
		ok := isDigitWord(w) && (strings.HasPrefix(inn, w) || (len(w) >= 4 && strings.Contains(inn, w)))
		for _, t := range names {
			if ok = ok || strings.HasPrefix(t, w) || (m.runes[i] != nil && prefixWithinOneEdit(m.runes[i], []rune(t))); ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// queryWords returns the distinct words of a query, at most maxQueryWords.
func queryWords(text string) []string {
	words := searchWords(text)
	out := words[:0]
	for _, w := range words {
		if len(w) > maxWordBytes {
			w = w[:maxWordBytes]
			for !utf8.ValidString(w) {
				w = w[:len(w)-1]
			}
		}
		if !slices.Contains(out, w) && len(out) < maxQueryWords {
			out = append(out, w)
		}
	}
	return out
}

// find returns the best limit matches and their number.
func (d *searchData) find(words []string, limit int) EmployerMatches {
	var out EmployerMatches
	// A max-heap of the best keys so far: score, then the latest date,
	// then the ordinal, in one number.
	h := make([]uint64, 0, min(limit, 1024))
	d.match(words, func(o uint32, score uint16) {
		out.Total++
		k := uint64(min(score, 255))<<56 | uint64(math.MaxUint32-uint32(d.dates[o]))<<24 | uint64(o)
		switch {
		case len(h) < limit:
			h = append(h, k)
			heapUp(h, len(h)-1)
		case k < h[0]:
			h[0] = k
			heapDown(h)
		}
	})
	slices.Sort(h)
	out.Employers = make([]EmployerMatch, len(h))
	for i, k := range h {
		c := &d.emps[uint32(k&(1<<24-1))].card
		out.Employers[i] = EmployerMatch{Employer: c.Employer, LastDate: c.LastDate}
	}
	return out
}

func heapUp(h []uint64, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p] >= h[i] {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func heapDown(h []uint64) {
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1] > h[c] {
			c++
		}
		if h[i] >= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// searchSource is a list of ordinals that match one query word, and how well.
type searchSource struct {
	post  []uint32
	score uint16
}

// searchScratch is the per-query working memory: for every ordinal, the
// last word it matched (as a generation number) and its score so far.
type searchScratch struct {
	stamp []uint32
	score []uint16
	gen   uint32
}

var searchScratchPool = sync.Pool{New: func() any { return new(searchScratch) }}

// match calls fn with every employer matching all words, and its score.
func (d *searchData) match(words []string, fn func(o uint32, score uint16)) {
	srcs := make([][]searchSource, len(words))
	costs := make([]int, len(words))
	for i, w := range words {
		srcs[i], costs[i] = d.sources(w)
		if costs[i] == 0 {
			return
		}
	}
	// The word with the fewest employers first: each next word only keeps
	// what the ones before it kept.
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return costs[a] - costs[b] })
	sc := searchScratchPool.Get().(*searchScratch)
	defer searchScratchPool.Put(sc)
	if n := len(d.emps); len(sc.stamp) < n {
		sc.stamp, sc.score, sc.gen = make([]uint32, n+n/8), make([]uint16, n+n/8), 0
	}
	if sc.gen > math.MaxUint32-2*maxQueryWords {
		clear(sc.stamp)
		sc.gen = 0
	}
	base := sc.gen + 1
	sc.gen += uint32(len(words)) + 1
	for i, wi := range order {
		g := base + uint32(i)
		for _, s := range srcs[wi] {
			for _, o := range s.post {
				switch {
				case i == 0 && sc.stamp[o] != g:
					sc.stamp[o], sc.score[o] = g, s.score
				case i > 0 && sc.stamp[o] == g-1:
					sc.stamp[o], sc.score[o] = g, sc.score[o]+s.score
				}
			}
		}
	}
	last := base + uint32(len(words)-1)
	for _, s := range srcs[order[0]] {
		for _, o := range s.post {
			if sc.stamp[o] == last {
				sc.stamp[o] = last + 1 // once
				fn(o, sc.score[o])
			}
		}
	}
}

// sources returns what matches one query word, best first, and how many
// ordinals that is.
func (d *searchData) sources(w string) ([]searchSource, int) {
	var out []searchSource
	cost := 0
	add := func(p []uint32, score uint16) {
		if len(p) > 0 {
			out = append(out, searchSource{p, score})
			cost += len(p)
		}
	}
	if t, ok := d.termID[w]; ok {
		add(d.terms[t].post, scoreExact)
	}
	i, _ := slices.BinarySearchFunc(d.sorted, w, func(t uint32, w string) int { return strings.Compare(d.terms[t].text, w) })
	for ; i < len(d.sorted) && strings.HasPrefix(d.terms[d.sorted[i]].text, w); i++ {
		if t := &d.terms[d.sorted[i]]; t.text != w {
			add(t.post, scorePrefix)
		}
	}
	if isDigitWord(w) {
		exact, inside := d.digitMatches(w)
		add(exact, scoreExact)
		add(inside, scorePrefix)
		return out, cost
	}
	wr := []rune(w)
	if len(wr) < typoMinRunes {
		return out, cost
	}
	for _, ti := range d.typo {
		t := &d.terms[ti]
		if len(t.runes) < len(wr)-1 || strings.HasPrefix(t.text, w) {
			continue
		}
		if t0, t1 := t.runes[0], t.runes[1]; t0 != wr[0] && t1 != wr[1] && t1 != wr[0] && t0 != wr[1] {
			continue // one edit leaves one of the first two letters in place
		}
		if prefixWithinOneEdit(wr, t.runes) {
			add(t.post, scoreTypo)
		}
	}
	return out, cost
}

// digitMatches returns the employers whose INN or OGRN is the number w,
// and those that have it elsewhere in them (three digits: those whose INN
// starts with them). One or two digits match only
// numbers of names: every INN of a region starts with the same two.
func (d *searchData) digitMatches(w string) (exact, inside []uint32) {
	if len(w) < 3 {
		return nil, nil
	}
	if len(w) == 3 {
		// Three digits are the start of an INN (the region and the
		// inspectorate): a range of the INNs in order, where a run of
		// three anywhere would match a fifth of the employers.
		i, _ := slices.BinarySearchFunc(d.innOrd, w, func(o uint32, w string) int {
			return bytes.Compare(d.inn(o)[:3], []byte(w))
		})
		j := i
		for j < len(d.innOrd) && string(d.inn(d.innOrd[j])[:3]) == w {
			j++
		}
		return nil, d.innOrd[i:j]
	}
	// Those having every three-digit run of w, the rarest run first.
	var runs [][]uint32
	for i := 0; i+3 <= len(w); i++ {
		g, _ := trigramOf(w[i : i+3])
		runs = append(runs, d.tri[g])
	}
	slices.SortFunc(runs, func(a, b []uint32) int { return len(a) - len(b) })
	cand := slices.Clone(runs[0])
	for _, p := range runs[1:] {
		cand = intersectOrdinals(cand, p)
	}
	bw := []byte(w)
	check := func(o uint32) {
		slot := d.ids[int(o)*idSlot : int(o+1)*idSlot]
		inn, ogrn := slot[:innSlot], slot[innSlot:]
		switch {
		case bytes.HasPrefix(inn, bw) && (len(inn) == len(bw) || inn[len(bw)] == 0),
			bytes.HasPrefix(ogrn, bw) && (len(ogrn) == len(bw) || ogrn[len(bw)] == 0):
			exact = append(exact, o)
		case bytes.Contains(inn, bw) || bytes.Contains(ogrn, bw):
			inside = append(inside, o)
		}
	}
	for _, o := range cand {
		check(o)
	}
	return exact, inside
}

// intersectOrdinals keeps in a (ascending) the ordinals also in b (ascending).
func intersectOrdinals(a, b []uint32) []uint32 {
	out, j := a[:0], 0
	for _, o := range a {
		for j < len(b) && b[j] < o {
			j++
		}
		if j < len(b) && b[j] == o {
			out = append(out, o)
		}
	}
	return out
}
