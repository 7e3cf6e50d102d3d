package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestApp_JournalConflictAcrossSessions: two sessions open the same journal entry; the first saves. The second's
// list takes the change, and its save must then be refused as a conflict
// (it was a lost update: the card shared the list's row, which the change
// had updated in place).
func TestApp_JournalConflictAcrossSessions(t *testing.T) {
	s := testStore(t)
	e := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	anna := testApp(t, s)
	boris := New(s, Config{Actor: store.Actor{Name: "boris", Role: store.RoleClerk}, DBPath: "/srv/sout.db"}).(*App)
	boris.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(boris, boris.Init())
	for _, a := range []*App{anna, boris} {
		pressKeys(a, a.keys.Journal, a.keys.Open)
		c, ok := a.card.(*journalCard)
		if !ok {
			t.Fatalf("card = %T", a.card)
		}
		c.focus = jfNotes
		c.fields.focus(jfNotes)
	}
	typeText(anna, "заметка anna")
	pressKeys(anna, anna.keys.Save)
	if anna.card != nil {
		t.Fatalf("anna's save did not close the card:\n%s", frame(anna))
	}
	// Boris's session hears of the change, as the subscription would tell it.
	_, cmd := boris.Update(changeMsg{cs: []store.Change{{Kind: "journal", ID: e.ID, User: "anna"}}})
	run(boris, cmd)
	typeText(boris, "заметка boris")
	pressKeys(boris, boris.keys.Save)
	if v := frame(boris); boris.card == nil || !strings.Contains(v, "Запись изменена пользователем anna") {
		t.Fatalf("boris's save over anna's change was not refused:\n%s", v)
	}
	if got, _ := s.JournalEntry(e.ID); got.Notes != "заметка anna" {
		t.Errorf("notes = %q: anna's change was overwritten", got.Notes)
	}
}

// The Register list of a session whose card was open while another session
// saved the entry is read again when the card closes: the entry reopens at
// its new version and a save goes through (it reopened the old version, and
// every save was refused as a conflict: a trap).
func TestApp_RegisterListFreshAfterCardCloses(t *testing.T) {
	s := testStore(t)
	e := mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	boris := New(s, Config{Actor: store.Actor{Name: "boris", Role: store.RoleClerk}, DBPath: "/srv/sout.db"}).(*App)
	boris.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(boris, boris.Init())
	pressKeys(boris, boris.keys.Register, boris.keys.Open)
	if _, ok := boris.card.(*registerCard); !ok {
		t.Fatalf("card = %T", boris.card)
	}
	e.SoutOrg.RegNo = "4123"
	if _, err := s.SaveRegisterEntry(testClerk, e); err != nil { // anna, elsewhere
		t.Fatal(err)
	}
	_, cmd := boris.Update(changeMsg{cs: []store.Change{{Kind: "register", ID: e.ID, User: "anna"}}})
	run(boris, cmd)
	pressKeys(boris, boris.keys.Close, boris.keys.Open)
	c, ok := boris.card.(*registerCard)
	if !ok || c.orig.Version != 2 || c.fields.value(rfOrgNo) != "4123" {
		t.Fatalf("reopened: %T, version %d, № %q; want version 2 and anna's № 4123", boris.card, c.orig.Version,
			c.fields.value(rfOrgNo))
	}
}
