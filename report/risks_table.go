package report

import "sout/store"

// The risks computation keeps one record per employer, looked up by INN for
// every entry read: 700,000 look-ups among 200,000 employers for a year of
// the 1,000,000-entry file. Done as the entries come (in date order, the
// employers at random), each look-up missed the caches twice, since the
// pages of the index being read pushed the 13 MB of records out: a third
// of the computation went into Go's map and the records. So the entries
// are first dealt, as they come, into partitions by their INN's hash
// (appended in order, which the caches follow), then each partition is
// gathered into its employers' records with a table small enough to stay
// in the cache (32 partitions of about 6,000 employers each on that file).

// entryFigures is what the indicators take of one register entry.
type entryFigures struct {
	id              uint64 // 0: none (an employer known from the journal only)
	on              store.Date
	minors, c4, gap int32
	harm, workers   int32 // the workers in classes 3.1–4, and all of them (column 8)
	okved           okvedCode
}

// riskLine is one entry dealt into a partition, or the mark of an
// employer's overdue returns.
type riskLine struct {
	key uint64 // innKey of the INN
	entryFigures
	overdue int32 // > 0: the mark (the index of the returns + 1), not an entry
}

// latest is an employer's latest entry, and the share of harmful classes of
// the entry before it.
type latest struct {
	key uint64
	entryFigures
	pHarm, pWorkers int32 // the previous entry's harm and workers (0 and 0 when none)
	overdue         int32 // index in the overdue returns + 1, 0 when none
}

// risksPartBits is the log₂ of the number of partitions, and riskChunk the
// number of lines of a chunk (4 KB): each partition's last chunk, zeroed as
// it is made, is still in the cache as it fills. On the 2025 risks of the
// 200,000-employer file this took 5–10 % less CPU than 128 partitions of
// 32 KB chunks (two runs each on a shared machine: about its noise); fewer
// partitions make each one's table too big for the cache on a bigger file.
const (
	risksPartBits = 5
	riskChunk     = 64
)

// riskParts deals entries into partitions and gathers them into employers.
// A partition is a list of chunks of a fixed size, so that it grows without
// copying what it holds.
type riskParts struct {
	parts [1 << risksPartBits]riskPart
}

// riskPart is one partition's lines, in the order they came.
type riskPart struct {
	full [][]riskLine // chunks filled
	last []riskLine   // the chunk being filled
	n    int          // lines in all
}

// hashKey spreads a packed INN over 64 bits (Fibonacci hashing): INNs of a
// region share their first digits and differ in the last ones. The high
// bits choose the partition, the next ones the slot in its table.
func hashKey(k uint64) uint64 { return (k ^ k>>29) * 0x9E3779B97F4A7C15 }

// deal appends a line to its partition.
func (rp *riskParts) deal(ln riskLine) {
	p := &rp.parts[hashKey(ln.key)>>(64-risksPartBits)]
	if len(p.last) == cap(p.last) {
		if p.last != nil {
			p.full = append(p.full, p.last)
		}
		p.last = make([]riskLine, 0, riskChunk)
	}
	p.last = append(p.last, ln)
	p.n++
}

// gather turns the partitions into the employers' records, in the order the
// lines of each partition came: an entry makes the employer's latest, the
// one it replaces gives the previous share; a mark sets the overdue returns.
func (rp *riskParts) gather() []latest {
	n := 0
	for i := range rp.parts {
		n += rp.parts[i].n
	}
	list := make([]latest, 0, n/3+16) // about three entries an employer up to the end of a year
	var t empTable
	for pi := range rp.parts {
		p := &rp.parts[pi]
		t.reset(p.n)
		for _, lines := range append(p.full, p.last) {
			for i := range lines {
				ln := &lines[i]
				l := t.find(&list, ln.key)
				if ln.overdue > 0 {
					l.overdue = ln.overdue
					continue
				}
				if l.id != 0 {
					l.pHarm, l.pWorkers = l.harm, l.workers
				}
				l.entryFigures = ln.entryFigures
			}
		}
		*p = riskPart{}
	}
	return list
}

// empTable finds the employers of one partition by key: an open-addressed
// table of their places in the list, each slot with a tag of the key's hash
// beside the place, so that a probe that meets another key mostly does not
// read its record.
type empTable struct {
	slots []uint64 // the hash's low 32 bits << 32 | the place in the list + 1; 0 is free
	shift uint     // 64 − log₂ len(slots)
}

// reset empties the table for a partition of at most n keys.
func (t *empTable) reset(n int) {
	size, bits := 8, uint(3)
	for size < 2*n+1 {
		size, bits = size*2, bits+1
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]uint64, size)
	}
	t.shift = 64 - bits
}

// find returns the record of key in list, appended when new. The table
// never fills: it has more than twice the slots of the partition's lines.
func (t *empTable) find(list *[]latest, key uint64) *latest {
	h := hashKey(key)
	tag := h << 32
	mask := uint64(len(t.slots) - 1)
	for i := (h << risksPartBits) >> t.shift; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			*list = append(*list, latest{key: key})
			t.slots[i] = tag | uint64(len(*list))
			return &(*list)[len(*list)-1]
		}
		if s&^0xFFFFFFFF == tag {
			if l := &(*list)[s&0xFFFFFFFF-1]; l.key == key {
				return l
			}
		}
	}
}
