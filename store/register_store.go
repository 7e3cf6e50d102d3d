package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

func getRegister(tx *bolt.Tx, id uint64) (RegisterEntry, error) {
	var e RegisterEntry
	v := tx.Bucket(bucketRegister).Get(u64key(id))
	if v == nil {
		return e, Errorf(CodeNotFound, "Запись реестра не найдена: её уже нет в базе")
	}
	return e, decodeRegister(v, &e)
}

// putRegister writes the record and its indexes, removing the indexes of old when given.
func putRegister(tx *bolt.Tx, e *RegisterEntry, old *RegisterEntry) error {
	byDate := tx.Bucket(bucketRegByDate)
	inn := tx.Bucket(bucketINN)
	if old != nil {
		if err := byDate.Delete(dateKey(old.EnteredOn, old.ID)); err != nil {
			return err
		}
		if err := inn.Delete(innKey(old.Employer.INN, kindRegister, old.ID)); err != nil {
			return err
		}
	} else if err := addCount(tx, 1); err != nil {
		return err
	}
	if err := tx.Bucket(bucketRegister).Put(u64key(e.ID), encodeRegister(e)); err != nil {
		return err
	}
	if err := byDate.Put(dateKey(e.EnteredOn, e.ID), figuresVal(e)); err != nil {
		return err
	}
	if err := putOrgKey(tx, e, old); err != nil {
		return err
	}
	if err := inn.Put(innKey(e.Employer.INN, kindRegister, e.ID), dateVal(e.EnteredOn)); err != nil {
		return err
	}
	if e.IsAnnulled() { // the card is of the latest entry in force
		return refreshEmployer(tx, e.Employer.INN)
	}
	if err := noteEmployer(tx, e); err != nil {
		return err
	}
	if old != nil && old.Employer.INN != e.Employer.INN {
		return refreshEmployer(tx, old.Employer.INN)
	}
	return nil
}

func addCount(tx *bolt.Tx, n int64) error {
	m := tx.Bucket(bucketMeta)
	var c int64
	if v := m.Get(keyRegCount); len(v) == 8 {
		c = int64(binary.BigEndian.Uint64(v))
	}
	return m.Put(keyRegCount, u64key(uint64(c+n)))
}

// noteEmployer makes e the employer's card when it is the latest entry.
func noteEmployer(tx *bolt.Tx, e *RegisterEntry) error {
	return noteEmployerAt(tx, e.Employer.INN, e.EnteredOn, e.ID, func() (Employer, error) { return e.Employer, nil })
}

// noteEmployerAt makes entry id, dated on, the card of employer inn unless
// the card is of a later entry; emp gives the entry's employer block.
func noteEmployerAt(tx *bolt.Tx, inn string, on Date, id uint64, emp func() (Employer, error)) error {
	b := tx.Bucket(bucketEmployers)
	var c employerCard
	if v := b.Get([]byte(inn)); v != nil {
		if err := decodeEmployer(v, &c); err != nil {
			return err
		}
		if c.LastID != 0 && c.LastID != id && (c.LastDate > on || (c.LastDate == on && c.LastID > id)) {
			return nil
		}
	}
	e, err := emp()
	if err != nil {
		return err
	}
	c = employerCard{Employer: e, LastDate: on, LastID: id}
	searchNote(tx, inn, &c)
	return b.Put([]byte(inn), encodeEmployer(&c))
}

// refreshEmployer rebuilds an employer's card from what remains of its entries.
func refreshEmployer(tx *bolt.Tx, inn string) error {
	var best, voided *RegisterEntry
	var name string
	c := tx.Bucket(bucketINN).Cursor()
	pfx := innPrefix(inn, 0)
	for k, _ := c.Seek(pfx); k != nil && bytes.HasPrefix(k, pfx); k, _ = c.Next() {
		_, kind, id, ok := splitInnKey(k)
		if !ok {
			continue
		}
		switch kind {
		case kindRegister:
			e, err := getRegister(tx, id)
			if err != nil {
				return err
			}
			if e.IsAnnulled() { // known still, but the card is of an entry in force when there is one
				if voided == nil || later(&e, voided) {
					voided = &e
				}
				continue
			}
			if best == nil || later(&e, best) {
				best = &e
			}
		case kindJournal:
			if j, err := getJournal(tx, id); err == nil {
				name = j.EmployerName
			}
		}
	}
	b := tx.Bucket(bucketEmployers)
	if best == nil && name == "" {
		best = voided // only annulled entries: the employer stays findable
	}
	switch {
	case best != nil:
		card := employerCard{Employer: best.Employer, LastDate: best.EnteredOn, LastID: best.ID}
		searchNote(tx, inn, &card)
		return b.Put([]byte(inn), encodeEmployer(&card))
	case name != "":
		card := employerCard{Employer: Employer{Name: name, INN: inn}}
		searchNote(tx, inn, &card)
		return b.Put([]byte(inn), encodeEmployer(&card))
	}
	searchForget(tx, inn)
	return b.Delete([]byte(inn))
}

// later reports whether e comes after o by date of entry, then id.
func later(e, o *RegisterEntry) bool {
	return e.EnteredOn > o.EnteredOn || (e.EnteredOn == o.EnteredOn && e.ID > o.ID)
}

// lockError returns the error for a register change touching a locked date.
func lockError(tx *bolt.Tx, d Date, what string) error {
	l, err := lockAt(tx, d)
	if err != nil || l == nil {
		return err
	}
	return Errorf(CodeLocked, "Период %s заблокирован (%s, %s): %s записи от %s нельзя", l.Period, l.By,
		time.Unix(l.At, 0).Local().Format("02.01.2006"), what, d.Ru())
}

// contextProblems adds the checks of e that need other records.
func contextProblems(tx *bolt.Tx, e *RegisterEntry, ps *Problems) error {
	if err := checkJournalLink(tx, e, ps); err != nil {
		return err
	}
	if CheckINN(e.Employer.INN) != nil {
		return nil
	}
	c := tx.Bucket(bucketINN).Cursor()
	pfx := innPrefix(e.Employer.INN, kindRegister)
	var last *RegisterEntry
	for k, _ := c.Seek(pfx); k != nil && bytes.HasPrefix(k, pfx); k, _ = c.Next() {
		_, _, id, _ := splitInnKey(k)
		if id == e.ID {
			continue
		}
		o, err := getRegister(tx, id)
		if err != nil {
			return err
		}
		if o.IsAnnulled() { // made by mistake: nothing to compare with
			continue
		}
		if o.JournalID == e.JournalID && strings.EqualFold(o.SoutOrg.Name, e.SoutOrg.Name) {
			if e.JournalID != 0 {
				ps.warnf(FieldINN, "ИНН: уже есть запись реестра (%s) с тем же ИНН, той же организацией СОУТ "+
					"и из той же записи журнала",
					entryRef(tx, &o))
			} else {
				ps.warnf(FieldINN, "ИНН: уже есть запись реестра (%s) с тем же ИНН и той же организацией СОУТ", entryRef(tx, &o))
			}
		}
		// The record compared with is the one before e (by date of entry), not a later one.
		if e.ID != 0 && (o.EnteredOn > e.EnteredOn || o.EnteredOn == e.EnteredOn && o.ID > e.ID) {
			continue
		}
		if last == nil || o.EnteredOn > last.EnteredOn || (o.EnteredOn == last.EnteredOn && o.ID > last.ID) {
			last = &o
		}
	}
	if last != nil {
		if !SameName(last.Employer.Name, e.Employer.Name) {
			ps.warnf(FieldEmployerName, "Наименование: «%s» отличается от прежней записи с этим ИНН (%s)",
				e.Employer.Name, entryRef(tx, last))
		}
		if last.Employer.OKVED != e.Employer.OKVED {
			ps.warnf(FieldOKVED, "ОКВЭД: %s отличается от прежней записи с этим ИНН (%s, ОКВЭД %s)",
				e.Employer.OKVED, entryRef(tx, last), last.Employer.OKVED)
		}
	}
	return nil
}

// entryRef names a register entry as a clerk knows it: the employer, the date
// of entry and the journal number it came from (never its internal id).
func entryRef(tx *bolt.Tx, o *RegisterEntry) string {
	s := fmt.Sprintf("«%s», внесена %s", o.Employer.Name, o.EnteredOn.Ru())
	if o.JournalID != 0 {
		if j, err := getJournal(tx, o.JournalID); err == nil {
			s += ", журнал № " + j.Ref()
		}
	}
	return s
}

// CheckRegisterEntry returns every problem of e: Validate plus the checks that
// need other records (a duplicate INN + SOUT organisation + journal entry; a
// name or OKVED that differs from the last entry with the same INN; a locked
// period; a journal link that does not exist).
func (s *Store) CheckRegisterEntry(e RegisterEntry) (Problems, error) {
	e.Normalize()
	ps := e.Validate(s.Today())
	err := s.db.View(func(tx *bolt.Tx) error {
		if e.EnteredOn != 0 {
			if err := lockError(tx, e.EnteredOn, "вносить и менять"); err != nil {
				if ErrorCode(err) != CodeLocked {
					return err
				}
				ps.errorf(FieldEnteredOn, "%s", ErrorMessage(err))
			}
		}
		return contextProblems(tx, &e, &ps)
	})
	return ps, err
}

// SaveRegisterEntry creates (e.ID == 0) or updates an entry. It refuses errors
// (not warnings), a stale version (CodeConflict with who changed it and when),
// and a date in a locked period, or a move into or out of one (CodeLocked).
// When e.JournalID names a received journal entry (a returned one is refused
// until its re-receipt), that entry becomes accepted and linked to e in the
// same transaction.
func (s *Store) SaveRegisterEntry(a Actor, e RegisterEntry) (RegisterEntry, error) {
	if err := forbidden(a, "Запись в реестр"); err != nil {
		return e, err
	}
	now := s.now()
	e.Normalize()
	e.Annulled = Annulment{} // only AnnulRegisterEntry annuls, by the head
	if ps := e.Validate(DateOf(now)); ps.HasErrors() {
		return e, invalid(ps)
	}
	err := s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Запись в реестр"); err != nil {
			return Change{}, err
		}
		var ps Problems
		if err := contextProblems(tx, &e, &ps); err != nil {
			return Change{}, err
		}
		if ps.HasErrors() {
			return Change{}, invalid(ps)
		}
		var before []byte
		var old *RegisterEntry
		action := "create"
		if e.ID != 0 {
			o, err := getRegister(tx, e.ID)
			if err != nil {
				return Change{}, err
			}
			if o.Version != e.Version {
				return Change{}, conflict(o.Stamp)
			}
			if o.IsAnnulled() {
				return Change{}, annulledError(&o)
			}
			if err := lockError(tx, o.EnteredOn, "менять"); err != nil {
				return Change{}, err
			}
			old, action = &o, "update"
			before, _ = json.Marshal(o)
			stampNext(&e.Stamp, o.Stamp, a, now)
		} else {
			id, err := tx.Bucket(bucketRegister).NextSequence()
			if err != nil {
				return Change{}, err
			}
			e.ID = id
			stampNew(&e.Stamp, a, now)
		}
		if err := lockError(tx, e.EnteredOn, "вносить"); err != nil {
			return Change{}, err
		}
		if err := putRegister(tx, &e, old); err != nil {
			return Change{}, err
		}
		var accepted uint64
		if e.JournalID != 0 && (old == nil || old.JournalID != e.JournalID) {
			if err := acceptJournal(s, tx, a, e.JournalID, e.ID, now); err != nil {
				return Change{}, err
			}
			accepted = e.JournalID
		}
		after, _ := json.Marshal(e)
		return Change{Kind: "register", ID: e.ID, Journal: accepted, User: a.Name},
			s.audit(tx, a, action, "register", e.ID, before, after, "")
	})
	if err != nil {
		return e, err
	}
	return e, nil
}

// acceptJournal marks a received journal entry accepted and links it (the link rule refused a returned one).
func acceptJournal(s *Store, tx *bolt.Tx, a Actor, jid, rid uint64, now time.Time) error {
	j, err := getJournal(tx, jid)
	if err != nil {
		return err
	}
	if j.Status == StatusAccepted && j.RegisterID != 0 {
		return nil // a package with a second entry: the first link stays
	}
	old := j
	j.Status = StatusAccepted
	j.RegisterID = rid
	noteStatusChange(&old, &j, a, now)
	if s == nil { // bulk import: no audit per record
		return putJournal(tx, &j, false)
	}
	stampNext(&j.Stamp, old.Stamp, a, now)
	if err := putJournal(tx, &j, false); err != nil {
		return err
	}
	before, _ := json.Marshal(old)
	after, _ := json.Marshal(j)
	return s.audit(tx, a, "accept", "journal", j.ID, before, after, j.Ref())
}

// RegisterEntry returns one entry by id.
func (s *Store) RegisterEntry(id uint64) (RegisterEntry, error) {
	var e RegisterEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getRegister(tx, id)
		return err
	})
	return e, err
}

// Pos is a position in the register list (newest first: by date of entry, then id).
type Pos struct {
	Date Date
	ID   uint64
}

// IsZero reports whether p is the start of the list.
func (p Pos) IsZero() bool { return p.Date == 0 && p.ID == 0 }

// before reports whether p comes before q in the newest-first order.
func (p Pos) before(q Pos) bool { return p.Date > q.Date || (p.Date == q.Date && p.ID > q.ID) }

// RegisterQuery selects register entries for a list.
type RegisterQuery struct {
	Period  Period // by date of entry; zero = all
	Text    string // words of the employer's name or digits of its INN, as FindEmployers matches them
	Section string // an OKVED2 section's letter (Sections, see ParseSection); "" = all
	Org     string // a SOUT organisation's name, matched as SoutOrgs matches names; "" = all
	Oldest  bool   // oldest first; the list is newest first otherwise
}

// filtered reports whether q selects by section or organisation, which
// are read from each entry rather than from an index.
func (q RegisterQuery) filtered() bool { return q.Section != "" || q.Org != "" }

// keeps reports whether the entry id, with its figures index value fig,
// passes q's section and organisation filters. The section is read from
// the figures (no decoding of the entry), the organisation from the entry's
// record without decoding it whole.
func (q RegisterQuery) keeps(tx *bolt.Tx, fig []byte, id uint64) (bool, error) {
	if q.Section != "" {
		if isAnnulledFigures(fig) { // the index keeps no figures of it: its record has the OKVED
			e, err := getRegister(tx, id)
			if err != nil {
				return false, err
			}
			fig = encodeFigures(&RegisterEntry{Employer: e.Employer})
		}
		d := decoder{b: fig}
		d.skip()
		okved := d.bytes()
		if d.err != nil {
			return false, fmt.Errorf("figures of register entry %d: %w", id, d.err)
		}
		if !inSection(okved, q.Section) {
			return false, nil
		}
	}
	if q.Org != "" {
		_, _, name, err := registerFilterFields(tx.Bucket(bucketRegister).Get(u64key(id)))
		if err != nil {
			return false, err
		}
		return sameOrgName(name, q.Org), nil
	}
	return true, nil
}

// registerFilterFields decodes of an encoded register entry (decodeRegister's
// order) only what the filters read: its position, OKVED code and SOUT
// organisation's name (slices of b).
func registerFilterFields(b []byte) (p Pos, okved, org []byte, err error) {
	if len(b) == 0 || b[0] != recordFormat {
		return p, nil, nil, errCorrupt
	}
	d := decoder{b: b[1:]}
	p.ID = d.u()
	p.Date = Date(d.u())
	for range 4 {
		d.skip() // the employer's name, address, INN, OGRN
	}
	okved = d.bytes()
	org = d.bytes()
	if d.err != nil {
		return p, nil, nil, fmt.Errorf("register entry %d: %w", p.ID, d.err)
	}
	return p, okved, org, nil
}

// ParseSection reads an OKVED2 section's letter as a clerk types it (either
// case, Latin or the Cyrillic look-alike) and returns its Latin letter; ""
// stays "" (all sections).
func ParseSection(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return "", nil
	}
	if r, ok := cyrillicLookAlike[t]; ok {
		t = r
	}
	for _, sec := range Sections {
		if sec.Letter == t {
			return t, nil
		}
	}
	return "", Errorf(CodeInvalid, "Раздел ОКВЭД2: «%s» — нет такого раздела, нужна буква от A до U",
		strings.TrimSpace(s))
}

// cyrillicLookAlike maps the Cyrillic capitals that look like section letters
// to them: a clerk on a Russian layout types «С» for C.
var cyrillicLookAlike = map[string]string{"А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M",
	"О": "O", "Р": "P", "Т": "T"}

// sameOrgName reports whether the organisation name b is want, as the
// organisation index and SoutOrgs match names (orgIndexName).
func sameOrgName(b []byte, want string) bool { return orgIndexName(string(b)) == orgIndexName(want) }

// matches returns, for a text query or one by organisation, every matching
// entry position in newest-first order; ok is false when q has neither (the
// list then follows the date index). It reads the INN index, or the
// register itself (orgPositions), in bounded transactions.
func (q RegisterQuery) matches(s *Store) (pos []Pos, ok bool, err error) {
	inns, ok, err := s.searchINNs(q.Text) // the employers FindEmployers finds
	if !ok && q.Org != "" && err == nil {
		pos, err = s.orgPositions(q)
		return pos, true, err
	}
	if !ok || err != nil {
		return nil, ok, err
	}
	ctx := context.Background()
	for _, inn := range inns {
		pfx := innPrefix(inn, kindRegister)
		err := each(ctx, s, scan[Pos]{bucket: bucketINN, from: pfx,
			load: func(_ *bolt.Tx, k, v []byte, out []Pos) ([]Pos, bool, error) {
				if !bytes.HasPrefix(k, pfx) {
					return out, true, nil
				}
				_, kind, id, ok := splitInnKey(k)
				if !ok || kind != kindRegister || len(v) != 4 {
					return out, false, nil
				}
				if d := Date(binary.BigEndian.Uint32(v)); q.Period.IsZero() || q.Period.Contains(d) {
					out = append(out, Pos{d, id})
				}
				return out, false, nil
			}}, func(p *Pos) error { pos = append(pos, *p); return nil })
		if err != nil {
			return nil, true, err
		}
	}
	sort.Slice(pos, func(i, j int) bool { return pos[i].before(pos[j]) })
	if q.filtered() {
		pos, err = s.keepPositions(q, pos)
	}
	return pos, true, err
}

// keepPositions returns the positions in pos whose entries pass q's section
// and organisation filters, reading them in bounded transactions.
func (s *Store) keepPositions(q RegisterQuery, pos []Pos) ([]Pos, error) {
	kept := pos[:0]
	for len(pos) > 0 {
		n := min(len(pos), readBatch)
		err := s.db.View(func(tx *bolt.Tx) error {
			byDate := tx.Bucket(bucketRegByDate)
			for _, p := range pos[:n] {
				ok, err := q.keeps(tx, byDate.Get(dateKey(p.Date, p.ID)), p.ID)
				if err != nil {
					return err
				}
				if ok {
					kept = append(kept, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		pos = pos[n:]
	}
	return kept, nil
}

// ListRegister returns up to limit entries matching q, newest first,
// starting strictly after pos (the zero Pos starts at the newest). It reads
// only what it returns, so paging through a million entries stays fast.
//
// With q.Oldest the list runs oldest first: the zero Pos then starts at the
// oldest entry, and ListRegisterBefore from the zero Pos gives the newest.
func (s *Store) ListRegister(q RegisterQuery, after Pos, limit int) ([]RegisterEntry, error) {
	if q.Oldest {
		if after.IsZero() {
			after = Pos{Date: 1} // before every entry in the oldest-first order
		}
		out, err := s.listRegister(q, after, limit, true)
		slices.Reverse(out)
		return out, err
	}
	return s.listRegister(q, after, limit, false)
}

// ListRegisterBefore returns up to limit entries matching q that come
// strictly before pos in the list's order (newest first, or oldest first
// with q.Oldest), in that order.
func (s *Store) ListRegisterBefore(q RegisterQuery, before Pos, limit int) ([]RegisterEntry, error) {
	if q.Oldest {
		out, err := s.listRegister(q, before, limit, false)
		slices.Reverse(out)
		return out, err
	}
	return s.listRegister(q, before, limit, true)
}

func (s *Store) listRegister(q RegisterQuery, at Pos, limit int, towardsNewest bool) ([]RegisterEntry, error) {
	pos, isText, err := q.matches(s)
	if err != nil {
		return nil, err
	}
	if !isText {
		return s.listRegisterByDate(q, at, limit, towardsNewest)
	}
	if towardsNewest {
		j := sort.Search(len(pos), func(i int) bool { return !pos[i].before(at) })
		pos = pos[max(0, j-limit):j]
	} else {
		i := 0
		if !at.IsZero() {
			i = sort.Search(len(pos), func(i int) bool { return at.before(pos[i]) })
		}
		pos = pos[i:min(len(pos), i+limit)]
	}
	var out []RegisterEntry
	err = s.db.View(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRegister)
		for _, p := range pos {
			var e RegisterEntry
			if err := decodeRegister(rb.Get(u64key(p.ID)), &e); err != nil {
				return fmt.Errorf("register entry %d: %w", p.ID, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// listRegisterByDate is listRegister along the date index. With a section or
// an organisation to match it may pass over many entries for a page: it
// reads in bounded transactions (reads.go) of at most readBatch keys,
// resuming after the last key it reached.
func (s *Store) listRegisterByDate(q RegisterQuery, at Pos, limit int, towardsNewest bool) ([]RegisterEntry, error) {
	if towardsNewest && at.IsZero() {
		return nil, nil
	}
	from, to := q.Period.From, q.Period.To
	if q.Period.IsZero() {
		from, to = 0, ^Date(0)
	}
	var out []RegisterEntry
	for done := false; !done; {
		err := s.db.View(func(tx *bolt.Tx) error {
			c, rb := tx.Bucket(bucketRegByDate).Cursor(), tx.Bucket(bucketRegister)
			k, v := regCursorStart(c, at, from, to, towardsNewest)
			deadline := time.Now().Add(readBudget)
			for n := 0; ; n++ {
				if k == nil || len(out) == limit {
					done = true
					return nil
				}
				if n == readBatch || (n%64 == 63 && time.Now().After(deadline)) {
					return nil // at stays at the last key read: resume after it
				}
				d, id := splitDateKey(k)
				if (towardsNewest && d > to) || (!towardsNewest && d < from) {
					done = true
					return nil
				}
				at = Pos{d, id}
				if d >= from && d <= to {
					ok, err := q.keeps(tx, v, id)
					if err != nil {
						return err
					}
					if ok {
						out = append(out, RegisterEntry{})
						if err := decodeRegister(rb.Get(u64key(id)), &out[len(out)-1]); err != nil {
							return fmt.Errorf("register entry %d: %w", id, err)
						}
					}
				}
				if towardsNewest {
					k, v = c.Next()
				} else {
					k, v = c.Prev()
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if towardsNewest {
		slices.Reverse(out) // read oldest first: the list is newest first
	}
	return out, nil
}

// regCursorStart puts c on the first key of the date index strictly past at
// in the direction read (towards the newest, or towards the oldest from the
// newest when at is zero), skipping keys outside from..to on the way in.
func regCursorStart(c *bolt.Cursor, at Pos, from, to Date, towardsNewest bool) (k, v []byte) {
	if towardsNewest {
		if at.Date < from {
			return c.Seek(dateKey(from, 0))
		}
		k, v = c.Seek(dateKey(at.Date, at.ID))
		if k != nil && bytes.Equal(k, dateKey(at.Date, at.ID)) {
			k, v = c.Next()
		}
		return k, v
	}
	seek := dateKey(at.Date, at.ID)
	if at.IsZero() || at.Date > to {
		if to == ^Date(0) {
			return c.Last()
		}
		seek = dateKey(to+1, 0)
	}
	if k, _ = c.Seek(seek); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// CountRegister returns how many entries match q.
func (s *Store) CountRegister(q RegisterQuery) (int, error) {
	pos, isText, err := q.matches(s)
	if err != nil || isText {
		return len(pos), err
	}
	n := 0
	if q.Period.IsZero() && !q.filtered() {
		err := s.db.View(func(tx *bolt.Tx) error {
			if v := tx.Bucket(bucketMeta).Get(keyRegCount); len(v) == 8 {
				n = int(binary.BigEndian.Uint64(v))
			}
			return nil
		})
		return n, err
	}
	to := q.Period.To
	if q.Period.IsZero() {
		to = ^Date(0)
	}
	err = each(context.Background(), s, scan[struct{}]{bucket: bucketRegByDate, from: dateKey(q.Period.From, 0),
		load: func(tx *bolt.Tx, k, v []byte, out []struct{}) ([]struct{}, bool, error) {
			d, id := splitDateKey(k)
			if d > to {
				return out, true, nil
			}
			if ok, err := q.keeps(tx, v, id); !ok || err != nil {
				return out, false, err
			}
			return append(out, struct{}{}), false, nil
		}}, func(*struct{}) error { n++; return nil })
	return n, err
}

// RegisterRecord is a register entry as the long reads hand it out, with
// what their callers need of the records it links to.
type RegisterRecord struct {
	RegisterEntry
	JournalRef string // «№/year» of the journal entry the data came from; "" when none
}

// EachRegister calls fn for every entry in force (not annulled) dated in p
// (zero = all), oldest first, between bounded read transactions (reads.go). fn must not keep r.
func (s *Store) EachRegister(ctx context.Context, p Period, fn func(r *RegisterRecord) error) error {
	var from []byte
	if !p.IsZero() {
		from = dateKey(p.From, 0)
	}
	return each(ctx, s, scan[RegisterRecord]{bucket: bucketRegByDate, from: from,
		load: func(tx *bolt.Tx, k, v []byte, out []RegisterRecord) ([]RegisterRecord, bool, error) {
			d, id := splitDateKey(k)
			if !p.IsZero() && d > p.To {
				return out, true, nil
			}
			if isAnnulledFigures(v) { // annulled: it leaves the forms
				return out, false, nil
			}
			out = append(out, RegisterRecord{})
			r := &out[len(out)-1]
			if err := decodeRegister(tx.Bucket(bucketRegister).Get(u64key(id)), &r.RegisterEntry); err != nil {
				return out, false, fmt.Errorf("register entry %d: %w", id, err)
			}
			if r.JournalID != 0 {
				if v := tx.Bucket(bucketJournal).Get(u64key(r.JournalID)); v != nil {
					ref, err := journalRefOf(v)
					if err != nil {
						return out, false, fmt.Errorf("journal entry %d: %w", r.JournalID, err)
					}
					r.JournalRef = ref
				}
			}
			return out, false, nil
		}}, fn)
}

// Figures is what the Summary needs of one register entry.
type Figures struct {
	ID        uint64
	EnteredOn Date
	INN       string
	OKVED     string
	Grid      Grid
}

// EachFigures calls fn for every entry in force dated in p, oldest first, reading only
// the compact figures index (no names, no addresses), between bounded read
// transactions. fn must not keep f.
func (s *Store) EachFigures(ctx context.Context, p Period, fn func(f *Figures) error) error {
	var from []byte
	if !p.IsZero() {
		from = dateKey(p.From, 0)
	}
	return each(ctx, s, scan[Figures]{bucket: bucketRegByDate, from: from,
		load: func(_ *bolt.Tx, k, v []byte, out []Figures) ([]Figures, bool, error) {
			var f Figures
			if f.EnteredOn, f.ID = splitDateKey(k); !p.IsZero() && f.EnteredOn > p.To {
				return out, true, nil
			}
			if isAnnulledFigures(v) {
				return out, false, nil
			}
			if err := decodeFigures(v, &f); err != nil {
				return out, false, fmt.Errorf("figures of register entry %d: %w", f.ID, err)
			}
			return append(out, f), false, nil
		}}, fn)
}

// actAnnul names annulling a register entry in a refusal of rights.
const actAnnul = "Аннулирование записи реестра"

// annulRoles may annul register entries and revoke acceptances.
var annulRoles = []Role{RoleHead, RoleAdmin}

// MayAnnul reports, as the error a refusal shows, whether a may annul a
// register entry: the head (and the admin) only. AnnulRegisterEntry checks
// it; the screens ask it before any dialog.
func MayAnnul(a Actor) error { return roleError(a, actAnnul, annulRoles...) }

// MayRevoke is MayAnnul for revoking an acceptance (RevokeAcceptance).
func MayRevoke(a Actor) error { return roleError(a, actRevoke, annulRoles...) }

// annulledError refuses a change of an annulled register entry.
func annulledError(e *RegisterEntry) error {
	return Errorf(CodeInvalid, "Запись реестра «%s» от %s аннулирована (%s, %s): менять её нельзя", e.Employer.Name,
		e.EnteredOn.Ru(), e.Annulled.By, DateOf(time.Unix(e.Annulled.At, 0)).Ru())
}

// AnnulRegisterEntry marks the entry made by mistake annulled, with who, when
// and reason: it stays in the file and in the register list and leaves the
// forms (its figures leave the date index in the same transaction). Only the
// head may (MayAnnul); the reason is required; a stale version, an entry
// already annulled and a date in a locked period are refused.
func (s *Store) AnnulRegisterEntry(a Actor, id, version uint64, reason string) (RegisterEntry, error) {
	var out RegisterEntry
	if err := forbiddenAnnul(a, MayAnnul); err != nil {
		return out, err
	}
	now := s.now()
	err := s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, actAnnul, annulRoles...); err != nil {
			return Change{}, err
		}
		e, err := annulRegister(s, tx, a, id, version, reason, now)
		out = e
		return Change{Kind: "register", ID: id, Journal: e.JournalID, User: a.Name}, err
	})
	return out, err
}

// forbiddenAnnul is the early check of may (MayAnnul, MayRevoke); a remote
// actor is checked in the transaction.
func forbiddenAnnul(a Actor, may func(Actor) error) error {
	if a.Remote {
		return nil
	}
	return may(a)
}

// annulRegister annuls entry id (of version, when not 0) inside tx and audits it.
func annulRegister(s *Store, tx *bolt.Tx, a Actor, id, version uint64, reason string,
	now time.Time) (RegisterEntry, error) {
	reason = strings.TrimSpace(reason)
	o, err := getRegister(tx, id)
	if err != nil {
		return o, err
	}
	if version != 0 && o.Version != version {
		return o, conflict(o.Stamp)
	}
	var ps Problems
	if checkReason(&ps, "Причина аннулирования", reason); ps.HasErrors() {
		return o, invalid(ps)
	}
	if o.IsAnnulled() {
		return o, Errorf(CodeInvalid, "Запись реестра «%s» от %s уже аннулирована (%s, %s)", o.Employer.Name,
			o.EnteredOn.Ru(), o.Annulled.By, DateOf(time.Unix(o.Annulled.At, 0)).Ru())
	}
	if err := lockError(tx, o.EnteredOn, "аннулировать"); err != nil {
		return o, err
	}
	e := o
	stampNext(&e.Stamp, o.Stamp, a, now)
	e.Annulled = Annulment{By: a.Name, At: now.Unix(), Reason: reason}
	if err := putRegister(tx, &e, &o); err != nil {
		return o, err
	}
	before, _ := json.Marshal(o)
	after, _ := json.Marshal(e)
	return e, s.audit(tx, a, "annul", "register", e.ID, before, after, reason)
}
