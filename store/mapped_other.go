//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a Linux refinement (see mapped_linux.go).
func releaseMapped(guardedDB, *bolt.Tx) {}
