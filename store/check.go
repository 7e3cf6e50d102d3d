package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Check verifies indexes, versions and links against the records and returns
// one Russian sentence per inconsistency (none when the file is sound).
func (s *Store) Check() ([]string, error) {
	var out []string
	bad := func(format string, args ...any) {
		if len(out) < 1000 {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyImport); v != nil {
			bad("Незавершённая загрузка данных: %s", v)
		}
		// Register records against their indexes.
		byDate := tx.Bucket(bucketRegByDate)
		inn := tx.Bucket(bucketINN)
		jb := tx.Bucket(bucketJournal)
		rb := tx.Bucket(bucketRegister)
		n := 0
		err := rb.ForEach(func(k, v []byte) error {
			n++
			var e RegisterEntry
			if err := decodeRegister(v, &e); err != nil {
				bad("Запись реестра %x не читается: %v", k, err)
				return nil
			}
			if e.ID != binary.BigEndian.Uint64(k) {
				bad("Запись реестра №%d хранится под ключом №%d", e.ID, binary.BigEndian.Uint64(k))
			}
			if e.Version == 0 {
				bad("Запись реестра №%d без версии", e.ID)
			}
			if f := byDate.Get(dateKey(e.EnteredOn, e.ID)); f == nil {
				bad("Запись реестра №%d нет в индексе по дате внесения", e.ID)
			} else if !bytes.Equal(f, encodeFigures(&e)) {
				bad("Показатели записи реестра №%d в индексе по дате не совпадают с записью", e.ID)
			}
			if inn.Get(innKey(e.Employer.INN, kindRegister, e.ID)) == nil {
				bad("Записи реестра №%d нет в индексе по ИНН %s", e.ID, e.Employer.INN)
			}
			if e.JournalID != 0 && jb.Get(u64key(e.JournalID)) == nil {
				bad("Запись реестра №%d ссылается на несуществующую запись журнала №%d", e.ID, e.JournalID)
			}
			if tx.Bucket(bucketEmployers).Get([]byte(e.Employer.INN)) == nil {
				bad("Работодателя с ИНН %s (запись реестра №%d) нет в справочнике работодателей", e.Employer.INN, e.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		var count int
		if v := meta.Get(keyRegCount); len(v) == 8 {
			count = int(binary.BigEndian.Uint64(v))
		}
		if count != n {
			bad("Счётчик записей реестра %d не совпадает с числом записей %d", count, n)
		}
		err = byDate.ForEach(func(k, _ []byte) error {
			if len(k) != 12 {
				bad("Лишний ключ %x в индексе по дате", k)
				return nil
			}
			d, id := splitDateKey(k)
			var e RegisterEntry
			if v := rb.Get(u64key(id)); v == nil {
				bad("Индекс по дате указывает на несуществующую запись реестра №%d", id)
			} else if decodeRegister(v, &e) == nil && e.EnteredOn != d {
				bad("Индекс по дате: запись реестра №%d под датой %s, а в записи %s", id, d.Ru(), e.EnteredOn.Ru())
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = inn.ForEach(func(k, _ []byte) error {
			code, kind, id, ok := splitInnKey(k)
			if !ok {
				bad("Лишний ключ %q в индексе по ИНН", k)
				return nil
			}
			switch kind {
			case kindRegister:
				var e RegisterEntry
				if v := rb.Get(u64key(id)); v == nil {
					bad("Индекс по ИНН %s указывает на несуществующую запись реестра №%d", code, id)
				} else if decodeRegister(v, &e) == nil && e.Employer.INN != code {
					bad("Индекс по ИНН: запись реестра №%d под ИНН %s, а в записи %s", id, code, e.Employer.INN)
				}
			case kindJournal:
				if jb.Get(u64key(id)) == nil {
					bad("Индекс по ИНН %s указывает на несуществующую запись журнала №%d", code, id)
				}
			default:
				bad("Лишний ключ %q в индексе по ИНН", k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Journal records against their numbers and links.
		jno := tx.Bucket(bucketJournalNo)
		maxNo := map[int]int{}
		err = jb.ForEach(func(k, v []byte) error {
			var e JournalEntry
			if err := decodeJournal(v, &e); err != nil {
				bad("Запись журнала %x не читается: %v", k, err)
				return nil
			}
			if e.Version == 0 {
				bad("Запись журнала №%d без версии", e.ID)
			}
			if id := jno.Get(journalNoKey(e.Year, e.No)); id == nil || binary.BigEndian.Uint64(id) != e.ID {
				bad("Запись журнала %s нет в индексе номеров", e.Ref())
			}
			if inn.Get(innKey(e.EmployerINN, kindJournal, e.ID)) == nil {
				bad("Записи журнала %s нет в индексе по ИНН", e.Ref())
			}
			if e.RegisterID != 0 && rb.Get(u64key(e.RegisterID)) == nil {
				bad("Запись журнала %s ссылается на несуществующую запись реестра №%d", e.Ref(), e.RegisterID)
			}
			maxNo[e.Year] = max(maxNo[e.Year], e.No)
			return nil
		})
		if err != nil {
			return err
		}
		err = jno.ForEach(func(k, v []byte) error {
			if len(v) != 8 || jb.Get(v) == nil {
				bad("Индекс номеров журнала указывает на несуществующую запись (%x)", k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for year, no := range maxNo {
			var last int
			if v := meta.Get(journalCounterKey(year)); len(v) == 4 {
				last = int(binary.BigEndian.Uint32(v))
			}
			if last < no {
				bad("Счётчик номеров журнала %d года (%d) меньше наибольшего номера %d: номера могли бы повториться", year, last, no)
			}
		}
		return tx.Bucket(bucketEmployers).ForEach(func(k, _ []byte) error {
			c := inn.Cursor()
			pfx := innPrefix(string(k), 0)
			if kk, _ := c.Seek(pfx); kk == nil || !bytes.HasPrefix(kk, pfx) {
				bad("Работодатель с ИНН %s в справочнике, но записей о нём нет", strings.TrimSpace(string(k)))
			}
			return nil
		})
	})
	if err == nil {
		var ps []string
		ps, err = s.checkSearch() // the employer index against the cards (search.go)
		for _, p := range ps {
			bad("%s", p)
		}
	}
	return out, err
}
