package store

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// bucketImportRuns exists only while an import is unfinished: one nested
// bucket per chunk of AddRegister, holding that chunk's index keys sorted:
// runAccept + journal id + register id (the journal entries to accept),
// runByDate + date key → figures, runINN + INN key → date. Commit merges
// the runs in key order; a rollback just drops them.
var bucketImportRuns = []byte("import_runs")

const (
	runAccept = 'a' // the prefixes sort in this order: a run is written in one sweep
	runByDate = 'd'
	runINN    = 'i'

	// mergeBatch bounds the keys one merge transaction writes: its pages,
	// not the whole index, are what a transaction holds in memory.
	mergeBatch = 100_000
)

type runKey struct{ k, v []byte }

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
// made from, writes the keys of every run into the date and INN indexes, in
// key order, and makes each imported employer's latest entry its card.
func (im *Import) mergeIndexRuns() error {
	db, batch, now := im.s.db, im.batch, im.s.now()
	var journalSeq uint64
	err := db.View(func(tx *bolt.Tx) error {
		var mk importMarker
		if err := json.Unmarshal(tx.Bucket(bucketMeta).Get(keyImport), &mk); err != nil {
			return fmt.Errorf("import marker: %w", err)
		}
		journalSeq = mk.JournalSeq
		return nil
	})
	if err != nil {
		return err
	}
	err = mergeRuns(db, batch, runAccept, func(tx *bolt.Tx, k, _ []byte) error {
		jid, rid := binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])
		j, err := getJournal(tx, jid)
		if err != nil {
			return err
		}
		if j.RegisterID != 0 {
			return nil // a package with a second entry: the first link stays
		}
		if j.ID <= journalSeq { // made before the import: a rollback gives its state back
			if err := rememberAccepted(tx, &j); err != nil {
				return err
			}
		}
		return acceptJournal(nil, tx, im.a, jid, rid, now)
	})
	if err != nil {
		return err
	}
	err = mergeRuns(db, batch, runByDate, func(tx *bolt.Tx, k, v []byte) error {
		return tx.Bucket(bucketRegByDate).Put(k, v)
	})
	if err != nil {
		return err
	}
	// The INN keys of one employer come together: the latest of its
	// entries is noted when the next employer begins.
	var inn []byte
	var last Date
	var lastID uint64
	note := func(tx *bolt.Tx) error {
		if inn == nil {
			return nil
		}
		return noteEmployerAt(tx, string(inn), last, lastID, func() (Employer, error) {
			e, err := getRegister(tx, lastID)
			return e.Employer, err
		})
	}
	err = mergeRuns(db, batch, runINN, func(tx *bolt.Tx, k, v []byte) error {
		if err := tx.Bucket(bucketINN).Put(k, v); err != nil {
			return err
		}
		cur := k[:len(k)-10]
		d, id := Date(binary.BigEndian.Uint32(v)), binary.BigEndian.Uint64(k[len(k)-8:])
		if !bytes.Equal(cur, inn) {
			if err := note(tx); err != nil {
				return err
			}
			inn, last, lastID = bytes.Clone(cur), d, id
		} else if d > last || (d == last && id > lastID) {
			last, lastID = d, id
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.Update(note)
}

// mergeRuns calls fn with every key under prefix p of every run (the prefix
// stripped), in key order, in transactions of at most batch keys.
func mergeRuns(db *bolt.DB, batch int, p byte, fn func(tx *bolt.Tx, k, v []byte) error) error {
	var names, resume [][]byte // per run: its bucket name and the key to resume at, nil once done
	started := false
	for more := true; more; {
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
