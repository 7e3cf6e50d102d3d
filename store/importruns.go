package store

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/binary"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketImportRuns exists only while an import is unfinished: one nested
// bucket per chunk of AddRegister or AddJournal, holding that chunk's index
// keys sorted: runAccept + journal id + register id (the journal entries to
// accept), runByDate + date key → figures, runINN + INN key → date,
// runJournalNo + year and number → journal id, runByOrg + organisation key →
// OKVED code. Commit merges the runs in key
// order; a rollback just drops them.
var bucketImportRuns = []byte("import_runs")

const (
	runAccept    = 'a' // the prefixes sort in this order: a run is written in one sweep
	runByDate    = 'd'
	runINN       = 'i'
	runJournalNo = 'n'
	runByOrg     = 'o'

	// mergeBatch bounds the keys one merge transaction writes: its pages,
	// not the whole index, are what a transaction holds in memory.
	mergeBatch = 100_000
)

type runKey struct{ k, v []byte }

// journalSpool gathers the index keys of the journal entries an import
// creates, chunk by chunk, and the numbers they took (a number must not be
// given twice, and the index does not show the import's own until Commit).
type journalSpool struct {
	run []runKey
	nos map[uint64]struct{} // year<<32 | number
}

func (sp *journalSpool) has(year, no int) bool {
	if sp == nil {
		return false
	}
	_, ok := sp.nos[uint64(year)<<32|uint64(uint32(no))]
	return ok
}

func (sp *journalSpool) add(e *JournalEntry) {
	sp.nos[uint64(e.Year)<<32|uint64(uint32(e.No))] = struct{}{}
	sp.run = append(sp.run,
		runKey{append([]byte{runJournalNo}, journalNoKey(e.Year, e.No)...), u64key(e.ID)},
		runKey{append([]byte{runINN}, innKey(e.EmployerINN, kindJournal, e.ID)...), dateVal(e.ReceivedOn)})
}

// forget gives back the numbers of entries whose chunk was not written.
func (sp *journalSpool) forget(es []JournalEntry) {
	for i := range es {
		delete(sp.nos, uint64(es[i].Year)<<32|uint64(uint32(es[i].No)))
	}
}

// writeRun stores the sorted index keys of one chunk as a new run.
func writeRun(tx *bolt.Tx, run []runKey) error {
	if len(run) == 0 {
		return nil
	}
	runs, err := tx.CreateBucketIfNotExists(bucketImportRuns)
	if err != nil {
		return err
	}
	seq, err := runs.NextSequence()
	if err != nil {
		return err
	}
	b, err := runs.CreateBucket(u64key(seq))
	if err != nil {
		return err
	}
	b.FillPercent = 1 // written in order, never changed
	slices.SortFunc(run, func(a, b runKey) int { return bytes.Compare(a.k, b.k) })
	for _, r := range run {
		if err := b.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// dropRuns removes the runs of a finished or rolled back import.
func dropRuns(tx *bolt.Tx) error {
	if tx.Bucket(bucketImportRuns) == nil {
		return nil
	}
	return tx.DeleteBucket(bucketImportRuns)
}

// mergeIndexRuns accepts the journal entries the imported entries were
// made from, writes the keys of every run into the date, number,
// organisation and INN indexes, in key order, and makes each imported
// employer's latest entry its card.
func (im *Import) mergeIndexRuns() error {
	db, batch, now := im.s.db, im.batch, im.s.now()
	err := mergeRuns(im.ctx, db, batch, runAccept, func(tx *bolt.Tx, k, _ []byte) error {
		return im.mergeAccept(tx, k, now)
	})
	if err != nil {
		return err
	}
	for _, m := range []struct {
		run    byte
		bucket []byte
	}{{runByDate, bucketRegByDate}, {runJournalNo, bucketJournalNo}, {runByOrg, bucketRegByOrg}} {
		err := mergeRuns(im.ctx, db, batch, m.run, func(tx *bolt.Tx, k, v []byte) error {
			return tx.Bucket(m.bucket).Put(k, v)
		})
		if err != nil {
			return err
		}
	}
	cm := cardMerge{im: im}
	if err := mergeRuns(im.ctx, db, batch, runINN, cm.key); err != nil {
		return err
	}
	return db.Update(cm.note)
}

// mergeAccept accepts the journal entry of one runAccept key (journal id,
// register id) with the register entry imported from it.
func (im *Import) mergeAccept(tx *bolt.Tx, k []byte, now time.Time) error {
	jid, rid := binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])
	j, err := getJournal(tx, jid)
	if err != nil {
		return err
	}
	if j.RegisterID != 0 {
		return nil // a package with a second entry: the first link stays
	}
	if j.ID <= im.journalSeq { // made before the import: a rollback gives its state back
		if err := rememberAccepted(tx, &j); err != nil {
			return err
		}
	}
	return acceptJournal(nil, tx, im.a, jid, rid, now)
}

// cardMerge writes the INN keys of the runs and, from them, the employers'
// cards. The INN keys of one employer come together, its journal entries
// ('j') before its register entries ('r'): the latest register entry
// becomes its card when the next employer begins; an employer known only
// from the journal gets a card with the name from it, unless it has one.
type cardMerge struct {
	im                *Import
	inn               []byte // the employer whose keys are being merged
	last              Date
	lastID, journalID uint64
}

// key writes one INN key and notes the card of the employer before it.
func (cm *cardMerge) key(tx *bolt.Tx, k, v []byte) error {
	if err := tx.Bucket(bucketINN).Put(k, v); err != nil {
		return err
	}
	cur, kind := k[:len(k)-10], k[len(k)-9]
	d, id := Date(binary.BigEndian.Uint32(v)), binary.BigEndian.Uint64(k[len(k)-8:])
	if !bytes.Equal(cur, cm.inn) {
		if err := cm.note(tx); err != nil {
			return err
		}
		cm.inn, cm.last, cm.lastID, cm.journalID = bytes.Clone(cur), 0, 0, 0
	}
	switch {
	case kind == kindJournal && cm.journalID == 0:
		cm.journalID = id
	case kind == kindRegister && (cm.lastID == 0 || d > cm.last || (d == cm.last && id > cm.lastID)):
		cm.last, cm.lastID = d, id
	}
	return nil
}

// note writes the card of the employer whose keys were merged last.
func (cm *cardMerge) note(tx *bolt.Tx) error {
	switch {
	case cm.inn == nil:
		return nil
	case cm.lastID != 0:
		return noteEmployerAt(tx, string(cm.inn), cm.last, cm.lastID, func() (Employer, error) {
			e, err := getRegister(tx, cm.lastID)
			return e.Employer, err
		})
	case cm.journalID != 0 && tx.Bucket(bucketEmployers).Get(cm.inn) == nil:
		j, err := getJournal(tx, cm.journalID)
		if err != nil {
			return err
		}
		c := employerCard{Employer: Employer{Name: j.EmployerName, INN: j.EmployerINN}}
		searchNote(tx, string(cm.inn), &c)
		return tx.Bucket(bucketEmployers).Put(bytes.Clone(cm.inn), encodeEmployer(&c))
	}
	return nil
}

// mergeRuns calls fn with every key under prefix p of every run (the prefix
// stripped), in key order, in transactions of at most batch keys, until ctx
// ends.
func mergeRuns(ctx context.Context, db guardedDB, batch int, p byte, fn func(tx *bolt.Tx, k, v []byte) error) error {
	var names, resume [][]byte // per run: its bucket name and the key to resume at, nil once done
	started := false
	for more := true; more; {
		if err := ctx.Err(); err != nil {
			return err
		}
		more = false
		err := db.Update(func(tx *bolt.Tx) error {
			runs := tx.Bucket(bucketImportRuns)
			if runs == nil {
				return nil
			}
			if !started {
				started = true
				err := runs.ForEachBucket(func(k []byte) error {
					names = append(names, bytes.Clone(k))
					resume = append(resume, []byte{p})
					return nil
				})
				if err != nil {
					return err
				}
			}
			h := &runHeap{}
			for i, name := range names {
				if resume[i] == nil {
					continue
				}
				c := runs.Bucket(name).Cursor()
				if k, v := c.Seek(resume[i]); k != nil && k[0] == p {
					h.items = append(h.items, runCursor{run: i, c: c, k: k, v: v})
				} else {
					resume[i] = nil
				}
			}
			heap.Init(h)
			for n := 0; h.Len() > 0; n++ {
				if n == batch {
					more = true
					break
				}
				top := &h.items[0]
				if err := fn(tx, top.k[1:], top.v); err != nil {
					return err
				}
				if top.k, top.v = top.c.Next(); top.k == nil || top.k[0] != p {
					resume[top.run] = nil
					heap.Pop(h)
				} else {
					heap.Fix(h, 0)
				}
			}
			for _, it := range h.items {
				resume[it.run] = bytes.Clone(it.k)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// runCursor is one run's position in a merge.
type runCursor struct {
	run  int
	c    *bolt.Cursor
	k, v []byte
}

// runHeap orders the runs by their current key (container/heap).
type runHeap struct{ items []runCursor }

func (h *runHeap) Len() int           { return len(h.items) }
func (h *runHeap) Less(i, j int) bool { return bytes.Compare(h.items[i].k, h.items[j].k) < 0 }
func (h *runHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *runHeap) Push(x any)         { h.items = append(h.items, x.(runCursor)) }
func (h *runHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
