package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
)

// TestAudit_RecordFieldChanges: `sout audit --record` shows the history of one record with, field by
// field, the value before and after; --format csv gives a row per field.
func TestAudit_RecordFieldChanges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sout.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := store.RegisterEntry{
		EnteredOn: store.NewDate(2026, 3, 15),
		Employer: store.Employer{Name: "ООО «Волга»", Address: "г. Самара, ул. Ленина, 1", INN: "7707083893",
			OGRN: "1027700132195", OKVED: "25.11"},
		SoutOrg: store.SoutOrg{Name: "ООО «Охрана труда»", RegNo: "123"},
	}
	e.Grid[store.ColTotal] = [5]int{20, 30, 10, 1, 1}
	e.Grid[store.ColAssessed] = [5]int{10, 12, 5, 0, 1}
	e.Grid[store.ColClass2] = [5]int{10, 12, 5, 0, 1}
	anna := store.Actor{Name: "anna", Role: store.RoleClerk}
	if e, err = st.SaveRegisterEntry(anna, e); err != nil {
		t.Fatal(err)
	}
	e.Employer.Address = "г. Самара, ул. Мира, 2"
	e.Grid[store.ColClass2][1] = 8
	e.Grid[store.ColClass31][1] = 4
	if _, err := st.SaveRegisterEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, e); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := mustSout(t, db, "audit", "--record", "register:1")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	i := len(lines) - 4
	if i < 1 || !strings.HasSuffix(lines[i], "  boris        изменение: запись реестра №1") {
		t.Fatalf("audit --record register:1:\n%s", out)
	}
	want := []string{
		"    Адрес работодателя: «г. Самара, ул. Ленина, 1» → «г. Самара, ул. Мира, 2»",
		"    класс 2, работники: «12» → «8»",
		"    класс 3.1, работники: «» → «4»",
	}
	if got := lines[i+1:]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the edit's changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	csv := mustSout(t, db, "audit", "--record", "register:1", "--format", "csv")
	row := time.Now().Format("2006-01-02") // the day of both changes
	wantRow := `,boris,изменение,запись реестра,1,"класс 3.1, работники",,4,` + "\n"
	if !strings.Contains(csv, wantRow) || !strings.Contains(csv, row) {
		t.Errorf("audit --format csv:\n%s", csv)
	}
	if code, _, errs := sout(t, db, "audit", "--record", "register:x"); code != 2 ||
		!strings.Contains(errs, "--record register:x: нужен вид и номер записи, например register:31") {
		t.Errorf("audit --record register:x: exit %d, %q", code, errs)
	}
}

// TestServe_OpenSSHBlank: a blank command, a --db and an unclosed quote sent to `sout serve` by
// the OpenSSH client are refused with exit 2, and nothing is drawn on the server.
func TestServe_OpenSSHBlank(t *testing.T) {
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client")
	}
	db := filepath.Join(t.TempDir(), "sout.db")
	keyPath, line := writeOpenSSHKey(t)
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ", "--head", "Иванов И. И.")
	mustSout(t, db, "users", "add", "anna", "--role", "clerk", "--key", line)
	addr, _ := testServer(t, db)
	host, port := splitAddr(addr)
	for _, tc := range []struct{ cmd, want string }{
		{"   ", "sout: пустая команда: укажите её, например report summary --period 2026H1 --format csv; экраны — ssh -t\n"},
		{"export register --db /etc/passwd", "sout: через SSH база одна — у сервера; флаг --db не принимается\n"},
		{"lookup 'ООО Рассвет", "sout: незакрытая кавычка в команде\n"},
	} {
		c := exec.Command(bin, "-F", "/dev/null", "-p", port, "-i", keyPath, "-o", "IdentitiesOnly=yes",
			"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
			"-o", "LogLevel=ERROR", "-T", host, tc.cmd)
		var stdout, stderr strings.Builder
		c.Stdout, c.Stderr = &stdout, &stderr
		_ = c.Run()
		code := c.ProcessState.ExitCode()
		if code != 2 || stdout.String() != "" || !strings.HasPrefix(stderr.String(), tc.want) {
			t.Errorf("ssh %q: exit %d, stdout %q, stderr %q; want 2 and %q",
				tc.cmd, code, stdout.String(), stderr.String(), tc.want)
		}
	}
}
