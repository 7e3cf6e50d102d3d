package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/logging"
	gossh "golang.org/x/crypto/ssh"

	"sout/store"
)

// ServeConfig configures Serve.
type ServeConfig struct {
	Store             *store.Store
	DBPath            string
	Listen            string        // default 127.0.0.1:2222
	HostKeyPath       string        // created (ed25519, 0600) on first start; required
	Idle              time.Duration // idle sessions close after this; default 30m
	MaxSessionsPerKey int           // default 5
	Logger            *log.Logger   // structured log of the server
	// Exec runs one read-only subcommand for a session without a terminal; args are already split.
	Exec func(ctx context.Context, a store.Actor, args []string, stdout, stderr io.Writer) int
	// Ready, if set, is called with the bound address once the server listens.
	Ready func(addr string)
	// RecheckEvery is how often a connected user is checked against the database; default 20 s.
	RecheckEvery time.Duration
}

// server is the state shared by the sessions of one Serve call.
type server struct {
	cfg    ServeConfig
	mu     sync.Mutex
	progs  map[*tea.Program]struct{}
	perKey map[string]int
	active sync.WaitGroup // sessions being served
}

// Serve listens and serves the screens over SSH until ctx is cancelled, then
// tells every session, waits for them (at most 10 s), and returns. It does
// not close the store.
func Serve(ctx context.Context, cfg ServeConfig) error {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:2222"
	}
	if cfg.HostKeyPath == "" {
		return errors.New(txtServeNoHostKey)
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.MaxSessionsPerKey <= 0 {
		cfg.MaxSessionsPerKey = 5
	}
	if cfg.RecheckEvery <= 0 {
		cfg.RecheckEvery = 20 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard)
	}
	sv := &server{cfg: cfg, progs: map[*tea.Program]struct{}{}, perKey: map[string]int{}}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithPublicKeyAuth(sv.auth),
		wish.WithIdleTimeout(cfg.Idle),
		wish.WithMiddleware(
			bubbletea.MiddlewareWithProgramHandler(sv.program),
			sv.execMiddleware,
			sv.limitMiddleware,
			logging.StructuredMiddlewareWithLogger(cfg.Logger, log.InfoLevel),
		),
	)
	if err != nil {
		return fmt.Errorf("ssh server: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return store.Errorf(store.CodeInvalid, txtServeListen, cfg.Listen, err)
	}
	cfg.Logger.Info("serving", "addr", ln.Addr().String(), "db", cfg.DBPath)
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	cfg.Logger.Info("shutting down")
	ln.Close() // no new connections
	sv.broadcast(ShutdownMsg{Reason: txtServeStopping})
	// Every session ends by itself once told; a command running over exec
	// finishes its work. Connections left without sessions are then closed.
	finished := make(chan struct{})
	go func() { sv.active.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		cfg.Logger.Warn("sessions still open after 10 s, closing them")
	}
	srv.Close()
	cfg.Logger.Info("stopped")
	return nil
}

// userOf returns the user a key belongs to.
func (sv *server) userOf(key ssh.PublicKey) (store.User, bool) {
	if key == nil {
		return store.User{}, false
	}
	u, ok, err := sv.cfg.Store.UserByKey(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key))))
	if err != nil {
		sv.cfg.Logger.Error("user lookup", "err", err)
		return store.User{}, false
	}
	return u, ok
}

func (sv *server) auth(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := sv.userOf(key)
	if !ok {
		sv.cfg.Logger.Warn("refused unknown key", "fingerprint", gossh.FingerprintSHA256(key), "remote", ctx.RemoteAddr().String(), "login", ctx.User())
		return false
	}
	sv.cfg.Logger.Info("key accepted", "user", u.Name, "role", u.Role, "fingerprint", gossh.FingerprintSHA256(key))
	return true
}

// limitMiddleware refuses sessions over the per-key limit and counts the rest.
func (sv *server) limitMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		fp := gossh.FingerprintSHA256(s.PublicKey())
		sv.mu.Lock()
		if sv.perKey[fp] >= sv.cfg.MaxSessionsPerKey {
			sv.mu.Unlock()
			sv.cfg.Logger.Warn("too many sessions", "fingerprint", fp)
			wish.Fatalf(s, txtServeTooMany+"\n", sv.cfg.MaxSessionsPerKey, sv.cfg.MaxSessionsPerKey)
			return
		}
		sv.perKey[fp]++
		sv.active.Add(1)
		sv.mu.Unlock()
		defer sv.active.Done()
		defer func() {
			sv.mu.Lock()
			sv.perKey[fp]--
			sv.mu.Unlock()
		}()
		next(s)
	}
}

// execMiddleware runs a command line for a session that asked for one.
func (sv *server) execMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if s.RawCommand() == "" {
			if _, _, isPty := s.Pty(); !isPty {
				wish.Fatalln(s, txtServeNeedTerminal)
				return
			}
			next(s)
			return
		}
		u, ok := sv.userOf(s.PublicKey())
		if !ok {
			wish.Fatalln(s, txtServeUnknownKey)
			return
		}
		args, err := splitWords(s.RawCommand())
		if err == nil && len(args) > 0 && !remoteAllowed(args[0], u.Role == store.RoleAdmin) {
			err = fmt.Errorf(txtServeNotAllowed, args[0])
		}
		if err != nil {
			sv.cfg.Logger.Warn("exec refused", "user", u.Name, "cmd", s.RawCommand(), "err", err)
			fmt.Fprintln(s.Stderr(), "sout: "+err.Error())
			s.Exit(1)
			return
		}
		sv.cfg.Logger.Info("exec", "user", u.Name, "args", strings.Join(args, " "))
		code := 1
		if sv.cfg.Exec != nil {
			code = sv.cfg.Exec(s.Context(), store.Actor{Name: u.Name, Role: u.Role}, args, s, s.Stderr())
		}
		s.Exit(code)
	}
}

// program builds the screens for a session with a terminal.
func (sv *server) program(s ssh.Session) *tea.Program {
	u, ok := sv.userOf(s.PublicKey())
	if !ok {
		wish.Fatalln(s, txtServeUnknownKey)
		return nil
	}
	m := New(sv.cfg.Store, Config{Actor: store.Actor{Name: u.Name, Role: u.Role}, DBPath: sv.cfg.DBPath, SSHHint: sshHint(s.LocalAddr())})
	// 120 frames a second, the most Bubble Tea allows: a frame goes out on
	// the renderer's next tick, so a key waits up to one tick for its frame
	// (a session draws only when its screen changed).
	opts := append(bubbletea.MakeOptions(s), tea.WithoutSignalHandler(), tea.WithFPS(120))
	p := tea.NewProgram(m, opts...)
	sv.mu.Lock()
	sv.progs[p] = struct{}{}
	sv.mu.Unlock()
	go sv.watch(s, p, u)
	return p
}

// watch ends the session when the user is removed, and forgets it when it ends.
func (sv *server) watch(s ssh.Session, p *tea.Program, u store.User) {
	t := time.NewTicker(sv.cfg.RecheckEvery)
	defer t.Stop()
	defer func() {
		sv.mu.Lock()
		delete(sv.progs, p)
		sv.mu.Unlock()
	}()
	for {
		select {
		case <-s.Context().Done():
			return
		case <-t.C:
			if now, ok := sv.userOf(s.PublicKey()); !ok || now.Name != u.Name {
				sv.cfg.Logger.Warn("user removed, closing session", "user", u.Name)
				p.Send(ShutdownMsg{Reason: fmt.Sprintf(txtServeRevoked, u.Name)})
				time.Sleep(time.Second)
				s.Close()
				return
			}
		}
	}
}

func (sv *server) broadcast(msg tea.Msg) {
	sv.mu.Lock()
	progs := make([]*tea.Program, 0, len(sv.progs))
	for p := range sv.progs {
		progs = append(progs, p)
	}
	sv.mu.Unlock()
	for _, p := range progs {
		go p.Send(msg)
	}
	// Give the sessions a moment to show the notice.
	if len(progs) > 0 {
		time.Sleep(700 * time.Millisecond)
	}
}

// sshHint is the start of the ssh command that reaches this server as the
// client did: "ssh -p 2222 192.0.2.1".
func sshHint(local net.Addr) string {
	host, port, err := net.SplitHostPort(local.String())
	if err != nil {
		return "ssh " + local.String()
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}
