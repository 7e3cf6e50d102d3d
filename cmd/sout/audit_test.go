package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
)

// auditFixture is a file with a register entry created by anna and changed
// by boris (its address and two figures), and a journal entry of the same
// employer; it returns the entry with boris's changes and the journal entry.
func auditFixture(t *testing.T) (db string, e store.RegisterEntry, j store.JournalEntry) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "sout.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e = store.RegisterEntry{
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
	j, err = st.CreateJournalEntry(anna, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 10),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»"})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return db, e, j
}

// TestAudit_RecordFieldChanges: `sout audit --record` shows the history of one record with, field by
// field, the value before and after; --format csv gives a row per field.
func TestAudit_RecordFieldChanges(t *testing.T) {
	db, e, j := auditFixture(t)
	// A register entry is named by its employer's INN, never by an internal id.
	out := mustSout(t, db, "audit", "--record", "register:7707083893")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	i := len(lines) - 4
	const changed = "  boris        изменение: запись реестра ИНН 7707083893, внесена 15.03.2026"
	if i < 1 || !strings.HasSuffix(lines[i], changed) {
		t.Fatalf("audit --record register:7707083893:\n%s", out)
	}
	records := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, " ") {
			records++
		}
	}
	if records != 2 || strings.Contains(out, "№1") {
		t.Errorf("audit --record register: want the creation and the edit, no internal id:\n%s", out)
	}
	// A journal entry by its number as printed.
	jref := fmt.Sprintf("journal:%d/%d", j.No, j.Year)
	out = mustSout(t, db, "audit", "--record", jref)
	if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first,
		fmt.Sprintf("anna         создание: запись журнала № %d/2026", j.No)) || strings.Contains(out, "Номер:") {
		t.Errorf("audit --record %s: want the record named once, no internal id:\n%s", jref, out)
	}
	// A register entry made from that package names it by its number too.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e2 := e
	e2.ID, e2.Version, e2.JournalID, e2.EnteredOn = 0, 0, j.ID, store.NewDate(2026, 3, 20)
	if _, err := st.SaveRegisterEntry(store.Actor{Name: "anna", Role: store.RoleClerk}, e2); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if out := mustSout(t, db, "audit", "--record", "register:7707083893"); !strings.Contains(out,
		fmt.Sprintf("    Запись журнала: «» → «№ %d/2026»\n", j.No)) {
		t.Errorf("the journal link is not named by its number:\n%s", out)
	}
	want := []string{
		"    Адрес работодателя: «г. Самара, ул. Ленина, 1» → «г. Самара, ул. Мира, 2»",
		"    класс 2, работники: «12» → «8»",
		"    класс 3.1, работники: «» → «4»",
	}
	if got := lines[i+1:]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the edit's changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	csv := mustSout(t, db, "audit", "--record", "register:7707083893", "--format", "csv")
	row := time.Now().Format("02.01.2006") // the day of both changes
	wantRow := `,boris,изменение,запись реестра,"ИНН 7707083893, внесена 15.03.2026","класс 3.1, работники",,4,` + "\n"
	if !strings.Contains(csv, wantRow) || !strings.Contains(csv, row) {
		t.Errorf("audit --format csv:\n%s", csv)
	}
}

// TestAudit_RecordRefused: a --record that names no record is refused,
// naming what is wrong (exit 2) or what is not found (exit 1).
func TestAudit_RecordRefused(t *testing.T) {
	db, _, _ := auditFixture(t)
	for _, tc := range []struct {
		record, want string
		code         int
	}{
		{"register:x", "sout: --record register:x: нужен ИНН работодателя, например register:7707083893\n", 2},
		{"journal:7", "sout: --record journal:7: нужен номер записи журнала и год, например journal:15/2026\n", 2},
		{"journal:99/2026", "sout: В журнале 2026 года нет записи с номером 99\n", 1},
		{"register:500100732259", "sout: По ИНН 500100732259 ничего не найдено\n", 1},
		{"cat:1", "sout: --record cat:1: вид записи — journal, register, user или lock\n", 2},
	} {
		code, _, errs := sout(t, db, "audit", "--record", tc.record)
		if code != tc.code || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("audit --record %s: exit %d, %q; want %d and %q", tc.record, code, errs, tc.code, tc.want)
		}
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
