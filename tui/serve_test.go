package tui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

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
	case <-time.After(5 * time.Second):
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
	if err := sv.st.AddUser(store.Actor{Name: "root", Role: store.RoleAdmin}, store.User{Name: name, Role: role, Keys: []string{line}}); err != nil {
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
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the session did not show %q", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A user removed while connected is told and disconnected.
func TestServe_RemovedUserDisconnected(t *testing.T) {
	sv := startServe(t, ServeConfig{RecheckEvery: 100 * time.Millisecond})
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

// Sessions over the per-key limit are refused with a message.
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

// A client that claims a huge window, and one that stops reading while
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
			if _, err := sv.st.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Рассвет»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"}); err != nil {
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
	t.Logf("heap %0.1f MiB before, %0.1f MiB after 1500 more saves with a stalled client", float64(before)/(1<<20), float64(after)/(1<<20))
	if after > before+64<<20 {
		t.Errorf("server memory grew by %d MiB with a client that does not read", (after-before)>>20)
	}
	// The huge window was clamped, and that session kept working all along.
	waitText(t, &out, "Рассвет")
	pw.Close()
}
