package main

// Crash safety: a SIGKILL at any moment loses nothing that was acknowledged
// and leaves no half-done import behind.
//
//   - TestCrash_Import kills `sout import register` (200 000 entries) at
//     several points before, during and near the end of the import, and
//     checks that the file passes `sout check` and holds either none or all
//     of the entries.
//   - TestCrash_SaveStream kills a process that saves journal entries one by
//     one (this test binary re-run as a child) and checks that every entry it
//     acknowledged is in the file.
//
// Both are skipped with -short.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sout/store"
)

const (
	crashChildEnv = "SOUT_CRASH_CHILD" // "1" in the child of TestCrash_SaveStream
	crashDBEnv    = "SOUT_CRASH_DB"    // the file the child writes
	crashINN      = "7707083893"
)

// crashSout runs the binary to completion and returns its exit status and streams.
func crashSout(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("sout %q: %v", args, err)
	}
	return code, out.String(), errb.String()
}

func crashMust(t *testing.T, bin string, args ...string) string {
	t.Helper()
	code, out, errs := crashSout(t, bin, args...)
	if code != 0 {
		t.Fatalf("sout %q: exit %d\nstdout: %s\nstderr: %s", args, code, crashTail(out), crashTail(errs))
	}
	return out
}

// crashTail shortens long command output for a failure message.
func crashTail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// crashCountCSV returns the number of data records (lines after the header) of a CSV export.
func crashCountCSV(t *testing.T, data string) int {
	t.Helper()
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		n++
	}
	return max(n-1, 0)
}

func crashCopy(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// crashJournal returns a digest of every journal entry with its status and
// link to the register, which a register import changes and a rollback restores.
func crashJournal(t *testing.T, path string) string {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.ListJournal(store.JournalQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range all {
		fmt.Fprintf(&b, "%d %s %s %d v%d %s %d\n", e.ID, e.Ref(), e.Status, e.RegisterID, e.Version, e.UpdatedBy, e.UpdatedAt)
	}
	return b.String()
}

// crashWaitState describes how a killed child ended.
func crashWaitState(err error) string {
	var ee *exec.ExitError
	if err == nil {
		return "had already finished (exit 0)"
	}
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			if ws.Signal() == syscall.SIGKILL {
				return "killed by SIGKILL"
			}
			return "killed by signal " + ws.Signal().String()
		}
		return fmt.Sprintf("had already finished (exit %d)", ee.ExitCode())
	}
	return err.Error()
}

// crashImport is the setting of TestCrash_Import: the binary, a base file
// holding the journal, the register data file, and what an uninterrupted
// import of it gives.
type crashImport struct {
	t                        *testing.T
	bin, dir, base, big      string
	want                     int           // register entries in big
	full                     time.Duration // an uninterrupted import
	baseJournal, fullJournal string        // the journal before and after it
}

// TestCrash_Import kills the register import of 200 000 entries at points
// before, during and near the end of its writes; each time the next open
// rolls it back or finds it complete, check passes, and the journal's links
// and statuses are those before the import or those of a full one.
func TestCrash_Import(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds the binary and imports 200 000 entries")
	}
	began := time.Now()
	bin := buildSout(t)
	t.Logf("built %s in %v", bin, time.Since(began).Round(time.Millisecond))
	c := newCrashImport(t, bin, t.TempDir())
	t.Logf("%d register entries; uninterrupted import takes %v; setup took %v", c.want, c.full.Round(time.Millisecond),
		time.Since(began).Round(time.Millisecond))

	// Before the writes (the first pass only reads), during them, and near
	// their end.
	fracs := []float64{0.05, 0.35, 0.7, 0.85, 0.97} // the last two fall in the merge of the index runs
	caught := 0
	for i, f := range fracs {
		if c.kill(fmt.Sprintf("kill%d", i), time.Duration(f*float64(c.full))) {
			caught++
		}
	}
	// The points must include at least one kill in the middle of the writes,
	// else the rollback was never exercised; under a changing load, try again.
	for i, f := range []float64{0.5, 0.65, 0.4} {
		if caught > 0 {
			break
		}
		if c.kill(fmt.Sprintf("retry%d", i), time.Duration(f*float64(c.full))) {
			caught++
		}
	}
	if caught == 0 {
		t.Errorf("no kill point fell while the import was writing: the rollback was not tested")
	}
	t.Logf("total %v", time.Since(began).Round(time.Millisecond))
}

// newCrashImport makes the files of TestCrash_Import in dir and times a
// control import without a kill, which must load everything.
func newCrashImport(t *testing.T, bin, dir string) *crashImport {
	c := &crashImport{t: t, bin: bin, dir: dir}
	// The data: a demo database exported to CSV. Its register entries name
	// journal entries, so the target file gets the journal first and the
	// register import also accepts journal entries (which a rollback undoes).
	src := filepath.Join(dir, "src.db")
	crashMust(t, bin, "--db", src, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	crashMust(t, bin, "--db", src, "demo", "--employers", "40000", "--seed", "1")
	c.big = filepath.Join(dir, "big.csv")
	journal := filepath.Join(dir, "journal.csv")
	crashMust(t, bin, "--db", src, "export", "register", "--format", "csv", "-o", c.big)
	crashMust(t, bin, "--db", src, "export", "journal", "--format", "csv", "-o", journal)
	bigData, err := os.ReadFile(c.big)
	if err != nil {
		t.Fatal(err)
	}
	if c.want = crashCountCSV(t, string(bigData)); c.want < 190000 {
		t.Fatalf("the demo gave %d register entries, want about 200 000", c.want)
	}

	c.base = filepath.Join(dir, "base.db")
	crashMust(t, bin, "--db", c.base, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	crashMust(t, bin, "--db", c.base, "import", "journal", journal)
	c.baseJournal = crashJournal(t, c.base)
	if n := crashCountCSV(t, crashMust(t, bin, "--db", c.base, "export", "register", "--format", "csv")); n != 0 {
		t.Fatalf("the base file holds %d register entries, want 0", n)
	}

	// A control run without a kill: it must load everything, and its length
	// places the kill points.
	ctl := filepath.Join(dir, "control.db")
	crashCopy(t, c.base, ctl)
	t0 := time.Now()
	crashMust(t, bin, "--db", ctl, "import", "register", c.big)
	c.full = time.Since(t0)
	if n := crashCountCSV(t, crashMust(t, bin, "--db", ctl, "export", "register", "--format", "csv")); n != c.want {
		t.Fatalf("the control import loaded %d entries, want %d", n, c.want)
	}
	if c.fullJournal = crashJournal(t, ctl); c.fullJournal == c.baseJournal {
		t.Fatalf("the control import accepted no journal entries: the test would not see a journal rollback")
	}
	for _, f := range []string{src, ctl} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// kill runs the import on a copy of the base, kills it at the given time
// after the start and checks the file; it returns whether the kill came
// while the import was writing (some chunks committed, the import not).
func (c *crashImport) kill(name string, at time.Duration) (midWrite bool) {
	t := c.t
	y := filepath.Join(c.dir, name+".db")
	crashCopy(t, c.base, y)
	defer os.Remove(y)
	cmd := exec.Command(c.bin, "--db", y, "import", "register", c.big)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(at)
	_ = cmd.Process.Kill() // SIGKILL; fails only when the child already exited
	how := crashWaitState(cmd.Wait())

	// Look at the file as the crash left it (read-only: no rollback yet).
	// The base holds no register entries, so any below the full count
	// were written by chunks of the unfinished import.
	ro, err := store.Open(y, store.Options{ReadOnly: true, AsIs: true})
	if err != nil {
		t.Fatalf("%s: the killed file does not open read-only: %v", name, err)
	}
	left, err := ro.CountRegister(store.RegisterQuery{})
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	midWrite = left > 0 && left < c.want
	found := "no chunk written"
	switch {
	case midWrite:
		found = fmt.Sprintf("%d of %d entries written in chunks, import unfinished", left, c.want)
	case left == c.want:
		found = "all entries written, import unfinished (merging the index runs) or committed"
	}
	got, outcome := c.afterKill(name, y)
	t.Logf("kill at %6v (%3.0f%% of %v): child %s; file as left: %s; after reopen and check: %s",
		at.Round(time.Millisecond), 100*float64(at)/float64(c.full), c.full.Round(time.Millisecond), how, found, outcome)
	if strings.Contains(how, "finished") && got == 0 {
		t.Errorf("%s: the import finished on its own but loaded nothing: %s", name, crashTail(errb.String()))
	}
	return midWrite
}

// afterKill opens the killed file y (the open rolls back): check must pass,
// and the import is all or nothing, with the journal to match. It returns
// the register entries found and what they tell.
func (c *crashImport) afterKill(name, y string) (got int, outcome string) {
	t := c.t
	code, out, errs := crashSout(t, c.bin, "--db", y, "check")
	if code != 0 || !strings.Contains(out, "Проверка пройдена") {
		t.Errorf("%s: sout check after the kill: exit %d\n%s%s", name, code, crashTail(out), crashTail(errs))
	}
	got = crashCountCSV(t, crashMust(t, c.bin, "--db", y, "export", "register", "--format", "csv"))
	j := crashJournal(t, y)
	switch got {
	case 0:
		if j != c.baseJournal {
			t.Errorf("%s: the register import was rolled back but the journal's links and statuses differ from before the "+
				"import", name)
		}
		return got, "nothing loaded"
	case c.want:
		if j != c.fullJournal {
			t.Errorf("%s: the register import is complete but the journal's links and statuses differ from the "+
				"control run", name)
		}
		return got, "everything loaded"
	}
	t.Errorf("%s: %d of %d register entries after the kill: a half import survived", name, got, c.want)
	return got, fmt.Sprintf("HALF: %d entries", got)
}

// crashChild is the child of TestCrash_SaveStream: it saves journal entries
// one by one and prints "ack ID" after each save returns.
func crashChild() {
	s, err := store.Open(os.Getenv(crashDBEnv), store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	a := store.Actor{Name: "crash", Role: store.RoleClerk}
	deadline := time.Now().Add(30 * time.Second) // the parent kills it long before
	for time.Now().Before(deadline) {
		y, m, d := time.Now().Date()
		e, err := s.CreateJournalEntry(a, store.JournalEntry{ReceivedOn: store.NewDate(y, m, d), EmployerName: "ООО «Тест»",
			EmployerINN: crashINN, SoutOrgName: "ООО «Центр»"})
		if err != nil {
			fmt.Fprintln(os.Stderr, "save:", err)
			os.Exit(4)
		}
		// os.Stdout is unbuffered: the line is in the pipe when Fprintf returns.
		if _, err := fmt.Fprintf(os.Stdout, "ack %d\n", e.ID); err != nil {
			os.Exit(5)
		}
	}
	s.Close()
}

// TestCrash_SaveStream kills a child that saves journal entries one by one
// and acknowledges each, after a number of acknowledgements or a random
// delay: every acknowledged save is in the file, which checks clean.
func TestCrash_SaveStream(t *testing.T) {
	if os.Getenv(crashChildEnv) == "1" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("crash test: kills child processes")
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("random seed %d", seed)
	type plan struct {
		name  string
		acks  int           // kill right after this many acknowledgements…
		delay time.Duration // …or this long after the start
	}
	plans := []plan{
		{name: "after 1 ack", acks: 1},
		{name: "after 17 acks", acks: 17},
		{name: "after 250 acks", acks: 250},
		{name: "after 1000 acks", acks: 1000},
		{name: "random delay", delay: time.Duration(rng.Int64N(int64(150*time.Millisecond))) + 10*time.Millisecond},
		{name: "random delay", delay: time.Duration(rng.Int64N(int64(700*time.Millisecond))) + 150*time.Millisecond},
		{name: "random delay", delay: time.Duration(rng.Int64N(int64(2*time.Second))) + 300*time.Millisecond},
	}
	for i, p := range plans {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("stream%d.db", i))
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash_SaveStream$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashDBEnv+"="+db)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		if p.delay > 0 {
			timer := time.AfterFunc(p.delay, func() { cmd.Process.Kill() })
			defer timer.Stop()
		}
		// Every line the child wrote is an acknowledged save, including those
		// still in the pipe when it died.
		var acked []uint64
		var killedAfter int = -1
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			id, ok := strings.CutPrefix(line, "ack ")
			if !ok {
				continue // the test framework's own output
			}
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil {
				t.Fatalf("%s: child printed %q", p.name, line)
			}
			acked = append(acked, n)
			if p.acks > 0 && len(acked) == p.acks {
				cmd.Process.Kill()
				killedAfter = len(acked)
			}
		}
		how := crashWaitState(cmd.Wait())
		elapsed := time.Since(started)
		if !strings.Contains(how, "killed") {
			t.Fatalf("%s: the child %s\n%s", p.name, how, crashTail(errb.String()))
		}

		inFile, lost, problems := checkAcked(t, p.name, db, acked)
		when := fmt.Sprintf("after %v", p.delay.Round(time.Millisecond))
		if p.acks > 0 {
			when = fmt.Sprintf("after ack #%d", killedAfter)
		}
		t.Logf("%-15s kill %s (%v after start): child %s; acknowledged %d, in the file %d, lost %d, check problems %d",
			p.name+":", when, elapsed.Round(time.Millisecond), how, len(acked), inFile, lost, problems)
	}
}

// checkAcked opens the file of a killed child of TestCrash_SaveStream and
// checks that every acknowledged save is in it, at most one more, and that
// check finds nothing; it returns the entries in the file, the acknowledged
// ones lost and check's problems.
func checkAcked(t *testing.T, name, db string, acked []uint64) (inFile, lost, problems int) {
	t.Helper()
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("%s: the file does not open after the kill: %v", name, err)
	}
	for _, id := range acked {
		e, err := s.JournalEntry(id)
		if err != nil || e.EmployerINN != crashINN {
			lost++
			if lost <= 5 {
				t.Errorf("%s: acknowledged journal entry %d: %v", name, id, err)
			}
		}
	}
	all, err := s.ListJournal(store.JournalQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// At most one save can be committed but not yet acknowledged.
	if len(all) < len(acked) || len(all) > len(acked)+1 {
		t.Errorf("%s: %d entries in the file, %d acknowledged", name, len(all), len(acked))
	}
	found, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range found {
		t.Errorf("%s: check: %s", name, pr)
	}
	s.Close()
	return len(all), lost, len(found)
}

// TestCrash_Interrupt stops `import journal`, `import register` and `demo`
// with Ctrl+C (SIGINT) or SIGTERM while they write: each rolls back, prints
// one Russian line, exits 130 or 143, and leaves a file that passes check
// and holds nothing of the interrupted run.
func TestCrash_Interrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds the binary and interrupts imports")
	}
	dir := t.TempDir()
	bin := buildSout(t)
	src := filepath.Join(dir, "src.db")
	crashMust(t, bin, "--db", src, "demo", "--employers", "12000", "--seed", "2")
	register, journal := filepath.Join(dir, "register.csv"), filepath.Join(dir, "journal.csv")
	crashMust(t, bin, "--db", src, "export", "register", "--format", "csv", "-o", register)
	crashMust(t, bin, "--db", src, "export", "journal", "--format", "csv", "-o", journal)
	empty := filepath.Join(dir, "empty.db")
	crashMust(t, bin, "--db", empty, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	withJournal := filepath.Join(dir, "with-journal.db")
	crashCopy(t, empty, withJournal)
	crashMust(t, bin, "--db", withJournal, "import", "journal", journal)
	count := func(db, what string) int {
		return crashCountCSV(t, crashMust(t, bin, "--db", db, "export", what, "--format", "csv"))
	}
	cases := []struct {
		name, base, what string
		sig              syscall.Signal
		args             []string
	}{
		{"import journal, Ctrl+C", empty, "journal", syscall.SIGINT, []string{"import", "journal", journal}},
		{"import register, SIGTERM", withJournal, "register", syscall.SIGTERM, []string{"import", "register", register}},
		{"demo, Ctrl+C", empty, "register", syscall.SIGINT, []string{"demo", "--employers", "12000", "--seed", "3"}},
	}
	for i, c := range cases {
		db := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		crashCopy(t, c.base, db)
		before := count(db, c.what)
		st, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := 0
		// The signal goes once the run has written a chunk or two; a run
		// that finished before it came (the machine was quick) is run again
		// on a fresh copy with the signal sooner.
		for grown := int64(4 << 20); ; grown /= 4 {
			crashCopy(t, c.base, db)
			out.Reset()
			errb.Reset()
			cmd := exec.Command(bin, append([]string{"--db", db}, c.args...)...)
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if now, err := os.Stat(db); err == nil && now.Size() > st.Size()+grown {
					break
				}
			}
			_ = cmd.Process.Signal(c.sig)
			err = cmd.Wait()
			code = 0
			if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			if code != 0 || grown < 64<<10 {
				break
			}
		}
		name := map[syscall.Signal]string{syscall.SIGINT: "Ctrl+C", syscall.SIGTERM: "SIGTERM"}[c.sig]
		want := "sout: прервано (" + name + "): ничего не записано\n"
		if code != 128+int(c.sig) || errb.String() != want || out.Len() > 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", c.name, code, out.String(), errb.String(),
				128+int(c.sig), want)
		}
		if code, out, errs := crashSout(t, bin, "--db", db, "check"); code != 0 {
			t.Errorf("%s: check after the interrupt: exit %d\n%s%s", c.name, code, out, errs)
		}
		if n := count(db, c.what); n != before {
			t.Errorf("%s: %d %s entries after the interrupt, want the %d from before", c.name, n, c.what, before)
		}
	}
}
