package store

import (
	"bytes"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// EmployerCard is everything known about one employer.
type EmployerCard struct {
	Employer Employer // from the latest register entry, else from the latest journal entry
	Journal  []JournalEntry
	Register []RegisterEntry // oldest first: the history of results
}

// FindByINN returns everything known about the employer with this INN
// (CodeNotFound when nothing is).
func (s *Store) FindByINN(inn string) (EmployerCard, error) {
	var card EmployerCard
	inn = strings.TrimSpace(inn)
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketEmployers).Get([]byte(inn)); v != nil {
			var c employerCard
			if err := decodeEmployer(v, &c); err != nil {
				return err
			}
			card.Employer = c.Employer
		}
		c := tx.Bucket(bucketINN).Cursor()
		pfx := innPrefix(inn, 0)
		for k, _ := c.Seek(pfx); k != nil && bytes.HasPrefix(k, pfx); k, _ = c.Next() {
			_, kind, id, ok := splitInnKey(k)
			if !ok {
				continue
			}
			if kind == kindJournal {
				j, err := getJournal(tx, id)
				if err != nil {
					return err
				}
				card.Journal = append(card.Journal, j)
			} else {
				r, err := getRegister(tx, id)
				if err != nil {
					return err
				}
				card.Register = append(card.Register, r)
			}
		}
		return nil
	})
	if err != nil {
		return card, err
	}
	if len(card.Journal) == 0 && len(card.Register) == 0 {
		return card, Errorf(CodeNotFound, "По ИНН %s ничего не найдено", inn)
	}
	sort.Slice(card.Register, func(i, j int) bool {
		a, b := card.Register[i], card.Register[j]
		return a.EnteredOn < b.EnteredOn || (a.EnteredOn == b.EnteredOn && a.ID < b.ID)
	})
	sort.Slice(card.Journal, func(i, j int) bool {
		a, b := card.Journal[i], card.Journal[j]
		return a.Year < b.Year || (a.Year == b.Year && a.No < b.No)
	})
	return card, nil
}

// LastEmployer returns the employer block of the latest entry with this INN.
func (s *Store) LastEmployer(inn string) (Employer, bool, error) {
	var emp Employer
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEmployers).Get([]byte(strings.TrimSpace(inn)))
		if v == nil {
			return nil
		}
		var c employerCard
		if err := decodeEmployer(v, &c); err != nil {
			return err
		}
		emp, ok = c.Employer, true
		return nil
	})
	return emp, ok, err
}
