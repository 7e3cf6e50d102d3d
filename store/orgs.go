package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// KnownOrg is a SOUT organisation named on some record, with the registry
// number it was last given and how many records name it.
type KnownOrg struct {
	SoutOrg
	Uses int
}

// orgsCache keeps the last SoutOrgs: reading them takes seconds on a
// file of 200,000 entries, and every card that opens asks. It holds its lock
// while it reads, so that sessions opening cards at once read only once.
type orgsCache struct {
	mu   sync.Mutex
	txID int // the last committed transaction when it was read; 0 for none
	orgs []KnownOrg
}

// SoutOrgs lists the SOUT organisations the register and the journal name,
// the most used first (then by name). Names are matched without regard to
// case and repeated spaces; each keeps the spelling and the registry number
// of its latest record that has a number. It reads in bounded transactions
// (reads.go). Until the next write it gives the same list without reading.
func (s *Store) SoutOrgs(ctx context.Context) ([]KnownOrg, error) {
	var txID int
	if err := s.db.View(func(tx *bolt.Tx) error { txID = tx.ID(); return nil }); err != nil {
		return nil, err
	}
	s.orgs.mu.Lock()
	defer s.orgs.mu.Unlock()
	if s.orgs.txID != 0 && s.orgs.txID == txID {
		return slices.Clone(s.orgs.orgs), nil
	}
	orgs, err := s.readSoutOrgs(ctx)
	if err != nil {
		return nil, err
	}
	// A write while it read may be missed: it is kept under the transaction
	// it began with, so the next call after any write reads again.
	s.orgs.txID, s.orgs.orgs = txID, orgs
	return slices.Clone(orgs), nil
}

func (s *Store) readSoutOrgs(ctx context.Context) ([]KnownOrg, error) {
	byKey := map[string]*KnownOrg{}
	add := func(o *SoutOrg) error {
		name := strings.Join(strings.Fields(o.Name), " ")
		if name == "" {
			return nil
		}
		k := strings.ToLower(name)
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
	reg := scan[SoutOrg]{bucket: bucketRegister, load: func(_ *bolt.Tx, _, v []byte, out []SoutOrg) ([]SoutOrg, bool, error) {
		var e RegisterEntry
		if decodeRegister(v, &e) != nil {
			return out, false, nil // a damaged record names nothing; `sout check` reports it
		}
		return append(out, e.SoutOrg), false, nil
	}}
	jour := scan[SoutOrg]{bucket: bucketJournal, load: func(_ *bolt.Tx, _, v []byte, out []SoutOrg) ([]SoutOrg, bool, error) {
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
