package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUsers_KeyFileErrorsInRussian: a key file that cannot be read is named
// with the reason in Russian, and no user is added.
func TestUsers_KeyFileErrorsInRussian(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sout.db")
	mustSout(t, db, "init", "--region", "Р", "--inspectorate", "Г")
	missing := filepath.Join(dir, "нет.pub")
	for _, tc := range []struct{ file, want string }{
		{missing, "sout: не удалось прочитать файл ключа " + missing + ": такого файла нет\n"},
		{dir, "sout: не удалось прочитать файл ключа " + dir + ": это папка, а не файл\n"},
	} {
		if code, _, errs := sout(t, db, "users", "add", "anna", "--role", "clerk", "--key-file", tc.file); code != 1 ||
			errs != tc.want {
			t.Errorf("--key-file %s: exit %d, %q; want 1 and %q", tc.file, code, errs, tc.want)
		}
	}
	if out := mustSout(t, db, "users", "list"); strings.Contains(out, "anna") {
		t.Errorf("a user was added from an unreadable key file:\n%s", out)
	}
}
