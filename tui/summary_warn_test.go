package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// Point 11: the Summary's warnings open their records with Enter.
func TestClerk_SummaryWarningOpens(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 10, 3)))
	g := volga(store.NewDate(2026, 10, 5))
	g.Employer.OKVED = "47.11" // the same employer in another section: a warning
	mustRegister(t, s, g)
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Summary)
	run(a, a.summary.load())
	if len(a.summary.sum.Warnings) != 1 {
		t.Fatalf("warnings = %q", a.summary.sum.Warnings)
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
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Summary)
	run(a, a.summary.load())
	pressKeys(a, a.keys.Open, a.keys.Open)
	c, ok := a.card.(*registerCard)
	if !ok || c.orig == nil || c.orig.ID != saved.ID {
		t.Fatalf("Enter on the warning did not open entry %d:\n%s", saved.ID, frame(a))
	}
}
