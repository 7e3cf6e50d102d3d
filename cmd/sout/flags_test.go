package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun_FlagMisuse: misused flags get our own Russian messages, naming the flag and the
// value, and change nothing.
func TestRun_FlagMisuse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sout.db")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--bogus"}, "sout: неизвестный флаг --bogus\n"},
		{[]string{"audit", "-bogus=1"}, "sout: неизвестный флаг --bogus\n"},
		{[]string{"demo", "--employers"}, "sout: флагу --employers нужно значение\n"},
		{[]string{"demo", "--employers", "много"}, "sout: неверное значение флага --employers: «много»\n"},
		{[]string{"demo", "--seed=x1"}, "sout: неверное значение флага --seed: «x1»\n"},
		{[]string{"lookup", "--json=может быть", "7707083893"}, "sout: неверное значение флага --json: «может быть»\n"},
	} {
		code, out, errs := sout(t, db, tt.args...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, tt.want) {
			t.Errorf("sout %q: exit %d, stdout %q, stderr %q; want 2, stderr starting %q", tt.args, code, out, errs, tt.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a misused flag left %s behind (%v)", db, err)
	}
}
