package tui

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"sout/store"
	"sout/store/safefile"
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
	// LoginTimeout is how long a connection may take to log in; default 30 s.
	LoginTimeout time.Duration
	// MaxUnauth caps the connections not yet logged in, from anywhere;
	// default 200. MaxUnauthPerAddr caps them from one address (an office
	// behind NAT shares one); default 50. A new connection over either cap
	// is let in and the oldest one not logged in (from that address, for
	// the address's cap) is closed: a flood shortens the login time of the
	// idle, never locks a real user out.
	MaxUnauth, MaxUnauthPerAddr int
	// LogEvery is how often the closings for a cap are summed up in the log
	// (one line with the counts); default 1 min.
	LogEvery time.Duration
	// KeepAlive is how often a connection is asked whether its client still
	// answers; one left unanswered for as long closes it. Default 30 s.
	KeepAlive time.Duration
	// Exec runs one subcommand for a session without a terminal; args are
	// already split and checked for characters, the command table is Exec's.
	// It stops when ctx is done (the user was removed, the server stops).
	Exec func(ctx context.Context, a store.Actor, args []string, stdout, stderr io.Writer) int
	// Ready, if set, is called with the bound address once the server listens.
	Ready func(addr string)
}

// server is the state shared by the sessions of one Serve call.
type server struct {
	cfg     ServeConfig
	mu      sync.Mutex
	live    map[ssh.Session]*liveSession
	perKey  map[string]int
	unauth  map[*loginState]bool // connections not yet logged in
	perHost map[string]int       // how many of them from each host
	seq     uint64               // arrival order of connections
	evicted map[string]int       // closed for a cap since the last summary, by host
	active  sync.WaitGroup       // sessions being served
}

// loginKey is the context key of a connection's loginState.
type loginKey struct{}

// liveSession is one open session: whose it is and how to end it.
type liveSession struct {
	user    string
	role    store.Role
	key     string // the authorized key, type and body
	end     func(reason string)
	setRole func(store.Role) // tells the screens of a new role; nil for a command
}

// defaults fills the zero fields of cfg.
func (cfg *ServeConfig) defaults() {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:2222"
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.MaxSessionsPerKey <= 0 {
		cfg.MaxSessionsPerKey = 5
	}
	if cfg.LoginTimeout <= 0 {
		cfg.LoginTimeout = 30 * time.Second
	}
	if cfg.MaxUnauth <= 0 {
		cfg.MaxUnauth = 200
	}
	if cfg.MaxUnauthPerAddr <= 0 {
		cfg.MaxUnauthPerAddr = 50
	}
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = time.Minute
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard)
	}
}

// Serve listens and serves the screens over SSH until ctx is cancelled, then
// tells every session, waits for them (at most 7 s), and returns. It does
// not close the store.
func Serve(ctx context.Context, cfg ServeConfig) error {
	if cfg.HostKeyPath == "" {
		return errors.New(txtServeNoHostKey)
	}
	cfg.defaults()
	if err := ensureHostKey(cfg.HostKeyPath); err != nil {
		return err
	}
	sv := &server{cfg: cfg, live: map[ssh.Session]*liveSession{}, perKey: map[string]int{},
		unauth: map[*loginState]bool{}, perHost: map[string]int{}, evicted: map[string]int{}}
	srv, err := sv.newServer()
	if err != nil {
		return fmt.Errorf("ssh server: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return store.Errorf(store.CodeInvalid, txtServeListen, cfg.Listen, err)
	}
	changes, unsub := cfg.Store.Subscribe()
	defer unsub()
	go sv.followUsers(changes)
	go sv.summarizeEvictions(ctx)
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
	// Sessions get 7 s in all, the notice included, so that the server
	// and the file are closed within 10 s of SIGTERM whatever they do.
	deadline := time.Now().Add(7 * time.Second)
	ln.Close() // no new connections
	sv.endAll(txtServeStopping)
	// Every session ends by itself once told; a command running over exec
	// finishes its work. Connections left without sessions are then closed.
	finished := make(chan struct{})
	go func() { sv.active.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(time.Until(deadline)):
		cfg.Logger.Warn("sessions still open after 7 s, closing them")
	}
	srv.Close()
	cfg.Logger.Info("stopped")
	return nil
}

// newServer builds the SSH server: public keys only, a login grace time, a
// cap on connections not yet logged in, sessions only (no forwarding of any
// kind, agent and X11 requests refused).
func (sv *server) newServer() (*ssh.Server, error) {
	cfg := sv.cfg
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithPublicKeyAuth(sv.auth),
		wish.WithIdleTimeout(cfg.Idle),
		wish.WithMiddleware(
			bubbletea.MiddlewareWithProgramHandler(sv.program),
			sv.execMiddleware,
			sv.limitMiddleware,
		),
	)
	if err != nil {
		return nil, err
	}
	srv.HandshakeTimeout = cfg.LoginTimeout
	srv.ConnCallback = sv.admit
	srv.ServerConfigCallback = sv.serverConfig
	srv.ConnectionFailedCallback = func(c net.Conn, err error) {
		cfg.Logger.Debug("connection closed before login", "remote", c.RemoteAddr().String(), "err", err)
	}
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
			ssh.DefaultSessionHandler(srv, conn, sessionOnly{ch}, ctx)
		},
	}
	srv.RequestHandlers = map[string]ssh.RequestHandler{} // no tcpip-forward
	return srv, nil
}

// sessionOnly is a session channel whose agent and X11 forwarding requests
// are refused before the SSH library sees them.
type sessionOnly struct{ gossh.NewChannel }

// Accept accepts the channel and filters its requests.
func (c sessionOnly) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			if r.Type == "auth-agent-req@openssh.com" || r.Type == "x11-req" {
				_ = r.Reply(false, nil)
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// loginState is what the server knows of one connection: its place among the
// connections not yet logged in, released once it logs in or closes.
type loginState struct {
	host    string
	seq     uint64   // arrival order
	conn    net.Conn // to close it for a cap
	release sync.Once
	logged  sync.Once // the login was logged and audited
}

// admit counts a new connection among those not yet logged in and, when
// that passes a cap, closes the oldest one not logged in to make room.
func (sv *server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
	sv.mu.Lock()
	sv.seq++
	ls := &loginState{host: host, seq: sv.seq, conn: c}
	var out []*loginState
	if sv.perHost[host] >= sv.cfg.MaxUnauthPerAddr {
		out = append(out, sv.oldestUnauth(host))
	} else if len(sv.unauth) >= sv.cfg.MaxUnauth {
		out = append(out, sv.oldestUnauth(""))
	}
	sv.unauth[ls] = true
	sv.perHost[host]++
	sv.mu.Unlock()
	for _, o := range out {
		if o != nil {
			sv.loggedIn(o) // its place is the new one's at once
			o.conn.Close()
		}
	}
	ctx.SetValue(loginKey{}, ls)
	return &admittedConn{Conn: c, done: func() { sv.loggedIn(ls) }}
}

// oldestUnauth returns the connection not yet logged in that came first
// (from host, unless ""), counting it as closed for a cap; sv.mu is held.
func (sv *server) oldestUnauth(host string) *loginState {
	var old *loginState
	for ls := range sv.unauth {
		if (host == "" || ls.host == host) && (old == nil || ls.seq < old.seq) {
			old = ls
		}
	}
	if old != nil {
		sv.evicted[old.host]++
	}
	return old
}

// summarizeEvictions logs, once every LogEvery and only if there were any,
// how many connections were closed for a cap and from how many addresses.
func (sv *server) summarizeEvictions(ctx context.Context) {
	t := time.NewTicker(sv.cfg.LogEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sv.mu.Lock()
		n, top, topN := 0, "", 0
		for h, c := range sv.evicted {
			n += c
			if c > topN {
				top, topN = h, c
			}
		}
		hosts := len(sv.evicted)
		clear(sv.evicted)
		sv.mu.Unlock()
		if n > 0 {
			sv.cfg.Logger.Warn("connections not logged in closed to admit new ones", "closed", n,
				"addresses", hosts, "most_from", top, "most", topN, "interval", sv.cfg.LogEvery,
				"limit", sv.cfg.MaxUnauth, "limit_per_address", sv.cfg.MaxUnauthPerAddr)
		}
	}
}

// loggedIn takes the connection out of those not yet logged in (once).
func (sv *server) loggedIn(ls *loginState) {
	ls.release.Do(func() {
		sv.mu.Lock()
		delete(sv.unauth, ls)
		if sv.perHost[ls.host]--; sv.perHost[ls.host] <= 0 {
			delete(sv.perHost, ls.host)
		}
		sv.mu.Unlock()
	})
}

// admittedConn releases the connection's place when it closes.
type admittedConn struct {
	net.Conn
	done func()
}

// Close closes the connection and releases its place.
func (c *admittedConn) Close() error {
	c.done()
	return c.Conn.Close()
}

// serverConfig logs every authentication attempt that was decided: a
// success releases the connection's place, a failure is a warning.
func (sv *server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(c gossh.ConnMetadata, method string, err error) {
			switch {
			case err == nil:
				if ls, ok := ctx.Value(loginKey{}).(*loginState); ok {
					sv.loggedIn(ls)
				}
			case method != "none":
				sv.cfg.Logger.Warn("authentication failed", "method", method, "login", c.User(),
					"remote", c.RemoteAddr().String(), "err", err)
			}
		},
	}
}

// userOf returns the user a key belongs to, as stored now.
func (sv *server) userOf(key ssh.PublicKey) (store.User, bool) {
	if key == nil {
		return store.User{}, false
	}
	u, ok, err := sv.cfg.Store.UserByKey(authorizedKey(key))
	if err != nil {
		sv.cfg.Logger.Error("user lookup", "err", err)
		return store.User{}, false
	}
	return u, ok
}

func authorizedKey(key ssh.PublicKey) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key)))
}

// auth answers a key offered by a client (the query before any signature,
// and again with one): a key of no user is a failed attempt.
func (sv *server) auth(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := sv.userOf(key)
	if !ok {
		sv.cfg.Logger.Warn("unknown key refused", "fingerprint", gossh.FingerprintSHA256(key),
			"remote", ctx.RemoteAddr().String(), "login", ctx.User())
		return false
	}
	sv.cfg.Logger.Debug("key offered", "user", u.Name, "fingerprint", gossh.FingerprintSHA256(key),
		"remote", ctx.RemoteAddr().String())
	return true
}

// actor is the store's actor for a user of a session: its rights are those
// stored at each write.
func actor(u store.User) store.Actor { return store.Actor{Name: u.Name, Role: u.Role, Remote: true} }

// loginOnce logs and audits a connection's login at its first session.
func (sv *server) loginOnce(s ssh.Session, u store.User) {
	ls, ok := s.Context().Value(loginKey{}).(*loginState)
	if !ok {
		return
	}
	ls.logged.Do(func() {
		fp := gossh.FingerprintSHA256(s.PublicKey())
		sv.cfg.Logger.Info("authenticated", "user", u.Name, "role", u.Role, "fingerprint", fp,
			"remote", s.RemoteAddr().String())
		if err := sv.cfg.Store.RecordAccess(actor(u), "login", s.RemoteAddr().String()+" "+fp); err != nil {
			sv.cfg.Logger.Error("audit login", "user", u.Name, "err", err)
		}
		go sv.keepAlive(s)
	})
}

// keepAlive asks the client every KeepAlive whether it is there and closes
// the connection when an answer does not come within as long.
func (sv *server) keepAlive(s ssh.Session) {
	conn, ok := s.Context().Value(ssh.ContextKeyConn).(gossh.Conn)
	if !ok {
		return
	}
	t := time.NewTicker(sv.cfg.KeepAlive)
	defer t.Stop()
	for {
		select {
		case <-s.Context().Done():
			return
		case <-t.C:
		}
		answered := make(chan error, 1)
		go func() { _, _, err := conn.SendRequest("keepalive@openssh.com", true, nil); answered <- err }()
		select {
		case err := <-answered:
			if err != nil {
				return // the connection is gone already
			}
			continue
		case <-time.After(sv.cfg.KeepAlive):
		case <-s.Context().Done():
			return
		}
		sv.cfg.Logger.Warn("client does not answer, closing", "remote", s.RemoteAddr().String())
		conn.Close()
		return
	}
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
		name := "?"
		if u, ok := sv.userOf(s.PublicKey()); ok {
			name = u.Name
			sv.loginOnce(s, u)
		}
		_, _, isPty := s.Pty()
		start := time.Now()
		sv.cfg.Logger.Info("session", "user", name, "remote", s.RemoteAddr().String(), "terminal", isPty,
			"client", s.Context().ClientVersion())
		defer func() {
			sv.cfg.Logger.Info("session closed", "user", name, "remote", s.RemoteAddr().String(),
				"duration", time.Since(start).Round(time.Millisecond))
		}()
		next(s)
	}
}

// execMiddleware runs a command line for a session that asked for one, and
// refuses a session with neither a command nor a terminal.
func (sv *server) execMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		u, ok := sv.userOf(s.PublicKey())
		if !ok {
			wish.Fatalln(s, txtServeUnknownKey)
			return
		}
		_, _, isPty := s.Pty()
		if s.RawCommand() == "" && isPty {
			next(s)
			return
		}
		if n := utf8.RuneCountInString(s.RawCommand()); n > maxCommand {
			// Refused before the SSH library splits it, in a time that grows
			// with the square of the length.
			sv.cfg.Logger.Warn("exec refused", "user", u.Name, "cmd", logWords([]string{s.RawCommand()}),
				"err", "too long")
			fmt.Fprintf(s.Stderr(), "sout: "+txtExecTooLong+"\n", n, maxCommand)
			_ = s.Exit(2)
			return
		}
		args, err := execArgs(s.RawCommand(), s.Command())
		if err != nil {
			sv.cfg.Logger.Warn("exec refused", "user", u.Name, "cmd", logWords(s.Command()), "err", err)
			fmt.Fprintln(s.Stderr(), "sout: "+err.Error())
			_ = s.Exit(2)
			return
		}
		ctx, cancel := context.WithCancel(s.Context())
		defer cancel()
		sv.track(s, u, nil, func(reason string) {
			cancel()
			told := make(chan struct{})
			go func() { // a client that stopped reading never takes the notice: the connection goes anyway
				fmt.Fprintln(s.Stderr(), "sout: "+reason)
				_ = s.Exit(1)
				close(told)
			}()
			select {
			case <-told:
			case <-time.After(time.Second):
			}
			closeConn(s)
		})
		defer sv.untrack(s)
		sv.cfg.Logger.Info("exec", "user", u.Name, "cmd", logWords(args))
		code := 1
		if sv.cfg.Exec != nil {
			code = sv.cfg.Exec(ctx, actor(u), args, s, s.Stderr())
		}
		_ = s.Exit(code)
	}
}

// maxCommand is the longest command line, in characters, a session may send.
const maxCommand = 4096

// logArgMax is how many characters of one word of a command the log keeps.
const logArgMax = 200

// logWords is a command line for the log: each word with its control and
// other invisible characters escaped and, past logArgMax characters, cut
// with «…» and its total length.
func logWords(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n > logArgMax {
			w = string([]rune(w)[:logArgMax]) + fmt.Sprintf("«…» (%d chars)", n)
		}
		q := strconv.QuoteToGraphic(w)
		out[i] = q[1 : len(q)-1]
	}
	return strings.Join(out, " ")
}

// program builds the screens for a session with a terminal.
func (sv *server) program(s ssh.Session) *tea.Program {
	u, ok := sv.userOf(s.PublicKey())
	if !ok {
		wish.Fatalln(s, txtServeUnknownKey)
		return nil
	}
	m := New(sv.cfg.Store, Config{Actor: actor(u), DBPath: sv.cfg.DBPath, SSHHint: sshHint(s.LocalAddr())})
	// 120 frames a second, the most Bubble Tea allows: a frame goes out on
	// the renderer's next tick, so a key waits up to one tick for its frame
	// (a session draws only when its screen changed).
	opts := append(bubbletea.MakeOptions(s), tea.WithoutSignalHandler(), tea.WithFPS(120), tea.WithFilter(sessionFilter))
	if pty, _, _ := s.Pty(); pty.Window.Width <= 0 || pty.Window.Height <= 0 {
		// A client without a terminal of its own (ssh -tt from a script)
		// sends no size: draw at 80x24 rather than nothing.
		opts = append(opts, tea.WithWindowSize(80, 24))
	}
	p := tea.NewProgram(m, opts...)
	sv.track(s, u, func(r store.Role) { p.Send(RoleChangedMsg{Role: r}) }, func(reason string) {
		p.Send(ShutdownMsg{Reason: reason})
		go func() { // the notice shows, then the connection goes
			time.Sleep(500 * time.Millisecond)
			closeConn(s)
		}()
	})
	go func() { <-s.Context().Done(); sv.untrack(s) }()
	return p
}

// sessionFilter replaces the filter of bubbletea.MakeOptions (a program has
// one): a suspend is answered at once, as there (an SSH session has no shell
// to suspend to), and a size of zero is dropped. wish passes on the size of
// the client's pty request, 0x0 for a client without a terminal of its own
// (ssh -tt from a script); it would shrink the frame to nothing after the
// 80x24 chosen above.
func sessionFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		if msg.Width <= 0 || msg.Height <= 0 {
			return nil
		}
	}
	return msg
}

// closeConn closes the connection a session came on, with all its sessions.
func closeConn(s ssh.Session) {
	if conn, ok := s.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		conn.Close()
		return
	}
	s.Close()
}

// track registers an open session, so that a removal or a shutdown ends it.
func (sv *server) track(s ssh.Session, u store.User, setRole func(store.Role), end func(reason string)) {
	sv.mu.Lock()
	sv.live[s] = &liveSession{user: u.Name, role: u.Role, key: authorizedKey(s.PublicKey()),
		end: end, setRole: setRole}
	sv.mu.Unlock()
}

func (sv *server) untrack(s ssh.Session) {
	sv.mu.Lock()
	delete(sv.live, s)
	sv.mu.Unlock()
}

// followUsers ends, as soon as the change is committed, the sessions and
// running commands of a user who was removed or whose key was.
func (sv *server) followUsers(changes <-chan store.Change) {
	for c := range changes {
		if c.Kind != "user" && c.Kind != store.ChangeResync {
			continue
		}
		sv.mu.Lock()
		sessions := make(map[ssh.Session]*liveSession, len(sv.live))
		for s, l := range sv.live {
			sessions[s] = l
		}
		sv.mu.Unlock()
		for s, l := range sessions {
			u, ok, err := sv.cfg.Store.UserByKey(l.key)
			if err != nil {
				continue
			}
			if ok && u.Name == l.user {
				sv.roleChanged(l, u.Role)
				continue
			}
			sv.cfg.Logger.Warn("user removed, closing session", "user", l.user, "remote", s.RemoteAddr().String())
			sv.untrack(s)
			// Each session is ended on its own: one whose client stopped
			// reading must not hold the others, nor the next change.
			go l.end(fmt.Sprintf(txtServeRevoked, l.user))
		}
	}
}

// roleChanged tells a session's screens of its user's new role.
func (sv *server) roleChanged(l *liveSession, role store.Role) {
	sv.mu.Lock()
	changed := l.role != role
	l.role = role
	sv.mu.Unlock()
	if changed && l.setRole != nil {
		sv.cfg.Logger.Info("role changed", "user", l.user, "role", role)
		go l.setRole(role) // a stalled session's screens must not hold the watcher
	}
}

// endAll tells every open session that the server stops.
func (sv *server) endAll(reason string) {
	sv.mu.Lock()
	var tui []*liveSession
	for s, l := range sv.live {
		if _, _, isPty := s.Pty(); isPty && s.RawCommand() == "" {
			tui = append(tui, l)
		}
	}
	sv.mu.Unlock()
	for _, l := range tui {
		go l.end(reason)
	}
	// Give the sessions a moment to show the notice.
	if len(tui) > 0 {
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

// ensureHostKey creates the server's ed25519 host key at path (0600) when
// there is none. wish would create it too, but would also set the folder,
// by default the database's, to 0700; the folder is left as it is.
func ensureHostKey(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there is one (or ssh.HostKeyFile says what is wrong with it)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return store.Errorf(store.CodeInvalid, txtServeHostKey, path, safefile.Reason(err))
	}
	_, err = f.Write(pem.EncodeToMemory(block))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return store.Errorf(store.CodeInvalid, txtServeHostKey, path, safefile.Reason(err))
	}
	return nil
}
