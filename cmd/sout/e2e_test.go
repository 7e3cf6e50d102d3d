package main

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildSout builds the binary once per test into a temporary directory.
func buildSout(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sout")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxScreen runs a program in a detached tmux session of its own server.
type tmuxScreen struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, w, h int, argv ...string) *tmuxScreen {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed; .ci/run installs it")
	}
	ts := &tmuxScreen{t: t, socket: "sout-e2e-" + filepath.Base(t.TempDir())}
	args := append([]string{"new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)}, argv...)
	ts.tmux(args...)
	t.Cleanup(func() { exec.Command("tmux", "-L", ts.socket, "kill-server").Run() })
	return ts
}

func (ts *tmuxScreen) tmux(args ...string) string {
	ts.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", ts.socket}, args...)...).CombinedOutput()
	if err != nil {
		ts.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends tmux key names or literal text, one argument at a time.
func (ts *tmuxScreen) keys(keys ...string) {
	ts.t.Helper()
	for _, k := range keys {
		ts.tmux("send-keys", "-t", "e2e", k)
		time.Sleep(30 * time.Millisecond)
	}
}

// literal types text as it is (no key-name lookup).
func (ts *tmuxScreen) literal(text string) {
	ts.t.Helper()
	ts.tmux("send-keys", "-t", "e2e", "-l", text)
	time.Sleep(30 * time.Millisecond)
}

func (ts *tmuxScreen) screen() string { return ts.tmux("capture-pane", "-p", "-t", "e2e") }

// waitFor waits until the screen shows every string in want.
func (ts *tmuxScreen) waitFor(want ...string) string {
	ts.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := ts.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("the screen does not show %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestE2E_ClerkDay runs the built binary in tmux through a clerk's work: a
// journal card, accepting it into a register card, filling the grid,
// saving, finding the employer by INN, the Summary; then checks the file
// through `sout export`.
func TestE2E_ClerkDay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	bin := buildSout(t)
	db := filepath.Join(t.TempDir(), "sout.db")
	if out, err := exec.Command(bin, "--db", db, "init", "--region", "Самарская область", "--inspectorate",
		"ГИТ в Самарской области").CombinedOutput(); err != nil {
		t.Fatalf("init: %v %s", err, out)
	}
	start := time.Now()
	ts := newTmux(t, 100, 30, "env", "TERM=xterm-256color", "LANG=C.UTF-8", bin, "--db", db)
	ts.waitFor("F1 Журнал", "Записей нет")
	t.Logf("first frame after %v (tmux start included)", time.Since(start).Round(time.Millisecond))

	e2eJournal(ts)
	e2eAccept(ts)
	e2eLookUpAndLock(ts)
	e2eCheckFile(t, bin, db)
}

// e2eJournal registers a package in the journal, returns it for
// corrections and marks it received again.
func e2eJournal(ts *tmuxScreen) {
	// Journal: register the package.
	ts.keys("n")
	ts.waitFor("Новая запись журнала")
	ts.literal("7707083893")
	ts.keys("Tab")
	ts.literal("ООО Рассвет")
	ts.keys("Tab")
	ts.literal("ООО Аудит-Труд")
	ts.keys("C-s")
	ts.waitFor("1/2026", "поступило", "Сохранено")

	// Return it for corrections, then mark it received again.
	ts.keys("r")
	ts.waitFor("Вернуть на доработку запись № 1/2026")
	ts.literal("нет карт СОУТ")
	ts.keys("Enter", "Enter")
	ts.waitFor("возвр. до")
	ts.keys("g") // asks the day the package came back, today by default
	today := time.Now().Format("02.01.2006")
	ts.waitFor("Повторное поступление записи № 1/2026", "Дата повторного поступления: "+today)
	ts.keys("Enter")
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(ts.screen(), "возвр. до"); {
		if time.Now().After(deadline) {
			ts.t.Fatalf("`g` did not mark 1/2026 received again:\n%s", ts.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// e2eAccept accepts the journal entry into a register card filled from it,
// types the grid and saves.
func e2eAccept(ts *tmuxScreen) {
	// Accept it: a register card filled from the journal entry.
	ts.keys("a")
	ts.waitFor("из журнала № 1/2026", "ООО Рассвет", "ООО Аудит-Труд", "✓ известен: ООО Рассвет")
	ts.literal("г. Самара, ул. Мира, 1")
	ts.keys("Tab")
	ts.literal("1026300000000")
	ts.keys("Tab")
	ts.literal("25.11")
	ts.keys("Tab", "Tab", "Tab")
	ts.waitFor("раздел C — Обрабатывающие производства")
	// The grid, a row at a time: всего, СОУТ, 1, 2, 3.1, then on to the next row.
	for _, row := range [][]string{{"20", "10", "", "7", "3"}, {"30", "12", "", "8", "4"}, {"14", "5", "", "3", "2"}} {
		for i, v := range row {
			if v != "" {
				ts.literal(v)
			}
			if i < len(row)-1 {
				ts.keys("Tab")
			}
		}
		for i := len(row); i <= 9; i++ {
			ts.keys("Tab")
		}
	}
	ts.waitFor("✓ Проверки пройдены")
	ts.keys("C-s")
	ts.waitFor("ООО Рассвет", "25.11", "Сохранено")
}

// e2eLookUpAndLock finds the employer by INN, opens the Summary, locks the
// half-year and sees the register card read-only, then quits with F10.
func e2eLookUpAndLock(ts *tmuxScreen) {
	// Look the employer up by INN.
	ts.keys("F3")
	ts.literal("7707083893")
	ts.waitFor("Найдено: 1")
	ts.keys("Enter")
	ts.waitFor("ОГРН 1026300000000", "Журнал (1)", "принято", "Реестр — история результатов (1)")
	ts.keys("F1", "Enter") // the journal card keeps the history
	today := time.Now().Format("02.01.2006")
	// The history wraps at the width.
	ts.waitFor("История статуса: возвращено "+today, "повторно поступило "+today+";", "принято")
	ts.keys("Escape")
	ts.waitFor("Фильтр: нет")

	// The Summary counts the entry.
	ts.keys("F4")
	ts.waitFor("Записей реестра учтено: 1", "Всего по субъекту")

	// Lock the half-year: the register card opens read-only, saying so.
	ts.keys("l")
	ts.waitFor("Заблокировать период")
	ts.keys("Enter")
	ts.waitFor("заблокировано")
	ts.keys("F2")
	ts.waitFor("ООО Рассвет")
	ts.keys("Enter")
	ts.waitFor("заблокирован (", "запись только для просмотра")
	ts.keys("Escape")
	ts.waitFor("Фильтр: нет")
	ts.keys("x") // annulling in a locked period is refused at once, before any question
	ts.waitFor("аннулировать запись нельзя")

	ts.keys("F10")
	deadline := time.Now().Add(3 * time.Second)
	// The program exits, its session ends, and tmux with it.
	for exec.Command("tmux", "-L", ts.socket, "has-session", "-t", "e2e").Run() == nil {
		if time.Now().After(deadline) {
			ts.t.Fatalf("F10 did not quit:\n%s", ts.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// e2eCheckFile checks through `sout export` and `sout check` what the
// screens saved.
func e2eCheckFile(t *testing.T, bin, db string) {
	reg, err := exec.Command(bin, "--db", db, "export", "register", "--format", "csv").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(reg)), "\n")
	if len(lines) != 2 {
		t.Fatalf("register export has %d lines:\n%s", len(lines), reg)
	}
	for _, want := range []string{"7707083893", "ООО Рассвет", "1026300000000", "25.11", "ООО Аудит-Труд",
		",1/2026,20,30,14,0,0,10,12,5,0,0,0,0,0,0,0,7,8,3,0,0,3,4,2,0,0,"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("register line lacks %q:\n%s", want, lines[1])
		}
	}
	jr, err := exec.Command(bin, "--db", db, "export", "journal", "--format", "csv").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(jr), "accepted") && !strings.Contains(string(jr), "принят") {
		t.Errorf("the journal entry is not accepted:\n%s", jr)
	}
	if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
		t.Errorf("check: %v %s", err, out)
	}
}
