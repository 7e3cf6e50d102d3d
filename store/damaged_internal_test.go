package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestGuardedDB_OwnPanic: a panic in a transaction's own function (a bug,
// not damage) is an internal error, not «файл повреждён», and the file
// stays usable.
func TestGuardedDB_OwnPanic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g := guardedDB{DB: db, path: path}
	for _, run := range []func(func(*bolt.Tx) error) error{g.View, g.Update} {
		err := run(func(*bolt.Tx) error { panic("boom") })
		if ErrorCode(err) != CodeInternal || err.Error() != "panic in a transaction: boom" {
			t.Errorf("a panicking function gave %v (%s), want an internal error", err, ErrorCode(err))
		}
	}
	if err := g.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		t.Errorf("the file is not usable after a recovered panic: %v", err)
	}
}
