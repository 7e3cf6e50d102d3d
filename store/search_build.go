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
	batches := make(chan []searchRow, 4)
	var readErr error
	go func() {
		defer close(batches)
		readErr = readSearchRows(s, batches)
	}()
	for batch := range batches {
		for i := range batch {
			d.add(&batch[i])
		}
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

// readSearchRows reads every card into batches of searchRows, sent to out.
func readSearchRows(s *Store, out chan<- []searchRow) error {
	var words []byte
	var tri []uint16
	var stamp [1000]uint32 // the row that listed the run, counting from one
	seq := uint32(0)
	buf := make([]byte, 0, 256)
	load := func(tx *bolt.Tx, k, v []byte, out []searchRow) ([]searchRow, bool, error) {
		ev, err := viewEmployer(v)
		if err != nil {
			return out, false, err
		}
		out = append(out, searchRow{inn: string(k), card: ev.cardOf(string(v)), txid: tx.ID()})
		r := &out[len(out)-1]
		copy(r.ids[:innSlot], ev.inn)
		copy(r.ids[innSlot:], ev.ogrn)
		// The reading core also splits the name: the other only looks words up.
		start := len(words)
		eachSearchWord(ev.name, buf[:0], func(w []byte) { words = append(append(words, w...), 0) })
		r.words = words[start:len(words):len(words)]
		start, seq = len(tri), seq+1
		for _, id := range [2][]byte{ev.inn, ev.ogrn} {
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
		words, tri = make([]byte, 0, searchBatchWords), make([]uint16, 0, readBatch*24)
		var batch []searchRow
		var err error
		if batch, from, err = readBatchOf(s, sc, from, make([]searchRow, 0, readBatch)); err != nil {
			return err
		}
		out <- batch
	}
	return nil
}

// employerView is an encoded card read in place: its strings as parts of
// the encoding (where, for cardOf) and its numbers.
type employerView struct {
	b                             []byte
	name, addr, inn, ogrn, okved  []byte
	nameAt, addrAt, innAt, ogrnAt int // where they start in b
	okvedAt                       int
	last                          Date
	lastID                        uint64
}

// viewEmployer reads an encoded card (encodeEmployer) in place, without
// copying its strings, and checks the whole of it as decodeEmployer does.
func viewEmployer(b []byte) (employerView, error) {
	v := employerView{b: b}
	if len(b) == 0 || b[0] != recordFormat {
		return v, errCorrupt
	}
	d := decoder{b: b[1:]}
	field := func(at *int) []byte {
		s := d.view()
		*at = len(b) - len(d.b) - len(s)
		return s
	}
	v.name, v.addr, v.inn = field(&v.nameAt), field(&v.addrAt), field(&v.innAt)
	v.ogrn, v.okved = field(&v.ogrnAt), field(&v.okvedAt)
	v.last = Date(d.u())
	v.lastID = d.u()
	return v, d.err
}

// cardOf returns the card whose encoding, v.b, is raw: its strings are
// parts of raw, one allocation for the card.
func (v *employerView) cardOf(raw string) employerCard {
	part := func(at int, s []byte) string { return raw[at : at+len(s)] }
	return employerCard{Employer: Employer{Name: part(v.nameAt, v.name), Address: part(v.addrAt, v.addr),
		INN: part(v.innAt, v.inn), OGRN: part(v.ogrnAt, v.ogrn), OKVED: part(v.okvedAt, v.okved)},
		LastDate: v.last, LastID: v.lastID}
}

// view returns the next string of d in place.
func (d *decoder) view() []byte {
	n := d.u()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
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
