package safefile_test

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"sout/store/safefile"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// noTemps fails the test when dir holds anything but want.
func noTemps(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("folder holds %q, want %q", got, want)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWrite_NewFile(t *testing.T) {
	dir := t.TempDir()
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	path := filepath.Join(dir, "s.csv")
	if err := safefile.Write(path, write("a;b\n")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != 0o640 {
		t.Errorf("mode %v, want 0640 (0666 minus the umask 027)", st.Mode())
	}
	if got := readFile(t, path); got != "a;b\n" {
		t.Errorf("content %q", got)
	}
	noTemps(t, dir, "s.csv")
}

func TestWrite_KeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := safefile.Write(path, write("new")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode())
	}
	if got := readFile(t, path); got != "new" {
		t.Errorf("content %q", got)
	}
	noTemps(t, dir, "s.csv")
}

func TestWrite_KeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to someone else")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := safefile.Write(path, write("new")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if s := st.Sys().(*syscall.Stat_t); s.Uid != 65534 || s.Gid != 65534 || st.Mode() != 0o644 {
		t.Errorf("owner %d:%d mode %v, want 65534:65534 0644", s.Uid, s.Gid, st.Mode())
	}
}

func TestWrite_FollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "real", "s.csv")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("real/s.csv", link); err != nil {
		t.Fatal(err)
	}
	if err := safefile.Write(link, write("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is gone: %v %v", st, err)
	}
	if got := readFile(t, target); got != "new" {
		t.Errorf("target holds %q, want new", got)
	}
	noTemps(t, filepath.Join(dir, "real"), "s.csv")
	noTemps(t, dir, "link.csv", "real")
}

func TestWrite_DanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("made.csv", link); err != nil {
		t.Fatal(err)
	}
	if err := safefile.Write(link, write("new")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "made.csv")); got != "new" {
		t.Errorf("target holds %q", got)
	}
}

func TestWrite_FIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := safefile.Write(fifo, write("through the pipe")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("read %q from the FIFO", s)
	}
	if st, _ := os.Lstat(fifo); st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v", st.Mode())
	}
	noTemps(t, dir, "pipe")
}

func TestWrite_Devices(t *testing.T) {
	if err := safefile.Write("/dev/null", write("x")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat("/dev/null"); st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null became %v", st.Mode())
	}
	err := safefile.Write("/dev/full", write("x"))
	if want := "не удалось записать файл /dev/full: нет места на диске"; err == nil || err.Error() != want {
		t.Errorf("Write(/dev/full) = %v, want %s", err, want)
	}
}

func TestWrite_FailedWriteKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := errors.New("отчёт не построен")
	err := safefile.Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return bad
	})
	if err != bad {
		t.Errorf("Write = %v, want the writer's own error", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("content %q, want old", got)
	}
	noTemps(t, dir, "s.csv")
}

func TestWrite_Errors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ path, want string }{
		{dir, "не удалось записать файл " + dir + ": это каталог"},
		{filepath.Join(dir, "no", "s.csv"), "не удалось записать файл " + filepath.Join(dir, "no",
			"s.csv") + ": нет такого каталога"},
	} {
		if err := safefile.Write(c.path, write("x")); err == nil || err.Error() != c.want {
			t.Errorf("Write(%s) = %v, want %s", c.path, err, c.want)
		}
	}
	noTemps(t, dir)
}

// mountTmpfs mounts a small tmpfs on a new folder (root only) for the
// duration of the test.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

func TestWrite_ReadOnlyFolder(t *testing.T) {
	var dir string
	want := "нет прав на запись"
	if os.Geteuid() == 0 {
		dir = mountTmpfs(t, "size=64k,ro")
		want = "файловая система только для чтения"
	} else {
		dir = t.TempDir()
		os.Chmod(dir, 0o500)
		defer os.Chmod(dir, 0o700)
	}
	path := filepath.Join(dir, "s.csv")
	err := safefile.Write(path, write("x"))
	if err == nil || err.Error() != "не удалось записать файл "+path+": "+want {
		t.Errorf("Write = %v, want … %s", err, want)
	}
	noTemps(t, dir)
}

func TestWrite_FullDisk(t *testing.T) {
	dir := mountTmpfs(t, "size=256k")
	path := filepath.Join(dir, "s.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20)
	err := safefile.Write(path, write(big))
	if want := "не удалось записать файл " + path + ": нет места на диске"; err == nil || err.Error() != want {
		t.Errorf("Write = %v, want %s", err, want)
	}
	if !safefile.NoSpace(err) {
		t.Errorf("NoSpace(%v) = false", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("content %q, want old", got)
	}
	noTemps(t, dir, "s.csv")
}

func TestAbort_LeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	f, err := safefile.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "half")
	if runtime.GOOS == "linux" {
		noTemps(t, dir) // unnamed while written: a killed process leaves nothing
	}
	f.Abort()
	noTemps(t, dir)
}

func TestRemoveLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sout.db")
	// A process that has ended: its pid is free.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := filepath.Join(dir, ".sout.db.tmp-"+itoa(cmd.Process.Pid)+"-abc")
	mine := filepath.Join(dir, ".sout.db.tmp-"+itoa(os.Getpid())+"-abc")
	other := filepath.Join(dir, ".other.tmp-1-abc")
	for _, n := range []string{dead, mine, other} {
		if err := os.WriteFile(n, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := safefile.RemoveLeftovers(path)
	if len(got) != 1 || got[0] != dead {
		t.Errorf("RemoveLeftovers = %q, want [%s]", got, dead)
	}
	noTemps(t, dir, ".other.tmp-1-abc", filepath.Base(mine))
}

func itoa(n int) string { return strconv.Itoa(n) }
