package tui

import (
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
