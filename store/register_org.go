package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// bucketRegByOrg is the register by SOUT organisation: orgKey → the entry's
// OKVED code (the section filter reads it without the record). Every entry
// is in it, annulled ones too (they are listed). Schema 2 added it.
var bucketRegByOrg = []byte("reg_by_org")

// orgIndexName is an organisation's name as names are matched: without
// regard to case and repeated spaces. The organisation index keys by it;
// SoutOrgs, FindSoutOrg and the register filter compare by it.
func orgIndexName(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// orgPrefix is the first part of the index keys of the organisation named
// name: its orgIndexName and a zero byte (no name holds one: checkText
// refuses control characters).
func orgPrefix(name string) []byte { return append([]byte(orgIndexName(name)), 0) }

// orgKey is the organisation index key of entry id of organisation org dated
// d: orgPrefix, then the date key (date, id), so that the keys of one
// organisation are in the list's order.
func orgKey(org string, d Date, id uint64) []byte { return append(orgPrefix(org), dateKey(d, id)...) }

// orgKeyOf is the organisation index key of e.
func orgKeyOf(e *RegisterEntry) []byte { return orgKey(e.SoutOrg.Name, e.EnteredOn, e.ID) }

// putOrgKey writes e's organisation index key, removing old's when given.
func putOrgKey(tx *bolt.Tx, e, old *RegisterEntry) error {
	b := tx.Bucket(bucketRegByOrg)
	if old != nil {
		if err := b.Delete(orgKeyOf(old)); err != nil {
			return err
		}
	}
	return b.Put(orgKeyOf(e), []byte(e.Employer.OKVED))
}

// inSection reports whether OKVED code okved is in the section of letter.
func inSection(okved []byte, letter string) bool {
	i := SectionIndex(string(okved))
	return i >= 0 && Sections[i].Letter == letter
}

// orgPosCache keeps the positions of the last list by organisation for the
// file as it was at one transaction: the list asks for them at every page
// and for the count, and the most used organisation of a million entries
// has some 200,000 (15 ms to read from the index; a page from the cache
// takes 0.1 ms).
type orgPosCache struct {
	mu   sync.Mutex
	key  RegisterQuery // with Text and Oldest cleared, Org as orgIndexName
	txID int
	pos  []Pos
}

// orgPositions returns the positions of the entries of q's organisation,
// section and period, newest first: those kept when the file has not changed
// since, or else readOrgPositions.
func (s *Store) orgPositions(q RegisterQuery) ([]Pos, error) {
	var txID int
	if err := s.db.View(func(tx *bolt.Tx) error { txID = tx.ID(); return nil }); err != nil {
		return nil, err
	}
	key := q
	key.Text, key.Oldest, key.Org = "", false, orgIndexName(q.Org)
	c := &s.orgPos
	c.mu.Lock()
	if c.key == key && c.txID == txID && c.pos != nil {
		pos := c.pos
		c.mu.Unlock()
		return pos, nil // never changed once kept: a new list replaces it
	}
	c.mu.Unlock()
	pos, err := s.readOrgPositions(q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.key, c.txID, c.pos = key, txID, pos
	c.mu.Unlock()
	return pos, nil
}

// readOrgPositions reads the positions of orgPositions from the
// organisation index, from the first key of the period, in bounded
// transactions: the entries of other organisations are not read at all.
func (s *Store) readOrgPositions(q RegisterQuery) ([]Pos, error) {
	pfx := orgPrefix(q.Org)
	from, to := q.Period.From, q.Period.To
	if q.Period.IsZero() {
		from, to = 0, ^Date(0)
	}
	if !s.hasOrgIndex() {
		return s.orgPositionsUnindexed(q, from, to)
	}
	pos, err := collect(context.Background(), s, scan[Pos]{bucket: bucketRegByOrg,
		from: append(slices.Clip(pfx), dateKey(from, 0)...),
		load: func(_ *bolt.Tx, k, v []byte, out []Pos) ([]Pos, bool, error) {
			if !bytes.HasPrefix(k, pfx) {
				return out, true, nil
			}
			if len(k) != len(pfx)+12 {
				return out, false, fmt.Errorf("organisation index key %q: %w", k, errCorrupt)
			}
			d, id := splitDateKey(k[len(pfx):])
			if d > to {
				return out, true, nil
			}
			if q.Section != "" && !inSection(v, q.Section) {
				return out, false, nil
			}
			return append(out, Pos{d, id}), false, nil
		}})
	slices.Reverse(pos) // read oldest first: the list is newest first
	return pos, err
}

// hasOrgIndex reports whether the file has the organisation index: a schema
// 1 file opened as it is (Options.AsIs) has not.
func (s *Store) hasOrgIndex() bool {
	has := false
	_ = s.db.View(func(tx *bolt.Tx) error { has = tx.Bucket(bucketRegByOrg) != nil; return nil })
	return has
}

// orgPositionsUnindexed is orgPositions of a file without the index: it
// reads the whole register, decoding only what the filters need.
func (s *Store) orgPositionsUnindexed(q RegisterQuery, from, to Date) ([]Pos, error) {
	pos, err := collect(context.Background(), s, scan[Pos]{bucket: bucketRegister,
		load: func(_ *bolt.Tx, _, v []byte, out []Pos) ([]Pos, bool, error) {
			p, okved, org, err := registerFilterFields(v)
			if err != nil || p.Date < from || p.Date > to || !sameOrgName(org, q.Org) ||
				q.Section != "" && !inSection(okved, q.Section) {
				return out, false, err
			}
			return append(out, p), false, nil
		}})
	slices.SortFunc(pos, cmpNewest)
	return pos, err
}

// cmpNewest orders positions newest first.
func cmpNewest(a, b Pos) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return 1
	}
	return 0
}

// buildOrgIndex fills the organisation index from the register, in one
// transaction (the migration of a schema 1 file): the keys are sorted
// first, so that every page is written once and full.
func buildOrgIndex(tx *bolt.Tx) error {
	var run []runKey
	err := tx.Bucket(bucketRegister).ForEach(func(_, v []byte) error {
		p, okved, org, err := registerFilterFields(v)
		if err != nil {
			return err
		}
		run = append(run, runKey{orgKey(string(org), p.Date, p.ID), bytes.Clone(okved)})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(run, func(a, b runKey) int { return bytes.Compare(a.k, b.k) })
	b := tx.Bucket(bucketRegByOrg)
	b.FillPercent = 0.9 // written in order; later entries of an organisation go at its end
	for _, r := range run {
		if err := b.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// checkByOrg checks one key of the organisation index against its record.
func checkByOrg(tx *bolt.Tx, k, v []byte, out []string) []string {
	if len(k) < 13 || k[len(k)-13] != 0 {
		return append(out, fmt.Sprintf("Неверный ключ индекса по организации, проводившей СОУТ: %x", k))
	}
	_, id := splitDateKey(k[len(k)-12:])
	rec := tx.Bucket(bucketRegister).Get(u64key(id))
	if rec == nil {
		return append(out, fmt.Sprintf("Индекс по организации, проводившей СОУТ, указывает на несуществующую "+
			"запись реестра №%d", id))
	}
	p, okved, org, err := registerFilterFields(rec)
	if err != nil {
		return out // checkRegister names it
	}
	if !bytes.Equal(k, orgKey(string(org), p.Date, p.ID)) || !bytes.Equal(v, okved) {
		out = append(out, fmt.Sprintf("Индекс по организации, проводившей СОУТ, не совпадает с записью реестра №%d",
			id))
	}
	return out
}
