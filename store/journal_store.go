package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// journalCounterKey is the meta key of a year's last registration number.
func journalCounterKey(year int) []byte { return []byte("journal_seq:" + strconv.Itoa(year)) }

func getJournal(tx *bolt.Tx, id uint64) (JournalEntry, error) {
	var e JournalEntry
	v := tx.Bucket(bucketJournal).Get(u64key(id))
	if v == nil {
		return e, Errorf(CodeNotFound, "Запись журнала не найдена: её уже нет в базе")
	}
	return e, decodeJournal(v, &e)
}

// putJournal writes the record and its indexes (the number and INN never change after creation).
func putJournal(tx *bolt.Tx, e *JournalEntry, isNew bool) error {
	if err := tx.Bucket(bucketJournal).Put(u64key(e.ID), encodeJournal(e)); err != nil {
		return err
	}
	if !isNew {
		return nil
	}
	if err := tx.Bucket(bucketJournalNo).Put(journalNoKey(e.Year, e.No), u64key(e.ID)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketINN).Put(innKey(e.EmployerINN, kindJournal, e.ID), dateVal(e.ReceivedOn)); err != nil {
		return err
	}
	// The journal names an employer before the register does.
	emp := tx.Bucket(bucketEmployers)
	if emp.Get([]byte(e.EmployerINN)) == nil {
		c := employerCard{Employer: Employer{Name: e.EmployerName, INN: e.EmployerINN}}
		searchNote(tx, e.EmployerINN, &c)
		return emp.Put([]byte(e.EmployerINN), encodeEmployer(&c))
	}
	return nil
}

// createJournal numbers, stamps and writes a new entry inside tx. With a
// spool (a bulk import), its index keys go to the spool instead of the
// indexes, and the numbers the import took are remembered there.
func createJournal(tx *bolt.Tx, a Actor, e *JournalEntry, now time.Time, sp *journalSpool) error {
	e.Normalize()
	if e.Status == "" {
		e.Status = StatusReceived
	}
	if e.Year == 0 {
		e.Year = e.ReceivedOn.Year()
	}
	if ps := e.Validate(DateOf(now)); ps.HasErrors() {
		return invalid(ps)
	}
	if len(e.Events) == 0 {
		noteStatusChange(&JournalEntry{Status: StatusReceived}, e, a, now) // an imported status
	}
	if e.Status == StatusAccepted && e.RegisterID != 0 {
		if tx.Bucket(bucketRegister).Get(u64key(e.RegisterID)) == nil {
			return Errorf(CodeInvalid, "Запись реестра, с которой связана запись журнала %s (%s), не найдена",
				e.Ref(), e.EmployerName)
		}
	}
	meta := tx.Bucket(bucketMeta)
	ck := journalCounterKey(e.Year)
	var last uint32
	if v := meta.Get(ck); len(v) == 4 {
		last = binary.BigEndian.Uint32(v)
	}
	taken := func(no int) bool {
		return tx.Bucket(bucketJournalNo).Get(journalNoKey(e.Year, no)) != nil || sp.has(e.Year, no)
	}
	if e.No == 0 {
		e.No = int(last) + 1
		for taken(e.No) {
			e.No++
		}
	} else if taken(e.No) {
		return Errorf(CodeInvalid, "Регистрационный номер %s уже занят в журнале %d года", e.Ref(), e.Year)
	}
	if uint32(e.No) > last {
		if err := meta.Put(ck, binary.BigEndian.AppendUint32(nil, uint32(e.No))); err != nil {
			return err
		}
	}
	id, err := tx.Bucket(bucketJournal).NextSequence()
	if err != nil {
		return err
	}
	e.ID = id
	stampNew(&e.Stamp, a, now)
	if sp != nil {
		sp.add(e)
		return putJournal(tx, e, false) // the record; its index keys wait in the spool
	}
	return putJournal(tx, e, true)
}

// CreateJournalEntry validates and saves a new journal entry, assigning its
// registration number (next in the year of receipt) when e.No is 0, or
// keeping e.No when given (refusing a number already used in that year).
// Status defaults to received.
func (s *Store) CreateJournalEntry(a Actor, e JournalEntry) (JournalEntry, error) {
	if err := forbidden(a, "Регистрация в журнале"); err != nil {
		return e, err
	}
	now := s.now()
	err := s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Регистрация в журнале"); err != nil {
			return Change{}, err
		}
		e.ID, e.Year = 0, 0
		if err := createJournal(tx, a, &e, now, nil); err != nil {
			return Change{}, err
		}
		after, _ := json.Marshal(e)
		return Change{Kind: "journal", ID: e.ID, User: a.Name}, s.audit(tx, a, "create", "journal", e.ID, nil, after, e.Ref())
	})
	return e, err
}

// journalOp is one change of a journal entry run by changeEntry.
type journalOp struct {
	what   string // the act named in a refusal of rights
	roles  []Role // who may (any role when empty)
	action string // the audit action
	// edit changes the entry read, in the write transaction; a refusal leaves it unsaved.
	edit func(tx *bolt.Tx, e *JournalEntry, now time.Time) error
	// done, when set, gives the change notified and the audit note of saved
	// entry e; by default the journal entry and its reference.
	done func(e *JournalEntry) (Change, string)
}

// changeJournal loads an entry, checks its version, applies fn, validates and saves it.
func (s *Store) changeJournal(a Actor, id, version uint64, action string,
	fn func(e *JournalEntry) error) (JournalEntry, error) {
	return s.changeEntry(a, id, version, journalOp{what: "Изменение записи журнала", action: action,
		edit: func(_ *bolt.Tx, e *JournalEntry, _ time.Time) error { return fn(e) }})
}

// changeEntry is the one path of a change of a journal entry: it checks the
// rights of op, loads entry id, refuses a version other than version (a
// conflict), applies op.edit, validates, notes the status event, stamps, saves
// and audits the entry, all in one transaction.
func (s *Store) changeEntry(a Actor, id, version uint64, op journalOp) (JournalEntry, error) {
	var out JournalEntry
	if err := forbidden(a, op.what, op.roles...); err != nil {
		return out, err
	}
	now := s.now()
	err := s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, op.what, op.roles...); err != nil {
			return Change{}, err
		}
		old, err := getJournal(tx, id)
		if err != nil {
			return Change{}, err
		}
		if old.Version != version {
			return Change{}, conflict(old.Stamp)
		}
		e := old
		if err := op.edit(tx, &e, now); err != nil {
			return Change{}, err
		}
		e.Normalize()
		if ps := e.Validate(DateOf(now)); ps.HasErrors() {
			return Change{}, invalid(ps)
		}
		noteStatusChange(&old, &e, a, now)
		stampNext(&e.Stamp, old.Stamp, a, now)
		if err := putJournal(tx, &e, false); err != nil {
			return Change{}, err
		}
		before, _ := json.Marshal(old)
		after, _ := json.Marshal(e)
		out = e
		ch, note := Change{Kind: "journal", ID: e.ID, User: a.Name}, journalAuditNote(op.action, &e)
		if op.done != nil {
			ch, note = op.done(&e)
		}
		return ch, s.audit(tx, a, op.action, "journal", e.ID, before, after, note)
	})
	return out, err
}

// UpdateJournalEntry saves changed fields of an existing entry. e.Version must
// be the version read; the number, year and status are not changed here.
func (s *Store) UpdateJournalEntry(a Actor, e JournalEntry) (JournalEntry, error) {
	return s.changeJournal(a, e.ID, e.Version, "update", func(cur *JournalEntry) error {
		if e.ReceivedOn.Year() != cur.Year {
			return Errorf(CodeInvalid, "Дату поступления нельзя перенести в другой год: номер %s закреплён за %d годом",
				cur.Ref(), cur.Year)
		}
		if e.EmployerINN != cur.EmployerINN {
			return Errorf(CodeInvalid, "ИНН работодателя в зарегистрированной записи %s не меняется; "+
				"аннулируйте её и зарегистрируйте заново", cur.Ref())
		}
		cur.ReceivedOn = e.ReceivedOn
		cur.EmployerName = e.EmployerName
		cur.SoutOrgName = e.SoutOrgName
		cur.SoutOrgRegNo = e.SoutOrgRegNo
		cur.LetterDate = e.LetterDate
		cur.LetterNo = e.LetterNo
		cur.Notes = e.Notes
		return nil
	})
}

func transition(cur *JournalEntry, to JournalStatus, from ...JournalStatus) error {
	for _, f := range from {
		if cur.Status == f {
			cur.Status = to
			return nil
		}
	}
	return Errorf(CodeInvalid, "Запись %s в статусе «%s»: перевести её в «%s» нельзя", cur.Ref(), cur.Status.Title(),
		to.Title())
}

// ReturnJournalEntry marks an entry returned for corrections with a reason and a deadline.
// The deadline is not before the day of the return (today); a stored or imported return
// may have a past deadline, so the rule lives here rather than in Validate.
func (s *Store) ReturnJournalEntry(a Actor, id, version uint64, reason string, deadline Date) (JournalEntry, error) {
	today := s.Today()
	return s.changeJournal(a, id, version, "return", func(e *JournalEntry) error {
		if err := transition(e, StatusReturned, StatusReceived); err != nil {
			return err
		}
		if deadline != 0 && deadline < today {
			return Errorf(CodeInvalid, "Срок доработки: %s раньше дня возврата %s", deadline.Ru(), today.Ru())
		}
		e.StatusReason, e.ReturnDeadline = reason, deadline
		return nil
	})
}

// ResubmitJournalEntry marks a returned entry received again (the corrected package came back)
// on the day on (0: today); the day is neither in the future nor before the return, and the
// event carries it. The return's reason and deadline leave the entry's fields (a received entry
// has none) and stay in its history.
func (s *Store) ResubmitJournalEntry(a Actor, id, version uint64, on Date) (JournalEntry, error) {
	today := s.Today()
	if on == 0 {
		on = today
	}
	e, err := s.changeJournal(a, id, version, "resubmit", func(e *JournalEntry) error {
		if err := transition(e, StatusReceived, StatusReturned); err != nil {
			return err
		}
		if on > today {
			return Errorf(CodeInvalid, "Дата повторного поступления: %s ещё не наступила", on.Ru())
		}
		if ret, what := returnedOn(e); on < ret {
			return Errorf(CodeInvalid, "Дата повторного поступления: %s раньше %s %s", on.Ru(), what, ret.Ru())
		}
		e.StatusReason, e.ReturnDeadline = "", 0
		e.Events = append(slices.Clone(e.Events), StatusEvent{Status: StatusReceived, On: on, By: a.Name})
		return nil
	})
	return e, err
}

// returnedOn is the day returned entry e was returned: its last return's
// event, or, when the status came with the record (an import, whose return
// day is not known, is dated the day it was loaded: the record's first
// version), the day of receipt. An entry registered and returned the same
// day has a later version: its return's day counts. What names the day in
// a refusal.
func returnedOn(e *JournalEntry) (on Date, what string) {
	ret := lastEvent(e, StatusReturned)
	if ret == nil || e.Version <= 1 && len(e.Events) == 1 && ret.On == DateOf(time.Unix(e.CreatedAt, 0)) {
		return e.ReceivedOn, "первого поступления"
	}
	return ret.On, "возврата на доработку"
}

// lastEvent returns the last status event of e to status st, or nil.
func lastEvent(e *JournalEntry, st JournalStatus) *StatusEvent {
	for i := len(e.Events) - 1; i >= 0; i-- {
		if e.Events[i].Status == st {
			return &e.Events[i]
		}
	}
	return nil
}

// RevokeAcceptance undoes a wrong acceptance: the accepted journal entry
// goes back to «поступило» (its status event carries the reason) and the
// register entry made from it is annulled with that reason, in one
// transaction, both audited. Only the head may (MayRevoke).
func (s *Store) RevokeAcceptance(a Actor, id, version uint64, reason string) (JournalEntry, error) {
	reason = strings.TrimSpace(reason)
	var rid uint64
	return s.changeEntry(a, id, version, journalOp{what: actRevoke, roles: annulRoles, action: "revoke",
		edit: func(tx *bolt.Tx, e *JournalEntry, now time.Time) error {
			if e.Status != StatusAccepted {
				return Errorf(CodeInvalid, "Запись журнала %s в статусе «%s»: отменить можно только принятие",
					e.Ref(), e.Status.Title())
			}
			var ps Problems
			if checkReason(&ps, "Причина отмены принятия", reason); ps.HasErrors() {
				return invalid(ps)
			}
			rid = e.RegisterID
			// A register entry annulled already stays as it was.
			if r, err := getRegister(tx, rid); rid != 0 && (err != nil || !r.IsAnnulled()) {
				if _, err := annulRegister(s, tx, a, rid, 0, reason, now); err != nil {
					return err
				}
			}
			e.Status, e.RegisterID = StatusReceived, 0
			e.Events = append(slices.Clone(e.Events),
				StatusEvent{Status: StatusReceived, On: DateOf(now), By: a.Name, Reason: reason})
			return nil
		},
		done: func(e *JournalEntry) (Change, string) {
			return Change{Kind: "register", ID: rid, Journal: e.ID, User: a.Name}, e.Ref() + ": " + reason
		}})
}

// actRevoke names revoking an acceptance in a refusal of rights.
const actRevoke = "Отмена принятия"

// AnnulJournalEntry marks an entry annulled with a reason.
func (s *Store) AnnulJournalEntry(a Actor, id, version uint64, reason string) (JournalEntry, error) {
	return s.changeJournal(a, id, version, "annul", func(e *JournalEntry) error {
		if err := transition(e, StatusAnnulled, StatusReceived, StatusReturned); err != nil {
			return err
		}
		e.StatusReason, e.ReturnDeadline = reason, 0
		return nil
	})
}

// JournalEntry returns one entry by id.
func (s *Store) JournalEntry(id uint64) (JournalEntry, error) {
	var e JournalEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getJournal(tx, id)
		return err
	})
	return e, err
}

// JournalByNo returns the entry with registration number no of year.
func (s *Store) JournalByNo(year, no int) (JournalEntry, error) {
	var e JournalEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketJournalNo).Get(journalNoKey(year, no))
		if v == nil {
			return Errorf(CodeNotFound, "В журнале %d года нет записи с номером %d", year, no)
		}
		var err error
		e, err = getJournal(tx, binary.BigEndian.Uint64(v))
		return err
	})
	return e, err
}

// JournalQuery selects journal entries for a list.
type JournalQuery struct {
	Period Period // by date of receipt; zero = all
	Text   string // registration number, employer as FindEmployers matches it, or part of the SOUT organisation's name
	Status JournalStatus
}

// Matches reports whether e is one of the entries ListJournal(q) returns.
func (q JournalQuery) Matches(e *JournalEntry) bool {
	return q.match(e, strings.ToLower(strings.TrimSpace(q.Text)), newTextMatcher(q.Text))
}

func (q JournalQuery) match(e *JournalEntry, lowText string, words *textMatcher) bool {
	if !q.matchPeriodStatus(e.ReceivedOn, e.Status) {
		return false
	}
	if lowText == "" {
		return true
	}
	if strconv.Itoa(e.No) == lowText || e.Ref() == lowText || strings.Contains(strings.ToLower(e.SoutOrgName), lowText) {
		return true
	}
	return words != nil && words.matches(e.EmployerName, e.EmployerINN) // as FindEmployers (search_query.go)
}

// matchPeriodStatus is the part of the query an entry's key answers: the
// date of receipt in the period, the status the one asked for.
func (q JournalQuery) matchPeriodStatus(received Date, st JournalStatus) bool {
	return (q.Period.IsZero() || q.Period.Contains(received)) && (q.Status == "" || st == q.Status)
}

// ListJournal returns the matching entries, newest first (year, number
// descending): JournalKeys, then the entries read by id a batch at a time
// (bounded transactions, as every long read).
func (s *Store) ListJournal(q JournalQuery) ([]JournalEntry, error) {
	keys, err := s.JournalKeys(q, false)
	if err != nil {
		return nil, err
	}
	out := make([]JournalEntry, 0, len(keys))
	for chunk := range slices.Chunk(keys, readBatch) {
		ids := make([]uint64, len(chunk))
		for i := range chunk {
			ids[i] = chunk[i].ID
		}
		es, err := s.JournalEntries(ids)
		if err != nil {
			return out, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// EachJournal calls fn for every entry received in p (zero = all), in
// registration order (year, number ascending), between bounded read
// transactions (reads.go). fn must not keep e.
func (s *Store) EachJournal(ctx context.Context, p Period, fn func(e *JournalEntry) error) error {
	var from []byte
	if !p.IsZero() {
		from = journalNoKey(p.From.Year(), 0)
	}
	return each(ctx, s, scan[JournalEntry]{bucket: bucketJournalNo, from: from,
		load: func(tx *bolt.Tx, k, v []byte, out []JournalEntry) ([]JournalEntry, bool, error) {
			if !p.IsZero() && int(binary.BigEndian.Uint16(k)) > p.To.Year() {
				return out, true, nil
			}
			out = append(out, JournalEntry{})
			e := &out[len(out)-1]
			if err := decodeJournal(tx.Bucket(bucketJournal).Get(v), e); err != nil {
				return out, false, err
			}
			if !p.IsZero() && !p.Contains(e.ReceivedOn) {
				out = out[:len(out)-1]
			}
			return out, false, nil
		}}, fn)
}

// journalRefOf returns the «№/year» of an encoded journal entry, decoding
// only its number.
func journalRefOf(b []byte) (string, error) {
	if len(b) == 0 || b[0] != recordFormat {
		return "", errCorrupt
	}
	d := decoder{b: b[1:]}
	d.u() // the id
	e := JournalEntry{Year: int(d.u()), No: int(d.u())}
	return e.Ref(), d.err
}
