package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// signalWriter keeps a session's output and tells a waiting reader about each write.
type signalWriter struct {
	mu     sync.Mutex
	buf    strings.Builder
	notify chan struct{}
}

func newSignalWriter() *signalWriter { return &signalWriter{notify: make(chan struct{}, 1)} }

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	// Keep only the tail: the load test looks for recent text only.
	if w.buf.Len() > 1<<16 {
		tail := w.buf.String()[w.buf.Len()-1<<15:]
		w.buf.Reset()
		w.buf.WriteString(tail)
	}
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *signalWriter) reset() {
	w.mu.Lock()
	w.buf.Reset()
	w.mu.Unlock()
	select {
	case <-w.notify:
	default:
	}
}

func (w *signalWriter) contains(s string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Contains(w.buf.String(), s)
}

// loadSession is one clerk typing over SSH.
type loadSession struct {
	in  io.Writer
	out *signalWriter
}

// key sends one key and returns the time until the next frame arrives.
func (s *loadSession) key(k string) (time.Duration, error) {
	select { // drop a stale notice
	case <-s.out.notify:
	default:
	}
	start := time.Now()
	if _, err := io.WriteString(s.in, k); err != nil {
		return 0, err
	}
	select {
	case <-s.out.notify:
		return time.Since(start), nil
	case <-time.After(5 * time.Second):
		return 0, fmt.Errorf("no frame within 5 s after key %q", k)
	}
}

// waitFor waits until the output shows want.
func (s *loadSession) waitFor(want string) error {
	deadline := time.After(20 * time.Second)
	for !s.out.contains(want) {
		select {
		case <-s.out.notify:
		case <-deadline:
			s.out.mu.Lock()
			tail := s.out.buf.String()
			s.out.mu.Unlock()
			return fmt.Errorf("the screen did not show %q within 20 s:\n%s", want, ansi.Strip(tail))
		}
	}
	return nil
}

// TestLoad_SSH: 50 sessions, each typing a journal entry every second, for a
// minute. Run it with SOUT_LOAD=1 (SOUT_LOAD_SESSIONS and SOUT_LOAD_SECONDS
// change the size); it reports the latency from key to frame, checks that
// every entry saved is in the file, and the memory an idle session costs.
func TestLoad_SSH(t *testing.T) {
	if os.Getenv("SOUT_LOAD") == "" {
		t.Skip("load test: SOUT_LOAD=1 go test ./cmd/sout -run TestLoad_SSH -v -timeout 10m")
	}
	sessions, seconds := 50, 60
	fmt.Sscan(os.Getenv("SOUT_LOAD_SESSIONS"), &sessions)
	fmt.Sscan(os.Getenv("SOUT_LOAD_SECONDS"), &seconds)

	db := filepath.Join(t.TempDir(), "sout.db")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	keys := make([]sshKey, sessions)
	for i := range keys {
		keys[i] = newSSHKey(t)
		mustSout(t, db, "users", "add", fmt.Sprintf("clerk%02d", i), "--role", "clerk", "--key", keys[i].line)
	}
	addr, stop := testServer(t, db)

	// Memory of idle sessions: the heap before and after they open.
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	before := heap()
	all := openLoadSessions(t, addr, keys)
	time.Sleep(500 * time.Millisecond)
	perSession := float64(heap()-before) / float64(sessions) / (1 << 20)
	t.Logf("idle sessions: %d, heap per session %.2f MiB (server and client sides together)", sessions, perSession)

	var mu sync.Mutex
	var lat []time.Duration
	var saved int
	var errs []error
	var wg sync.WaitGroup
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	for i, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine, n, err := s.typeEntries(i, sessions, deadline)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("session %d: %w", i, err))
				return
			}
			lat = append(lat, mine...)
			saved += n
		}()
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if len(lat) == 0 {
		t.Fatal("no keys measured")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	t.Logf("%d sessions × %d s: %d entries saved, %d keys; key→frame median %v, p99 %v, max %v",
		sessions, seconds, saved, len(lat), q(0.5), q(0.99), lat[len(lat)-1])
	if q(0.99) > 50*time.Millisecond {
		t.Errorf("p99 key→frame %v is over 50 ms", q(0.99))
	}

	if code := stop(); code != 0 {
		t.Errorf("serve exit status %d", code)
	}
	mustSout(t, db, "check")
	lines := strings.Count(mustSout(t, db, "export", "journal", "--format", "csv"), "\n") - 1
	if lines != saved {
		t.Errorf("the journal holds %d entries, the sessions saved %d", lines, saved)
	}
}

// openLoadSessions opens a terminal session for each key, each at its
// user's first frame; they close when the test ends.
func openLoadSessions(t *testing.T, addr string, keys []sshKey) []*loadSession {
	all := make([]*loadSession, len(keys))
	for i := range all {
		c, err := dial(addr, keys[i], "x")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		out := newSignalWriter()
		_, in := startShell(t, c, 100, out)
		all[i] = &loadSession{in: in, out: out}
		if err := all[i].waitFor(fmt.Sprintf("clerk%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// typeEntries is session i's part of TestLoad_SSH: a journal entry typed
// and saved every second until deadline. It returns the key→frame times
// and the entries saved.
func (s *loadSession) typeEntries(i, sessions int, deadline time.Time) ([]time.Duration, int, error) {
	var mine []time.Duration
	n := 0
	// Clerks do not type in step: each session starts its second at
	// its own offset. (In step, all 50 press their first key in the
	// same millisecond, which is a burst no office produces.)
	time.Sleep(time.Duration(i) * time.Second / time.Duration(sessions))
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		<-tick.C
		// The help line tells a card (Ctrl+S …) from the list (n/Ins …);
		// the renderer sends only changed cells, and these differ throughout.
		s.out.reset()
		d, err := s.key("n")
		if err == nil {
			err = s.waitFor("Ctrl+S")
		}
		if err != nil {
			return nil, 0, err
		}
		mine = append(mine, d)
		var typed []string
		typed = append(typed, strings.Split("7707083893", "")...)
		typed = append(typed, "\t")
		typed = append(typed, strings.Split(fmt.Sprintf("ООО Клерк %d-%d", i, n), "")...)
		typed = append(typed, "\t")
		typed = append(typed, strings.Split("ООО Центр", "")...)
		for _, k := range typed {
			d, err := s.key(k)
			if err != nil {
				return nil, 0, err
			}
			mine = append(mine, d)
		}
		s.out.reset()
		start := time.Now()
		if _, err := io.WriteString(s.in, "\x13"); err != nil {
			return nil, 0, err
		}
		if err := s.waitFor("n/Ins"); err != nil {
			return nil, 0, err
		}
		mine = append(mine, time.Since(start))
		n++
	}
	return mine, n, nil
}
