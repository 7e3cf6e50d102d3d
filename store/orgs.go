package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// KnownOrg is a SOUT organisation named on some record, with the registry
// number it was last given and how many records name it.
type KnownOrg struct {
	SoutOrg
	Uses int
}

// orgsCache keeps the last SoutOrgs: reading them takes seconds on a
// file of 200,000 entries, and every card that opens asks. After a write it
// is read again, unless reading it is slow (over orgsSlow): then a list read
// less than orgsFresh ago is given as it is, so that a busy office server on
// a big file reads it at most once a minute. While one caller reads,
// the others get the list read before (or wait for the first one).
type orgsCache struct {
	read sync.Mutex // held by the one caller that reads
	mu   sync.Mutex // guards the fields below
	txID int        // the last committed transaction when it was read
	at   time.Time  // when it was read; zero for never
	took time.Duration
	orgs []KnownOrg
}

// orgsFresh is how long a slowly read list of organisations is good for
// after a write; orgsSlow is what counts as slow.
const (
	orgsFresh = time.Minute
	orgsSlow  = 50 * time.Millisecond
)

// get returns the kept list, whether there is one, and whether it is fresh
// for a file whose last transaction is txID.
func (c *orgsCache) get(txID int) (orgs []KnownOrg, have, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return nil, false, false
	}
	return slices.Clone(c.orgs), true, c.txID == txID || c.took > orgsSlow && time.Since(c.at) < orgsFresh
}

// SoutOrgs lists the SOUT organisations the register and the journal name,
// the most used first (then by name). Names are matched without regard to
// case and repeated spaces; each keeps the spelling and the registry number
// of its latest record that has a number. It reads in bounded transactions
// (reads.go); the list is kept as orgsCache says.
func (s *Store) SoutOrgs(ctx context.Context) ([]KnownOrg, error) {
	var txID int
	if err := s.db.View(func(tx *bolt.Tx) error { txID = tx.ID(); return nil }); err != nil {
		return nil, err
	}
	orgs, have, fresh := s.orgs.get(txID)
	if fresh {
		return orgs, nil
	}
	if have {
		if !s.orgs.read.TryLock() {
			return orgs, nil // another caller is reading it again
		}
	} else {
		s.orgs.read.Lock()
	}
	defer s.orgs.read.Unlock()
	if orgs, _, fresh := s.orgs.get(txID); fresh {
		return orgs, nil // read by the caller this one waited for
	}
	began := time.Now()
	orgs, err := s.readSoutOrgs(ctx)
	if err != nil {
		return nil, err
	}
	// A write while it read may be missed: it is kept under the transaction
	// it began with, so the next call after a write reads again.
	s.orgs.mu.Lock()
	s.orgs.txID, s.orgs.at, s.orgs.took, s.orgs.orgs = txID, time.Now(), time.Since(began), orgs
	s.orgs.mu.Unlock()
	return slices.Clone(orgs), nil
}

func (s *Store) readSoutOrgs(ctx context.Context) ([]KnownOrg, error) {
	byKey := map[string]*KnownOrg{}
	add := func(o *SoutOrg) error {
		name := strings.Join(strings.Fields(o.Name), " ")
		if name == "" {
			return nil
		}
		k := orgIndexName(name)
		ko := byKey[k]
		if ko == nil {
			ko = &KnownOrg{}
			byKey[k] = ko
		}
		ko.Uses++
		if ko.RegNo == "" || o.RegNo != "" {
			ko.Name = name
			ko.RegNo = strings.TrimSpace(o.RegNo)
		}
		return nil
	}
	reg := scan[SoutOrg]{bucket: bucketRegister,
		load: func(_ *bolt.Tx, _, v []byte, out []SoutOrg) ([]SoutOrg, bool, error) {
			var e RegisterEntry
			if decodeRegister(v, &e) != nil {
				return out, false, nil // a damaged record names nothing; `sout check` reports it
			}
			return append(out, e.SoutOrg), false, nil
		}}
	jour := scan[SoutOrg]{bucket: bucketJournal,
		load: func(_ *bolt.Tx, _, v []byte, out []SoutOrg) ([]SoutOrg, bool, error) {
			var e JournalEntry
			if decodeJournal(v, &e) != nil {
				return out, false, nil
			}
			return append(out, SoutOrg{Name: e.SoutOrgName, RegNo: e.SoutOrgRegNo}), false, nil
		}}
	if err := each(ctx, s, jour, add); err != nil {
		return nil, err
	}
	if err := each(ctx, s, reg, add); err != nil {
		return nil, err
	}
	out := make([]KnownOrg, 0, len(byKey))
	for _, ko := range byKey {
		out = append(out, *ko)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Uses != out[j].Uses {
			return out[i].Uses > out[j].Uses
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// FindSoutOrg returns the known SOUT organisation (SoutOrgs) that text names:
// the one whose name it is (without regard to case and repeated spaces),
// else the only one whose name contains it. Anything else is refused with a
// message that says what the clerk typed and what to do.
func (s *Store) FindSoutOrg(ctx context.Context, text string) (KnownOrg, error) {
	want := orgIndexName(text)
	if want == "" {
		return KnownOrg{}, Errorf(CodeInvalid, "Организация, проводящая СОУТ: не указана")
	}
	orgs, err := s.SoutOrgs(ctx)
	if err != nil {
		return KnownOrg{}, err
	}
	var hits []KnownOrg
	for _, o := range orgs {
		name := orgIndexName(o.Name)
		if name == want {
			return o, nil
		}
		if strings.Contains(name, want) {
			hits = append(hits, o)
		}
	}
	switch len(hits) {
	case 0:
		return KnownOrg{}, Errorf(CodeInvalid, "Организация, проводящая СОУТ: «%s» нет ни в одной записи",
			strings.TrimSpace(text))
	case 1:
		return hits[0], nil
	}
	names := make([]string, 0, 3)
	for _, o := range hits[:min(3, len(hits))] {
		names = append(names, o.Name)
	}
	more := ""
	if len(hits) > 3 {
		more = ", …"
	}
	return KnownOrg{}, Errorf(CodeInvalid, "Организация, проводящая СОУТ: «%s» — подходят %d (%s%s); уточните название",
		strings.TrimSpace(text), len(hits), strings.Join(names, "; "), more)
}
