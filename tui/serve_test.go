package tui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"sout/store"
)

// serveTest runs Serve on a free loopback port for one test.
type serveTest struct {
	st   *store.Store
	addr string
}

func startServe(t *testing.T, cfg ServeConfig) *serveTest {
	t.Helper()
	st := testStore(t)
	cfg.Store, cfg.DBPath = st, "sout.db"
	cfg.Listen = "127.0.0.1:0"
	cfg.HostKeyPath = filepath.Join(t.TempDir(), "host")
	ready := make(chan string, 1)
	cfg.Ready = func(addr string) { ready <- addr }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return")
		}
	})
	select {
	case addr := <-ready:
		return &serveTest{st: st, addr: addr}
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not start")
	}
	return nil
}

// user adds a user with a fresh key and returns the key's signer.
func (sv *serveTest) user(t *testing.T, name string, role store.Role) gossh.Signer {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	sg, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sg.PublicKey())))
	if err := sv.st.AddUser(store.Actor{Name: "root", Role: store.RoleAdmin},
		store.User{Name: name, Role: role, Keys: []string{line}}); err != nil {
		t.Fatal(err)
	}
	return sg
}

func (sv *serveTest) dial(t *testing.T, sg gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", sv.addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(sg)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// lockedBuffer collects a session's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// terminal opens a session with a terminal; out collects what it shows.
func terminal(t *testing.T, c *gossh.Client, out io.Writer) *gossh.Session {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if out != nil {
		// Both streams before Shell: it starts the goroutines that copy them.
		s.Stdout, s.Stderr = out, out
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func waitText(t *testing.T, b *lockedBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the session did not show %q; it showed %q", want, tailOf(b.String(), 600))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServe_RemovedUserDisconnected: a user removed while connected is told and disconnected.
func TestServe_RemovedUserDisconnected(t *testing.T) {
	sv := startServe(t, ServeConfig{})
	sg := sv.user(t, "vera", store.RoleClerk)
	var out lockedBuffer
	s := terminal(t, sv.dial(t, sg), &out)
	waitText(t, &out, "vera")
	if err := sv.st.RemoveUser(store.Actor{Name: "root", Role: store.RoleAdmin}, "vera"); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- s.Wait() }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the removed user's session is still open")
	}
	if !strings.Contains(out.String(), "отозван") {
		t.Errorf("the session was not told why it closed")
	}
}

// TestServe_SessionsPerKeyLimit: sessions over the per-key limit are refused with a message.
func TestServe_SessionsPerKeyLimit(t *testing.T) {
	sv := startServe(t, ServeConfig{MaxSessionsPerKey: 2})
	sg := sv.user(t, "vera", store.RoleClerk)
	c := sv.dial(t, sg)
	for i := 0; i < 2; i++ {
		var out lockedBuffer
		terminal(t, c, &out)
		waitText(t, &out, "vera")
	}
	var out lockedBuffer
	s := terminal(t, c, &out)
	err := s.Wait()
	if err == nil || !strings.Contains(out.String(), "допустимо 2") {
		t.Errorf("third session: %v, %q", err, out.String())
	}
}

// TestServe_HostileClients: a client that claims a huge window, and one that stops reading while
// the screens keep changing, cost the server bounded memory.
func TestServe_HostileClients(t *testing.T) {
	sv := startServe(t, ServeConfig{})
	sg := sv.user(t, "vera", store.RoleClerk)
	c := sv.dial(t, sg)

	var out lockedBuffer
	big := terminal(t, c, &out)
	waitText(t, &out, "vera")
	if err := big.WindowChange(1<<20, 1<<20); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	out.mu.Lock()
	out.b.Reset()
	out.mu.Unlock()

	// This one never reads what it is sent.
	stalled, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := stalled.RequestPty("xterm", 40, 200, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe() // nobody reads pr
	_ = pr
	stalled.Stdout = pw
	if err := stalled.Shell(); err != nil {
		t.Fatal(err)
	}

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	clerk := store.Actor{Name: "boris", Role: store.RoleClerk}
	save := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := sv.st.CreateJournalEntry(clerk,
				store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Рассвет»", EmployerINN: "7707083893",
					SoutOrgName: "ООО «Центр»"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	save(300)
	time.Sleep(300 * time.Millisecond)
	before := heap()
	save(1500)
	time.Sleep(500 * time.Millisecond)
	after := heap()
	t.Logf("heap %0.1f MiB before, %0.1f MiB after 1500 more saves with a stalled client", float64(before)/(1<<20),
		float64(after)/(1<<20))
	if after > before+64<<20 {
		t.Errorf("server memory grew by %d MiB with a client that does not read", (after-before)>>20)
	}
	// The huge window was clamped, and that session kept working all along.
	waitText(t, &out, "Рассвет")
	pw.Close()
}

// keyFile adds a user with a fresh key and writes its private key where the
// OpenSSH client can read it.
func (sv *serveTest) keyFile(t *testing.T, name string, role store.Role) string {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	spk, _ := gossh.NewPublicKey(pub)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(spk)))
	if err := sv.st.AddUser(localAdmin, store.User{Name: name, Role: role, Keys: []string{line}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// localAdmin is the operating-system user, who may do everything.
var localAdmin = store.Actor{Name: "root", Role: store.RoleAdmin}

// openSSH returns the OpenSSH client's command line for the server, or skips
// the test when there is no client.
func (sv *serveTest) openSSH(t *testing.T, key string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client")
	}
	host, port, _ := net.SplitHostPort(sv.addr)
	all := []string{"-F", "/dev/null", "-p", port, "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"}
	return exec.Command(bin, append(append(all, args...), host)...)
}

// runSSH runs the OpenSSH client with a command line and returns its exit
// status and streams.
func runSSH(t *testing.T, c *exec.Cmd, command string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c.Args = append(c.Args, command)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return c.ProcessState.ExitCode(), out.String(), errb.String()
}

// TestServe_OpenSSHBlankCommand: a blank command, or none without a terminal, is refused with exit 2 and
// never starts the screens.
func TestServe_OpenSSHBlankCommand(t *testing.T) {
	sv := startServe(t, ServeConfig{})
	key := sv.keyFile(t, "vera", store.RoleClerk)
	want := "sout: " + txtExecBlank + "\n"
	for _, cmd := range []string{"   ", ""} {
		code, out, errs := runSSH(t, sv.openSSH(t, key, "-T"), cmd)
		if code != 2 || out != "" || errs != want {
			t.Errorf("ssh %q: exit %d, stdout %q, stderr %q; want 2 and %q", cmd, code, out, errs, want)
		}
	}
}

// sshTerminal is the OpenSSH client with a terminal: what it shows and how to type.
type sshTerminal struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *lockedBuffer
}

func (sv *serveTest) sshTerminal(t *testing.T, key string) *sshTerminal {
	t.Helper()
	c := sv.openSSH(t, key, "-tt")
	in, err := c.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	c.Stdout, c.Stderr = out, out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); _ = c.Process.Kill(); _ = c.Wait() })
	return &sshTerminal{c, in, out}
}

func (st *sshTerminal) send(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, err := io.WriteString(st.in, k); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServe_OpenSSHDemotionRefusesNextLock: a head demoted to clerk while their session is open: the next lock from
// that session is refused, and nothing is locked.
func TestServe_OpenSSHDemotionRefusesNextLock(t *testing.T) {
	sv := startServe(t, ServeConfig{})
	key := sv.keyFile(t, "olga", store.RoleHead)
	term := sv.sshTerminal(t, key)
	waitText(t, term.out, "olga (руководитель)")
	if err := sv.st.SetRole(localAdmin, "olga", store.RoleClerk); err != nil {
		t.Fatal(err)
	}
	// The screens follow the role (redrawn from the change).
	waitText(t, term.out, "специалист) │")
	term.send(t, "\x1bOS", "l", "\r")                              // F4 (Summary), lock, confirm
	waitText(t, term.out, "Блокировка периода: недостаточно прав") // refused at once, before any dialog
	if locks, err := sv.st.Locks(); err != nil || len(locks) != 0 {
		t.Errorf("after the demotion Locks() = %v, %v; want none", locks, err)
	}
}

// TestServe_OpenSSHRemovalStopsExport: a removed user's running command stops within a second, as does the
// OpenSSH client that ran it.
func TestServe_OpenSSHRemovalStopsExport(t *testing.T) {
	stopped := make(chan time.Time, 1)
	export := func(ctx context.Context, _ store.Actor, _ []string, stdout, _ io.Writer) int {
		defer func() { stopped <- time.Now() }()
		line := []byte(strings.Repeat("7707083893;ООО «Рассвет»;", 40) + "\n")
		for ctx.Err() == nil {
			if _, err := stdout.Write(line); err != nil {
				return 1
			}
		}
		return 1
	}
	sv := startServe(t, ServeConfig{Exec: export})
	key := sv.keyFile(t, "vera", store.RoleClerk)
	c := sv.openSSH(t, key, "-T")
	c.Args = append(c.Args, "export register --format csv")
	var got countWriter
	c.Stdout = &got
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); got.n.Load() < 256<<10; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the export sent %d bytes in 10 s", got.n.Load())
		}
	}
	removed := time.Now()
	if err := sv.st.RemoveUser(localAdmin, "vera"); err != nil {
		t.Fatal(err)
	}
	select {
	case at := <-stopped:
		if d := at.Sub(removed); d > time.Second {
			t.Errorf("the export stopped %v after the removal, want within a second", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the export goes on after the removal")
	}
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	select {
	case <-exited:
		t.Logf("the client ended %v after the removal, with %d bytes", time.Since(removed), got.n.Load())
	case <-time.After(10 * time.Second): // it drains what it had received first
		t.Error("the OpenSSH client is still connected 10 s after the removal")
	}
}

// countWriter counts what the client received.
type countWriter struct{ n atomic.Int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }

// rawConn opens a TCP connection that never logs in; the returned channel
// is closed once the server has closed it (read deadline 20 s).
func rawConn(t *testing.T, addr string) <-chan struct{} {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	closed := make(chan struct{})
	go func() {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		if _, err := io.ReadAll(c); err == nil { // the banner, then the server's close
			close(closed)
		}
	}()
	return closed
}

// A connection that does not log in within the login time is closed.
func TestServe_LoginTimeout(t *testing.T) {
	sv := startServe(t, ServeConfig{LoginTimeout: time.Second})
	select {
	case <-rawConn(t, sv.addr):
	case <-time.After(20 * time.Second):
		t.Fatal("a connection that never logged in was still open after 20 s (login time 1 s)")
	}
}

// TestServe_UnauthCapKeepsRealUsersIn: idle connections over the cap of one address do not lock out the real
// users behind it: the oldest idle ones are closed, a key login succeeds,
// and the log sums the closings up instead of a line for each.
func TestServe_UnauthCapKeepsRealUsersIn(t *testing.T) {
	var logb lockedBuffer
	sv := startServe(t, ServeConfig{MaxUnauthPerAddr: 3, MaxUnauth: 5, LogEvery: 100 * time.Millisecond,
		Logger: log.New(&logb), Exec: func(context.Context, store.Actor, []string, io.Writer, io.Writer) int { return 0 }})
	var closed atomic.Int32
	for range 10 {
		go func(c <-chan struct{}) {
			if _, ok := <-c; !ok {
				closed.Add(1)
			}
		}(rawConn(t, sv.addr))
	}
	// The server takes connections in parallel: which 7 go is its order.
	for deadline := time.Now().Add(20 * time.Second); closed.Load() < 7; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 10 idle connections closed (cap 3 an address), want 7", closed.Load())
		}
	}
	c := sv.dial(t, sv.user(t, "anna", store.RoleClerk))
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("a key login behind 10 idle connections: %v", err)
	}
	if err := s.Run("lookup 7707083893"); err != nil {
		t.Errorf("the command of the logged-in user: %v", err)
	}
	waitText(t, &logb, "connections not logged in closed to admit new ones")
	if n := strings.Count(logb.String(), "WARN"); n >= 8 {
		t.Errorf("%d warning lines for 8 closings, want a summary:\n%s", n, logb.String())
	}
}

// A 100,000-character word is logged once, cut, with its length; control
// characters are escaped.
func TestServe_LogCutsLongWords(t *testing.T) {
	var logb lockedBuffer
	sv := startServe(t, ServeConfig{Logger: log.New(&logb),
		Exec: func(context.Context, store.Actor, []string, io.Writer, io.Writer) int { return 0 }})
	c := sv.dial(t, sv.user(t, "anna", store.RoleClerk))
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var errb lockedBuffer
	s.Stderr = &errb
	long := strings.Repeat("я", 100000)
	err = s.Run("lookup " + long)
	var exit *gossh.ExitError
	if want := "sout: слишком длинная команда: 100007 символов, можно не больше 4096\n"; !errors.As(err, &exit) ||
		exit.ExitStatus() != 2 || errb.String() != want {
		t.Errorf("a 100,000-character command: %v, %q; want exit 2 and %q", err, errb.String(), want)
	}
	waitText(t, &logb, "session closed")
	out := logb.String()
	cut := "lookup " + strings.Repeat("я", logArgMax-len("lookup ")) + "«…» (100007 chars)"
	if n := strings.Count(out, cut); n != 1 || strings.Contains(out, strings.Repeat("я", logArgMax)) {
		t.Errorf("the command is in the log %d times cut at %d with its length, want once:\n%.600s", n, logArgMax, out)
	}
	if got, want := logWords([]string{"a\x1b[2Jb", "\u202e"}), `a\x1b[2Jb \u202e`; got != want {
		t.Errorf("logWords = %q, want %q", got, want)
	}
}

// TestServe_ForwardingRefused: agent and X11 forwarding requests are refused; so is a port forward.
func TestServe_ForwardingRefused(t *testing.T) {
	sv := startServe(t, ServeConfig{})
	c := sv.dial(t, sv.user(t, "vera", store.RoleClerk))
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req"} {
		if ok, err := s.SendRequest(req, true, nil); ok || err != nil {
			t.Errorf("%s answered %v, %v; want a refusal", req, ok, err)
		}
	}
	if _, err := c.Dial("tcp", sv.addr); err == nil {
		t.Error("a direct-tcpip channel was opened")
	}
	if _, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		t.Error("a remote port forward was accepted")
	}
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestServe_RemovalPastAStalledSession: a user whose command's output has
// stalled (the client reads nothing, the channel's window is full) is
// removed; so, after, is another user with a screen open: that session
// still closes (the one watcher of user changes hung on the stalled
// session's notice, and no later removal or role change took effect).
func TestServe_RemovalPastAStalledSession(t *testing.T) {
	flood := func(ctx context.Context, _ store.Actor, _ []string, stdout, _ io.Writer) int {
		line := []byte(strings.Repeat("7707083893;ООО «Рассвет»;", 40) + "\n")
		for ctx.Err() == nil {
			if _, err := stdout.Write(line); err != nil {
				return 1
			}
		}
		return 1
	}
	sv := startServe(t, ServeConfig{Exec: flood})
	vera := sv.dial(t, sv.user(t, "vera", store.RoleClerk))
	stalled, err := vera.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe() // nobody reads pr: the window fills
	_ = pr
	stalled.Stdout, stalled.Stderr = pw, pw
	if err := stalled.Start("export register --format csv"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	var out lockedBuffer
	anna := terminal(t, sv.dial(t, sv.user(t, "anna", store.RoleClerk)), &out)
	waitText(t, &out, "anna")
	for _, name := range []string{"vera", "anna"} {
		if err := sv.st.RemoveUser(localAdmin, name); err != nil {
			t.Fatal(err)
		}
	}
	ended := make(chan error, 1)
	go func() { ended <- anna.Wait() }()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("anna, removed after vera whose export had stalled, is still connected 10 s later")
	}
}
