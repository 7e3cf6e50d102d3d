package store

import (
	"bytes"
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Long reads go in bounded transactions. An open read transaction holds
// bbolt's map lock: a write that must grow the file's map waits for every
// open read, and every read that begins after it waits for that write. A
// long read that ran its caller's code inside its transaction (an export
// streamed to an SSH client that stopped reading, say) held those writes for
// as long as the caller took, and a second transaction opened by the caller
// then waited behind them for good. So a long read collects a batch of
// records in one short transaction, closes it, hands the batch to its caller,
// and resumes from the next key in a new transaction. Writers wait at most
// one batch; the caller's code never runs inside a transaction.

const (
	// readBatch and readBudget bound one read transaction: at most this
	// many keys, and about this long.
	readBatch  = 2000
	readBudget = 5 * time.Millisecond
)

// scan is one long read: the keys of a bucket in order, from a key on.
type scan[T any] struct {
	bucket []byte
	from   []byte // the first key; nil for the bucket's first
	// load turns the pair at k into records appended to out (none, one or
	// several), inside the read transaction: it may read other buckets, and
	// what it appends must not refer to k or v. It returns stop to end the
	// read before k (k is then not loaded).
	load func(tx *bolt.Tx, k, v []byte, out []T) (_ []T, stop bool, err error)
}

// each runs sc in bounded read transactions and calls fn with every record
// between them, with no transaction open. Records written while it reads
// appear if their keys come after the key the read has reached. It stops
// with ctx's error once ctx ends. fn must not keep the pointer it is given.
func each[T any](ctx context.Context, s *Store, sc scan[T], fn func(*T) error) error {
	from := sc.from
	if from == nil {
		from = []byte{}
	}
	var batch []T
	for from != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if batch, from, err = readBatchOf(s, sc, from, batch[:0]); err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// collect runs sc like each and returns all its records.
func collect[T any](ctx context.Context, s *Store, sc scan[T]) ([]T, error) {
	var out []T
	err := each(ctx, s, sc, func(r *T) error { out = append(out, *r); return nil })
	return out, err
}

// readBatchOf reads, in one transaction, the records of sc from key from
// into out; next is the key to resume at, nil when the read is complete.
func readBatchOf[T any](s *Store, sc scan[T], from []byte, out []T) (_ []T, next []byte, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(sc.bucket).Cursor()
		deadline := time.Now().Add(readBudget)
		n := 0
		for k, v := c.Seek(from); k != nil; k, v = c.Next() {
			if n == readBatch || (n%64 == 63 && time.Now().After(deadline)) {
				next = bytes.Clone(k)
				// A long read over records all over the file: give the
				// mapped pages back (mapped_linux.go), or the Register form
				// of 200,000 entries keeps 300 MB of the file resident.
				releaseMapped(s.db, tx)
				return nil
			}
			n++
			var stop bool
			var err error
			if out, stop, err = sc.load(tx, k, v, out); err != nil || stop {
				return err
			}
		}
		return nil
	})
	return out, next, err
}
