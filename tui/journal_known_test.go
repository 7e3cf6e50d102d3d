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

// A date that cannot be read is named by its field, in the cards' one
// style «Поле: что не так».
func TestClerk_DateProblemNamesItsField(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.New, a.keys.Prev) // the date of receipt
	c := a.card.(*journalCard)
	for range len([]rune(c.fields.value(jfReceived))) {
		press(a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(a, "1.13.2026")
	for _, want := range []string{"✗ Дата поступления: «1.13.2026» — нет месяца 13"} {
		if v := frame(a); !strings.Contains(v, want) {
			t.Fatalf("no %q on the card:\n%s", want, v)
		}
	}
	pressKeys(a, a.keys.Register, a.keys.Confirm) // leave the card: drop it
	pressKeys(a, a.keys.New)
	rc := a.card.(*registerCard)
	rc.setFocus(rfEntered)
	for range len([]rune(rc.fields.value(rfEntered))) {
		press(a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(a, "31.02.2026")
	if want := "Дата внесения: «31.02.2026» не существует: в этом месяце нет 31-го числа"; !strings.Contains(frame(a), want) {
		t.Fatalf("no %q on the register card:\n%s", want, frame(a))
	}
}
