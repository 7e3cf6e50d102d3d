package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sout/store"
)

// TestClerk_OrgSuggestions: point 13: the SOUT organisation field offers the organisations the
// records name, by any part of the name, and fills the registry number.
func TestClerk_OrgSuggestions(t *testing.T) {
	s := orgsStore(t)
	open := func(t *testing.T) *App { return openOrgField(t, s) }
	t.Run("journal", func(t *testing.T) {
		a := open(t)
		if v := frame(a); !strings.Contains(v, "Tab — АО «Центр СОУТ» · 1 из 2, ещё Ctrl+N") {
			t.Fatalf("no suggestion shown:\n%s", v)
		}
		teatest.RequireEqualOutput(t, []byte(frame(a)))
		pressKeys(a, orgNextKey)
		want := "Tab — ООО «Центр охраны труда» (№ в реестре 123) · 2 из 2, ещё Ctrl+N"
		if v := frame(a); !strings.Contains(v, want) {
			t.Fatalf("Ctrl+N shows no other suggestion:\n%s", v)
		}
		pressKeys(a, a.keys.Next)
		c := a.card.(*journalCard)
		if c.fields.value(jfOrg) != "ООО «Центр охраны труда»" || c.fields.value(jfOrgNo) != "123" || c.focus != jfOrg {
			t.Fatalf("Tab took %q № %q (focus %d)", c.fields.value(jfOrg), c.fields.value(jfOrgNo), c.focus)
		}
		pressKeys(a, a.keys.Next)
		if c.focus != jfOrgNo || strings.Contains(frame(a), "Tab — ") {
			t.Fatalf("second Tab did not move on (focus %d):\n%s", c.focus, frame(a))
		}
	})
	t.Run("register", func(t *testing.T) { checkRegisterOrgSuggestion(t, s) })
}

// TestClerk_OrgNumber: the registry number comes with an organisation known
// by its whole name, leaves with a changed name, and one typed by hand stays.
func TestClerk_OrgNumber(t *testing.T) {
	s := orgsStore(t)
	open := func(t *testing.T) *App { return openOrgField(t, s) }
	t.Run("typed in full fills the number", func(t *testing.T) {
		a := testApp(t, s)
		press(a, kF1, kN)
		typeText(a, "7707083893")
		pressKeys(a, a.keys.Next, a.keys.Next)
		typeText(a, "ооо «центр охраны труда»")
		pressKeys(a, a.keys.Next)
		c := a.card.(*journalCard)
		if c.fields.value(jfOrgNo) != "123" || c.focus != jfOrgNo {
			t.Fatalf("number %q, focus %d", c.fields.value(jfOrgNo), c.focus)
		}
	})
	t.Run("a changed name takes the filled number away", func(t *testing.T) {
		a := open(t)
		pressKeys(a, orgNextKey, a.keys.Next) // ООО «Центр охраны труда», № 123
		c := a.card.(*journalCard)
		typeText(a, " плюс")
		pressKeys(a, a.keys.Next)
		if c.fields.value(jfOrg) != "ООО «Центр охраны труда» плюс" || c.fields.value(jfOrgNo) != "" {
			t.Fatalf("another organisation kept the number: %q № %q", c.fields.value(jfOrg), c.fields.value(jfOrgNo))
		}
	})
	t.Run("a number typed by hand stays", func(t *testing.T) {
		a := open(t)
		pressKeys(a, orgNextKey, a.keys.Next, a.keys.Next)
		c := a.card.(*journalCard)
		c.fields.set(jfOrgNo, "777")
		pressKeys(a, a.keys.Prev)
		typeText(a, " плюс")
		pressKeys(a, a.keys.Next)
		if c.fields.value(jfOrgNo) != "777" {
			t.Fatalf("a number the clerk typed went: %q", c.fields.value(jfOrgNo))
		}
	})
}

// orgsStore names two organisations: ООО «Центр охраны труда» (№ 123) on a
// register entry and АО «Центр СОУТ» on a journal entry.
func orgsStore(t *testing.T) *store.Store {
	t.Helper()
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "АО «Центр СОУТ»"})
	return s
}

// openOrgField opens a new journal card at 80×24 and types «центр» into
// its organisation field.
func openOrgField(t *testing.T, s *store.Store) *App {
	t.Helper()
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(a, kF1, kN)
	typeText(a, "7707083893")
	pressKeys(a, a.keys.Next, a.keys.Next)
	typeText(a, "центр")
	return a
}

// checkRegisterOrgSuggestion: the register card suggests the organisation
// too, and Tab takes it with its number.
func checkRegisterOrgSuggestion(t *testing.T, s *store.Store) {
	t.Helper()
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.New)
	c := a.card.(*registerCard)
	for c.focus != rfOrg {
		pressKeys(a, a.keys.Next)
	}
	typeText(a, "охраны")
	if v := frame(a); !strings.Contains(v, "Tab — ООО «Центр охраны труда» (№ в реестре 123)") {
		t.Fatalf("no suggestion on the register card:\n%s", v)
	}
	pressKeys(a, a.keys.Next)
	if c.fields.value(rfOrg) != "ООО «Центр охраны труда»" || c.fields.value(rfOrgNo) != "123" {
		t.Fatalf("Tab took %q № %q", c.fields.value(rfOrg), c.fields.value(rfOrgNo))
	}
}
