package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// DupKey is the compact key of what makes two register entries the same
// (FORMS.md §5): INN, date of entry, SOUT organisation (case and spaces
// folded) and all 45 figures. Equal entries have equal keys; a hash, so
// that an import can remember a million of them in a map.
type DupKey [16]byte

// DuplicateKey returns e's DupKey.
func DuplicateKey(e *RegisterEntry) DupKey {
	var buf [512]byte
	b := append(buf[:0], strings.TrimSpace(e.Employer.INN)...)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(e.EnteredOn))
	space := false
	for _, r := range strings.TrimSpace(e.SoutOrg.Name) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b, space = append(b, ' '), false
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	b = append(b, 0)
	for c := range e.Grid {
		for r := range e.Grid[c] {
			b = binary.AppendVarint(b, int64(e.Grid[c][r]))
		}
	}
	sum := sha256.Sum256(b)
	var k DupKey
	copy(k[:], sum[:])
	return k
}

// Duplicate is a stored register entry equal to one asked about.
type Duplicate struct {
	Index     int    // the position of the entry asked about
	ID        uint64 // the stored entry
	EnteredOn Date
	Period    Period // the half-year of its printed register
	No        int    // its № in that printed register; 0 when not counted
}

// dupBatch bounds the entries looked up in one read transaction, and
// dupNumbered the duplicates whose printed № is counted (a walk over their
// half-year's index each): past it, an import lists no more anyway.
const (
	dupBatch    = 2000
	dupNumbered = 100
)

// FindDuplicates returns the stored entries equal to entries of es (by
// DuplicateKey), in the order of es. It reads in bounded transactions
// through the INN index, so it costs one seek per entry.
func (s *Store) FindDuplicates(es []RegisterEntry) ([]Duplicate, error) {
	var out []Duplicate
	for from := 0; from < len(es); from += dupBatch {
		err := s.db.View(func(tx *bolt.Tx) error {
			for i := from; i < min(len(es), from+dupBatch); i++ {
				d, ok, err := findDuplicate(tx, &es[i])
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				d.Index = i
				if len(out) < dupNumbered {
					d.No = printedNo(tx, d.EnteredOn, d.ID)
				}
				out = append(out, d)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// findDuplicate looks for a stored entry equal to e among those of its INN
// dated on its date of entry.
func findDuplicate(tx *bolt.Tx, e *RegisterEntry) (Duplicate, bool, error) {
	want := DuplicateKey(e)
	pfx := innPrefix(strings.TrimSpace(e.Employer.INN), kindRegister)
	date := dateVal(e.EnteredOn)
	c := tx.Bucket(bucketINN).Cursor()
	for k, v := c.Seek(pfx); k != nil && bytes.HasPrefix(k, pfx); k, v = c.Next() {
		_, _, id, ok := splitInnKey(k)
		if !ok || !bytes.Equal(v, date) || id == e.ID {
			continue
		}
		o, err := getRegister(tx, id)
		if err != nil {
			return Duplicate{}, false, err
		}
		if DuplicateKey(&o) == want {
			return Duplicate{ID: o.ID, EnteredOn: o.EnteredOn, Period: HalfYearOf(o.EnteredOn)}, true, nil
		}
	}
	return Duplicate{}, false, nil
}

// printedNo is the № of entry id (dated d) in the printed register of its
// half-year: the form numbers the period's entries by date, then id.
func printedNo(tx *bolt.Tx, d Date, id uint64) int {
	c := tx.Bucket(bucketRegByDate).Cursor()
	end := dateKey(d, id)
	n := 0
	for k, v := c.Seek(dateKey(HalfYearOf(d).From, 0)); k != nil && bytes.Compare(k, end) <= 0; k, v = c.Next() {
		if !isAnnulledFigures(v) { // the printed register leaves annulled entries out
			n++
		}
	}
	return n
}
