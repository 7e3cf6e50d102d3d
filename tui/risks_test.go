package tui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sout/store"
)

var (
	kF6 = tea.KeyPressMsg{Code: tea.KeyF6}
	kS  = tea.KeyPressMsg{Code: 's', Text: "s"}
	kV  = tea.KeyPressMsg{Code: 'v', Text: "v"}
)

// riskStore holds three employers of 2026H2: a mine with class 4 and a
// minor in class 3.1 (section B), a shop with unassessed workplaces
// (section G), a clean office (section M); and an overdue return.
func riskStore(t *testing.T) *store.Store {
	t.Helper()
	s := testStore(t)
	grid := func(total, c2, c31, c4, minors int) store.Grid {
		var g store.Grid
		g[store.ColClass2] = [5]int{c2, c2, 0, 0, 0}
		g[store.ColClass31] = [5]int{c31, c31, 0, minors, 0}
		g[store.ColClass4] = [5]int{c4, c4, 0, 0, 0}
		for r := range store.NumRows {
			g[store.ColAssessed][r] = g[store.ColClass2][r] + g[store.ColClass31][r] + g[store.ColClass4][r]
		}
		g[store.ColTotal] = g[store.ColAssessed]
		g[store.ColTotal][store.RowWorkplaces] += total - g[store.ColAssessed][store.RowWorkplaces]
		g[store.ColTotal][store.RowWorkers] += total - g[store.ColAssessed][store.RowWorkplaces]
		return g
	}
	for _, e := range []store.RegisterEntry{
		{EnteredOn: store.NewDate(2026, 8, 3),
			Employer: store.Employer{Name: "АО «Шахта Северная»", INN: "7707083893", OKVED: "05.10"},
			SoutOrg:  store.SoutOrg{Name: "ООО «Аттестат»", RegNo: "101"}, Grid: grid(10, 4, 4, 2, 1)},
		{EnteredOn: store.NewDate(2026, 9, 1),
			Employer: store.Employer{Name: "ООО «Магазин»", INN: "7736050003", OKVED: "47.11"},
			SoutOrg:  store.SoutOrg{Name: "ООО «Аттестат»", RegNo: "101"}, Grid: grid(12, 10, 0, 0, 0)},
		{EnteredOn: store.NewDate(2026, 9, 2),
			Employer: store.Employer{Name: "ООО «Бюро»", INN: "7830002293", OKVED: "71.12"},
			SoutOrg:  store.SoutOrg{Name: "ООО «Центр охраны труда»", RegNo: "7"}, Grid: grid(5, 5, 0, 0, 0)},
	} {
		if _, err := s.SaveRegisterEntry(testClerk, e); err != nil {
			t.Fatal(err)
		}
	}
	j, err := s.CreateJournalEntry(testClerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 10, 1),
		EmployerName: "ООО «Бюро»", EmployerINN: "7830002293", SoutOrgName: "ООО «Центр охраны труда»"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := returnBack(s, j.ID, j.Version, "нет карт", store.NewDate(2026, 10, 15)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRisksScreen(t *testing.T) {
	a := testApp(t, riskStore(t))
	press(a, kF6)
	v := frame(a)
	for _, want := range []string{"Индикаторы риска: 2-е полугодие 2026 г.", "работодателей в реестре: 3", "строк: 4",
		"АО «Шахта Северная»", "Несовершеннолетние", "№ 1/2026 до 15"} {
		if !strings.Contains(v, want) {
			t.Errorf("risks screen lacks %q:\n%s", want, v)
		}
	}
	press(a, kTab, kTab) // class 4
	if v := frame(a); !strings.Contains(v, "строк: 1") || strings.Contains(v, "ООО «Магазин»") {
		t.Errorf("the class 4 filter shows other lines:\n%s", v)
	}
	kBack := tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	press(a, kBack, kBack, kS, kS) // all indicators again, section B
	if v := frame(a); !strings.Contains(v, "Раздел: B. Добыча полезных ископаемых · строк: 2") {
		t.Errorf("section B filter:\n%s", v)
	}
	press(a, kEnter)
	if a.active != scrLookup || !strings.Contains(frame(a), "ИНН 7707083893") {
		t.Errorf("Enter does not open the employer's card:\n%s", frame(a))
	}
	press(a, kF6, kV)
	v = frame(a)
	for _, want := range []string{"Организации СОУТ против субъекта", "ООО «Аттестат»", "2026 II пол.", "░ классы 1–2"} {
		if !strings.Contains(v, want) {
			t.Errorf("the head's view lacks %q:\n%s", want, v)
		}
	}
	press(a, kV)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(a, kS, kS) // section D: its long name is cut at 80 columns, not the row count
	if v := frame(a); !strings.Contains(v, "Раздел: D. Обеспечение") || !strings.Contains(v, "… · строк: 0") {
		t.Errorf("section D cuts the row count:\n%s", v)
	}
}

// TestRisksScreen_Live: an entry saved elsewhere shows on the screen
// without a key press.
func TestRisksScreen_Live(t *testing.T) {
	s := riskStore(t)
	a := testApp(t, s)
	press(a, kF6)
	e := store.RegisterEntry{EnteredOn: store.NewDate(2026, 10, 1),
		Employer: store.Employer{Name: "ООО «Новичок»", INN: "7704270863", OKVED: "47.11"},
		SoutOrg:  store.SoutOrg{Name: "ООО «Аттестат»"}}
	e.Grid[store.ColTotal] = [5]int{3, 3, 0, 0, 0}
	e.Grid[store.ColAssessed] = [5]int{2, 2, 0, 0, 0}
	e.Grid[store.ColClass2] = [5]int{2, 2, 0, 0, 0}
	if _, err := s.SaveRegisterEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, e); err != nil {
		t.Fatal(err)
	}
	run(a, a.applyChanges([]store.Change{{Kind: "register", User: "boris"}}))
	if v := frame(a); !strings.Contains(v, "ООО «Новичок»") {
		t.Errorf("a saved entry does not show:\n%s", v)
	}
}

func TestRisks_Snapshot(t *testing.T) {
	s := riskStore(t)
	tm := teatest.NewTestModel(t, New(s, Config{Actor: testClerk, DBPath: "/srv/sout.db"}),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	tm.Send(kF6)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("7830002293")) },
		teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyF10})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*App)
	teatest.RequireEqualOutput(t, []byte(frame(fm)))
}

// messagesOf runs cmd and returns its messages, batches flattened, without
// giving them to the app.
func messagesOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch m := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, messagesOf(c)...)
		}
		return out
	default:
		return []tea.Msg{m}
	}
}

// TestRisksScreen_PeriodCancels: switching the period while the indicators
// are computed cancels the computation, starts none beside it, and shows
// neither its result nor a message; the new period's starts once it ends.
func TestRisksScreen_PeriodCancels(t *testing.T) {
	a := testApp(t, riskStore(t))
	_, first := a.Update(kF6) // 2026H2, held back: it is "running"
	if first == nil {
		t.Fatal("F6 starts no computation")
	}
	_, second := a.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	if second != nil {
		t.Fatalf("a second computation starts beside the first: %v", messagesOf(second))
	}
	msgs := messagesOf(first)
	if len(msgs) != 1 {
		t.Fatalf("the first computation: %v", msgs)
	}
	if m, ok := msgs[0].(risksLoadedMsg); !ok || !errors.Is(m.err, context.Canceled) {
		t.Fatalf("the first computation was not cancelled: %#v", msgs[0])
	}
	_, next := a.Update(msgs[0])
	if next == nil {
		t.Fatal("the new period's computation does not start when the cancelled one ends")
	}
	if a.status != "" {
		t.Errorf("a cancelled computation shows %q", a.status)
	}
	run(a, next)
	if v := frame(a); !strings.Contains(v, "1-е полугодие 2026 г.") || strings.Contains(v, "АО «Шахта Северная»") {
		t.Errorf("after ← the screen shows:\n%s", v)
	}
}

// TestRisksScreen_StaleResult: a result that was ready just before the
// period changed is not shown.
func TestRisksScreen_StaleResult(t *testing.T) {
	a := testApp(t, riskStore(t))
	_, first := a.Update(kF6)
	msgs := messagesOf(first) // finished before the key below is read
	_, second := a.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	if second != nil || len(msgs) != 1 {
		t.Fatalf("second computation %v, messages %v", second != nil, msgs)
	}
	_, next := a.Update(msgs[0])
	if v := frame(a); strings.Contains(v, "АО «Шахта Северная»") || !strings.Contains(v, "1-е полугодие 2026 г.") {
		t.Errorf("the 2026H2 result shows on 2026H1:\n%s", v)
	}
	run(a, next)
	if v := frame(a); !strings.Contains(v, "работодателей в реестре: 0") {
		t.Errorf("2026H1 is not computed:\n%s", v)
	}
}

// TestRisksScreen_QuitCancels: the session's end cancels the computation.
func TestRisksScreen_QuitCancels(t *testing.T) {
	a := testApp(t, riskStore(t))
	_, first := a.Update(kF6)
	a.Update(tea.KeyPressMsg{Code: tea.KeyF10})
	msgs := messagesOf(first)
	if len(msgs) != 1 {
		t.Fatalf("messages %v", msgs)
	}
	if m, ok := msgs[0].(risksLoadedMsg); !ok || !errors.Is(m.err, context.Canceled) {
		t.Errorf("quitting does not cancel the computation: %#v", msgs[0])
	}
}
