package store

import (
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// releaseMapped lets the kernel take back the pages of the file that a long
// read has mapped into the process. They stay in the page cache and come
// back on the next access; what goes is their count in the process's
// resident memory, which a 200,000-entry Register form otherwise drives
// to the size of the file. The mapping is shared and read-only, so this
// never loses or changes data, even in the middle of a transaction.
func releaseMapped(db guardedDB, tx *bolt.Tx) {
	size := uintptr(tx.Size())
	if size == 0 {
		return
	}
	unix.Syscall(unix.SYS_MADVISE, db.Info().Data, size, unix.MADV_DONTNEED)
}
