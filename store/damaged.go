package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/bits"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"

	"sout/store/safefile"
)

// The parts of bbolt's file layout (go.etcd.io/bbolt internal/common) that
// are checked before bbolt maps a file: a damaged page makes bbolt panic or
// the process fault, so what can be read with plain reads is checked first.
const (
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	pageHeaderSize  = 16 // id u64, flags u16, count u16, overflow u32
	metaSize        = 64 // magic, version, page size, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	metaSummed      = 56 // the checksum is FNV-64a over the fields before it
	noFreelist      = ^uint64(0)
	branchPageFlag  = 0x01
	leafPageFlag    = 0x02
	freelistFlag    = 0x10
	minPageSize     = 1 << 10
	maxPageSize     = 1 << 24
	freelistMaxRead = 64 << 20 // a freelist this long is not believed
)

// boltMeta is one of a bbolt file's two meta pages.
type boltMeta struct {
	pageSize uint32
	root     uint64 // the page of the root bucket
	freelist uint64 // the freelist's page, or noFreelist
	pgid     uint64 // the high water mark: pages in use are below it
	txid     uint64
}

// parseMeta reads the meta page at the start of b; ok is false when it is
// not a valid bbolt meta page (magic, version or checksum wrong).
func parseMeta(b []byte) (m boltMeta, ok bool) {
	if len(b) < pageHeaderSize+metaSize {
		return m, false
	}
	b = b[pageHeaderSize:]
	le := binary.NativeEndian
	h := fnv.New64a()
	h.Write(b[:metaSummed])
	if le.Uint32(b[0:]) != boltMagic || le.Uint32(b[4:]) != boltVersion || le.Uint64(b[56:]) != h.Sum64() {
		return m, false
	}
	m = boltMeta{pageSize: le.Uint32(b[8:]), root: le.Uint64(b[16:]), freelist: le.Uint64(b[32:]),
		pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}
	return m, true
}

// damaged is the error of a damaged file: what is wrong, and what to do.
func damaged(path, what string, err error) *Error {
	return &Error{Code: CodeDamaged, Err: err,
		Message: fmt.Sprintf("файл повреждён: %s (%s): восстановите его из резервной копии", path, what)}
}

// notFound is the error of a database file that is not there.
func notFound(path string) *Error {
	return Errorf(CodeNotFound, "файл %s не найден: проверьте путь в --db (или SOUT_DB)", path)
}

// checkFile checks the file at path before bbolt opens it: exists is false
// when there is no file; a directory, a file that is not a bbolt database,
// or one shorter than its meta pages say gives an *Error (CodeDamaged).
func checkFile(path string) (exists bool, err error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, Errorf(CodeInvalid, "файл базы данных %s: %s", path, safefile.Reason(err))
	}
	if st.IsDir() {
		return true, Errorf(CodeInvalid, "%s — это каталог, а не файл базы данных: укажите в --db путь к файлу", path)
	}
	if !st.Mode().IsRegular() {
		return true, Errorf(CodeInvalid,
			"%s — не обычный файл (%s), а база данных хранится в обычном файле: укажите его в --db", path, st.Mode().Type())
	}
	if st.Size() == 0 {
		return true, damaged(path, "файл пуст", nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return true, Errorf(CodeInvalid, "не удалось открыть файл базы данных %s: %s", path, safefile.Reason(err))
	}
	defer f.Close()
	if what := checkLayout(f, st.Size()); what != "" {
		return true, damaged(path, what, nil)
	}
	return true, nil
}

// checkLayout returns what is wrong with the bbolt file f of size bytes, or
// "" when its meta pages, length, root page and freelist are sound.
func checkLayout(f io.ReaderAt, size int64) string {
	m, ok := newestMeta(f, size)
	if !ok {
		return "это не база данных sout, или её заголовок разрушен"
	}
	ps := uint64(m.pageSize)
	if ps < minPageSize || ps > maxPageSize || bits.OnesCount64(ps) != 1 {
		return fmt.Sprintf("размер страницы %d в заголовке невозможен", ps)
	}
	if m.pgid < 3 || m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 ||
		m.freelist >= m.pgid)) {
		return "заголовок указывает на страницы за пределами файла"
	}
	if need := m.pgid * ps; need/ps != m.pgid || uint64(size) < need {
		return fmt.Sprintf("длина %d байт, а по заголовку нужно не меньше %d: файл обрезан", size, need)
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := f.ReadAt(hdr, int64(m.root*ps)); err != nil {
		return fmt.Sprintf("страница %d не читается", m.root)
	}
	if id, flags := binary.NativeEndian.Uint64(hdr), binary.NativeEndian.Uint16(hdr[8:]); id != m.root ||
		flags&(branchPageFlag|leafPageFlag) == 0 {
		return fmt.Sprintf("корневая страница %d испорчена", m.root)
	}
	if m.freelist != noFreelist {
		return checkFreelist(f, m)
	}
	return ""
}

// newestMeta returns the meta page bbolt would use: the valid one of the
// two with the higher transaction id.
func newestMeta(f io.ReaderAt, size int64) (boltMeta, bool) {
	buf := make([]byte, pageHeaderSize+metaSize)
	var metas []boltMeta
	if _, err := f.ReadAt(buf, 0); err == nil {
		if m, ok := parseMeta(buf); ok {
			metas = append(metas, m)
		}
	}
	// The second meta page is one page in; without the first, try every
	// page size bbolt would.
	sizes := []int64{}
	if len(metas) == 1 {
		sizes = append(sizes, int64(metas[0].pageSize))
	} else {
		for i := range 15 {
			sizes = append(sizes, minPageSize<<i)
		}
	}
	for _, pos := range sizes {
		if pos+int64(len(buf)) > size {
			break
		}
		if _, err := f.ReadAt(buf, pos); err == nil {
			if m, ok := parseMeta(buf); ok && int64(m.pageSize) == pos {
				metas = append(metas, m)
				break
			}
		}
	}
	switch {
	case len(metas) == 0:
		return boltMeta{}, false
	case len(metas) == 2 && metas[1].txid > metas[0].txid:
		return metas[1], true
	}
	return metas[0], true
}

// checkFreelist returns what is wrong with the freelist page of m, or "".
func checkFreelist(f io.ReaderAt, m boltMeta) string {
	ps := uint64(m.pageSize)
	hdr := make([]byte, pageHeaderSize+8)
	if _, err := f.ReadAt(hdr, int64(m.freelist*ps)); err != nil {
		return fmt.Sprintf("список свободных страниц (страница %d) не читается", m.freelist)
	}
	le := binary.NativeEndian
	id, flags, count, overflow := le.Uint64(hdr), le.Uint16(hdr[8:]), uint64(le.Uint16(hdr[10:])),
		uint64(le.Uint32(hdr[12:]))
	bad := fmt.Sprintf("список свободных страниц (страница %d) испорчен", m.freelist)
	if id != m.freelist || flags&freelistFlag == 0 || m.freelist+overflow >= m.pgid {
		return bad
	}
	start := uint64(pageHeaderSize)
	if count == 0xFFFF { // a long list keeps its length in the first element
		count, start = le.Uint64(hdr[pageHeaderSize:]), pageHeaderSize+8
	}
	if start+count*8 > (overflow+1)*ps || count*8 > freelistMaxRead {
		return bad
	}
	ids := make([]byte, count*8)
	if _, err := f.ReadAt(ids, int64(m.freelist*ps+start)); err != nil {
		return bad
	}
	for i := 0; i < len(ids); i += 8 {
		if p := le.Uint64(ids[i:]); p < 2 || p >= m.pgid {
			return bad
		}
	}
	return ""
}

// guardedDB is the open bbolt file with its transactions guarded: a damaged
// page makes bbolt panic (an assertion) or the process fault (SIGBUS,
// SIGSEGV on a page beyond the file); inside View and Update both become a
// CodeDamaged *Error naming the file, and the transaction is rolled back.
type guardedDB struct {
	*bolt.DB
	path string
}

// View runs fn in a read transaction, guarded against damaged pages.
func (d guardedDB) View(fn func(tx *bolt.Tx) error) error {
	return d.guard(func() error { return d.DB.View(fn) })
}

// Update runs fn in a write transaction, guarded against damaged pages; a
// full disk gives a CodeNoSpace *Error (the transaction is rolled back and
// the file holds what it held before).
func (d guardedDB) Update(fn func(tx *bolt.Tx) error) error {
	err := d.guard(func() error { return d.DB.Update(fn) })
	if safefile.NoSpace(err) {
		var e *Error
		if !errors.As(err, &e) {
			err = &Error{Code: CodeNoSpace, Err: err,
				Message: fmt.Sprintf("на диске нет места: изменение не записано, файл %s цел; освободите место и повторите",
					d.path)}
		}
	}
	return err
}

// guard runs fn, which reads the file through bbolt, with a memory fault
// turned into a panic and a panic of bbolt into a CodeDamaged error.
func (d guardedDB) guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer d.recoverDamage(&err)
	return fn()
}

// recoverDamage turns a panic of bbolt, or a memory fault, into *err; any
// other panic (a bug of ours in a transaction's function) becomes an
// internal error, so that one session's failure never stops the server.
func (d guardedDB) recoverDamage(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if fromBolt(r) {
		*err = damaged(d.path, "испорчены страницы данных", fmt.Errorf("bbolt: %v", r))
		return
	}
	*err = fmt.Errorf("panic in a transaction: %v", r)
}

// fromBolt reports whether the panic being recovered, r, is a memory fault
// or was raised in bbolt's code. It must be called by the deferred function
// that recovers, while the panicking frames are still on the stack.
func fromBolt(r any) bool {
	if re, ok := r.(runtime.Error); ok {
		if _, fault := re.(interface{ Addr() uintptr }); fault {
			return true
		}
	}
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	panicking := false
	for {
		fr, more := frames.Next()
		switch {
		case fr.Function == "runtime.gopanic":
			panicking = true
		case panicking && !strings.HasPrefix(fr.Function, "runtime."):
			return strings.HasPrefix(fr.Function, "go.etcd.io/bbolt")
		}
		if !more {
			return false
		}
	}
}

// openBolt opens the file with bbolt, a panic or a fault while it reads the
// file turned into a CodeDamaged error.
func openBolt(path string, opt *bolt.Options) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, damaged(path, "испорчены служебные страницы", fmt.Errorf("bbolt open: %v", r))
		}
	}()
	return bolt.Open(path, 0o600, opt)
}

// CheckPages runs bbolt's own consistency check of the file's pages (every
// page reachable once, none both used and free, keys in order) and returns
// one Russian sentence per problem found. Every page is first read through
// a guarded walk, so that a page beyond the file is reported, not a fault.
// It reads the whole file in one transaction, which bbolt does not allow
// beside writes in the same process: the check command opens the file alone.
func (s *Store) CheckPages() ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := walkPages(tx); err != nil {
			return err
		}
		for err := range tx.Check() {
			if len(out) < 1000 {
				out = append(out, "Страницы файла: "+err.Error())
			}
		}
		return nil
	})
	return out, err
}

// walkPages reads every key of every bucket, nested ones included, and
// touches each key's first and last byte: a key placed beyond the file by a
// damaged page faults here, where it is recovered, rather than in the
// goroutine of tx.Check.
func walkPages(tx *bolt.Tx) error {
	var sum byte
	var walk func(b *bolt.Bucket)
	walk = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) > 0 {
				sum += k[0] + k[len(k)-1]
			}
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					walk(nb)
				}
			}
		}
	}
	err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		walk(b)
		return nil
	})
	runtime.KeepAlive(sum)
	return err
}
