package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"charm.land/log/v2"
)

// TestRun_MissingFileNotCreated: read-only commands on a mistyped path say
// the file is not there and create nothing; init creates it and says so.
func TestRun_MissingFileNotCreated(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	want := "sout: файл " + db + " не найден: проверьте путь в --db (или SOUT_DB)\n"
	for _, args := range [][]string{
		{"check"},
		{"report", "summary", "--period", "2026H1", "--format", "csv"},
		{"export", "register", "--format", "csv"},
		{"lookup", "7707083893"},
		{"audit"},
		{"backup", "-o", filepath.Join(dir, "copy.db")},
		{"users", "list"},
		{"period", "list"},
		{"compact"},
	} {
		code, _, errs := sout(t, db, args...)
		if code != 1 || errs != want {
			t.Errorf("sout %v: exit %d, %q; want 1, %q", args, code, errs, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files were created: %v", entries)
	}
	code, _, errs := sout(t, db, "init", "--region", "Р", "--inspectorate", "Г")
	if code != 0 || errs != "Создан новый файл базы данных "+db+"\n" {
		t.Errorf("init: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(db); err != nil {
		t.Error(err)
	}
}

// TestRun_OutputErrors: -o that cannot be written is one Russian line and
// leaves nothing behind.
func TestRun_OutputErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	mustSout(t, db, "init", "--region", "Р", "--inspectorate", "Г")
	for _, c := range []struct{ out, want string }{
		{"/dev/full", "sout: не удалось записать файл /dev/full: нет места на диске\n"},
		{dir, "sout: не удалось записать файл " + dir + ": это каталог\n"},
		{filepath.Join(dir, "no", "s.csv"), "sout: не удалось записать файл " + filepath.Join(dir, "no",
			"s.csv") + ": нет такого каталога\n"},
	} {
		code, _, errs := sout(t, db, "report", "journal", "--period", "2026", "--format", "csv", "-o", c.out)
		if code != 1 || errs != c.want {
			t.Errorf("-o %s: exit %d, %q; want 1, %q", c.out, code, errs, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %v, want only s.db", entries)
	}
	// /dev/null stays a device.
	mustSout(t, db, "backup", "-o", "/dev/null")
	if st, _ := os.Stat("/dev/null"); st.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/null became %v", st.Mode())
	}
}

// TestRun_FullDisk: compact and backup on a full disk say so in one line,
// leave the database as it was and no temporary file behind.
func TestRun_FullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	db := filepath.Join(dir, "s.db")
	mustSout(t, db, "demo", "--employers", "150", "--seed", "2")
	before := mustSout(t, db, "export", "register", "--format", "csv")
	st, _ := os.Stat(db)
	// Leave less room than a compacted copy needs.
	if err := os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 3<<20-st.Size()-64<<10), 0o600); err != nil &&
		!strings.Contains(err.Error(), "no space") {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"compact"}, "sout: на диске нет места: " +
			"файл " + db + " не уплотнён и не изменён; освободите место и повторите\n"},
		{[]string{"backup", "-o", filepath.Join(dir, "copy.db")},
			"sout: на диске нет места для временной копии базы в папке " + dir +
				": резервная копия не записана; освободите место и повторите\n"},
	} {
		code, _, errs := sout(t, db, c.args...)
		if code != 1 || errs != c.want {
			t.Errorf("sout %v on a full disk: exit %d, %q; want 1, %q", c.args, code, errs, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("folder holds %v, want s.db and filler", entries)
	}
	if after := mustSout(t, db, "export", "register", "--format", "csv"); after != before {
		t.Error("the database changed")
	}
	mustSout(t, db, "check")
}

// TestBackup_RemovesLeftovers: what a killed server left of a copy it was
// taking (where the system has no unnamed files) goes when the next one starts
// its backups; a copy another running process is writing stays.
func TestBackup_RemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skip(err)
	}
	dead := filepath.Join(dir, ".sout-20261123-020000.db.tmp-"+strconv.Itoa(ended.Process.Pid)+"-x")
	live := filepath.Join(dir, ".sout-20261124-020000.db.tmp-"+strconv.Itoa(os.Getpid())+"-x")
	for _, n := range []string{dead, live} {
		if err := os.WriteFile(n, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleBackups(dir, log.New(io.Discard))
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the dead process's leftover is still there: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a running process's copy was removed: %v", err)
	}
}
