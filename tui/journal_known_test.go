package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// A package registered under one employer's name and another's INN is
// warned about, and saving asks first, listing the warning (a copy of
// another employer's entry with its INN retyped saved silently before).
func TestClerk_JournalNameDiffersFromKnown(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 3, 1))) // ООО «Волга», 7707083893
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.New)
	typeText(a, "7707083893")
	c := a.card.(*journalCard)
	if got := c.fields.value(jfName); got != "ООО «Волга»" {
		t.Fatalf("the known name was not filled: %q", got)
	}
	pressKeys(a, a.keys.Next) // to the name, retyped as a clerk would
	for range len([]rune(c.fields.value(jfName))) {
		press(a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(a, "АО «Северсталь»")
	want := "Наименование: «АО «Северсталь»» отличается от известного по ИНН 7707083893 («ООО «Волга»»)"
	if v := frame(a); !strings.Contains(v, want) {
		t.Fatalf("no warning on the card:\n%s", v)
	}
	pressKeys(a, a.keys.Next)
	typeText(a, "ООО «Центр»")
	pressKeys(a, a.keys.Save)
	if a.dialog == nil || !strings.Contains(frame(a), "• "+want) {
		t.Fatalf("saving did not ask with the warning listed:\n%s", frame(a))
	}
	pressKeys(a, a.keys.Cancel)
	if es, _ := s.ListJournal(store.JournalQuery{}); len(es) != 0 {
		t.Fatalf("saved although the question was declined: %d entries", len(es))
	}
}
