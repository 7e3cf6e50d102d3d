package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// sshKey is a client key: its signer and its authorized_keys line.
type sshKey struct {
	signer gossh.Signer
	line   string
}

func newSSHKey(t *testing.T) sshKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey{sg, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sg.PublicKey())))}
}

// testServer runs `sout serve` on a free loopback port until the test ends
// and returns its address and a function that stops it and returns its exit
// status.
func testServer(t *testing.T, db string) (addr string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "serve", "--listen", "127.0.0.1:0", "--host-key",
			filepath.Join(t.TempDir(), "host_ed25519")}, strings.NewReader(""), &out, &errb)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(serveAddrFile(db))
		if err == nil && len(b) > 0 && b[len(b)-1] == '\n' {
			addr = strings.TrimSpace(string(b))
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(15 * time.Second):
				t.Errorf("serve did not stop within 15 s")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func dial(addr string, k sshKey, login string) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            login,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// execSSH runs one command line over a session without a terminal.
func execSSH(t *testing.T, c *gossh.Client, cmd string) (code int, stdout, stderr string) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var o, e bytes.Buffer
	s.Stdout, s.Stderr = &o, &e
	err = s.Run(cmd)
	var exit *gossh.ExitError
	switch {
	case err == nil:
	case asExit(err, &exit):
		code = exit.ExitStatus()
	default:
		t.Fatalf("%s: %v", cmd, err)
	}
	return code, o.String(), e.String()
}

func asExit(err error, target **gossh.ExitError) bool {
	e, ok := err.(*gossh.ExitError)
	if ok {
		*target = e
	}
	return ok
}

// terminal is an interactive session with a pseudo-terminal.
type terminal struct {
	s   *gossh.Session
	in  io.WriteCloser
	out *syncBuffer
}

func openTerminal(t *testing.T, c *gossh.Client) *terminal {
	t.Helper()
	out := &syncBuffer{}
	s, in := startShell(t, c, 110, out)
	return &terminal{s, in, out}
}

// startShell opens a shell session on c on a pseudo-terminal of 30 rows
// and cols columns, its output going to out; it closes when the test ends.
func startShell(t *testing.T, c *gossh.Client, cols int, out io.Writer) (*gossh.Session, io.WriteCloser) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 30, cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.Stdout = out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, in
}

// waitFor waits until the session's output contains want.
func (tm *terminal) waitFor(t *testing.T, want string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(tm.out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not show %q within %v; output tail:\n%s", want, d, ansi.Strip(tail(tm.out.String(), 3000)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tm *terminal) send(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, err := io.WriteString(tm.in, k); err != nil {
			t.Fatal(err)
		}
		time.Sleep(15 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestServe_SSH drives a real server with real SSH clients: key
// authentication, the screens as the key's user, a change in one session
// appearing in another without input, exec of read-only commands, refusals,
// and shutdown.
func TestServe_SSH(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sout.db")
	anna, boris, admin, stranger := newSSHKey(t), newSSHKey(t), newSSHKey(t), newSSHKey(t)
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ в Самарской области")
	mustSout(t, db, "demo", "--employers", "40", "--seed", "3")
	mustSout(t, db, "users", "add", "anna", "--role", "clerk", "--key", anna.line)
	mustSout(t, db, "users", "add", "boris", "--role", "clerk", "--key", boris.line)
	mustSout(t, db, "users", "add", "root", "--role", "admin", "--key", admin.line)
	period := "2025H2"
	want := mustSout(t, db, "report", "summary", "--period", period, "--format", "csv")

	addr, stop := testServer(t, db)

	// A local command on the held file says so and shows the ssh form.
	if code, _, errs := sout(t, db, "lookup", "7707083893"); code != 1 || !strings.Contains(errs, "ssh -p") {
		t.Errorf("local command while serving: exit %d, %q", code, errs)
	}

	t.Run("unknown key is refused", func(t *testing.T) {
		if c, err := dial(addr, stranger, "anna"); err == nil {
			c.Close()
			t.Fatal("an unregistered key got in")
		}
	})

	ca, err := dial(addr, anna, "whatever") // the login name is ignored
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	cb, err := dial(addr, boris, "anna")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()

	t.Run("exec report", func(t *testing.T) {
		code, out, errs := execSSH(t, ca, "report summary --period "+period+" --format csv")
		if code != 0 || out != want {
			t.Fatalf("exit %d, stderr %q; same CSV as locally: %v", code, errs, out == want)
		}
		code, out, _ = execSSH(t, ca, "report summary --period "+period+" --format xlsx")
		if code != 0 || !strings.HasPrefix(out, "PK\x03\x04") {
			t.Fatalf("xlsx over ssh: exit %d, %d bytes", code, len(out))
		}
	})

	t.Run("exec refusals", func(t *testing.T) { checkExecRefusals(t, addr, ca, admin) })

	t.Run("help and audit over ssh", func(t *testing.T) { checkHelpAndAudit(t, ca) })

	t.Run("two sessions see each other's saves", func(t *testing.T) {
		ta := openTerminal(t, ca)
		tb := openTerminal(t, cb)
		ta.waitFor(t, "anna (специалист)", 5*time.Second)
		tb.waitFor(t, "boris (специалист)", 5*time.Second)
		// Anna registers a package: F1, n, INN, name, organisation, Ctrl+S.
		ta.send(t, "\x1bOP", "n")
		ta.waitFor(t, "ИНН работодателя", 3*time.Second)
		ta.send(t, "7707083893", "\t", "ООО Рассвет", "\t", "ООО Аудит-Труд", "\x13")
		ta.waitFor(t, "Сохранено", 5*time.Second)
		// Boris pressed nothing.
		tb.waitFor(t, "Рассвет", 2*time.Second)
	})

	t.Run("shutdown tells every session", func(t *testing.T) {
		tc := openTerminal(t, ca)
		tc.waitFor(t, "anna", 5*time.Second)
		if code := stop(); code != 0 {
			t.Errorf("serve exit status %d", code)
		}
		if !strings.Contains(tc.out.String(), "работа сервера завершается") {
			t.Errorf("the session was not told of the shutdown: %q", tail(tc.out.String(), 400))
		}
		// The file is free again and consistent.
		mustSout(t, db, "check")
		if out := mustSout(t, db, "export", "journal", "--format", "csv"); !strings.Contains(out, "ООО Рассвет") {
			t.Errorf("the journal entry typed over SSH is not in the file")
		}
	})
}

// checkExecRefusals runs over c the commands a session may not run (other
// files, shell syntax, flags naming server paths) and checks each is refused
// with nothing done; then an admin's backup to stdout, which is allowed.
func checkExecRefusals(t *testing.T, addr string, c *gossh.Client, admin sshKey) {
	for _, tc := range []struct{ cmd, want string }{
		{"import register /etc/passwd", "через SSH недоступна"},
		{"backup -o /tmp/x.db", "файлы на сервере не пишутся"},
		{"users list", "через SSH недоступна"},
		{"report summary --period 2025H2 --format csv; rm -rf /", "неизвестный флаг --rf"},
		{"report summary --period 2025H2 --format csv -o ../x.csv", "файлы на сервере не пишутся"},
		{"report summary --period $(id) --format csv", "$(id)"},
		{"lookup \x1b[2J", "Слово команды: недопустимый управляющий символ U+001B в позиции 1"},
		{"--db /tmp/other.db lookup 7707083893", "флаг --db не принимается"},
	} {
		code, out, errs := execSSH(t, c, tc.cmd)
		if code == 0 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stdout %d bytes, stderr %q; want a refusal with %q", tc.cmd, code, len(out), errs, tc.want)
		}
	}
	// A flag naming a server path is refused wherever it stands, with
	// exit 2 and nothing done, as a line that does not split.
	for _, tc := range []struct{ cmd, want string }{
		{"export register --db /etc/passwd", "sout: через SSH база одна — у сервера; флаг --db не принимается\n"},
		{"lookup 7707083893 --db=/etc/passwd", "sout: через SSH база одна — у сервера; флаг --db не принимается\n"},
		{"report summary --period 2025H2 -o=/tmp/x.csv", "sout: " + txtRemoteOutput + "\n"},
		{"users add x --key-file /etc/ssh/k",
			"sout: через SSH флаг --key-file не принимается: он называет файл на сервере\n"},
		{"lookup 'ООО Рассвет", "sout: незакрытая кавычка в команде\n"},
	} {
		if code, out, errs := execSSH(t, c, tc.cmd); code != 2 || out != "" || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", tc.cmd, code, out, errs, tc.want)
		}
	}
	// An admin may take a backup, to stdout only.
	code, out, errs := func() (int, string, string) {
		c, err := dial(addr, admin, "root")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return execSSH(t, c, "backup -o -")
	}()
	if code != 0 || len(out) < 4096 {
		t.Errorf("admin backup: exit %d, %d bytes, %q", code, len(out), errs)
	}
}

// TestServe_StopsWithin10s stops a server that holds an export stalled on a
// client that stopped reading, a backup stalled the same way, and an open
// screen: it ends within 10 s, and the file is sound afterwards.
func TestServe_StopsWithin10s(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a server's shutdown")
	}
	db := filepath.Join(t.TempDir(), "sout.db")
	admin := newSSHKey(t)
	mustSout(t, db, "demo", "--employers", "2000", "--seed", "5")
	mustSout(t, db, "users", "add", "root", "--role", "admin", "--key", admin.line)
	addr, stop := testServer(t, db)
	c, err := dial(addr, admin, "root")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, cmd := range []string{"export register --format csv", "backup"} {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.StdoutPipe(); err != nil { // never read: the client stalls
			t.Fatal(err)
		}
		if err := s.Start(cmd); err != nil {
			t.Fatal(err)
		}
	}
	tm := openTerminal(t, c)
	tm.waitFor(t, "Журнал", 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the exports fill the client's window and stall
	began := time.Now()
	code := stop()
	took := time.Since(began)
	if took > 10*time.Second || code != 0 {
		t.Errorf("serve stopped after %v with exit %d; want within 10 s, exit 0", took.Round(time.Millisecond), code)
	}
	t.Logf("serve stopped %v after it was told", took.Round(time.Millisecond))
	if code, out, errs := sout(t, db, "check"); code != 0 {
		t.Errorf("check after the shutdown: exit %d\n%s%s", code, out, errs)
	}
}

// writeOpenSSHKey writes a fresh private key for the OpenSSH client and
// returns its path and the authorized_keys line.
func writeOpenSSHKey(t *testing.T) (path, line string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	spk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return path, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(spk)))
}

// checkHelpAndAudit: help over SSH names only what a clerk may run there;
// a command refused for its flags, and one naming a server file, are audited
// as refusals, and a read (lookup) as a read.
func checkHelpAndAudit(t *testing.T, ca *gossh.Client) {
	t.Helper()
	code, out, _ := execSSH(t, ca, "help")
	if code != 0 || !strings.Contains(out, "ssh СЕРВЕР report summary|register|journal") ||
		!strings.Contains(out, "роли «специалист»") {
		t.Fatalf("help over ssh: exit %d:\n%s", code, out)
	}
	for _, local := range []string{"sout init", "sout serve", "ssh СЕРВЕР import", "ssh СЕРВЕР users",
		"ssh СЕРВЕР backup", "ssh СЕРВЕР compact", "--db", "-o ФАЙЛ", "report merge"} {
		if strings.Contains(out, local) {
			t.Errorf("help over ssh lists %q, which a clerk cannot run there:\n%s", local, out)
		}
	}
	// A command refused for its flags read nothing: it is not audited as a read.
	if code, _, _ := execSSH(t, ca, "report summary --period 2025H2 --format pdf"); code != 2 {
		t.Fatalf("--format pdf: exit %d, want 2", code)
	}
	if code, _, errs := execSSH(t, ca, "lookup 7707083893"); code > 1 {
		t.Fatalf("lookup: exit %d, %q", code, errs)
	}
	_, log, _ := execSSH(t, ca, "audit --user anna")
	refused := ""
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "--format pdf") {
			refused = l
		}
	}
	if !strings.Contains(refused, "отказ в команде через SSH") || strings.Contains(refused, "отчёт") ||
		!strings.Contains(log, "lookup 7707083893") {
		t.Errorf("audit over ssh: a refused command line is not kept as a refusal, or a read is missing:\n%s", log)
	}
	// A flag naming a server file and a command the role may not run are refusals too.
	if !strings.Contains(log, "отказ в команде через SSH  import register /etc/passwd") {
		t.Errorf("audit over ssh: the refused import is not kept:\n%s", log)
	}
}
