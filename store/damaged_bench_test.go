package store

import (
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkCheckFile is what Open adds before bbolt maps the file: the meta
// pages, the length, the root page and the freelist, read with plain reads
// (on the benchmarks' demo file, when it has been built).
func BenchmarkCheckFile(b *testing.B) {
	path := DemoFilePath(BenchEmployers())
	if _, err := os.Stat(path); err != nil {
		b.Skip("no demo file: run the store benchmarks once to build it")
	}
	for b.Loop() {
		if _, err := checkFile(path); err != nil {
			b.Fatal(err)
		}
	}
}

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
