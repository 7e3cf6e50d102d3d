package store

import (
	"bytes"
	"fmt"
	mathbits "math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

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
	dates   []Date // by ordinal, the date of the card's entry: ranking reads it for every match
	ids     []byte // by ordinal, idSlot bytes: the INN, then the OGRN, each padded with zeros
	byINN   map[string]uint32
	termID  map[string]uint32
	terms   []searchTerm
	sorted  []uint32 // term ids in the order of their text; nil when a term was added since
	typo    []uint32 // ids of the terms a word with a typo may match (letters, long enough)
	buf     []byte   // for splitting names, under the write lock
	tri     [1000][]uint32
	innOrd  []uint32 // live ordinals in the order of their INN; nil when an employer was added since
}

// searchEmp is one employer in the index.
type searchEmp struct {
	inn   string
	card  employerCard
	terms []uint32 // the words it is listed under
	txid  int      // the transaction of its card
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

// searchRow is one card as the build reads it, with the transaction that read it.
type searchRow struct {
	inn   string
	txid  int
	card  employerCard
	words []byte   // the words of its name, each followed by a zero byte
	tri   []uint16 // digitTrigrams of the card
}

// buildSearch indexes every card of the employers bucket of s, read in
// bounded transactions (reads.go) on one core while the other indexes
// what was read.
func buildSearch(s *Store) (*searchData, error) {
	var n int
	if err := s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketEmployers).Stats().KeyN; return nil }); err != nil {
		return nil, err
	}
	d := newSearchData(0, n)
	batches := make(chan []searchRow, 4)
	var readErr error
	go func() {
		defer close(batches)
		buf := make([]byte, 0, 256)
		sc := scan[searchRow]{bucket: bucketEmployers, load: func(tx *bolt.Tx, k, v []byte, out []searchRow) ([]searchRow, bool, error) {
			out = append(out, searchRow{inn: string(k), txid: tx.ID()})
			r := &out[len(out)-1]
			if err := decodeEmployer(v, &r.card); err != nil {
				return out, false, err
			}
			// The reading core also splits the name: the other only looks words up.
			eachSearchWord(r.card.Name, buf[:0], func(w []byte) { r.words = append(append(r.words, w...), 0) })
			r.tri = digitTrigrams(&r.card)
			return out, false, nil
		}}
		var batch []searchRow
		for from := []byte{}; from != nil; {
			if batch, from, readErr = readBatchOf(s, sc, from, nil); readErr != nil {
				return
			}
			batches <- batch
		}
	}()
	for batch := range batches {
		for i := range batch {
			r := &batch[i]
			d.add(r)
			d.builtAt = max(d.builtAt, r.txid)
		}
	}
	if readErr != nil {
		return nil, readErr
	}
	d.sortINNs()
	return d, nil
}

// add indexes a card not in d yet, for a build: ordinals ascend, so every
// list grows at its end.
func (d *searchData) add(r *searchRow) {
	o := uint32(len(d.emps))
	var terms []uint32
	for w := r.words; len(w) > 0; {
		i := bytes.IndexByte(w, 0)
		t, ok := d.termID[string(w[:i])]
		if !ok {
			t = d.term(string(w[:i]))
		}
		if !slices.Contains(terms, t) {
			terms = append(terms, t)
			d.terms[t].post = append(d.terms[t].post, o)
		}
		w = w[i+1:]
	}
	for _, g := range r.tri {
		d.tri[g] = append(d.tri[g], o)
	}
	d.emps = append(d.emps, searchEmp{inn: r.inn, card: r.card, terms: terms, txid: r.txid})
	d.dates = append(d.dates, r.card.LastDate)
	d.ids = appendIDs(d.ids, &r.card)
	d.byINN[r.inn] = o
}

// appendIDs appends the idSlot bytes of c's INN and OGRN to ids.
func appendIDs(ids []byte, c *employerCard) []byte {
	n := len(ids)
	ids = append(ids, make([]byte, idSlot)...)
	copy(ids[n:n+innSlot], c.INN)
	copy(ids[n+innSlot:], c.OGRN)
	return ids
}

// newSearchData returns an empty index with room for n employers.
func newSearchData(builtAt, n int) *searchData {
	return &searchData{builtAt: builtAt, emps: make([]searchEmp, 0, n), byINN: make(map[string]uint32, n),
		dates: make([]Date, 0, n), ids: make([]byte, 0, n*idSlot), termID: make(map[string]uint32, n/2),
		buf: make([]byte, 0, 256)}
}

// set makes op's card the employer's entry (or removes it), unless the
// entry is of a later transaction.
func (d *searchData) set(op searchOp) {
	o, ok := d.byINN[op.inn]
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
		d.byINN[op.inn] = o
		d.innOrd = nil
	}
	e := &d.emps[o]
	var terms []uint32
	if op.card != nil {
		terms = d.termsOf(op.card.Name)
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
	var newCard employerCard
	if op.card != nil {
		newCard = *op.card
	}
	if e.card.INN != newCard.INN || e.card.OGRN != newCard.OGRN || e.gone != (op.card == nil) {
		d.innOrd = nil
		oldTri, newTri := digitTrigrams(&e.card), digitTrigrams(&newCard)
		for _, g := range oldTri {
			d.tri[g] = removeOrdinal(d.tri[g], o)
		}
		for _, g := range newTri {
			d.tri[g] = insertOrdinal(d.tri[g], o)
		}
	}
	e.terms, e.txid, e.gone, e.card = terms, op.txid, op.card == nil, newCard
	d.dates[o] = e.card.LastDate
	slot := d.ids[int(o)*idSlot : int(o+1)*idSlot]
	clear(slot)
	copy(slot[:innSlot], e.card.INN)
	copy(slot[innSlot:], e.card.OGRN)
}

// term returns the id of word w, adding it when new.
func (d *searchData) term(w string) uint32 {
	if t, ok := d.termID[w]; ok {
		return t
	}
	t := uint32(len(d.terms))
	st := searchTerm{text: w}
	if !isDigitWord(w) && utf8.RuneCountInString(w) >= typoMinRunes-1 {
		st.runes = []rune(w)
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
}

// inn returns the INN of ordinal o, padded with zero bytes.
func (d *searchData) inn(o uint32) []byte { return d.ids[int(o)*idSlot : int(o)*idSlot+innSlot] }

// The INN and OGRN of an employer in searchData.ids.
const (
	innSlot = 12
	idSlot  = innSlot + 15
)

// termsOf returns the distinct term ids of the words of an employer's name
// (its INN and OGRN are found through searchData.ids and tri).
func (d *searchData) termsOf(name string) []uint32 {
	var terms []uint32
	eachSearchWord(name, d.buf[:0], func(w []byte) {
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

// digitTrigrams returns the distinct three-digit runs of an employer's INN and OGRN, ascending.
func digitTrigrams(c *employerCard) []uint16 {
	var seen [1000/64 + 1]uint64
	for _, s := range [2]string{c.INN, c.OGRN} {
		for i := 0; i+3 <= len(s); i++ {
			if g, ok := trigramOf(s[i : i+3]); ok {
				seen[g/64] |= 1 << (g % 64)
			}
		}
	}
	var out []uint16
	for i, bits := range seen {
		for ; bits != 0; bits &= bits - 1 {
			out = append(out, uint16(i*64+mathbits.TrailingZeros64(bits)))
		}
	}
	return out
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
	for inn, o := range d.byINN {
		if !d.emps[o].gone {
			cards[inn] = d.emps[o].card
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
			words[string(rune('0'+g/100))+string(rune('0'+g/10%10))+string(rune('0'+g%10))+"#"] = strings.Join(inns, ",")
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
			out = append(out, fmt.Sprintf("В индексе поиска есть работодатель с ИНН %s, которого нет в справочнике", inn))
		}
	}
	for w, inns := range wantWords {
		if liveWords[w] != inns {
			out = append(out, fmt.Sprintf("Индекс поиска: по слову «%s» находятся не те работодатели", strings.TrimSuffix(w, "#")))
		}
	}
	for w := range liveWords {
		if _, ok := wantWords[w]; !ok {
			out = append(out, fmt.Sprintf("Индекс поиска: по слову «%s» находятся работодатели, которых у него нет", strings.TrimSuffix(w, "#")))
		}
	}
	slices.Sort(out)
	return out
}
