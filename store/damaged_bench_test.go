package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkGuardedView is the cost of the guard around a read transaction,
// against bbolt's own View.
func BenchmarkGuardedView(b *testing.B) {
	path := filepath.Join(b.TempDir(), "g.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	g := guardedDB{DB: db, path: path}
	nop := func(*bolt.Tx) error { return nil }
	b.Run("bbolt", func(b *testing.B) {
		for b.Loop() {
			db.View(nop)
		}
	})
	b.Run("guarded", func(b *testing.B) {
		for b.Loop() {
			g.View(nop)
		}
	})
}
