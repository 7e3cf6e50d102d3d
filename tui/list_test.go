package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

var kBack = tea.KeyPressMsg{Code: tea.KeyBackspace}

// answer types text into the open dialog (after clearing what it holds)
// and presses Enter.
func answer(t *testing.T, a *App, text string) {
	t.Helper()
	if a.dialog == nil {
		t.Fatalf("no dialog open:\n%s", frame(a))
	}
	for range a.dialog.inputs[a.dialog.focus].Value() {
		press(a, kBack)
	}
	typeText(a, text)
	press(a, kEnter)
}

// registerNames names the rows of the Register list.
func registerNames(a *App) string {
	var names []string
	for _, e := range a.register.rows {
		names = append(names, e.Employer.Name)
	}
	return strings.Join(names, ", ")
}

// TestLists_RegisterSectionAndOrg: s chooses an OKVED section, o a SOUT organisation (a part of its
// name will do); the foot names both and the count, 0 too; a wrong letter or name says what is wrong
// and changes nothing.
func TestLists_RegisterSectionAndOrg(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 3, 1)))
	farm := volga(store.NewDate(2026, 4, 1))
	farm.Employer = store.Employer{Name: "АО «Нива»", INN: store.INNCheckDigits("631601234"), OKVED: "01.11"}
	farm.SoutOrg = store.SoutOrg{Name: "АО «Эксперт»", RegNo: "77"}
	mustRegister(t, s, farm)
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.SectionFilter)
	answer(t, a, "Я")
	if a.dialog == nil || a.dialog.err != "Раздел ОКВЭД2: «Я» — нет такого раздела, нужна буква от A до U" {
		t.Fatalf("section «Я»: dialog %v", a.dialog)
	}
	answer(t, a, "с") // Cyrillic, as typed on a Russian layout
	if got := registerNames(a); got != "ООО «Волга»" ||
		!strings.Contains(frame(a), "записей: 1 │ все годы │ раздел C") {
		t.Errorf("section C: rows %q\n%s", got, frame(a))
	}
	pressKeys(a, a.keys.OrgFilter)
	answer(t, a, "Ромашка")
	if a.dialog == nil || a.dialog.err != "Организация, проводящая СОУТ: «Ромашка» нет ни в одной записи" {
		t.Fatalf("org «Ромашка»: dialog %v", a.dialog)
	}
	answer(t, a, "экспер")
	if v := frame(a); len(a.register.rows) != 0 ||
		!strings.Contains(v, "записей: 0 │ все годы │ раздел C │ СОУТ: АО «Эксперт»") {
		t.Errorf("section C and АО «Эксперт»: %d rows\n%s", len(a.register.rows), v)
	}
	pressKeys(a, a.keys.SectionFilter)
	answer(t, a, "")
	if got := registerNames(a); got != "АО «Нива»" || strings.Contains(frame(a), "│ раздел") {
		t.Errorf("all sections, АО «Эксперт»: rows %q\n%s", got, frame(a))
	}
	pressKeys(a, a.keys.SectionFilter)
	answer(t, a, "A")
	pressKeys(a, a.keys.Filter)
	typeText(a, "нива")
	pressKeys(a, a.keys.Close) // the text goes first
	if a.register.filter.Value() != "" || a.register.section != "A" {
		t.Errorf("Esc with text: filter %q, section %q", a.register.filter.Value(), a.register.section)
	}
	pressKeys(a, a.keys.Close) // then the section and the organisation
	if v := frame(a); len(a.register.rows) != 2 || !strings.Contains(v, "записей: 2 │ все годы\n") {
		t.Errorf("Esc without text: %d rows, section %q, org %q\n%s", len(a.register.rows), a.register.section,
			a.register.org, v)
	}
}

// TestLists_Period: p asks for a period on both lists (a half-year, a year, empty for all) in the
// store's forms; a wrong one is refused in the dialog with the store's message.
func TestLists_Period(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2025, 5, 5)})
	mustJournal(t, s, store.JournalEntry{EmployerName: "АО «Нива»", EmployerINN: store.INNCheckDigits("631601234")})
	mustRegister(t, s, volga(store.NewDate(2026, 3, 1)))
	mustRegister(t, s, volga(store.NewDate(2026, 8, 1)))
	a := testApp(t, s)
	if len(a.journal.rows) != 1 || !strings.Contains(frame(a), "│ 2026 г. │") {
		t.Fatalf("the Journal opens on this year: %d rows\n%s", len(a.journal.rows), frame(a))
	}
	pressKeys(a, a.keys.Period)
	answer(t, a, "2026H3")
	if want := "Период: «2026H3» не распознан — нужен 2026H1, 2026H2, 2026 или 01.01.2026..31.03.2026"; a.dialog == nil ||
		a.dialog.err != want {
		t.Fatalf("period 2026H3: dialog open %v, error %q, want %q", a.dialog != nil, dialogErr(a), want)
	}
	answer(t, a, "2025H1")
	if len(a.journal.rows) != 1 || a.journal.rows[0].EmployerName != "ООО «Волга»" ||
		!strings.Contains(frame(a), "1-е полугодие 2025 г.") {
		t.Errorf("2025H1: %d rows\n%s", len(a.journal.rows), frame(a))
	}
	pressKeys(a, a.keys.Period)
	answer(t, a, "")
	if len(a.journal.rows) != 2 || !strings.Contains(frame(a), "все годы") {
		t.Errorf("all years: %d rows\n%s", len(a.journal.rows), frame(a))
	}
	pressKeys(a, a.keys.Register, a.keys.Period)
	answer(t, a, "2026П2")
	if len(a.register.rows) != 1 || a.register.rows[0].EnteredOn != store.NewDate(2026, 8, 1) ||
		!strings.Contains(frame(a), "записей: 1 │ 2-е полугодие 2026 г.") {
		t.Errorf("register 2026H2: %d rows\n%s", len(a.register.rows), frame(a))
	}
}

// TestLists_JumpToDate: d moves the cursor to the first entry on or after a date typed as clerks
// type it, in either order of the list; past the last one it says so and stays.
func TestLists_JumpToDate(t *testing.T) {
	s := testStore(t)
	for _, d := range []int{2, 5, 10} {
		mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
			ReceivedOn: store.NewDate(2026, 11, d)})
		mustRegister(t, s, volga(store.NewDate(2026, 10, d)))
	}
	a := testApp(t, s)
	selJ := func() store.Date { return a.journal.selected().ReceivedOn }
	pressKeys(a, a.keys.Jump)
	answer(t, a, "")
	if a.dialog == nil || a.dialog.err != "Дата: не указана" {
		t.Fatalf("empty date: dialog %+v", a.dialog)
	}
	answer(t, a, "3.11.26")
	if got := selJ(); got != store.NewDate(2026, 11, 5) {
		t.Errorf("journal, d 3.11.26: on %s, want 05.11.2026", got.Ru())
	}
	pressKeys(a, a.keys.Sort) // oldest first
	pressKeys(a, a.keys.Jump)
	answer(t, a, "05.11.2026")
	if got := selJ(); got != store.NewDate(2026, 11, 5) || a.journal.cursor != 1 {
		t.Errorf("journal oldest first, d 05.11.2026: on %s (row %d)", got.Ru(), a.journal.cursor)
	}
	pressKeys(a, a.keys.Jump)
	answer(t, a, "11.11.2026")
	if got := selJ(); got != store.NewDate(2026, 11, 5) ||
		!strings.Contains(frame(a), "Записей с 11.11.2026 и позже в списке нет") {
		t.Errorf("journal, d past the last: on %s\n%s", got.Ru(), frame(a))
	}
	selR := func() store.Date { return a.register.selected().EnteredOn }
	pressKeys(a, a.keys.Register, a.keys.Jump)
	answer(t, a, "3-10-2026")
	if got := selR(); got != store.NewDate(2026, 10, 5) || a.register.cursor != 1 {
		t.Errorf("register, d 3-10-2026: on %s (row %d)", got.Ru(), a.register.cursor)
	}
	pressKeys(a, a.keys.Sort, a.keys.Jump)
	answer(t, a, "6.10.2026")
	if got := selR(); got != store.NewDate(2026, 10, 10) || a.register.cursor != 2 ||
		!strings.Contains(frame(a), "по дате ↑") {
		t.Errorf("register oldest first, d 6.10.2026: on %s (row %d)\n%s", got.Ru(), a.register.cursor, frame(a))
	}
	pressKeys(a, a.keys.Jump)
	answer(t, a, "1.1.2027")
	if !strings.Contains(frame(a), "Записей с 01.01.2027 и позже в списке нет") {
		t.Errorf("register, d past the last:\n%s", frame(a))
	}
}

// TestLists_JournalSort: t goes through the Journal's orders: date both ways, number, employer,
// status (the overdue first); the foot names the order; a change from elsewhere lands in its place.
func TestLists_JournalSort(t *testing.T) {
	s := testStore(t)
	mk := func(name string, d int) store.JournalEntry {
		return mustJournal(t, s, store.JournalEntry{EmployerName: name, EmployerINN: "7707083893",
			ReceivedOn: store.NewDate(2026, 11, d)})
	}
	mk("ООО «Берёза»", 10)    // №1
	mk("АО «Ёлка»", 3)        // №2
	c := mk("ООО «Вишня»", 7) // №3
	_, err := returnBack(s, c.ID, c.Version, "неполный пакет", store.NewDate(2026, 11, 12))
	if err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	order := func() string {
		var refs []string
		for _, e := range a.journal.rows {
			refs = append(refs, e.Ref())
		}
		return strings.Join(refs, " ")
	}
	for i, want := range []string{"1/2026 3/2026 2/2026", "2/2026 3/2026 1/2026", "1/2026 2/2026 3/2026",
		"2/2026 1/2026 3/2026", "3/2026 1/2026 2/2026"} {
		if got := order(); got != want {
			t.Errorf("order %d (%s): %s, want %s", i, journalSorts[i], got, want)
		}
		if foot := frame(a); i > 0 && !strings.Contains(foot, journalSorts[i]) {
			t.Errorf("order %d: the foot does not name it:\n%s", i, foot)
		}
		pressKeys(a, a.keys.Sort)
	}
	// By employer: a new entry from another session lands in its place.
	pressKeys(a, a.keys.Sort, a.keys.Sort, a.keys.Sort)
	if a.journal.sortBy != 3 {
		t.Fatalf("sortBy %d, want 3", a.journal.sortBy)
	}
	e := mk("ООО «Аист»", 1)
	a.Update(journalEntriesMsg{es: []store.JournalEntry{e}})
	if got := order(); got != "2/2026 4/2026 1/2026 3/2026" {
		t.Errorf("by employer after a new entry: %s", got)
	}
}

// TestListFoot: the foot line breaks between parts onto a second line rather than cutting a filter;
// only what does not fit on two lines is cut, with «…».
func TestListFoot(t *testing.T) {
	for _, c := range []struct {
		w    int
		want []string
	}{
		{80, []string{"Фильтр: нет │ записей: 0 │ все годы │ раздел C"}},
		{30, []string{"Фильтр: нет │ записей: 0", "все годы │ раздел C"}},
		{14, []string{"Фильтр: нет", "записей: 0 │ …"}},
	} {
		got := listFoot(c.w, "Фильтр: нет", "записей: 0", "все годы", "раздел C")
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("listFoot(%d) = %q, want %q", c.w, got, c.want)
		}
	}
}

// TestLists_RegisterColumnsByWidth: point 9: the Register list shows the SOUT organisation when there
// is room and drops it first (then the INN) at 80 columns, never cutting the name below 24 cells.
func TestLists_RegisterColumnsByWidth(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 3, 1)))
	a := testApp(t, s)
	pressKeys(a, a.keys.Register)
	if v := frame(a); !strings.Contains(v, "ООО «Центр") || !strings.Contains(v, "7707083893") {
		t.Errorf("at 100 columns the organisation and the INN are shown:\n%s", v)
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := frame(a)
	if strings.Contains(v, "ООО «Центр") || strings.Contains(v, "7707083893") || !strings.Contains(v, "25.11") {
		t.Errorf("at 80 columns the organisation and the INN go, OKVED stays:\n%s", v)
	}
}
