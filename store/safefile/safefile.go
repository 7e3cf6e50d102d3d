// Package safefile is the one way sout writes a file the user names: a
// regular file is replaced atomically (written to an unnamed or temporary
// file in the same folder, synced, renamed into place, the folder synced),
// keeping the mode of the file it replaces, or 0666 minus the umask when
// new; a symbolic link is followed, so its target is replaced and the link
// kept; a device, a FIFO or /dev/stdout is written directly. A failure
// leaves the old file as it was and no temporary file behind, and is
// reported as one Russian line naming the file.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// Error is a failure to write the file at Path; its message is one Russian
// line for the user.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("не удалось записать файл %s: %s", e.Path, Reason(e.Err))
}

func (e *Error) Unwrap() error { return e.Err }

// Reason says in Russian what went wrong in err, an error of the operating
// system, without naming the file.
func Reason(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	switch errno {
	case syscall.ENOSPC, syscall.EDQUOT:
		return "нет места на диске"
	case syscall.EACCES, syscall.EPERM:
		return "нет прав на запись"
	case syscall.EROFS:
		return "файловая система только для чтения"
	case syscall.ENOENT:
		return "нет такого каталога"
	case syscall.ENOTDIR:
		return "часть пути не является каталогом"
	case syscall.EISDIR:
		return "это каталог"
	case syscall.EIO:
		return "ошибка ввода-вывода"
	case syscall.EFBIG:
		return "файл слишком большой для этой файловой системы"
	}
	return errno.Error()
}

// ReadReason says in Russian why a file did not open for reading, without
// naming the file.
func ReadReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "такого файла нет"
	case errors.Is(err, fs.ErrPermission):
		return "нет прав на чтение"
	case errors.Is(err, syscall.EISDIR):
		return "это папка, а не файл"
	}
	return "ошибка ввода-вывода"
}

// NoSpace reports whether err is the disk (or the user's quota) being full.
func NoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// File is a file being written: Commit puts it in place, Abort discards it.
// Writes after the first failed one fail the same way.
type File struct {
	path   string   // the name the user gave, for messages
	target string   // the file that is replaced: path with its links followed
	f      *os.File // what is written
	direct bool     // f is the target itself (a device, a FIFO, a standard stream)
	noName bool     // f is an unnamed file (O_TMPFILE) until Commit links it
	keep   bool     // f is a standard stream of the process: never closed
	err    error    // the first write error
	done   bool
}

// Create begins writing the file at path.
func Create(path string) (*File, error) {
	target, fd, err := resolve(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	if fd >= 0 {
		return &File{path: path, target: target, f: stream(fd), direct: true, keep: fd <= 2}, nil
	}
	st, err := os.Stat(target)
	switch {
	case err == nil && st.IsDir():
		return nil, &Error{Path: path, Err: syscall.EISDIR}
	case err == nil && !st.Mode().IsRegular():
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, &Error{Path: path, Err: err}
		}
		return &File{path: path, target: target, f: f, direct: true}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, &Error{Path: path, Err: err}
	}
	f, noName, err := createTemp(target, st)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return &File{path: path, target: target, f: f, noName: noName}, nil
}

// Write writes p to the file.
func (f *File) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.f.Write(p)
	if err != nil {
		f.err = &Error{Path: f.path, Err: err}
		return n, f.err
	}
	return n, nil
}

// Commit makes what was written the file at path: synced, then renamed over
// the old file and the folder synced. After an error nothing is left but
// the old file.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	if f.err != nil {
		f.Abort()
		return f.err
	}
	f.done = true
	if f.direct {
		return f.closeDirect()
	}
	err := f.f.Sync()
	tmp := ""
	if !f.noName {
		tmp = f.f.Name()
	} else if err == nil {
		tmp, err = linkUnnamed(f.f, f.target)
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = replace(tmp, f.target)
	}
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return &Error{Path: f.path, Err: err}
	}
	return nil
}

// closeDirect closes a file written in place (a standard stream stays open).
func (f *File) closeDirect() error {
	if f.keep {
		return nil
	}
	if err := f.f.Close(); err != nil {
		return &Error{Path: f.path, Err: err}
	}
	return nil
}

// Abort discards what was written; the old file stays as it was.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	if f.direct {
		f.closeDirect()
		return
	}
	f.f.Close()
	if !f.noName {
		os.Remove(f.f.Name())
	}
}

// Write writes the file at path with what write produces, all or nothing:
// when write fails the old file stays and write's error is returned (a
// failure to write the file itself as an *Error).
func Write(path string, write func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		if f.err != nil {
			return f.err
		}
		return err
	}
	return f.Commit()
}

// Replace puts the finished file from, which must be in the folder of path,
// in place of path: it is synced, renamed and the folder synced. It is for
// files that are written by name (a database built beside the old one).
func Replace(from, path string) error {
	f, err := os.OpenFile(from, os.O_RDWR, 0)
	if err != nil {
		return &Error{Path: path, Err: err}
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = replace(from, path)
	}
	if err != nil {
		return &Error{Path: path, Err: err}
	}
	return nil
}

// replace renames from over to and syncs the folder, so that the rename
// survives a power loss.
func replace(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(to))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// fdPath matches the names of a process's own open files.
var fdPath = regexp.MustCompile(`^/(?:proc/self|dev)/fd/([0-9]+)$`)

// resolve follows the symbolic links of path to the file that is to be
// replaced. A name of one of the process's open files (/dev/stdout is a
// link to /proc/self/fd/1) gives that descriptor instead, else fd is -1.
func resolve(path string) (target string, fd int, err error) {
	p := path
	for range 40 {
		if m := fdPath.FindStringSubmatch(filepath.Clean(p)); m != nil {
			n, err := strconv.Atoi(m[1])
			if err == nil {
				return p, n, nil
			}
		}
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, -1, nil
		}
		if err != nil {
			return "", -1, err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return p, -1, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", -1, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return "", -1, syscall.ELOOP
}

// stream returns the process's open file fd; the standard streams are the
// process's own *os.File.
func stream(fd int) *os.File {
	switch fd {
	case 0:
		return os.Stdin
	case 1:
		return os.Stdout
	case 2:
		return os.Stderr
	}
	return os.NewFile(uintptr(fd), "/dev/fd/"+strconv.Itoa(fd))
}

// createTemp opens a new file in the folder of target with the mode (and,
// where allowed, the owner) of old, the file it will replace, or 0666 minus
// the umask when there is none. The file is unnamed where the system allows
// (nothing is left of it if the process is killed), else a temporary name.
func createTemp(target string, old fs.FileInfo) (f *os.File, noName bool, err error) {
	f, err = openUnnamed(filepath.Dir(target))
	noName = err == nil
	if err != nil {
		if f, err = openNamed(target); err != nil {
			return nil, false, err
		}
	}
	if old != nil {
		if err := f.Chmod(old.Mode().Perm()); err != nil {
			f.Close()
			if !noName {
				os.Remove(f.Name())
			}
			return nil, false, err
		}
		chown(f, old)
	}
	return f, noName, nil
}

// tempPrefix is how the temporary names of target begin: hidden, beside it.
func tempPrefix(target string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp-")
}

// tempName returns a new temporary name for target, carrying the process
// id so that RemoveLeftovers knows whose it is.
func tempName(target string) string {
	return tempPrefix(target) + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatUint(rand.Uint64(), 36)
}

// openNamed creates a file under a new temporary name beside target.
func openNamed(target string) (*os.File, error) {
	for {
		f, err := os.OpenFile(tempName(target), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// RemoveLeftovers removes the temporary files of target that a process
// which no longer runs left behind (killed while it wrote, where the system
// has no unnamed files). It returns the names removed.
func RemoveLeftovers(target string) []string {
	return RemoveLeftoversMatching(filepath.Dir(target), globEscape(filepath.Base(target)))
}

// RemoveLeftoversMatching is RemoveLeftovers for every file in dir whose
// name matches pattern (as in filepath.Match).
func RemoveLeftoversMatching(dir, pattern string) []string {
	names, _ := filepath.Glob(filepath.Join(globEscape(dir), "."+pattern+".tmp-*"))
	var removed []string
	for _, n := range names {
		rest := n[strings.LastIndex(n, ".tmp-")+len(".tmp-"):]
		pid, _, ok := strings.Cut(rest, "-")
		id, err := strconv.Atoi(pid)
		if !ok || err != nil || alive(id) {
			continue
		}
		if os.Remove(n) == nil {
			removed = append(removed, n)
		}
	}
	return removed
}

// globEscape quotes the pattern characters of a path for filepath.Glob.
func globEscape(p string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(p)
}
