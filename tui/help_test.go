package tui

import (
	"strconv"
	"strings"
	"testing"

	"sout/store"
)

// The full help never outstays its screen: Esc closes it (and only it,
// inside a card too), and another screen starts without it.
func TestApp_FullHelpNeverTraps(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Help)
	if !a.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	pressKeys(a, a.keys.Close)
	if a.help.ShowAll {
		t.Fatal("Esc did not close the full help on the list")
	}
	pressKeys(a, a.keys.Open, a.keys.HelpKey, a.keys.Close)
	if a.help.ShowAll || a.card == nil {
		t.Fatalf("F12, Esc in a card: help shown %v, card open %v; want the help closed, the card open",
			a.help.ShowAll, a.card != nil)
	}
	pressKeys(a, a.keys.Close) // closes the unchanged card
	pressKeys(a, a.keys.Help, a.keys.Summary)
	if a.help.ShowAll {
		t.Error("the full help of the Journal was carried over to the Summary")
	}
}

// TestProblemsStep: PgDn and PgUp through a problems panel of any size
// show every line, none skipped, and come back to the first.
func TestProblemsStep(t *testing.T) {
	for n := 1; n <= 40; n++ {
		for room := 2; room <= 12; room++ {
			seen := map[int]bool{}
			top, pages := 0, []int{0}
			for range 50 {
				for _, l := range panelLines(top, n, room) {
					seen[l] = true
				}
				next := problemsStep(top, n, room, true)
				if next == top {
					break
				}
				top = next
				pages = append(pages, top)
			}
			if len(seen) != n {
				t.Fatalf("n=%d room=%d: PgDn from the top showed %d lines of %d (pages %v)", n, room, len(seen), n, pages)
			}
			up := map[int]bool{}
			for range 50 {
				for _, l := range panelLines(top, n, room) {
					up[l] = true
				}
				if top == 0 {
					break
				}
				top = problemsStep(top, n, room, false)
			}
			if len(up) != n || top != 0 {
				t.Fatalf("n=%d room=%d: PgUp from the end showed %d lines of %d, stopped at %d", n, room, len(up), n, top)
			}
		}
	}
}

// panelLines are the problem lines problemsPanel shows from top.
func panelLines(top, n, room int) []int {
	var lines []string
	for i := range n {
		lines = append(lines, strconv.Itoa(i))
	}
	var out []int
	for _, l := range strings.Split(problemsPanel(styles{}, strings.Join(lines, "\n"), top, room), "\n") {
		if i, err := strconv.Atoi(l); err == nil {
			out = append(out, i)
		}
	}
	return out
}
