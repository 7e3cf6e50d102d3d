package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Import is an all-or-nothing bulk load written in chunks: until Commit, a
// marker in the file says the import is unfinished, and Open (or Abort)
// removes everything it added, so a crash leaves no half-import behind.
type Import struct {
	// ctx ends the import: the chunk or merge under way when it ends fails
	// with its error, and the caller's Abort removes what was written.
	ctx     context.Context
	s       *Store
	a       Actor
	source  string
	count   int
	done    bool
	journal *journalSpool
	batch   int // keys per merge transaction
	// journalSeq is the last journal id before the import: entries up to it
	// that the import accepts get an undo record.
	journalSeq uint64
}

// importMarker is the meta record of an unfinished import.
type importMarker struct {
	User       string
	Source     string
	Started    int64
	RegSeq     uint64 // register ids above this were added by the import
	JournalSeq uint64 // journal ids above this were added by the import
}

// acceptedJournal remembers a journal entry the import accepted, to undo it.
// One record per entry in bucketImportUndo, keyed by the journal id, so that
// a chunk writes only its own records, whatever the size of the import.
type acceptedJournal struct {
	Status JournalStatus
	Stamp  Stamp
}

// bucketImportUndo exists only while an import is unfinished.
var bucketImportUndo = []byte("import_undo")

// BeginImport starts an import by a that lasts as long as ctx; source names
// the file for the audit.
func (s *Store) BeginImport(ctx context.Context, a Actor, source string) (*Import, error) {
	if err := forbidden(a, "Загрузка данных"); err != nil {
		return nil, err
	}
	var mk importMarker
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := authorize(tx, a, "Загрузка данных"); err != nil {
			return err
		}
		m := tx.Bucket(bucketMeta)
		if v := m.Get(keyImport); v != nil {
			var other importMarker
			_ = json.Unmarshal(v, &other)
			return Errorf(CodeLocked, "Уже идёт загрузка файла %s (%s)", other.Source, other.User)
		}
		mk = importMarker{User: a.Name, Source: source, Started: s.now().Unix(),
			RegSeq: tx.Bucket(bucketRegister).Sequence(), JournalSeq: tx.Bucket(bucketJournal).Sequence()}
		v, _ := json.Marshal(mk)
		return m.Put(keyImport, v)
	})
	if err != nil {
		return nil, err
	}
	return &Import{ctx: ctx, s: s, a: a, source: source, batch: mergeBatch, journalSeq: mk.JournalSeq}, nil
}

func (im *Import) chunk(fn func(tx *bolt.Tx) error) error {
	if im.done {
		return Errorf(CodeInvalid, "Загрузка уже завершена")
	}
	if err := im.ctx.Err(); err != nil {
		return err
	}
	return im.s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(keyImport) == nil {
			return fmt.Errorf("import marker: gone (the import was rolled back)")
		}
		return fn(tx)
	})
}

// AddRegister validates and writes a chunk of register entries in one
// transaction. The records are appended in id order; their index keys go,
// sorted, into a run of their own, and Commit merges all the runs into the
// indexes in key order. Written entry by entry, every chunk of random INNs
// and dates would rewrite nearly every page of the indexes: on a
// 1,000,000-entry import that took 36 s and 650 MB; merged, each index page
// is written about once and a transaction holds only a slice of the keys.
func (im *Import) AddRegister(es []RegisterEntry) error {
	now := im.s.now()
	today := DateOf(now)
	return im.chunk(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRegister)
		rb.FillPercent = 0.9 // ids only grow
		run := make([]runKey, 0, 3*len(es))
		for i := range es {
			e := &es[i]
			e.Normalize()
			ps := e.Validate(today)
			if err := checkJournalLink(tx, e, &ps); err != nil {
				return err
			}
			if ps.HasErrors() {
				return &Error{Code: CodeInvalid, Message: fmt.Sprintf("Запись %d (ИНН %s): %s", im.count+i+1,
					e.Employer.INN, ps.Errors().Error()), Problems: ps.Errors()}
			}
			if err := lockError(tx, e.EnteredOn, "загружать"); err != nil {
				return err
			}
			id, err := rb.NextSequence()
			if err != nil {
				return err
			}
			e.ID = id
			stampNew(&e.Stamp, im.a, now)
			if err := rb.Put(u64key(e.ID), encodeRegister(e)); err != nil {
				return err
			}
			run = append(run,
				runKey{append([]byte{runByDate}, dateKey(e.EnteredOn, e.ID)...), encodeFigures(e)},
				runKey{append([]byte{runINN}, innKey(e.Employer.INN, kindRegister, e.ID)...), dateVal(e.EnteredOn)},
				runKey{append([]byte{runByOrg}, orgKeyOf(e)...), []byte(e.Employer.OKVED)})
			if e.JournalID != 0 {
				run = append(run, runKey{append(append([]byte{runAccept}, u64key(e.JournalID)...), u64key(e.ID)...),
					nil})
			}
		}
		if err := addCount(tx, int64(len(es))); err != nil {
			return err
		}
		if err := writeRun(tx, run); err != nil {
			return err
		}
		im.count += len(es)
		return nil
	})
}

// rememberAccepted records the state of a journal entry from before the
// import, so that a rollback can restore it.
func rememberAccepted(tx *bolt.Tx, j *JournalEntry) error {
	b, err := tx.CreateBucketIfNotExists(bucketImportUndo)
	if err != nil {
		return err
	}
	v, _ := json.Marshal(acceptedJournal{Status: j.Status, Stamp: j.Stamp})
	return b.Put(u64key(j.ID), v)
}

// dropImportUndo removes the undo records of a finished or rolled back import.
func dropImportUndo(tx *bolt.Tx) error {
	if tx.Bucket(bucketImportUndo) == nil {
		return nil
	}
	return tx.DeleteBucket(bucketImportUndo)
}

// AddJournal validates and writes a chunk of journal entries in one
// transaction; like AddRegister, it leaves their index keys in a run.
func (im *Import) AddJournal(es []JournalEntry) error {
	now := im.s.now()
	if im.journal == nil {
		im.journal = &journalSpool{nos: map[uint64]struct{}{}}
	}
	sp := im.journal
	return im.chunk(func(tx *bolt.Tx) error {
		sp.run = sp.run[:0]
		for i := range es {
			es[i].ID, es[i].Year = 0, 0
			if es[i].Status == StatusAccepted {
				es[i].RegisterID = 0 // links come with the register
			}
			if err := createJournal(tx, im.a, &es[i], now, sp); err != nil {
				sp.forget(es[:i])
				return &Error{Code: CodeInvalid, Message: fmt.Sprintf("Запись журнала %d: %s", im.count+i+1,
					ErrorMessage(err)), Err: err}
			}
		}
		if err := writeRun(tx, sp.run); err != nil {
			sp.forget(es)
			return err
		}
		im.count += len(es)
		return nil
	})
}

// Commit ends the import and writes its audit record.
func (im *Import) Commit() error {
	if im.done {
		return Errorf(CodeInvalid, "Загрузка уже завершена")
	}
	s := im.s
	if err := im.mergeIndexRuns(); err != nil {
		im.Abort()
		return err
	}
	err := s.update(func(tx *bolt.Tx) (Change, error) {
		m := tx.Bucket(bucketMeta)
		var mk importMarker
		if err := json.Unmarshal(m.Get(keyImport), &mk); err != nil {
			return Change{}, fmt.Errorf("import marker: %w", err)
		}
		if err := m.Delete(keyImport); err != nil {
			return Change{}, err
		}
		summary := importSummary(tx, im.source, im.count, mk.RegSeq, mk.JournalSeq)
		if err := dropImportUndo(tx); err != nil {
			return Change{}, err
		}
		if err := dropRuns(tx); err != nil {
			return Change{}, err
		}
		// The ranges of the records added are in the summary (a record's
		// history finds its import by them); the note is for people.
		note := fmt.Sprintf("%s: загружено записей: %d", im.source, im.count)
		return Change{Kind: "import", User: im.a.Name}, s.audit(tx, im.a, "import", "import", 0, nil, summary, note)
	})
	if err == nil {
		im.done = true
	}
	return err
}

// Abort removes everything the import added.
func (im *Import) Abort() error {
	if im.done {
		return nil
	}
	im.done = true
	return im.s.db.Update(rollbackImport)
}

// rollbackImport removes what an unfinished import added, with its indexes,
// gives back the journal entries it accepted and the numbers it took.
func rollbackImport(tx *bolt.Tx) error {
	m := tx.Bucket(bucketMeta)
	v := m.Get(keyImport)
	if v == nil {
		return nil
	}
	var mk importMarker
	if err := json.Unmarshal(v, &mk); err != nil {
		return fmt.Errorf("import marker: %w", err)
	}
	inns := map[string]bool{}
	if err := rollbackRegister(tx, mk.RegSeq, inns); err != nil {
		return err
	}
	years, err := rollbackJournal(tx, mk.JournalSeq, inns)
	if err != nil {
		return err
	}
	if err := undoImportAccepts(tx); err != nil {
		return err
	}
	for inn := range inns {
		if err := refreshEmployer(tx, inn); err != nil {
			return err
		}
	}
	for year, last := range years {
		if err := setJournalCounter(tx, year, last); err != nil {
			return err
		}
	}
	if err := dropRuns(tx); err != nil {
		return err
	}
	if err := tx.Bucket(bucketRegister).SetSequence(mk.RegSeq); err != nil {
		return err
	}
	if err := tx.Bucket(bucketJournal).SetSequence(mk.JournalSeq); err != nil {
		return err
	}
	return m.Delete(keyImport)
}

// rollbackRegister deletes the register entries after ID seq, with their
// date and INN index keys and their count, and adds their INNs to inns.
func rollbackRegister(tx *bolt.Tx, seq uint64, inns map[string]bool) error {
	rb := tx.Bucket(bucketRegister)
	// Only what the deletions need is kept, not whole records: a rollback
	// of a million entries stays within tens of megabytes.
	type added struct {
		id  uint64
		on  Date
		inn string
	}
	var regs []added
	c := rb.Cursor()
	for k, v := c.Seek(u64key(seq + 1)); k != nil; k, v = c.Next() {
		var e RegisterEntry
		if err := decodeRegister(v, &e); err != nil {
			return err
		}
		// Another bucket than the one read: its key goes now, with no memory kept.
		if err := tx.Bucket(bucketRegByOrg).Delete(orgKeyOf(&e)); err != nil {
			return err
		}
		regs = append(regs, added{e.ID, e.EnteredOn, e.Employer.INN})
	}
	for _, e := range regs {
		if err := rb.Delete(u64key(e.id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRegByDate).Delete(dateKey(e.on, e.id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketINN).Delete(innKey(e.inn, kindRegister, e.id)); err != nil {
			return err
		}
		inns[e.inn] = true
	}
	return addCount(tx, -int64(len(regs)))
}

// rollbackJournal deletes the journal entries after ID seq, with their
// number and INN index keys, adds their INNs to inns and returns their years.
func rollbackJournal(tx *bolt.Tx, seq uint64, inns map[string]bool) (map[int]uint32, error) {
	jb := tx.Bucket(bucketJournal)
	var js []JournalEntry
	jc := jb.Cursor()
	for k, v := jc.Seek(u64key(seq + 1)); k != nil; k, v = jc.Next() {
		var e JournalEntry
		if err := decodeJournal(v, &e); err != nil {
			return nil, err
		}
		js = append(js, e)
	}
	years := map[int]uint32{}
	for _, e := range js {
		years[e.Year] = 0
	}
	for year := range years { // before any deletion: see keptJournalNo
		years[year] = keptJournalNo(tx, year, seq)
	}
	for _, e := range js {
		if err := jb.Delete(u64key(e.ID)); err != nil {
			return nil, err
		}
		if err := tx.Bucket(bucketJournalNo).Delete(journalNoKey(e.Year, e.No)); err != nil {
			return nil, err
		}
		if err := tx.Bucket(bucketINN).Delete(innKey(e.EmployerINN, kindJournal, e.ID)); err != nil {
			return nil, err
		}
		inns[e.EmployerINN] = true
	}
	return years, nil
}

// keptJournalNo is the largest registration number of year held by an
// entry the import did not add (id ≤ seq), 0 when none. It must run before
// the rollback deletes anything from the numbers: bbolt 1.5's Cursor.Last
// never returns on a bucket that deletions in the same transaction emptied
// (a crashed import into an empty journal hung every later open).
func keptJournalNo(tx *bolt.Tx, year int, seq uint64) uint32 {
	c := tx.Bucket(bucketJournalNo).Cursor()
	var k, v []byte
	if k, _ = c.Seek(journalNoKey(year+1, 0)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && int(binary.BigEndian.Uint16(k)) == year; k, v = c.Prev() {
		if len(v) == 8 && binary.BigEndian.Uint64(v) <= seq {
			return binary.BigEndian.Uint32(k[2:6])
		}
	}
	return 0
}

// undoImportAccepts gives the journal entries the import accepted their
// status and stamp back, from the undo records, and drops those records.
func undoImportAccepts(tx *bolt.Tx) error {
	ub := tx.Bucket(bucketImportUndo)
	if ub == nil {
		return nil
	}
	err := ub.ForEach(func(k, v []byte) error {
		var acc acceptedJournal
		if err := json.Unmarshal(v, &acc); err != nil {
			return fmt.Errorf("import undo record %x: %w", k, err)
		}
		j, err := getJournal(tx, binary.BigEndian.Uint64(k))
		if err != nil {
			return nil
		}
		j.Status, j.Stamp, j.RegisterID = acc.Status, acc.Stamp, 0
		return putJournal(tx, &j, false)
	})
	if err != nil {
		return err
	}
	return dropImportUndo(tx)
}

// setJournalCounter makes last the last registration number of year (0:
// none), so that numbering continues from the last kept entry: a rolled
// back import gives its numbers back.
func setJournalCounter(tx *bolt.Tx, year int, last uint32) error {
	meta := tx.Bucket(bucketMeta)
	if last == 0 {
		return meta.Delete(journalCounterKey(year))
	}
	return meta.Put(journalCounterKey(year), binary.BigEndian.AppendUint32(nil, last))
}
