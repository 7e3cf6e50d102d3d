package store

import (
	"context"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// JournalKey is a journal entry's place in a list: its id and what the
// Journal's orders, its status filter and its overdue count read, a few
// dozen bytes where the whole entry takes hundreds. A list screen keeps the
// keys of its whole list and reads whole entries only for its window.
type JournalKey struct {
	ID uint64
	// Name is the employer's name as the list sorts it (JournalSortName);
	// empty unless asked for.
	Name           string
	ReceivedOn     Date
	ReturnDeadline Date
	No             uint32
	Year           uint16
	status         uint8 // 1 + the index of the status in Statuses; 0 for another word
}

// JournalKeyOf is e's key, with the employer's sort name when name is set.
func JournalKeyOf(e *JournalEntry, name bool) JournalKey {
	k := JournalKey{ID: e.ID, ReceivedOn: e.ReceivedOn, ReturnDeadline: e.ReturnDeadline, No: uint32(e.No),
		Year: uint16(e.Year), status: statusByte(string(e.Status))}
	if name {
		k.Name = JournalSortName(e.EmployerName)
	}
	return k
}

// statusByte is how a key holds status st: 1 + its index in Statuses, 0
// for a word not among them.
func statusByte(st string) uint8 {
	return uint8(slices.IndexFunc(Statuses, func(s JournalStatus) bool { return string(s) == st }) + 1)
}

// Status is the entry's status; "" for a word not among Statuses.
func (k *JournalKey) Status() JournalStatus {
	if k.status == 0 {
		return ""
	}
	return Statuses[k.status-1]
}

// Overdue reports whether the entry was returned and its deadline has
// passed by today, as JournalEntry.Overdue.
func (k *JournalKey) Overdue(today Date) bool {
	return overdue(k.Status(), k.ReturnDeadline, today)
}

// JournalSortName is an employer's name as a clerk reads names in order:
// its words as the employer search folds them (searchWords: any case, ё as
// е, quotes and other punctuation as spaces) joined by one space, so
// «ФГУП «Энергия»» comes before «ФГУП «Энергия-Строй»».
func JournalSortName(name string) string {
	out := make([]byte, 0, len(name))
	eachSearchWord([]byte(name), make([]byte, 0, len(name)), func(w []byte) {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, w...)
	})
	return string(out)
}

// JournalKeys returns the keys of the entries ListJournal(q) returns, in
// the same order (newest first by year and number), with the employers'
// sort names when names is set. It reads in bounded transactions and keeps
// no entry.
func (s *Store) JournalKeys(q JournalQuery, names bool) ([]JournalKey, error) {
	low, words := strings.ToLower(strings.TrimSpace(q.Text)), newTextMatcher(q.Text)
	var from []byte
	if !q.Period.IsZero() {
		from = journalNoKey(q.Period.From.Year(), 0)
	}
	var e JournalEntry
	var entries *bolt.Bucket // of the transaction at, opened once a transaction
	var at *bolt.Tx
	out, err := collect(context.Background(), s, scan[JournalKey]{bucket: bucketJournalNo, from: from,
		load: func(tx *bolt.Tx, _, v []byte, out []JournalKey) ([]JournalKey, bool, error) {
			if tx != at {
				entries, at = tx.Bucket(bucketJournal), tx
			}
			b := entries.Get(v)
			if low == "" { // the period and the status are in the key: the entry's words are not read
				k, err := decodeJournalKey(b, names)
				if err == nil && q.matchPeriodStatus(k.ReceivedOn, k.Status()) {
					out = append(out, k)
				}
				return out, false, err
			}
			e = JournalEntry{}
			if err := decodeJournal(b, &e); err != nil {
				return out, false, err
			}
			if q.match(&e, low, words) {
				out = append(out, JournalKeyOf(&e, names))
			}
			return out, false, nil
		}})
	slices.Reverse(out)
	return slices.Clone(out), err // without the room append left: a list of a year is kept for long
}

// decodeJournalKey decodes only the key of an encoded entry (the layout
// of decodeJournal), copying none of its words but the employer's name
// when name is set.
func decodeJournalKey(b []byte, name bool) (JournalKey, error) {
	if len(b) == 0 || b[0] != recordFormat {
		return JournalKey{}, errCorrupt
	}
	d := decoder{b: b[1:]}
	var k JournalKey
	k.ID = d.u()
	k.Year = uint16(d.u())
	k.No = uint32(d.u())
	k.ReceivedOn = Date(d.u())
	emp := d.bytes()
	d.bytes() // the INN
	d.bytes() // the SOUT organisation
	d.bytes() // its number
	d.u()     // the letter's date
	d.bytes() // its number
	d.bytes() // the notes
	st := d.bytes()
	d.bytes() // the reason
	k.ReturnDeadline = Date(d.u())
	k.status = statusByte(string(st))
	if name {
		k.Name = JournalSortName(string(emp))
	}
	return k, d.err
}

// JournalEntries returns the entries of ids, in their order, read in one
// transaction: a list's window of a few hundred rows. An id not in the
// journal is an error of CodeNotFound.
func (s *Store) JournalEntries(ids []uint64) ([]JournalEntry, error) {
	out := make([]JournalEntry, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		for i, id := range ids {
			var err error
			if out[i], err = getJournal(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
