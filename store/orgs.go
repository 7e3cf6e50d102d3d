package store

import (
	"context"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// KnownOrg is a SOUT organisation named on some record, with the registry
// number it was last given and how many records name it.
type KnownOrg struct {
	SoutOrg
	Uses int
}

// SoutOrgs lists the SOUT organisations the register and the journal name,
// the most used first (then by name). Names are matched without regard to
// case and repeated spaces; each keeps the spelling and the registry number
// of its latest record that has a number. It reads in bounded transactions
// (reads.go).
func (s *Store) SoutOrgs(ctx context.Context) ([]KnownOrg, error) {
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
