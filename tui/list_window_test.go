package tui

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"sout/store"
)

// bigJournal fills a store with n entries of 2026 received in an order their numbers do not follow,
// under a few employers' names, some returned (past their deadline or not) and some annulled, and
// returns them as saved.
func bigJournal(t *testing.T, s *store.Store, n int) []store.JournalEntry {
	t.Helper()
	names := []string{"ООО «Волга»", "АО «Нива»", "ООО «Ёлка»", "ИП Егоров", "ао «Заря»"}
	r := rand.New(rand.NewPCG(1, 2))
	es := make([]store.JournalEntry, 0, n)
	for i := range n {
		e := mustJournal(t, s, store.JournalEntry{EmployerName: names[r.IntN(len(names))], EmployerINN: "7707083893",
			ReceivedOn: store.NewDate(2026, 1, 1).AddDays(r.IntN(300))})
		var err error
		switch i % 7 {
		case 1: // overdue
			e, err = returnBack(s, e.ID, e.Version, "нет карт", store.NewDate(2026, 11, 1))
		case 2: // returned, not yet due
			e, err = returnBack(s, e.ID, e.Version, "нет карт", store.NewDate(2026, 12, 1))
		case 3:
			e, err = s.AnnulJournalEntry(testClerk, e.ID, e.Version, "ошибка")
		}
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	return es
}

// wantJournalOrder sorts es as journalSorts[by] says, written out plainly: newest first by the date of
// receipt then the number; oldest first; by number; by employer (any case, ё as е); by status, the
// overdue returns first; ties in the newest-first order.
func wantJournalOrder(es []store.JournalEntry, by int, today store.Date) []uint64 {
	newest := func(a, b store.JournalEntry) int {
		return cmp.Or(cmp.Compare(b.ReceivedOn, a.ReceivedOn), cmp.Compare(b.Year, a.Year), cmp.Compare(b.No, a.No))
	}
	rank := func(e store.JournalEntry) int {
		if e.Overdue(today) {
			return 0
		}
		return 1 + slices.Index([]store.JournalStatus{store.StatusReturned, store.StatusReceived, store.StatusAccepted,
			store.StatusAnnulled}, e.Status)
	}
	name := func(e store.JournalEntry) string {
		return strings.ReplaceAll(strings.ToLower(e.EmployerName), "ё", "е")
	}
	s := slices.Clone(es)
	slices.SortFunc(s, func(a, b store.JournalEntry) int {
		switch by {
		case 1:
			return newest(b, a)
		case 2:
			return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.No, b.No))
		case 3:
			return cmp.Or(strings.Compare(name(a), name(b)), newest(a, b))
		case 4:
			return cmp.Or(cmp.Compare(rank(a), rank(b)), newest(a, b))
		}
		return newest(a, b)
	})
	ids := make([]uint64, len(s))
	for i := range s {
		ids[i] = s[i].ID
	}
	return ids
}

// walkJournal goes down the Journal list from Home with the key down, and returns the entries
// selected on the way, checking the window never holds more than listSpan rows.
func walkJournal(t *testing.T, a *App, down func()) []uint64 {
	t.Helper()
	pressKeys(a, a.keys.Home)
	var got []uint64
	for range 2000 {
		s := a.journal.selected()
		if s == nil {
			t.Fatalf("nothing selected after %d rows", len(got))
		}
		if len(got) > 0 && got[len(got)-1] == s.ID {
			break
		}
		got = append(got, s.ID)
		if len(a.journal.rows) > listSpan {
			t.Fatalf("the window holds %d rows", len(a.journal.rows))
		}
		down()
	}
	return got
}

// TestJournalWindow_SortsAcrossPages: the Journal of 700 entries holds a window of them, not the
// list; walking it down a row at a time goes through every entry once in each of the five orders,
// across the window's edges; the foot counts the whole list and its overdue returns.
func TestJournalWindow_SortsAcrossPages(t *testing.T) {
	s := testStore(t)
	es := bigJournal(t, s, 700)
	a := testApp(t, s)
	if n := len(a.journal.rows); n >= len(es) || n == 0 {
		t.Fatalf("the Journal read %d rows of %d", n, len(es))
	}
	overdue := 0
	for i := range es {
		if es[i].Overdue(s.Today()) {
			overdue++
		}
	}
	if v := frame(a); !strings.Contains(v, fmt.Sprintf("записей: 700 │ просрочено: %d │", overdue)) {
		t.Errorf("the foot does not count 700 entries and %d overdue:\n%s", overdue, v)
	}
	for by := range journalSorts {
		if a.journal.sortBy != by {
			pressKeys(a, a.keys.Sort)
		}
		got := walkJournal(t, a, func() { pressKeys(a, a.keys.Down) })
		if want := wantJournalOrder(es, by, s.Today()); !slices.Equal(got, want) {
			t.Errorf("order %q: %d rows walked, first difference at %d", journalSorts[by], len(got),
				firstDiff(got, want))
		}
	}
	pressKeys(a, a.keys.Sort) // back to newest first
	got := walkJournal(t, a, func() { pressKeys(a, a.keys.PageDown) })
	want := wantJournalOrder(es, 0, s.Today())
	for i, id := range got {
		if at := slices.Index(want, id); at != min(i*a.journal.listHeight(), len(want)-1) {
			t.Fatalf("PgDn %d: on row %d of the list, want %d", i, at, i*a.journal.listHeight())
		}
	}
	if got[len(got)-1] != want[len(want)-1] {
		t.Errorf("PgDn did not reach the last entry")
	}
	pressKeys(a, a.keys.Home)
	if s := a.journal.selected(); s == nil || s.ID != want[0] || !a.journal.atStart {
		t.Errorf("Home: on %v", s)
	}
	pressKeys(a, a.keys.End)
	if s := a.journal.selected(); s == nil || s.ID != want[len(want)-1] || !a.journal.atEnd {
		t.Errorf("End: on %v", s)
	}
	pressKeys(a, a.keys.Up)
	if s := a.journal.selected(); s == nil || s.ID != want[len(want)-2] {
		t.Errorf("End, up: on %v", s)
	}
}

// firstDiff is the first index where a and b differ.
func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestJournalWindow_UpFromEnd: from End, up a row at a time reads the pages before the window, which
// keeps at most listSpan rows, and reaches the first entry through every one.
func TestJournalWindow_UpFromEnd(t *testing.T) {
	s := testStore(t)
	es := bigJournal(t, s, 600)
	a := testApp(t, s)
	want := wantJournalOrder(es, 0, s.Today())
	pressKeys(a, a.keys.End)
	var got []uint64
	for range 700 {
		sel := a.journal.selected()
		if len(got) > 0 && got[len(got)-1] == sel.ID {
			break
		}
		got = append(got, sel.ID)
		if len(a.journal.rows) > listSpan {
			t.Fatalf("the window holds %d rows", len(a.journal.rows))
		}
		pressKeys(a, a.keys.Up)
	}
	slices.Reverse(got)
	if !slices.Equal(got, want) {
		t.Errorf("up from End: %d rows, first difference at %d", len(got), firstDiff(got, want))
	}
}

// TestJournalWindow_ChangeElsewhere: while the clerk is far down the list, other sessions' saves
// reach the window as single entries: one changed in the window is redrawn in place, one new on top
// of the list (outside the window) is counted and the selection stays on its entry, one changed to
// a date that moves it above the window leaves it; the list is not read again.
func TestJournalWindow_ChangeElsewhere(t *testing.T) {
	s := testStore(t)
	es := bigJournal(t, s, 400)
	a := testApp(t, s)
	pressKeys(a, a.keys.End, a.keys.PageUp, a.keys.PageUp)
	sel := *a.journal.selected()
	if a.journal.atStart {
		t.Fatalf("at the end the window still holds the list's start")
	}
	changed := func(id uint64) {
		t.Helper()
		_, cmd := a.Update(changeMsg{cs: []store.Change{{Kind: "journal", ID: id, User: "boris"}}})
		run(a, cmd)
	}
	seq := a.journal.seq
	// The entry below the selected one, edited.
	below := a.journal.rows[a.journal.cursor+1]
	below.Notes = "уточнено"
	below.EmployerName = "ООО «Волга-2»"
	if _, err := s.UpdateJournalEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, below); err != nil {
		t.Fatal(err)
	}
	changed(below.ID)
	if got := a.journal.rows[a.journal.cursor+1]; got.ID != below.ID || got.EmployerName != "ООО «Волга-2»" ||
		a.journal.selected().ID != sel.ID || !strings.Contains(frame(a), "ООО «Волга-2»") {
		t.Errorf("edited below the selection: row %s %q, selected %s\n%s", got.Ref(), got.EmployerName,
			a.journal.selected().Ref(), frame(a))
	}
	// A new entry received today: the list's first, far above the window.
	e := mustJournal(t, s, store.JournalEntry{EmployerName: "АО «Новое»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 11, 20)})
	changed(e.ID)
	if a.journal.selected().ID != sel.ID || len(a.journal.keys) != len(es)+1 ||
		!strings.Contains(frame(a), fmt.Sprintf("записей: %d", len(es)+1)) {
		t.Errorf("a new entry on top: selected %s, %d keys\n%s", a.journal.selected().Ref(), len(a.journal.keys),
			frame(a))
	}
	if a.journal.seq != seq {
		t.Errorf("a change elsewhere read the window again (%d reads)", a.journal.seq-seq)
	}
	// The selected entry itself, moved by another session to today: the selection follows it to the top.
	sel.ReceivedOn = store.NewDate(2026, 11, 19)
	if _, err := s.UpdateJournalEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, sel); err != nil {
		t.Fatal(err)
	}
	changed(sel.ID)
	if got := a.journal.selected(); got == nil || got.ID != sel.ID || got.ReceivedOn != sel.ReceivedOn {
		t.Errorf("the selected entry moved: selected %v", got)
	}
	pressKeys(a, a.keys.Up)
	if got := a.journal.selected(); got == nil || got.ID != e.ID {
		t.Errorf("above the moved entry: %v, want the new one %s", got, e.Ref())
	}
}

// TestJournalWindow_JumpAndEmptyFilter: d goes to a date whose entry lies outside the window read,
// and the window around it is read; a filter that matches nothing shows «Фильтр:», the count 0 and
// why the list is empty, and Esc brings the whole list back.
func TestJournalWindow_JumpAndEmptyFilter(t *testing.T) {
	s := testStore(t)
	es := bigJournal(t, s, 400)
	a := testApp(t, s)
	d := store.NewDate(2026, 2, 1)
	var first *store.JournalEntry // the first registered of those received on d or later
	for i := range es {
		if e := &es[i]; e.ReceivedOn >= d && (first == nil || e.ReceivedOn < first.ReceivedOn ||
			e.ReceivedOn == first.ReceivedOn && e.No < first.No) {
			first = e
		}
	}
	if slices.ContainsFunc(a.journal.rows, func(e store.JournalEntry) bool { return e.ID == first.ID }) {
		t.Fatalf("%s is in the first window already", first.Ref())
	}
	pressKeys(a, a.keys.Jump)
	answer(t, a, d.Ru())
	if got := a.journal.selected(); got == nil || got.ID != first.ID {
		t.Fatalf("d %s: on %v, want %s", d.Ru(), got, first.Ref())
	}
	if v := frame(a); !strings.Contains(v, first.Ref()) {
		t.Errorf("the entry jumped to is not on screen:\n%s", v)
	}
	pressKeys(a, a.keys.Filter)
	typeText(a, "нет такого")
	run(a, a.journal.load()) // the pause after typing
	if v := frame(a); len(a.journal.rows) != 0 || !strings.Contains(v, "Фильтр:") ||
		!strings.Contains(v, "записей: 0 │") || !strings.Contains(v, txtNoRows) {
		t.Errorf("a filter of no match: %d rows\n%s", len(a.journal.rows), v)
	}
	pressKeys(a, a.keys.Down, a.keys.PageDown, a.keys.End, a.keys.Home) // nothing to move to
	pressKeys(a, a.keys.Close)
	if v := frame(a); !strings.Contains(v, fmt.Sprintf("записей: %d │", len(es))) {
		t.Errorf("Esc: the whole list is not back\n%s", v)
	}
}

// TestJournalWindow_ChangeDuringRead: an entry changed elsewhere while the next page is being read
// after the page was read shows as changed once the page comes: the window is read again rather than
// showing the page's copy, and the cursor lands on the row the key asked for.
func TestJournalWindow_ChangeDuringRead(t *testing.T) {
	s := testStore(t)
	es := bigJournal(t, s, 300)
	a := testApp(t, s)
	want := wantJournalOrder(es, 0, s.Today())
	pressKeys(a, a.keys.PageDown)
	for a.journal.cursor < len(a.journal.rows)-1 {
		pressKeys(a, a.keys.Down)
	}
	n := len(a.journal.rows)
	_, fetch := a.Update(keyOf(a.keys.Down)) // the next page's read, not yet run
	if fetch == nil || !a.journal.busy {
		t.Fatalf("down at the window's last row read nothing")
	}
	msg := fetch()                         // read before the change
	next, err := s.JournalEntry(want[n+5]) // in the page, not next to the window
	if err != nil {
		t.Fatal(err)
	}
	next.EmployerName = "ООО «Изменено»"
	if _, err := s.UpdateJournalEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, next); err != nil {
		t.Fatal(err)
	}
	page, ok := msg.(pageMsg[store.JournalEntry])
	if !ok || !slices.ContainsFunc(page.rows, func(e store.JournalEntry) bool { return e.ID == next.ID }) {
		t.Fatalf("the page read is %T without %s", msg, next.Ref())
	}
	run(a, a.applyChanges([]store.Change{{Kind: "journal", ID: next.ID, User: "boris"}}))
	_, cmd := a.Update(page)
	run(a, cmd)
	if sel := a.journal.selected(); sel == nil || sel.ID != want[n] {
		t.Errorf("after the page: selected %+v, want the list's row %d", sel, n)
	}
	if at := slices.IndexFunc(a.journal.rows, func(e store.JournalEntry) bool { return e.ID == next.ID }); at < 0 ||
		a.journal.rows[at].EmployerName != "ООО «Изменено»" {
		t.Errorf("after the page: %s is not shown as changed (row %d)", next.Ref(), at)
	}
	off := a.journal.offset()
	for i, e := range a.journal.rows {
		if off < 0 || e.ID != want[off+i] {
			t.Fatalf("the window does not follow the list at row %d (offset %d)", i, off)
		}
	}
}
