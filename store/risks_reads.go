package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// The reads of the risk indicators (report/risks.go). Each is one ordered
// pass over one bucket in bounded transactions (reads.go): the journal in
// id order rather than through its numbers index, the employers by INN, the
// register between the ids of a period. Pages are read in order, each once.

// skip passes over one string without copying it.
func (d *decoder) skip() {
	n := d.u()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	if d.err == nil {
		d.b = d.b[n:]
	}
}

// journalReturned reports whether an encoded journal entry was received on
// or before upTo and is still returned for corrections, decoding no text.
func journalReturned(b []byte, upTo Date) (bool, error) {
	if len(b) == 0 || b[0] != recordFormat {
		return false, errCorrupt
	}
	d := decoder{b: b[1:]}
	d.u() // the id
	d.u() // the year
	d.u() // the number
	if Date(d.u()) > upTo {
		return false, d.err
	}
	for range 4 { // employer name, INN, SOUT organisation, its number
		d.skip()
	}
	d.u() // the letter's date
	d.skip()
	d.skip()
	n := d.u()
	if d.err != nil || n > uint64(len(d.b)) {
		return false, errCorrupt
	}
	return string(d.b[:n]) == string(StatusReturned), nil
}

// EachReturnedJournal calls fn for every journal entry received on or before
// upTo whose status is «returned», in id order. Only those are decoded.
func (s *Store) EachReturnedJournal(ctx context.Context, upTo Date, fn func(e *JournalEntry) error) error {
	return each(ctx, s, scan[JournalEntry]{bucket: bucketJournal,
		load: func(_ *bolt.Tx, k, v []byte, out []JournalEntry) ([]JournalEntry, bool, error) {
			ok, err := journalReturned(v, upTo)
			if err != nil || !ok {
				if err != nil {
					err = fmt.Errorf("journal entry %d: %w", binary.BigEndian.Uint64(k), err)
				}
				return out, false, err
			}
			out = append(out, JournalEntry{})
			if err := decodeJournal(v, &out[len(out)-1]); err != nil {
				return out, false, fmt.Errorf("journal entry %d: %w", binary.BigEndian.Uint64(k), err)
			}
			return out, false, nil
		}}, fn)
}

// RiskFigures is what the risk indicators read of one register entry: its
// line of the figures index with no text allocated and only the rows of
// figures they look at.
type RiskFigures struct {
	ID        uint64
	EnteredOn Date
	// INN and OKVED are the entry's, valid only until fn returns: they are
	// copied from the index into a buffer that the next batch reuses.
	INN, OKVED []byte
	// The rows of workplaces, workers and workers under 18, by column.
	Workplaces, Workers, Under18 [NumCols]int32
}

// EachRiskFigures calls fn for every register entry dated on or before upTo,
// oldest first (by date, then id), reading the figures index like EachFigures
// but allocating nothing per entry. fn must not keep f, nor its INN or OKVED.
func (s *Store) EachRiskFigures(ctx context.Context, upTo Date, fn func(f *RiskFigures) error) error {
	var text []byte // the INNs and OKVEDs of one batch
	return each(ctx, s, scan[RiskFigures]{bucket: bucketRegByDate,
		load: func(_ *bolt.Tx, k, v []byte, out []RiskFigures) ([]RiskFigures, bool, error) {
			if len(out) == 0 {
				text = text[:0] // the batch before has been handed out
			}
			on, id := splitDateKey(k)
			if on > upTo {
				return out, true, nil
			}
			if isAnnulledFigures(v) { // annulled: out of every form and indicator
				return out, false, nil
			}
			out = append(out, RiskFigures{ID: id, EnteredOn: on})
			f := &out[len(out)-1]
			var err error
			if text, err = decodeRiskFigures(v, f, text); err != nil {
				return out, false, fmt.Errorf("figures of register entry %d: %w", id, err)
			}
			return out, false, nil
		}}, fn)
}

// decodeRiskFigures decodes a line of the figures index (decodeFigures) into
// f, its INN and OKVED appended to text.
func decodeRiskFigures(b []byte, f *RiskFigures, text []byte) ([]byte, error) {
	d := decoder{b: b}
	for _, dst := range []*[]byte{&f.INN, &f.OKVED} {
		n := d.u()
		if d.err != nil || n > uint64(len(d.b)) {
			return text, errCorrupt
		}
		start := len(text)
		text = append(text, d.b[:n]...)
		*dst = text[start:len(text):len(text)]
		d.b = d.b[n:]
	}
	var g Grid
	d.grid(&g)
	for c := range g {
		f.Workplaces[c], f.Workers[c] = int32(g[c][RowWorkplaces]), int32(g[c][RowWorkers])
		f.Under18[c] = int32(g[c][RowUnder18])
	}
	return text, d.err
}

// EmployerName is an INN and its employer's last known name.
type EmployerName struct{ INN, Name string }

// EmployerNames returns the last known names of the employers of inns (sorted,
// without repeats), in one pass over the employers from the first of them to
// the last, merged with inns as both go in order. INNs with no employer are
// left out.
func (s *Store) EmployerNames(ctx context.Context, inns []string) ([]EmployerName, error) {
	if len(inns) == 0 {
		return nil, nil
	}
	j := 0 // the first of inns not yet passed
	return collect(ctx, s, scan[EmployerName]{bucket: bucketEmployers, from: []byte(inns[0]),
		load: func(_ *bolt.Tx, k, v []byte, out []EmployerName) ([]EmployerName, bool, error) {
			for j < len(inns) && inns[j] < string(k) {
				j++
			}
			if j == len(inns) {
				return out, true, nil
			}
			if inns[j] != string(k) {
				return out, false, nil
			}
			if len(v) == 0 || v[0] != recordFormat {
				return out, false, fmt.Errorf("employer %s: %w", k, errCorrupt)
			}
			d := decoder{b: v[1:]}
			name := d.s()
			if d.err != nil {
				return out, false, fmt.Errorf("employer %s: %w", k, d.err)
			}
			return append(out, EmployerName{INN: inns[j], Name: name}), false, nil
		}})
}

// OrgFigures is what the SOUT organisations' comparison needs of one entry.
type OrgFigures struct {
	OKVED   string
	SoutOrg SoutOrg
	Grid    Grid
}

// EachOrgFigures calls fn for every register entry in force dated in p (in id order),
// reading the register in one pass between the least and the greatest id of
// the period's entries in the figures index and decoding only those entries,
// and of each only its OKVED, its SOUT organisation and its figures. An entry
// that is not in the figures index (an annulled one) is not read. fn must not
// keep f.
func (s *Store) EachOrgFigures(ctx context.Context, p Period, fn func(f *OrgFigures) error) error {
	ids, err := s.periodIDs(ctx, p)
	if err != nil || len(ids) == 0 {
		return err
	}
	j := 0 // the first of ids not yet passed
	return each(ctx, s, scan[OrgFigures]{bucket: bucketRegister, from: u64key(ids[0]),
		load: func(_ *bolt.Tx, k, v []byte, out []OrgFigures) ([]OrgFigures, bool, error) {
			id := binary.BigEndian.Uint64(k)
			for j < len(ids) && ids[j] < id {
				j++
			}
			if j == len(ids) {
				return out, true, nil
			}
			if ids[j] != id {
				return out, false, nil
			}
			var f OrgFigures
			in, err := decodeOrgFigures(v, p, &f)
			if err != nil {
				return out, false, fmt.Errorf("register entry %d: %w", id, err)
			}
			if in {
				out = append(out, f)
			}
			return out, false, nil
		}}, fn)
}

// decodeOrgFigures decodes of an encoded register entry what OrgFigures
// holds, when the entry is dated in p (in reports whether it is).
func decodeOrgFigures(b []byte, p Period, f *OrgFigures) (in bool, _ error) {
	if len(b) == 0 || b[0] != recordFormat {
		return false, errCorrupt
	}
	d := decoder{b: b[1:]}
	d.u() // the id
	if on := Date(d.u()); d.err != nil || !p.IsZero() && !p.Contains(on) {
		return false, d.err
	}
	for range 4 { // employer name, address, INN, OGRN
		d.skip()
	}
	f.OKVED = d.s()
	f.SoutOrg.Name = d.s()
	f.SoutOrg.RegNo = d.s()
	d.u() // the journal entry
	d.grid(&f.Grid)
	d.u() // the stamp: version, created by, at, updated by, at
	d.skip()
	d.i()
	d.skip()
	d.i()
	if d.err == nil && len(d.b) > 0 { // annulled: by, at
		d.skip()
		if d.i() != 0 {
			return false, d.err
		}
	}
	return true, d.err
}

// periodIDs returns the ids of the register entries in force dated in p, in
// order, reading only the figures index (an annulled entry's value says so).
func (s *Store) periodIDs(ctx context.Context, p Period) ([]uint64, error) {
	var from []byte
	if !p.IsZero() {
		from = dateKey(p.From, 0)
	}
	ids, err := collect(ctx, s, scan[uint64]{bucket: bucketRegByDate, from: from,
		load: func(_ *bolt.Tx, k, v []byte, out []uint64) ([]uint64, bool, error) {
			d, id := splitDateKey(k)
			if !p.IsZero() && d > p.To {
				return out, true, nil
			}
			if isAnnulledFigures(v) {
				return out, false, nil
			}
			return append(out, id), false, nil
		}})
	slices.Sort(ids)
	return ids, err
}
