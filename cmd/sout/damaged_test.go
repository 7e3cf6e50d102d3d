package main

// Damaged files: every command on a truncated, emptied, foreign or
// bit-flipped database file ends with one Russian line and exit status 0 or
// 1, never a panic or a memory fault. Each command runs in a child process
// (this test binary re-run), so that a fault fails the test instead of
// killing the suite.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

const damagedChildEnv = "SOUT_DAMAGED_ARGS" // the child's command line, separated by U+001F

// damagedCase is one damaged copy of a sound file: how to make it from the
// file's bytes, and whether every command must call it damaged (flips in
// values may go unnoticed; they must only never crash).
type damagedCase struct {
	name    string
	make    func(b []byte, path string) error
	damaged bool // every command says so
	checked bool // check at least says so
}

func writeBytes(b []byte) func([]byte, string) error {
	return func(_ []byte, path string) error { return os.WriteFile(path, b, 0o600) }
}

func truncated(n func(size int) int) func([]byte, string) error {
	return func(b []byte, path string) error { return os.WriteFile(path, b[:n(len(b))], 0o600) }
}

// flipped returns the file with the bytes at offs inverted.
func flipped(offs ...int) func([]byte, string) error {
	return func(b []byte, path string) error {
		c := bytes.Clone(b)
		for _, o := range offs {
			c[o%len(c)] ^= 0xFF
		}
		return os.WriteFile(path, c, 0o600)
	}
}

// garbagePage overwrites page n (of 4 KiB) with random bytes.
func garbagePage(n int) func([]byte, string) error {
	return func(b []byte, path string) error {
		c := bytes.Clone(b)
		r := rand.New(rand.NewPCG(uint64(n), 7))
		for i := n * 4096; i < (n+1)*4096 && i < len(c); i++ {
			c[i] = byte(r.Uint32())
		}
		return os.WriteFile(path, c, 0o600)
	}
}

// bucketRoots returns the root pages of the register and journal buckets of the file at path.
func bucketRoots(t *testing.T, path string) []int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var roots []int
	db.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"register", "journal"} {
			roots = append(roots, int(tx.Bucket([]byte(name)).Root()))
		}
		return nil
	})
	return roots
}

func damagedCases(size int, roots []int) []damagedCase {
	cs := []damagedCase{
		{"truncated to 8 KiB", truncated(func(int) int { return 8 << 10 }), true, true},
		{"truncated to half", truncated(func(n int) int { return n / 2 }), true, true},
		{"truncated to 3/4", truncated(func(n int) int { return n / 4 * 3 }), true, true},
		{"truncated to 100 bytes", truncated(func(int) int { return 100 }), true, true},
		{"zero length", truncated(func(int) int { return 0 }), true, true},
		{"foreign text", writeBytes([]byte("ИНН;Наименование\n7707083893;ООО «Волга»\n")), true, true},
		{"foreign random", writeBytes(bytes.Repeat([]byte{0x5a, 0xa5, 0x17}, 50000)), true, true},
		{"both meta pages flipped", flipped(16+20, 4096+16+20), true, true},
		{"a directory", func(_ []byte, path string) error { return os.Mkdir(path, 0o700) }, true, true},
		{"meta page 0 flipped", flipped(16 + 40), false, false},
	}
	for _, p := range roots {
		cs = append(cs, damagedCase{fmt.Sprintf("bucket root page %d garbage", p), garbagePage(p), false, true})
	}
	r := rand.New(rand.NewPCG(11, 13))
	for i := range 12 {
		off := 2*4096 + r.IntN(size-2*4096)
		cs = append(cs, damagedCase{fmt.Sprintf("byte %d flipped (%d)", off, i), flipped(off), false, false})
	}
	for i := range 4 {
		p := 2 + r.IntN(size/4096-2)
		cs = append(cs, damagedCase{fmt.Sprintf("page %d garbage (%d)", p, i), garbagePage(p), false, false})
	}
	return cs
}

// damagedCommands are the commands run on every damaged copy.
var damagedCommands = [][]string{
	{"check"},
	{"report", "register", "--period", "2026", "--format", "csv", "-o", "/dev/null"},
	{"export", "journal", "--format", "xlsx", "-o", "/dev/null"},
	{"users", "list"},
	{"lookup", "7707083893"},
	{"compact"},
	{"import", "journal", "IMPORT"},
	{"serve", "--listen", "127.0.0.1:0", "--host-key", "HOSTKEY"},
}

func TestDamagedFiles(t *testing.T) {
	if args := os.Getenv(damagedChildEnv); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr))
	}
	if testing.Short() {
		t.Skip("runs ~200 child processes")
	}
	dir := t.TempDir()
	base := filepath.Join(dir, "base.db")
	mustSout(t, base, "demo", "--employers", "300", "--seed", "3")
	imp := filepath.Join(dir, "journal.csv")
	if err := os.WriteFile(imp, []byte(mustSout(t, base, "export", "journal", "--format", "csv")), 0o600); err != nil {
		t.Fatal(err)
	}
	sound, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	detected := 0
	for i, c := range damagedCases(len(sound), bucketRoots(t, base)) {
		for _, cmd := range damagedCommands {
			db := filepath.Join(dir, fmt.Sprintf("d%d-%s.db", i, cmd[0]))
			if err := c.make(sound, db); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"--db", db}, cmd...)
			for j, a := range args {
				args[j] = strings.NewReplacer("IMPORT", imp, "HOSTKEY", filepath.Join(dir, "hk")).Replace(a)
			}
			code, stderr := damagedChild(t, args)
			name := c.name + ": sout " + strings.Join(cmd, " ")
			lines := strings.Count(stderr, "\n")
			switch {
			case code != 0 && code != 1 && code != -2:
				t.Errorf("%s: exit %d\n%s", name, code, crashTail(stderr))
			case strings.Contains(stderr, "panic") || strings.Contains(stderr, "fatal error") ||
				strings.Contains(stderr, "goroutine"):
				t.Errorf("%s: crashed\n%s", name, crashTail(stderr))
			case cmd[0] != "serve" && cmd[0] != "import" && lines > 1: // an import lists the rows it refuses
				t.Errorf("%s: %d lines on stderr, want at most one\n%s", name, lines, crashTail(stderr))
			case (c.damaged || c.checked && cmd[0] == "check") && (code != 1 || !isDamagedLine(stderr, db)):
				t.Errorf("%s: exit %d, %q; want 1 and «файл повреждён: %s (…): восстановите его из резервной копии»", name, code,
					stderr, db)
			}
			if isDamagedLine(stderr, db) {
				detected++
			}
		}
	}
	t.Logf("%d command runs reported the file damaged", detected)
}

// isDamagedLine reports whether stderr is the one line of a damaged file
// (or, for a directory, the line that says it is one).
func isDamagedLine(stderr, db string) bool {
	return strings.HasPrefix(stderr, "sout: файл повреждён: "+db+" (") &&
		strings.HasSuffix(stderr, "): восстановите его из резервной копии\n") ||
		stderr == "sout: "+db+" — это каталог, а не файл базы данных: укажите в --db путь к файлу\n"
}

// damagedChild runs the command line in a child process and returns its
// exit status (-2 when it was still running after its time, as a server
// that opened the file is) and its stderr.
func damagedChild(t *testing.T, args []string) (int, string) {
	t.Helper()
	wait := 10 * time.Second
	if slices.Contains(args, "serve") {
		wait = time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDamagedFiles$", "-test.count=1")
	cmd.Env = append(os.Environ(), damagedChildEnv+"="+strings.Join(args, "\x1f"))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return -2, errb.String()
	case err == nil:
		return 0, errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), errb.String()
	}
	t.Fatalf("%v: %v", args, err)
	return 0, ""
}
