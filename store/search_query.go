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
	words := newSearchWords(text)
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
	words := newSearchWords(text)
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

// searchWord is one word of a query and what deciding its matches needs.
// nameScore and idScore are the one rule of a match: the index
// (searchData.sources) and the pass over the cards (textMatcher) both ask them.
type searchWord struct {
	text   string
	bytes  []byte
	runes  []rune // nil unless it may match with a typo
	digits bool
}

// newSearchWords returns the words of a query (queryWords) ready for matching.
func newSearchWords(text string) []searchWord {
	words := queryWords(text)
	out := make([]searchWord, len(words))
	for i, w := range words {
		out[i] = searchWord{text: w, bytes: []byte(w), digits: isDigitWord(w)}
		if r := []rune(w); !out[i].digits && len(r) >= typoMinRunes {
			out[i].runes = r
		}
	}
	return out
}

// typoRunes returns the runes of a name word that a query word with a typo
// may match (letters, long enough), nil for any other.
func typoRunes(t string) []rune {
	if isDigitWord(t) || utf8.RuneCountInString(t) < typoMinRunes-1 {
		return nil
	}
	return []rune(t)
}

// nameScore reports whether w matches the name word t (tr: typoRunes(t)),
// and how well: as t itself, as its start, or with one typo.
func (w *searchWord) nameScore(t string, tr []rune) (uint16, bool) {
	switch {
	case t == w.text:
		return scoreExact, true
	case strings.HasPrefix(t, w.text):
		return scorePrefix, true
	case w.runes == nil || tr == nil || len(tr) < len(w.runes)-1:
		return 0, false
	}
	wr := w.runes
	if t0, t1 := tr[0], tr[1]; t0 != wr[0] && t1 != wr[1] && t1 != wr[0] && t0 != wr[1] {
		return 0, false // one edit leaves one of the first two letters in place
	}
	return scoreTypo, prefixWithinOneEdit(wr, tr)
}

// idScore reports whether w, digits, matches an employer's INN or OGRN, and
// how well. One or two digits match only numbers of names (every INN of a
// region starts with the same two); three match the start of the INN (the
// region and the inspectorate), where a run of three anywhere would match a
// fifth of the employers; four or more, the INN or OGRN whole or anywhere.
func (w *searchWord) idScore(inn, ogrn []byte) (uint16, bool) {
	switch {
	case !w.digits || len(w.text) < 3:
		return 0, false
	case len(w.text) == 3:
		return scorePrefix, bytes.HasPrefix(inn, w.bytes)
	case string(inn) == w.text || string(ogrn) == w.text:
		return scoreExact, true
	}
	return scorePrefix, bytes.Contains(inn, w.bytes) || bytes.Contains(ogrn, w.bytes)
}

// textMatcher matches one employer at a time without the index, as
// FindEmployers would: for a pass that goes through the records anyway.
type textMatcher struct {
	words []searchWord
	seen  map[string][]uint16 // a name word's score for every query word (noMatch: none)
	best  []uint16
	buf   []byte
}

// noMatch is the score of a name word that a query word does not match.
const noMatch = math.MaxUint16

// newTextMatcher returns the matcher of the words of text (nil when none).
func newTextMatcher(text string) *textMatcher {
	words := newSearchWords(text)
	if len(words) == 0 {
		return nil
	}
	return &textMatcher{words: words, seen: map[string][]uint16{}, best: make([]uint16, len(words)),
		buf: make([]byte, 0, 256)}
}

// score reports whether an employer with this name, INN and OGRN matches
// every word, and its score: the sum of each word's best match.
func (m *textMatcher) score(name, inn, ogrn []byte) (uint16, bool) {
	if m == nil {
		return 0, true
	}
	best := m.best
	for i := range m.words {
		best[i] = noMatch
		if s, ok := m.words[i].idScore(inn, ogrn); ok {
			best[i] = s
		}
	}
	eachSearchWord(name, m.buf[:0], func(t []byte) {
		scores, ok := m.seen[string(t)]
		if !ok {
			scores = m.wordScores(string(t))
		}
		for i, s := range scores {
			best[i] = min(best[i], s)
		}
	})
	var sum uint16
	for _, s := range best {
		if s == noMatch {
			return 0, false
		}
		sum += s
	}
	return sum, true
}

// wordScores returns (and remembers) the score of name word t for every query word.
func (m *textMatcher) wordScores(t string) []uint16 {
	tr := typoRunes(t)
	scores := make([]uint16, len(m.words))
	for i := range m.words {
		scores[i] = noMatch
		if s, ok := m.words[i].nameScore(t, tr); ok {
			scores[i] = s
		}
	}
	if len(m.seen) < 1<<16 {
		m.seen[t] = scores
	}
	return scores
}

// matches reports whether every word matches a word of name or, digits, the INN.
func (m *textMatcher) matches(name, inn string) bool {
	_, ok := m.score([]byte(name), []byte(inn), nil)
	return ok
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
func (d *searchData) find(words []searchWord, limit int) EmployerMatches {
	var out EmployerMatches
	var top topKeys
	d.match(words, func(o uint32, score uint16) {
		out.Total++
		top.add(rankKey(score, d.dates[o], d.tieRank(o)), limit)
	})
	slices.Sort(top.h)
	out.Employers = make([]EmployerMatch, len(top.h))
	for i, k := range top.h {
		out.Employers[i] = d.result(d.ordinalOf(uint32(k & (1<<24 - 1))))
	}
	return out
}

// rankKey is the order of the matches in one number: the score, then the
// latest entry first, then by INN (rank: the employer's place in INN order).
func rankKey(score uint16, last Date, rank uint32) uint64 {
	return uint64(min(score, 255))<<56 | uint64(math.MaxUint32-uint32(last))<<24 | uint64(rank&(1<<24-1))
}

// topKeys keeps the least keys added: a max-heap of at most limit.
type topKeys struct{ h []uint64 }

// add offers key k; it reports whether k is kept (for now).
func (t *topKeys) add(k uint64, limit int) bool {
	switch {
	case len(t.h) < limit:
		t.h = append(t.h, k)
		heapUp(t.h, len(t.h)-1)
	case k < t.h[0]:
		t.h[0] = k
		heapDown(t.h)
	default:
		return false
	}
	return true
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
func (d *searchData) match(words []searchWord, fn func(o uint32, score uint16)) {
	srcs := make([][]searchSource, len(words))
	costs := make([]int, len(words))
	for i := range words {
		srcs[i], costs[i] = d.sources(&words[i])
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
// ordinals that is. Every term and ordinal it lists, w.nameScore or
// w.idScore accepted; the ways it finds them are only faster than asking
// them of every one.
func (d *searchData) sources(w *searchWord) ([]searchSource, int) {
	var out []searchSource
	cost := 0
	add := func(p []uint32, score uint16) {
		if len(p) > 0 {
			out = append(out, searchSource{p, score})
			cost += len(p)
		}
	}
	var prefixed []uint32 // the terms w starts, all but itself
	i, _ := slices.BinarySearchFunc(d.sorted, w.text, func(t uint32, w string) int {
		return strings.Compare(d.terms[t].text, w)
	})
	for ; i < len(d.sorted) && strings.HasPrefix(d.terms[d.sorted[i]].text, w.text); i++ {
		if t := d.sorted[i]; d.terms[t].text == w.text {
			add(d.terms[t].post, scoreExact)
		} else {
			prefixed = append(prefixed, t)
		}
	}
	exact, inside := d.digitMatches(w)
	add(exact, scoreExact)
	for _, t := range prefixed {
		add(d.terms[t].post, scorePrefix)
	}
	add(inside, scorePrefix)
	if w.runes == nil {
		return out, cost
	}
	for _, ti := range d.typo {
		t := &d.terms[ti]
		if s, ok := w.nameScore(t.text, t.runes); ok && s == scoreTypo {
			add(t.post, scoreTypo)
		}
	}
	return out, cost
}

// digitMatches returns the employers whose INN or OGRN is the number w, and
// those that have it elsewhere in them, as w.idScore decides.
func (d *searchData) digitMatches(w *searchWord) (exact, inside []uint32) {
	if !w.digits || len(w.text) < 3 {
		return nil, nil
	}
	if len(w.text) == 3 {
		// The INNs that start with w: a range of them in order.
		i, _ := slices.BinarySearchFunc(d.innOrd, w.bytes, func(o uint32, w []byte) int {
			return bytes.Compare(d.inn(o)[:3], w)
		})
		j := i
		for j < len(d.innOrd) && string(d.inn(d.innOrd[j])[:3]) == w.text {
			j++
		}
		return nil, d.innOrd[i:j]
	}
	// Those having every three-digit run of w, the rarest run first.
	var runs [][]uint32
	for i := 0; i+3 <= len(w.text); i++ {
		g, _ := trigramOf(w.text[i : i+3])
		runs = append(runs, d.tri[g])
	}
	slices.SortFunc(runs, func(a, b []uint32) int { return len(a) - len(b) })
	cand := slices.Clone(runs[0])
	for _, p := range runs[1:] {
		cand = intersectOrdinals(cand, p)
	}
	for _, o := range cand {
		inn, ogrn := d.idsOf(o)
		if s, ok := w.idScore(inn, ogrn); ok && s == scoreExact {
			exact = append(exact, o)
		} else if ok {
			inside = append(inside, o)
		}
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
