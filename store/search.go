package store

import (
	"bytes"
	"fmt"
	mathbits "math/bits"
	"slices"
	"sort"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// searchRoutes finds, for a commit hook that has only its transaction, the
// employer index of the Store that owns the file: Open adds it, Close
// removes it.
//
// The employer index lives in memory, one per open Store (Store.search, so
// the SSH server's sessions share one), built from the employers bucket the
// first time a search needs it and kept equal to the cards after that: every
// write of a card (searchNote) or its removal (searchForget) hands the new
// card to the index when its transaction commits (bbolt's OnCommit), so the
// index shows exactly what is committed and nothing of a transaction that
// rolled back. Nothing is stored in the file: it needs no migration, adds
// nothing to its size and nothing to an import's writes. Measurements
// against bleve, a token bucket in the file and SQLite FTS5 are in README.md.
var searchRoutes sync.Map // *bolt.DB → *searchIndex

// searchIndex is the index of one open file and the state of its build.
type searchIndex struct {
	s       *Store
	mu      sync.RWMutex
	state   int           // searchNone, searchBuilding or searchReady
	done    chan struct{} // closed when a build ends
	pending []searchOp    // changes committed while building
	data    *searchData
}

const (
	searchNone = iota
	searchBuilding
	searchReady
)

// searchOp is a committed change of one employer's card (card nil: removed).
type searchOp struct {
	txid int
	inn  string
	card *employerCard
}

// searchData is the index proper: the employers by ordinal, their words with
// the ordinals of the employers that have them, and the digit trigrams of
// their INNs and OGRNs (for digits anywhere in them).
type searchData struct {
	builtAt int // the last transaction the build read
	emps    []searchEmp
	dates   []Date            // by ordinal, the date of the card's entry: ranking reads it for every match
	ids     []byte            // by ordinal, idSlot bytes: the INN, then the OGRN, each padded with zeros
	nBuilt  int               // the ordinals below it the build read, in the order of their INN
	added   map[string]uint32 // the ordinals of the INNs added since
	termID  map[string]uint32
	terms   []searchTerm
	sorted  []uint32 // term ids in the order of their text; nil when a term was added since
	typo    []uint32 // ids of the terms a word with a typo may match (letters, long enough)
	buf     []byte   // for splitting names, under the write lock
	tri     [1000][]uint32
	innOrd  []uint32 // live ordinals in the order of their INN; nil when an employer was added since
	rank    []uint32 // by ordinal, its place in innOrd (for ranking ties by INN), unless ordInINNOrder
	// ordInINNOrder: the live ordinals ascend as their INNs do (then an
	// ordinal is its own rank), as they do after a build.
	ordInINNOrder bool
	count         []uint32 // during a build, by term id, how many employers have it
	termBuf       []uint32 // during a build, the terms of the employers read so far
	// During a build, the three-digit runs of the employers read so far, by
	// ordinal the end of each one's, and how many employers have each run.
	triBuf   []uint16
	triEnd   []uint32
	triCount *[1000]uint32
}

// searchEmp is one employer in the index.
type searchEmp struct {
	inn   string
	card  employerCard // its fields, from a build, all parts of one string (cardOf)
	terms []uint32     // the words it is listed under
	txid  int          // the transaction of its card
	gone  bool
}

// searchTerm is one word with the ordinals of the employers that have it, ascending.
type searchTerm struct {
	text  string
	runes []rune // for the typo match; nil for numbers and short words
	post  []uint32
}

// searchNote hands the card c, written under inn in tx, to the index once tx commits.
func searchNote(tx *bolt.Tx, inn string, c *employerCard) {
	cp := *c
	searchChange(tx, searchOp{inn: inn, card: &cp})
}

// searchForget tells the index, once tx commits, that the card of inn is removed.
func searchForget(tx *bolt.Tx, inn string) { searchChange(tx, searchOp{inn: inn}) }

func searchChange(tx *bolt.Tx, op searchOp) {
	op.txid = tx.ID()
	db := tx.DB()
	tx.OnCommit(func() {
		if v, ok := searchRoutes.Load(db); ok {
			v.(*searchIndex).apply(op)
		}
	})
}

// newSearchIndex returns the (not yet built) index of s and routes the commits of its file to it.
func newSearchIndex(s *Store) *searchIndex {
	x := &searchIndex{s: s}
	searchRoutes.Store(s.db.DB, x)
	return x
}

// close stops routing commits to the index and lets its memory go.
func (x *searchIndex) close() {
	searchRoutes.Delete(x.s.db.DB)
	x.mu.Lock()
	if x.state == searchReady {
		x.state, x.data = searchNone, nil
	}
	x.mu.Unlock()
}

// apply records a committed change.
func (x *searchIndex) apply(op searchOp) {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch x.state {
	case searchBuilding:
		x.pending = append(x.pending, op)
	case searchReady:
		// Not compared with builtAt: the batches of a build read at
		// different transactions, and a hook may run after the build ended
		// for a commit that a batch read before. set keeps the later card.
		x.data.set(op)
	}
}

// view runs fn over the built index, under its read lock. The first call
// builds it; calls meanwhile wait for that build.
func (x *searchIndex) view(fn func(d *searchData)) error {
	for {
		x.mu.RLock()
		if x.state == searchReady && x.data.sorted != nil && x.data.innOrd != nil {
			fn(x.data)
			x.mu.RUnlock()
			return nil
		}
		x.mu.RUnlock()
		x.mu.Lock()
		switch x.state {
		case searchReady:
			x.data.sortTerms()
			x.mu.Unlock()
		case searchNone:
			x.state, x.done = searchBuilding, make(chan struct{})
			x.mu.Unlock()
			if err := x.build(); err != nil {
				return err
			}
		default:
			done := x.done
			x.mu.Unlock()
			<-done
		}
	}
}

// build reads every card and installs the index with the changes committed meanwhile.
func (x *searchIndex) build() error {
	d, err := buildSearch(x.s)
	x.mu.Lock()
	defer x.mu.Unlock()
	defer close(x.done)
	if err != nil {
		x.state, x.pending = searchNone, nil
		return err
	}
	for _, op := range x.pending {
		d.set(op) // set skips what a batch read already
	}
	d.sortTerms()
	x.state, x.pending, x.data = searchReady, nil, d
	return nil
}

// set makes op's card the employer's entry (or removes it), unless the
// entry is of a later transaction.
func (d *searchData) set(op searchOp) {
	o, ok := d.ordinal(op.inn)
	if ok && d.emps[o].txid > op.txid {
		return
	}
	if !ok {
		if op.card == nil {
			return
		}
		o = uint32(len(d.emps))
		d.emps = append(d.emps, searchEmp{inn: op.inn})
		d.dates = append(d.dates, 0)
		d.ids = append(d.ids, make([]byte, idSlot)...)
		d.added[op.inn] = o
		d.innOrd = nil
	}
	e := &d.emps[o]
	var newCard employerCard
	var terms []uint32
	if op.card != nil {
		newCard = *op.card
		terms = d.termsOf(newCard.Name)
	}
	for _, t := range terms {
		if !slices.Contains(e.terms, t) {
			d.terms[t].post = insertOrdinal(d.terms[t].post, o)
		}
	}
	for _, t := range e.terms {
		if !slices.Contains(terms, t) {
			d.terms[t].post = removeOrdinal(d.terms[t].post, o)
		}
	}
	d.setIDs(o, []byte(newCard.INN), []byte(newCard.OGRN), e.gone != (op.card == nil))
	e.terms, e.txid, e.gone, e.card = terms, op.txid, op.card == nil, newCard
	d.dates[o] = newCard.LastDate
}

// ordinal returns the ordinal of the employer with this INN.
func (d *searchData) ordinal(inn string) (uint32, bool) {
	i, ok := slices.BinarySearchFunc(d.emps[:d.nBuilt], inn, func(e searchEmp, inn string) int {
		return strings.Compare(e.inn, inn)
	})
	if ok {
		return uint32(i), true
	}
	o, ok := d.added[inn]
	return o, ok
}

// setIDs gives ordinal o this INN and OGRN, in ids and in the trigram
// lists; revived: it was removed, or is now.
func (d *searchData) setIDs(o uint32, inn, ogrn []byte, revived bool) {
	oldINN, oldOGRN := d.idsOf(o)
	if bytes.Equal(oldINN, inn) && bytes.Equal(oldOGRN, ogrn) && !revived {
		return
	}
	d.innOrd = nil
	for _, g := range digitTrigrams(oldINN, oldOGRN) {
		d.tri[g] = removeOrdinal(d.tri[g], o)
	}
	for _, g := range digitTrigrams(inn, ogrn) {
		d.tri[g] = insertOrdinal(d.tri[g], o)
	}
	slot := d.ids[int(o)*idSlot : int(o+1)*idSlot]
	clear(slot)
	copy(slot[:innSlot], inn)
	copy(slot[innSlot:], ogrn)
}

// term returns the id of word w, adding it when new.
func (d *searchData) term(w string) uint32 {
	if t, ok := d.termID[w]; ok {
		return t
	}
	t := uint32(len(d.terms))
	st := searchTerm{text: w, runes: typoRunes(w)}
	if st.runes != nil {
		d.typo = append(d.typo, t)
	}
	d.terms = append(d.terms, st)
	d.termID[w] = t
	d.sorted = nil
	return t
}

// sortTerms orders the term ids by their text and the employers by INN
// and OGRN, for prefix ranges.
func (d *searchData) sortTerms() {
	d.sortINNs()
	if d.sorted != nil {
		return
	}
	d.sorted = make([]uint32, len(d.terms))
	for i := range d.sorted {
		d.sorted[i] = uint32(i)
	}
	sort.Slice(d.sorted, func(i, j int) bool { return d.terms[d.sorted[i]].text < d.terms[d.sorted[j]].text })
}

// sortINNs orders the live employers by INN.
func (d *searchData) sortINNs() {
	if d.innOrd != nil {
		return
	}
	d.innOrd = make([]uint32, 0, len(d.emps))
	for o := range d.emps {
		if !d.emps[o].gone {
			d.innOrd = append(d.innOrd, uint32(o))
		}
	}
	byINN := func(a, b uint32) int { return bytes.Compare(d.inn(a), d.inn(b)) }
	if !slices.IsSortedFunc(d.innOrd, byINN) { // a build reads them in order
		slices.SortFunc(d.innOrd, byINN)
	}
	d.ordInINNOrder = slices.IsSorted(d.innOrd)
	if d.ordInINNOrder { // as after a build: an ordinal ranks as itself
		d.rank = nil
		return
	}
	d.rank = slices.Grow(d.rank[:0], len(d.emps))[:len(d.emps)]
	for i, o := range d.innOrd {
		d.rank[o] = uint32(i)
	}
}

// tieRank returns a number that orders ordinal o among the others by INN.
func (d *searchData) tieRank(o uint32) uint32 {
	if d.ordInINNOrder {
		return o
	}
	return d.rank[o]
}

// ordinalOf returns the ordinal of a tieRank.
func (d *searchData) ordinalOf(rank uint32) uint32 {
	if d.ordInINNOrder {
		return rank
	}
	return d.innOrd[rank]
}

// inn returns the INN of ordinal o, padded with zero bytes.
func (d *searchData) inn(o uint32) []byte { return d.ids[int(o)*idSlot : int(o)*idSlot+innSlot] }

// idsOf returns the INN and the OGRN of ordinal o.
func (d *searchData) idsOf(o uint32) (inn, ogrn []byte) {
	slot := d.ids[int(o)*idSlot : int(o+1)*idSlot]
	return unpad(slot[:innSlot]), unpad(slot[innSlot:])
}

// unpad returns b up to its first zero byte.
func unpad(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// result returns ordinal o as a match.
func (d *searchData) result(o uint32) EmployerMatch {
	c := &d.emps[o].card
	return EmployerMatch{Employer: c.Employer, LastDate: c.LastDate}
}

// The INN and OGRN of an employer in searchData.ids.
const (
	innSlot = 12
	idSlot  = innSlot + 15
)

// termsOf returns the distinct term ids of the words of an employer's name
// (its INN and OGRN are found through searchData.ids and tri).
func (d *searchData) termsOf(name string) []uint32 {
	var terms []uint32
	eachSearchWord([]byte(name), d.buf[:0], func(w []byte) {
		t, ok := d.termID[string(w)]
		if !ok {
			t = d.term(string(w))
		}
		if !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	})
	return terms
}

// digitTrigrams returns the distinct three-digit runs of an INN and an OGRN, ascending.
func digitTrigrams(inn, ogrn []byte) []uint16 {
	var seen [1000/64 + 1]uint64
	eachTrigram(inn, ogrn, func(g uint16) { seen[g/64] |= 1 << (g % 64) })
	var out []uint16
	for i, bits := range seen {
		for ; bits != 0; bits &= bits - 1 {
			out = append(out, uint16(i*64+mathbits.TrailingZeros64(bits)))
		}
	}
	return out
}

// eachTrigram calls fn with every three-digit run of inn and of ogrn, a run
// that occurs twice twice.
func eachTrigram(inn, ogrn []byte, fn func(g uint16)) {
	for _, s := range [2][]byte{inn, ogrn} {
		for i := 0; i+3 <= len(s); i++ {
			a, b, c := s[i]-'0', s[i+1]-'0', s[i+2]-'0'
			if a <= 9 && b <= 9 && c <= 9 {
				fn(uint16(a)*100 + uint16(b)*10 + uint16(c))
			}
		}
	}
}

// trigramOf returns three digits as a number below 1000.
func trigramOf(s string) (uint16, bool) {
	var g uint16
	for i := range 3 {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		g = g*10 + uint16(s[i]-'0')
	}
	return g, true
}

func insertOrdinal(p []uint32, o uint32) []uint32 {
	if n := len(p); n == 0 || p[n-1] < o {
		return append(p, o)
	}
	if i, found := slices.BinarySearch(p, o); !found {
		return slices.Insert(p, i, o)
	}
	return p
}

func removeOrdinal(p []uint32, o uint32) []uint32 {
	if i, found := slices.BinarySearch(p, o); found {
		return slices.Delete(p, i, i+1)
	}
	return p
}

// dump describes the index by INN, for comparing two builds: every live
// employer's card and, for every word, the INNs listed under it.
func (d *searchData) dump() (cards map[string]employerCard, words map[string]string) {
	cards, words = map[string]employerCard{}, map[string]string{}
	for o := range d.emps {
		if !d.emps[o].gone {
			cards[d.emps[o].inn] = d.emps[o].card
		}
	}
	for _, t := range d.terms {
		inns := make([]string, 0, len(t.post))
		for _, o := range t.post {
			inns = append(inns, d.emps[o].inn)
		}
		if len(inns) > 0 {
			slices.Sort(inns)
			words[t.text] = strings.Join(inns, ",")
		}
	}
	for g, p := range d.tri {
		inns := make([]string, 0, len(p))
		for _, o := range p {
			inns = append(inns, d.emps[o].inn)
		}
		if len(inns) > 0 {
			slices.Sort(inns)
			words[fmt.Sprintf("%03d#", g)] = strings.Join(inns, ",")
		}
	}
	return cards, words
}

// PrepareSearch starts building the employer index in the background, so
// that the first search of a session does not wait for it.
func (s *Store) PrepareSearch() {
	go s.search.view(func(*searchData) {}) // an error shows at the first search
}

// checkSearch compares the employer index with one built afresh from the
// cards and returns a Russian sentence per difference.
func (s *Store) checkSearch() ([]string, error) {
	var out []string
	// A write committed between the two reads makes them differ: try again.
	for try := 0; try < 3; try++ {
		fresh, err := buildSearch(s)
		if err != nil {
			return nil, err
		}
		var liveCards map[string]employerCard
		var liveWords map[string]string
		err = s.search.view(func(d *searchData) { liveCards, liveWords = d.dump() })
		if err != nil {
			return nil, err
		}
		cards, words := fresh.dump()
		out = diffSearch(liveCards, liveWords, cards, words)
		if len(out) == 0 {
			break
		}
	}
	return out, nil
}

// diffSearch describes how the index (live) differs from the cards (want).
func diffSearch(live map[string]employerCard, liveWords map[string]string, want map[string]employerCard,
	wantWords map[string]string) []string {
	var out []string
	for inn, c := range want {
		if l, ok := live[inn]; !ok {
			out = append(out, fmt.Sprintf("Работодателя с ИНН %s нет в индексе поиска", inn))
		} else if l != c {
			out = append(out, fmt.Sprintf("Индекс поиска: работодатель с ИНН %s не такой, как в справочнике", inn))
		}
	}
	for inn := range live {
		if _, ok := want[inn]; !ok {
			out = append(out, fmt.Sprintf("В индексе поиска есть работодатель с ИНН %s, которого нет в справочнике",
				inn))
		}
	}
	for w, inns := range wantWords {
		if liveWords[w] != inns {
			out = append(out, fmt.Sprintf("Индекс поиска: по слову «%s» находятся не те работодатели",
				strings.TrimSuffix(w, "#")))
		}
	}
	for w := range liveWords {
		if _, ok := wantWords[w]; !ok {
			out = append(out, fmt.Sprintf("Индекс поиска: по слову «%s» находятся работодатели, которых у него нет",
				strings.TrimSuffix(w, "#")))
		}
	}
	slices.Sort(out)
	return out
}
