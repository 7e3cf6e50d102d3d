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
	want := "Дата внесения: «31.02.2026» не существует: в этом месяце нет 31-го числа"
	if !strings.Contains(frame(a), want) {
		t.Fatalf("no %q on the register card:\n%s", want, frame(a))
	}
}

// A new filter text selects its first match, not the row selected before
// that still matches further down (Enter opened the wrong entry).
func TestClerk_FilterSelectsFirstMatch(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})   // 1/2026
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Сокол»", EmployerINN: "631492767768"}) // 2/2026
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Ока»", EmployerINN: "500100732259"})   // 3/2026
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Down) // 2/2026, the INN with 1492 inside
	if sel := a.journal.selected(); sel == nil || sel.No != 2 {
		t.Fatalf("selected %v, want 2/2026", sel)
	}
	pressKeys(a, a.keys.Filter)
	typeText(a, "ооо") // all three match
	run(a, func() tea.Msg { return filterPausedMsg{"journal", a.journal.filter.seq} })
	if len(a.journal.rows) != 3 {
		t.Fatalf("«ооо» matches %d entries, want 3", len(a.journal.rows))
	}
	if sel := a.journal.selected(); sel == nil || sel.ID != a.journal.rows[0].ID {
		t.Fatalf("after a new filter the cursor is on %v, not on the first match %v", sel, a.journal.rows[0].Ref())
	}
}
