package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPeriodDialog_ErrorWrapsAtSpaces: at 80×24 the period dialog's refusal
// of «2026H3» names the forms as a clerk types them, and wraps only at
// spaces, so the example range stays whole on one line.
func TestPeriodDialog_ErrorWrapsAtSpaces(t *testing.T) {
	a := testApp(t, testStore(t))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Journal, a.keys.Period)
	answer(t, a, "2026H3")
	want := "Период: «2026H3» не распознан — нужен 2026H1, 2026H2, 2026 или 01.01.2026..31.03.2026"
	if got := dialogErr(a); got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
	v := frame(a)
	_, msg, _ := strings.Cut(v, txtErrMark)
	if !strings.Contains(msg, "01.01.2026..31.03.2026") || !strings.Contains(msg, "2026H1, 2026H2, 2026 или") {
		t.Errorf("the error is broken inside a word:\n%s", v)
	}
	// A dashed word at the edge moves whole to the next line, not split at its dash.
	a.dialog.err = strings.Repeat("слово ", 10) + "2026-01-01..2026-03-31"
	if v := a.dialog.View(80); !strings.Contains(v, "2026-01-01..2026-03-31") {
		t.Errorf("a dashed word is split:\n%s", v)
	}
}
