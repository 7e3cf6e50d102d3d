package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sout/store"
)

// newKey returns a fresh public key in authorized_keys form.
func newKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk)))
}

// sout runs one command line against db and returns its exit status and streams.
func sout(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func mustSout(t *testing.T, db string, args ...string) string {
	t.Helper()
	code, out, errs := sout(t, db, args...)
	if code != 0 {
		t.Fatalf("sout %v: exit %d, stderr %q", args, code, errs)
	}
	return out
}

func TestRun_ExitStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ", "--head", "Иванов И. И.")
	tests := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"frobnicate"}, 2, "неизвестная команда «frobnicate»"},
		{[]string{"export", "register"}, 2, "нужен --format"},
		{[]string{"export", "register", "--format", "pdf"}, 2, "формат «pdf» неизвестен"},
		{[]string{"report", "summary", "--format", "csv"}, 2, "нужен --period"},
		{[]string{"report", "summary", "--period", "2026H3", "--format", "csv"}, 2, "период «2026H3» не распознан"},
		{[]string{"lookup", "7707083894"}, 1, "ИНН 7707083894: неверное контрольное число"},
		{[]string{"lookup"}, 2, "нужен ИНН или слова наименования"},
		{[]string{"lookup", "нет", "такого"}, 1, "По запросу «нет такого» работодатели не найдены"},
		{[]string{"users", "add", "anna", "--role", "boss", "--key", "x"}, 2, "Роль: «boss» неизвестна"},
		{[]string{"users", "add", "anna", "--key", "ssh-ed25519 garbage"}, 1,
			"Открытый ключ «ssh-ed25519 garbage» не распознан"},
		{[]string{"period", "lock", "2026-02-31..2026-03-01"}, 2, "не существует"},
		{[]string{"audit", "--bogus"}, 2, "неизвестный флаг"},
	}
	for _, tt := range tests {
		code, _, errs := sout(t, db, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.inStderr) {
			t.Errorf("sout %q = %d, %q; want %d and a message containing %q", tt.args, code, errs, tt.code, tt.inStderr)
		}
	}
	// A first init needs all three settings (a later one keeps what is saved).
	fresh := filepath.Join(t.TempDir(), "new.db")
	if code, _, errs := sout(t, fresh, "init", "--region", "Самарская область"); code != 2 ||
		!strings.Contains(errs, "нужны --region") {
		t.Errorf("first init with --region only = %d, %q; want 2 and «нужны --region»", code, errs)
	}
}

func TestRun_InitUsersPeriodCheck(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ в Самарской области", "--head",
		"Иванов И. И.")
	// A second init keeps what it is not told.
	mustSout(t, db, "init", "--phone", "+7 846 000-00-00")

	key := newKey(t) + " anna@office"
	out := mustSout(t, db, "users", "add", "anna", "--role", "head", "--key", key)
	if !strings.Contains(out, "SHA256:") {
		t.Errorf("users add printed %q, want the key's fingerprint", out)
	}
	if out := mustSout(t, db, "users", "list"); !strings.Contains(out, "anna") || !strings.Contains(out, "руководитель") {
		t.Errorf("users list = %q, want anna with role руководитель (head)", out)
	}
	if code, _, errs := sout(t, db, "users", "add", "boris", "--key", key); code != 1 || errs == "" {
		t.Errorf("adding a second user with the same key: exit %d, %q; want 1 and a message", code, errs)
	}
	mustSout(t, db, "period", "lock", "2025H1", "--reason", "сводная отправлена")
	if out := mustSout(t, db, "period", "list"); !strings.Contains(out, "2025H1") {
		t.Errorf("period list = %q, want 2025H1", out)
	}
	if out := mustSout(t, db, "audit"); !strings.Contains(out, "блокировка периода") {
		t.Errorf("audit = %q, want the lock", out)
	}
	if out := mustSout(t, db, "check"); !strings.Contains(out, "Проверка пройдена") {
		t.Errorf("check = %q", out)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	mustSout(t, db, "backup", "-o", backup)
	if out := mustSout(t, backup, "users", "list"); !strings.Contains(out, "anna") {
		t.Errorf("the backup does not hold the users: %q", out)
	}
}

func TestRun_LockedFileNamesTheServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "init", "--region", "Р", "--inspectorate", "Г")
	st, done, err := (&env{dbPath: db}).open()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	_ = st
	if err := os.WriteFile(serveAddrFile(db), []byte("127.0.0.1:2222\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := sout(t, db, "lookup", "7707083893")
	if code != 1 || !strings.Contains(errs, "ssh -p 2222 127.0.0.1 lookup 7707083893") {
		t.Errorf("lookup on a held file: exit %d, %q; want 1 and the ssh form of the command", code, errs)
	}
	// The suggested line is one the server takes: no --db, no -o FILE (a
	// redirection on the clerk's side instead); a command the server does not
	// run over SSH gets no ssh line at all.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "journal", "--period", "2026", "--format", "csv", "--db", db, "-o", "/tmp/j 1.csv"},
			"Через сервер та же команда: ssh -p 2222 127.0.0.1 report journal --period 2026 --format csv > '/tmp/j 1.csv'\n"},
		{[]string{"lookup", "ООО Волга"}, "ssh -p 2222 127.0.0.1 lookup 'ООО Волга'\n"},
		{[]string{"export", "register", "--format", "csv", "-o=-"}, "ssh -p 2222 127.0.0.1 export register --format csv\n"},
		{[]string{"users", "list"}, "(сервер ssh -p 2222 127.0.0.1); эта команда через SSH не выполняется — " +
			"остановите сервер или выполните её на нём\n"},
	} {
		code, _, errs := sout(t, db, tc.args...)
		if code != 1 || !strings.HasSuffix(errs, tc.want) {
			t.Errorf("%v on a held file: exit %d, %q; want 1 and …%q", tc.args, code, errs, tc.want)
		}
	}
}

func TestCompact(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "demo", "--employers", "300", "--seed", "5")
	before := mustSout(t, db, "export", "register", "--format", "csv")
	out := mustSout(t, db, "compact")
	if !strings.Contains(out, "уплотнён") {
		t.Errorf("compact said %q", out)
	}
	mustSout(t, db, "check")
	if after := mustSout(t, db, "export", "register", "--format", "csv"); after != before {
		t.Errorf("compaction changed the data")
	}
	if _, err := os.Stat(db + ".compact"); err == nil {
		t.Errorf("the temporary file was left behind")
	}
}

// TestLookupText: `sout lookup` takes words of a name too, one employer a line.
func TestLookupText(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "demo", "--employers", "300", "--seed", "5")
	out := mustSout(t, db, "lookup", "ШКОЛА", "№")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 || store.CheckINN(f[0]) != nil || !strings.HasPrefix(f[1], "МБОУ «Школа № ") {
			t.Fatalf("lookup школа: line %q, want INN, name, OKVED and date apart by tabs", l)
		}
	}
	first := strings.Split(lines[0], "\t")
	js := mustSout(t, db, "lookup", "--json", first[0][2:9])
	if !strings.Contains(js, `"inn": "`+first[0]+`"`) {
		t.Errorf("lookup --json of INN digits = %s, want %s in it", js, first[0])
	}
}
