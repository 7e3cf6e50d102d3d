package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestClerk_SummaryWarningOpens: point 11: the Summary's warnings open their records with Enter.
func TestClerk_SummaryWarningOpens(t *testing.T) {
	a := summaryWithWarning(t)
	if texts := a.summary.sum.WarningTexts(); len(texts) != 1 {
		t.Fatalf("warnings = %q", texts)
	}
	pressKeys(a, a.keys.Open)
	if a.summary.warn != 0 || !strings.Contains(frame(a), "Работодатель с ИНН 7707083893 учтён в разделах C, G") {
		t.Fatalf("Enter selected warning %d, not in view:\n%s", a.summary.warn, frame(a))
	}
	pressKeys(a, a.keys.Close)
	if a.summary.warn != -1 {
		t.Fatalf("Esc left warning %d selected", a.summary.warn)
	}
	pressKeys(a, a.keys.Open, a.keys.Open)
	if a.active != scrLookup || a.lookup.detail == nil || a.lookup.detail.Employer.INN != "7707083893" {
		t.Fatalf("Enter on the warning did not open the employer's card:\n%s", frame(a))
	}
	if v := frame(a); !strings.Contains(v, "ООО «Волга»") {
		t.Fatalf("the employer's card:\n%s", v)
	}
}

// A warning about an entry left out of the Summary opens that entry's card.
func TestClerk_SummaryLeftOutOpens(t *testing.T) {
	s := testStore(t)
	e := volga(store.NewDate(2026, 10, 3))
	e.Employer.OKVED = "97.00" // section T: no row in the form
	saved := mustRegister(t, s, e)
	a := summaryAt80(t, s)
	pressKeys(a, a.keys.Open, a.keys.Open)
	c, ok := a.card.(*registerCard)
	if !ok || c.orig == nil || c.orig.ID != saved.ID {
		t.Fatalf("Enter on the warning did not open entry %d:\n%s", saved.ID, frame(a))
	}
}

// TestClerk_SummaryWarningVisibleUnderMessage: a long message in the status
// line (another session's save, a saved card) takes body lines; the warning
// Enter selects is still on the screen, and the next key clears the message.
func TestClerk_SummaryWarningVisibleUnderMessage(t *testing.T) {
	a := summaryWithWarning(t)
	long := "Сохранено: " + strings.Repeat("ООО «Очень длинное наименование» ", 3)
	a.Update(statusMsg{long, false})
	pressKeys(a, a.keys.Open)
	v := frame(a)
	if !strings.Contains(v, "Работодатель с ИНН 7707083893 учтён в разделах C, G") {
		t.Fatalf("the selected warning is not on the screen:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n > 24 {
		t.Fatalf("the frame has %d lines at 80×24:\n%s", n, v)
	}
	if strings.Contains(v, "Очень длинное") {
		t.Fatalf("the key did not clear the message:\n%s", v)
	}
}

// TestClerk_SummaryWarningWraps: point 9: at 80 columns a warning longer than the line wraps, whole,
// and the selection covers all its lines.
func TestClerk_SummaryWarningWraps(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 10, 3)))
	g := volga(store.NewDate(2026, 10, 5))
	g.Employer.OKVED = "47.11"
	mustRegister(t, s, g)
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 50, Height: 24})
	pressKeys(a, a.keys.Summary)
	run(a, a.summary.load())
	pressKeys(a, a.keys.Open)
	want := a.summary.sum.Warnings[0].Text
	lines := warnLines(want, 50)
	if len(lines) < 2 {
		t.Fatalf("the warning %q fits one line of 50 cells: the test needs a longer one", want)
	}
	v := frame(a)
	for _, l := range lines {
		if !strings.Contains(v, l) {
			t.Errorf("the warning's line %q is not on the screen:\n%s", l, v)
		}
	}
	if strings.Contains(v, "…\n") && strings.Contains(v, want[:20]+"…") {
		t.Errorf("the warning is cut:\n%s", v)
	}
	styled := a.View().Content
	for _, l := range lines {
		if !strings.Contains(styled, a.sty.selected.Render(pad(l, 50))) {
			t.Errorf("the selection does not cover %q", l)
		}
	}
}

// summaryAt80 is the Summary of s at 80×24, loaded.
func summaryAt80(t *testing.T, s *store.Store) *App {
	t.Helper()
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Summary)
	run(a, a.summary.load())
	return a
}

// summaryWithWarning is summaryAt80 of one employer entered in sections C
// and G: one warning.
func summaryWithWarning(t *testing.T) *App {
	t.Helper()
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 10, 3)))
	g := volga(store.NewDate(2026, 10, 5))
	g.Employer.OKVED = "47.11" // the same employer in another section: a warning
	mustRegister(t, s, g)
	return summaryAt80(t, s)
}
