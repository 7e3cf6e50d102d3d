package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"sout/store/safefile"
)

// Compact rewrites the database file at path with every bucket's pages in
// order and no free pages. A file filled by big imports or the demo
// generator is scattered over its pages; compacted, a year's figures are
// read from a few contiguous runs (on a 1,000,000-entry file the Summary
// process goes from about 430 ms to 210 ms, and the file shrinks by a
// third). The file must not be in use; it stays locked, and is replaced
// only once the new one is complete and synced; the new one is built under
// a hidden name beside it, removed on every failure (and, after a killed
// run, by the next Open for writing). Compact returns the sizes before and
// after; once ctx has ended it leaves the file as it was and returns ctx's
// error.
func Compact(ctx context.Context, path string) (before, after int64, err error) {
	// Through Open: a missing, damaged or held file is refused, an
	// unfinished import rolled back; the store's lock is kept to the end.
	s, err := Open(path, Options{NoCreate: true})
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	st, err := os.Stat(path)
	if err != nil {
		return 0, 0, Errorf(CodeInvalid, "файл базы данных %s: %s", path, safefile.Reason(err))
	}
	tmp := compactTemp(path)
	os.Remove(tmp)
	defer os.Remove(tmp) // a no-op once it is renamed into place
	dst, err := openBolt(tmp, &bolt.Options{Timeout: defaultTimeout})
	if err != nil {
		return 0, 0, writeError(path, err)
	}
	if err := os.Chmod(tmp, st.Mode().Perm()); err != nil {
		dst.Close()
		return 0, 0, writeError(path, err)
	}
	err = compactInto(guardedDB{DB: dst, path: tmp}, s.db)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, writeError(path, err)
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	nst, err := os.Stat(tmp)
	if err != nil {
		return 0, 0, writeError(path, err)
	}
	if err := safefile.Replace(tmp, path); err != nil {
		return 0, 0, err
	}
	return st.Size(), nst.Size(), nil
}

// compactInto copies src into dst, a damaged page of src reported as such.
func compactInto(dst, src guardedDB) error {
	return src.guard(func() error { return bolt.Compact(dst.DB, src.DB, 64<<20) })
}

// compactTemp is the hidden name beside path that Compact builds the new file under.
func compactTemp(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact")
}

// removeCompactLeftover removes what a killed Compact left beside path.
func removeCompactLeftover(path string) {
	os.Remove(compactTemp(path))
}

// writeError is the error of a failure to write the new file of path: a
// full disk says so; the old file is left as it was.
func writeError(path string, err error) error {
	if _, ok := err.(*Error); ok {
		return err
	}
	if safefile.NoSpace(err) {
		return &Error{Code: CodeNoSpace, Err: err,
			Message: fmt.Sprintf("на диске нет места: файл %s не уплотнён и не изменён; освободите место и повторите",
				path)}
	}
	return &safefile.Error{Path: path, Err: err}
}
