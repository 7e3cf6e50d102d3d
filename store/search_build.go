package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// searchRow is one card as the build reads it, with the transaction that read it.
type searchRow struct {
	inn   string
	card  employerCard
	view  employerView // the card read in place, until card is made of its batch's raw
	at    [3]int       // where its key begins in its batch's raw, its card and where that ends
	txid  int
	ids   [idSlot]byte
	words []byte   // the words of its name, each followed by a zero byte (in its batch's buffer)
	tri   []uint16 // the distinct three-digit runs of its INN and OGRN (in its batch's buffer)
}

// searchBatchWords is the room for the words of one batch's names.
const searchBatchWords = readBatch * 48

// buildSearch indexes every card of the employers bucket of s, read in
// bounded transactions (reads.go) on one core while the other indexes
// what was read. It allocates little per card: a build is what opening a
// file costs before its first search.
func buildSearch(s *Store) (*searchData, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketEmployers).Stats().KeyN; return nil })
	if err != nil {
		return nil, err
	}
	d := newSearchData(0, n)
	batches, free := make(chan *searchBatch, 4), make(chan *searchBatch, 6)
	var readErr error
	go func() {
		defer close(batches)
		readErr = readSearchRows(s, batches, free)
	}()
	for b := range batches {
		for i := range b.rows {
			d.add(&b.rows[i])
		}
		free <- b // add copied what it keeps: the reader may fill it again
	}
	if readErr != nil {
		return nil, readErr
	}
	d.fillPosts()
	d.fillTrigrams()
	d.termBuf, d.nBuilt = nil, len(d.emps)
	d.sortINNs()
	return d, nil
}

// searchBatch is the cards of one read transaction, with the room for
// their words and trigrams.
type searchBatch struct {
	rows  []searchRow
	words []byte
	tri   []uint16
}

// readSearchRows reads every card into batches of searchRows, sent to out,
// in the batches given back on free when there are.
func readSearchRows(s *Store, out chan<- *searchBatch, free <-chan *searchBatch) error {
	var words []byte
	var tri []uint16
	raw := make([]byte, 0, readBatch*200)
	var stamp [1000]uint32 // the row that listed the run, counting from one
	seq := uint32(0)
	buf := make([]byte, 0, 256)
	load := func(tx *bolt.Tx, k, v []byte, out []searchRow) ([]searchRow, bool, error) {
		ev, err := viewEmployer(v)
		if err != nil {
			return out, false, err
		}
		out = append(out, searchRow{at: [3]int{len(raw), len(raw) + len(k), len(raw) + len(k) + len(v)},
			txid: tx.ID()})
		r := &out[len(out)-1]
		raw = append(append(raw, k...), v...)
		inn, ogrn := ev.field(viewINN), ev.field(viewOGRN)
		copy(r.ids[:innSlot], inn)
		copy(r.ids[innSlot:], ogrn)
		// The reading core also splits the name: the other only looks words up.
		start := len(words)
		eachSearchWord(ev.field(viewName), buf[:0], func(w []byte) { words = append(append(words, w...), 0) })
		r.words = words[start:len(words):len(words)]
		start, seq = len(tri), seq+1
		ev.b, r.view = nil, ev
		for _, id := range [2][]byte{inn, ogrn} {
			for i := 0; i+3 <= len(id); i++ { // eachTrigram, without a call a run
				a, b, c := id[i]-'0', id[i+1]-'0', id[i+2]-'0'
				if g := uint16(a)*100 + uint16(b)*10 + uint16(c); a <= 9 && b <= 9 && c <= 9 && stamp[g] != seq {
					stamp[g], tri = seq, append(tri, g)
				}
			}
		}
		r.tri = tri[start:len(tri):len(tri)]
		return out, false, nil
	}
	sc := scan[searchRow]{bucket: bucketEmployers, load: load}
	for from := []byte{}; from != nil; {
		var b *searchBatch
		select {
		case b = <-free:
		default:
			b = &searchBatch{rows: make([]searchRow, 0, readBatch), words: make([]byte, 0, searchBatchWords),
				tri: make([]uint16, 0, readBatch*24)}
		}
		words, tri = b.words[:0], b.tri[:0]
		var err error
		if b.rows, from, err = readBatchOf(s, sc, from, b.rows[:0]); err != nil {
			return err
		}
		b.words, b.tri = words, tri
		// One string for the batch's keys and cards, not two a card.
		batchRaw := string(raw)
		raw = raw[:0]
		for i := range b.rows {
			r := &b.rows[i]
			r.inn, r.card = batchRaw[r.at[0]:r.at[1]], r.view.cardOf(batchRaw[r.at[1]:r.at[2]])
		}
		out <- b
	}
	return nil
}

// employerView is an encoded card read in place: where its strings are in
// the encoding, and its numbers.
type employerView struct {
	b      []byte // the encoding, while it is valid (nil once the transaction ends)
	at     [5][2]int
	last   Date
	lastID uint64
}

// The strings of a card, in the order of the encoding, in employerView.at.
const (
	viewName = iota
	viewAddress
	viewINN
	viewOGRN
	viewOKVED
)

// viewEmployer reads an encoded card (encodeEmployer) in place, without
// copying its strings, and checks the whole of it as decodeEmployer does.
func viewEmployer(b []byte) (employerView, error) {
	v := employerView{b: b}
	if len(b) == 0 || b[0] != recordFormat {
		return v, errCorrupt
	}
	d := decoder{b: b[1:]}
	for i := range v.at {
		s := d.bytes()
		end := len(b) - len(d.b)
		v.at[i] = [2]int{end - len(s), end}
	}
	v.last = Date(d.u())
	v.lastID = d.u()
	return v, d.err
}

// field returns string i of the encoding.
func (v *employerView) field(i int) []byte { return v.b[v.at[i][0]:v.at[i][1]] }

// cardOf returns the card whose encoding is raw: its strings are parts of
// raw, no allocation of their own.
func (v *employerView) cardOf(raw string) employerCard {
	part := func(i int) string { return raw[v.at[i][0]:v.at[i][1]] }
	return employerCard{Employer: Employer{Name: part(viewName), Address: part(viewAddress), INN: part(viewINN),
		OGRN: part(viewOGRN), OKVED: part(viewOKVED)}, LastDate: v.last, LastID: v.lastID}
}

// add indexes a card not in d yet, for a build: ordinals ascend. The
// lists of the words are filled once every card is read (fillPosts).
func (d *searchData) add(r *searchRow) {
	start := len(d.termBuf)
	for w := r.words; len(w) > 0; {
		i := bytes.IndexByte(w, 0)
		t, ok := d.termID[string(w[:i])]
		if !ok {
			t = d.term(string(w[:i]))
			d.count = append(d.count, 0)
		}
		if !slices.Contains(d.termBuf[start:], t) {
			d.termBuf = append(d.termBuf, t)
			d.count[t]++
		}
		w = w[i+1:]
	}
	for _, g := range r.tri {
		d.triCount[g]++
	}
	d.triBuf = append(d.triBuf, r.tri...)
	d.triEnd = append(d.triEnd, uint32(len(d.triBuf)))
	end := len(d.termBuf)
	d.emps = append(d.emps, searchEmp{inn: r.inn, card: r.card, terms: d.termBuf[start:end:end], txid: r.txid})
	d.dates = append(d.dates, r.card.LastDate)
	d.ids = append(d.ids, r.ids[:]...)
	d.builtAt = max(d.builtAt, r.txid)
}

// fillPosts lists, for every word, the employers that have it, each list
// a part of one array, as long as its room: a later insertion moves it.
func (d *searchData) fillPosts() {
	total := uint32(0)
	for _, n := range d.count {
		total += n
	}
	flat := make([]uint32, total)
	for t, n := range d.count {
		d.terms[t].post, flat = flat[:0:n], flat[n:]
	}
	for o := range d.emps {
		for _, t := range d.emps[o].terms {
			d.terms[t].post = append(d.terms[t].post, uint32(o))
		}
	}
	d.count = nil
}

// fillTrigrams lists, for every three-digit run, the employers that have it
// in their INN or OGRN, as fillPosts does.
func (d *searchData) fillTrigrams() {
	total := uint32(0)
	for _, n := range d.triCount {
		total += n
	}
	flat := make([]uint32, total)
	for g, n := range d.triCount {
		d.tri[g], flat = flat[:0:n], flat[n:]
	}
	start := uint32(0)
	for o, end := range d.triEnd {
		for _, g := range d.triBuf[start:end] {
			d.tri[g] = append(d.tri[g], uint32(o))
		}
		start = end
	}
	d.triBuf, d.triEnd, d.triCount = nil, nil, nil
}

// newSearchData returns an empty index with room for n employers.
func newSearchData(builtAt, n int) *searchData {
	return &searchData{builtAt: builtAt, emps: make([]searchEmp, 0, n), added: map[string]uint32{},
		dates: make([]Date, 0, n), ids: make([]byte, 0, n*idSlot), termID: make(map[string]uint32),
		termBuf: make([]uint32, 0, n*4), triBuf: make([]uint16, 0, n*20), triEnd: make([]uint32, 0, n),
		triCount: new([1000]uint32), buf: make([]byte, 0, 256)}
}
