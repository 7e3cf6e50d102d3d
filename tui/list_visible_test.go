package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestList_CursorStaysInViewWhenLinesShrink: a status message of two lines
// takes lines from the list while the cursor is on its last row shown; the
// row stays on screen (QA: no row was marked and Enter opened one the
// clerk could not see).
func TestList_CursorStaysInViewWhenLinesShrink(t *testing.T) {
	s := testStore(t)
	bigJournal(t, s, 120)
	a := testApp(t, s)
	pressKeys(a, a.keys.Home, a.keys.PageDown)
	sel := a.journal.selected()
	if sel == nil {
		t.Fatal("nothing selected")
	}
	if !strings.Contains(frame(a), sel.Ref()+" ") {
		t.Fatalf("the selected %s is not on screen before the message:\n%s", sel.Ref(), frame(a))
	}
	a.Update(statusMsg{text: strings.Repeat("длинное сообщение ", 12), err: true})
	if f := frame(a); !strings.Contains(f, sel.Ref()+" ") {
		t.Errorf("the selected %s left the screen under a two-line message:\n%s", sel.Ref(), f)
	}
}

// TestList_EnterBeforeThePause: Enter leaves the filter before typing has
// paused: the list is read at once, and a key that acts on the selected row
// waits for it instead of acting on the row of the list before (QA: «/64»
// Enter Enter within 100 ms opened the entry selected before the filter).
func TestList_EnterBeforeThePause(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 3, 2)})
	want := mustJournal(t, s, store.JournalEntry{EmployerName: "АО «Нива»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 3, 1)})
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Заря»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 3, 3)})
	a := testApp(t, s)
	before := a.journal.selected()
	if before == nil || before.ID == want.ID {
		t.Fatalf("selected before the filter: %v", before)
	}
	press(a, tea.KeyPressMsg{Code: '/', Text: "/"})
	for _, r := range "нива" { // typed fast: the pause's tick never comes
		a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	_, read := a.Update(kEnter) // leaves the filter, reads the list
	if read == nil {
		t.Fatal("Enter before the pause did not read the list")
	}
	_, cmd := a.Update(kEnter) // before the rows come
	run(a, cmd)
	if a.card != nil {
		t.Fatalf("Enter opened a card (%T) on the list before the filter", a.card)
	}
	if !strings.Contains(frame(a), "Список ещё обновляется") {
		t.Errorf("no word of the list being read:\n%s", frame(a))
	}
	run(a, read)
	press(a, kEnter)
	c, ok := a.card.(*journalCard)
	if !ok || c.orig == nil || c.orig.ID != want.ID {
		t.Fatalf("Enter after the rows came opened %T %+v, want the card of %s", a.card, c, want.Ref())
	}
}

// TestRegister_SortKeepsTheEntry: t turns the Register's order and keeps
// the entry selected (QA: it went to the top of the new order).
func TestRegister_SortKeepsTheEntry(t *testing.T) {
	s := testStore(t)
	var es []store.RegisterEntry
	for i := range 150 { // more than a page
		es = append(es, mustRegister(t, s, volga(store.NewDate(2026, 1, 1).AddDays(i*2))))
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Down, a.keys.Down, a.keys.Down)
	sel := a.register.selected()
	if sel == nil || sel.ID != es[len(es)-4].ID {
		t.Fatalf("selected %+v, want the fourth newest", sel)
	}
	for _, order := range []string{"oldest first", "newest first"} {
		pressKeys(a, a.keys.Sort)
		if got := a.register.selected(); got == nil || got.ID != sel.ID {
			t.Errorf("after t (%s) the selection is %v, want entry %d", order, got, sel.ID)
		}
		if f := frame(a); !strings.Contains(f, sel.EnteredOn.Ru()) {
			t.Errorf("after t (%s) the entry of %s is not on screen:\n%s", order, sel.EnteredOn.Ru(), f)
		}
	}
}

// TestList_NoStaleCount: while a list is read for a new filter its foot
// shows no number (QA: the count of the filter before stood over the
// rows, or «записей: 0» before the first read).
func TestList_NoStaleCount(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 3, 2)))
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 3, 2)})
	a := testApp(t, s)
	for _, list := range []tea.KeyPressMsg{kF1, kF2} {
		press(a, list)
		if f := frame(a); !strings.Contains(f, "записей: 1 ") {
			t.Fatalf("the list's foot before the filter:\n%s", f)
		}
		press(a, tea.KeyPressMsg{Code: '/', Text: "/"})
		_, read := a.Update(tea.KeyPressMsg{Code: 'я', Text: "я"})
		if f := frame(a); !strings.Contains(f, "записей: …") || strings.Contains(f, "записей: 1 ") {
			t.Errorf("while «я» is not read yet the foot says:\n%s", f)
		}
		run(a, read) // the pause, then the read
		if f := frame(a); !strings.Contains(f, "записей: 0") {
			t.Errorf("after the read of «я» the foot says:\n%s", f)
		}
		press(a, tea.KeyPressMsg{Code: tea.KeyEscape})
	}
}
