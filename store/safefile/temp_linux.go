package safefile

import (
	"errors"
	"io/fs"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// openUnnamed opens an unnamed file in dir (O_TMPFILE): until it is linked
// it has no name, so a killed process leaves nothing behind.
func openUnnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o666)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// linkUnnamed gives the unnamed file f a temporary name beside target, from
// which it is renamed over target (a link cannot replace a file).
func linkUnnamed(f *os.File, target string) (string, error) {
	proc := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	for {
		name := tempName(target)
		err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", &os.LinkError{Op: "link", Old: proc, New: name, Err: err}
		}
		return name, nil
	}
}
