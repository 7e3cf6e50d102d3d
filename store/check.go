package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// maxProblems bounds the sentences Check returns.
const maxProblems = 1000

// checkLoad is one walk of Check: it appends the problems of the pair k, v.
type checkLoad func(tx *bolt.Tx, k, v []byte, out []string) []string

// Check verifies indexes, versions and links against the records and returns
// one Russian sentence per inconsistency (none when the file is sound). It
// walks each bucket in bounded read transactions (reads.go), each record
// checked against the others in the transaction that reads it; the counts
// that span a whole bucket assume no writer meanwhile (`sout check` opens the
// file read-only, so no other process writes it).
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var out []string
	walk := func(bucket []byte, load checkLoad) error {
		return each(ctx, s, scan[string]{bucket: bucket,
			load: func(tx *bolt.Tx, k, v []byte, ps []string) ([]string, bool, error) {
				return load(tx, k, v, ps), false, nil
			}}, func(p *string) error {
			if len(out) < maxProblems {
				out = append(out, *p)
			}
			return nil
		})
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyImport); v != nil {
			out = append(out, fmt.Sprintf("Незавершённая загрузка данных: %s", v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	registers := 0
	maxNo := map[int]int{}
	walks := []struct {
		bucket []byte
		load   checkLoad
	}{
		{bucketRegister, func(tx *bolt.Tx, k, v []byte, out []string) []string {
			registers++
			return checkRegister(tx, k, v, out)
		}},
		{bucketRegByDate, checkByDate},
		{bucketINN, checkINNIndex},
		{bucketRegByOrg, checkByOrg},
		{bucketJournal, func(tx *bolt.Tx, k, v []byte, out []string) []string {
			return checkJournal(tx, k, v, out, maxNo)
		}},
		{bucketJournalNo, func(tx *bolt.Tx, k, v []byte, out []string) []string {
			if len(v) != 8 || tx.Bucket(bucketJournal).Get(v) == nil {
				out = append(out, fmt.Sprintf("Индекс номеров журнала указывает на несуществующую запись (%x)", k))
			}
			return out
		}},
		{bucketEmployers, func(tx *bolt.Tx, k, _ []byte, out []string) []string {
			pfx := innPrefix(string(k), 0)
			if kk, _ := tx.Bucket(bucketINN).Cursor().Seek(pfx); kk == nil || !bytes.HasPrefix(kk, pfx) {
				out = append(out, fmt.Sprintf("Работодатель с ИНН %s в справочнике, но записей о нём нет",
					strings.TrimSpace(string(k))))
			}
			return out
		}},
	}
	for _, w := range walks {
		if bytes.Equal(w.bucket, bucketRegByOrg) && !s.hasOrgIndex() {
			continue // a schema 1 file opened as it is
		}
		if err := walk(w.bucket, w.load); err != nil {
			return nil, err
		}
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		out = checkCounters(tx, registers, maxNo, out)
		return nil
	})
	if err == nil {
		var ps []string
		ps, err = s.checkSearch() // the employer index against the cards (search.go)
		out = append(out, ps...)
	}
	if len(out) > maxProblems {
		out = out[:maxProblems]
	}
	return out, err
}

// checkRegister checks one register record against its indexes and links.
func checkRegister(tx *bolt.Tx, k, v []byte, out []string) []string {
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var e RegisterEntry
	if err := decodeRegister(v, &e); err != nil {
		bad("Запись реестра %x не читается: %v", k, err)
		return out
	}
	if e.ID != binary.BigEndian.Uint64(k) {
		bad("Запись реестра №%d хранится под ключом №%d", e.ID, binary.BigEndian.Uint64(k))
	}
	if e.Version == 0 {
		bad("Запись реестра №%d без версии", e.ID)
	}
	if f := tx.Bucket(bucketRegByDate).Get(dateKey(e.EnteredOn, e.ID)); f == nil {
		bad("Запись реестра №%d нет в индексе по дате внесения", e.ID)
	} else if !bytes.Equal(f, figuresVal(&e)) { // an annulled entry's figures are out of the index
		bad("Показатели записи реестра №%d в индексе по дате не совпадают с записью", e.ID)
	}
	if tx.Bucket(bucketINN).Get(innKey(e.Employer.INN, kindRegister, e.ID)) == nil {
		bad("Записи реестра №%d нет в индексе по ИНН %s", e.ID, e.Employer.INN)
	}
	if o := tx.Bucket(bucketRegByOrg); o != nil && o.Get(orgKeyOf(&e)) == nil { // nil: a schema 1 file as it is
		bad("Записи реестра №%d нет в индексе по организации, проводившей СОУТ", e.ID)
	}
	if e.JournalID != 0 && tx.Bucket(bucketJournal).Get(u64key(e.JournalID)) == nil {
		bad("Запись реестра №%d ссылается на несуществующую запись журнала №%d", e.ID, e.JournalID)
	}
	if tx.Bucket(bucketEmployers).Get([]byte(e.Employer.INN)) == nil {
		bad("Работодателя с ИНН %s (запись реестра №%d) нет в справочнике работодателей", e.Employer.INN, e.ID)
	}
	return out
}

// checkByDate checks one key of the date index against its record.
func checkByDate(tx *bolt.Tx, k, _ []byte, out []string) []string {
	if len(k) != 12 {
		return append(out, fmt.Sprintf("Лишний ключ %x в индексе по дате", k))
	}
	d, id := splitDateKey(k)
	var e RegisterEntry
	if v := tx.Bucket(bucketRegister).Get(u64key(id)); v == nil {
		out = append(out, fmt.Sprintf("Индекс по дате указывает на несуществующую запись реестра №%d", id))
	} else if decodeRegister(v, &e) == nil && e.EnteredOn != d {
		out = append(out, fmt.Sprintf("Индекс по дате: запись реестра №%d под датой %s, а в записи %s", id, d.Ru(),
			e.EnteredOn.Ru()))
	}
	return out
}

// checkINNIndex checks one key of the INN index against its record.
func checkINNIndex(tx *bolt.Tx, k, _ []byte, out []string) []string {
	code, kind, id, ok := splitInnKey(k)
	switch {
	case !ok:
	case kind == kindRegister:
		var e RegisterEntry
		if v := tx.Bucket(bucketRegister).Get(u64key(id)); v == nil {
			return append(out, fmt.Sprintf("Индекс по ИНН %s указывает на несуществующую запись реестра №%d", code, id))
		} else if decodeRegister(v, &e) == nil && e.Employer.INN != code {
			return append(out, fmt.Sprintf("Индекс по ИНН: запись реестра №%d под ИНН %s, а в записи %s", id, code,
				e.Employer.INN))
		}
		return out
	case kind == kindJournal:
		if tx.Bucket(bucketJournal).Get(u64key(id)) == nil {
			return append(out, fmt.Sprintf("Индекс по ИНН %s указывает на несуществующую запись журнала №%d", code, id))
		}
		return out
	}
	return append(out, fmt.Sprintf("Лишний ключ %q в индексе по ИНН", k))
}

// checkJournal checks one journal record against its number, INN key and
// link, and notes its number in maxNo.
func checkJournal(tx *bolt.Tx, k, v []byte, out []string, maxNo map[int]int) []string {
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var e JournalEntry
	if err := decodeJournal(v, &e); err != nil {
		bad("Запись журнала %x не читается: %v", k, err)
		return out
	}
	if e.Version == 0 {
		bad("Запись журнала №%d без версии", e.ID)
	}
	if id := tx.Bucket(bucketJournalNo).Get(journalNoKey(e.Year, e.No)); id == nil ||
		binary.BigEndian.Uint64(id) != e.ID {
		bad("Запись журнала %s нет в индексе номеров", e.Ref())
	}
	if tx.Bucket(bucketINN).Get(innKey(e.EmployerINN, kindJournal, e.ID)) == nil {
		bad("Записи журнала %s нет в индексе по ИНН", e.Ref())
	}
	if e.RegisterID != 0 && tx.Bucket(bucketRegister).Get(u64key(e.RegisterID)) == nil {
		bad("Запись журнала %s ссылается на несуществующую запись реестра №%d", e.Ref(), e.RegisterID)
	}
	maxNo[e.Year] = max(maxNo[e.Year], e.No)
	return out
}

// checkCounters compares the register count and the journal's numbering
// counters with what the walks found.
func checkCounters(tx *bolt.Tx, registers int, maxNo map[int]int, out []string) []string {
	meta := tx.Bucket(bucketMeta)
	var count int
	if v := meta.Get(keyRegCount); len(v) == 8 {
		count = int(binary.BigEndian.Uint64(v))
	}
	if count != registers {
		out = append(out, fmt.Sprintf("Счётчик записей реестра %d не совпадает с числом записей %d", count, registers))
	}
	for year, no := range maxNo {
		var last int
		if v := meta.Get(journalCounterKey(year)); len(v) == 4 {
			last = int(binary.BigEndian.Uint32(v))
		}
		if last < no {
			out = append(out,
				fmt.Sprintf("Счётчик номеров журнала %d года (%d) меньше наибольшего номера %d: "+
					"номера могли бы повториться", year, last, no))
		}
	}
	return out
}
