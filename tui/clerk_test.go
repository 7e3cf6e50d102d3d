package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// keyOf is the key press of binding b's first key, as a terminal sends it.
func keyOf(b key.Binding) tea.KeyPressMsg {
	k := b.Keys()[0]
	named := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
		"down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "delete": tea.KeyDelete, "insert": tea.KeyInsert,
		"f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4, "f5": tea.KeyF5, "f10": tea.KeyF10,
		"f12": tea.KeyF12}
	switch {
	case named[k] != 0:
		return tea.KeyPressMsg{Code: named[k]}
	case k == "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case strings.HasPrefix(k, "ctrl+"):
		r, _ := utf8.DecodeRuneInString(k[5:])
		return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl}
	}
	r, _ := utf8.DecodeRuneInString(k)
	return tea.KeyPressMsg{Code: r, Text: k}
}

// pressKeys presses the bindings' keys in order.
func pressKeys(a *App, bs ...key.Binding) {
	for _, b := range bs {
		press(a, keyOf(b))
	}
}

func mustJournal(t *testing.T, s *store.Store, e store.JournalEntry) store.JournalEntry {
	t.Helper()
	if e.ReceivedOn == 0 {
		e.ReceivedOn = store.NewDate(2026, 11, 2)
	}
	if e.SoutOrgName == "" {
		e.SoutOrgName = "ООО «Центр охраны труда»"
	}
	j, err := s.CreateJournalEntry(testClerk, e)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mustRegister(t *testing.T, s *store.Store, e store.RegisterEntry) store.RegisterEntry {
	t.Helper()
	r, err := s.SaveRegisterEntry(testClerk, e)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func volga(on store.Date) store.RegisterEntry {
	e := store.RegisterEntry{EnteredOn: on,
		Employer: store.Employer{Name: "ООО «Волга»", Address: "г. Самара, ул. Мира, 1", INN: "7707083893",
			OGRN: "1027700132195", OKVED: "25.11"},
		SoutOrg: store.SoutOrg{Name: "ООО «Центр охраны труда»", RegNo: "123"}}
	e.Grid[store.ColTotal][store.RowWorkplaces], e.Grid[store.ColAssessed][store.RowWorkplaces] = 10, 10
	e.Grid[store.ColClass2][store.RowWorkplaces] = 10
	e.Grid[store.ColTotal][store.RowWorkers], e.Grid[store.ColAssessed][store.RowWorkers] = 12, 12
	e.Grid[store.ColClass2][store.RowWorkers] = 12
	return e
}

// TestClerk_AcceptFillsEmployerBlock: point 1: accepting a package fills the whole employer block from the
// employer's last known card.
func TestClerk_AcceptFillsEmployerBlock(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 3, 1)))
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Accept)
	c, ok := a.card.(*registerCard)
	if !ok {
		t.Fatalf("accept opened %T", a.card)
	}
	for f, want := range map[int]string{rfAddress: "г. Самара, ул. Мира, 1", rfOGRN: "1027700132195", rfOKVED: "25.11",
		rfName: "ООО «Волга»"} {
		if got := c.fields.value(f); got != want {
			t.Errorf("field %s = %q, want %q", registerLabels[f], got, want)
		}
	}
	// What the card filled itself is not the clerk's change: Esc closes it
	// without asking; so does a copy nobody touched. One digit typed asks.
	pressKeys(a, a.keys.Close)
	if a.card != nil || a.dialog != nil {
		t.Fatalf("Esc on an untouched accept card: card %T, dialog %v", a.card, a.dialog != nil)
	}
	pressKeys(a, a.keys.Register, a.keys.Copy, a.keys.Close)
	if a.card != nil || a.dialog != nil {
		t.Fatalf("Esc on an untouched copy: card %T, dialog %v", a.card, a.dialog != nil)
	}
	pressKeys(a, a.keys.Journal, a.keys.Accept)
	typeText(a, "1")
	pressKeys(a, a.keys.Close)
	if a.dialog == nil {
		t.Fatalf("Esc after typing in an accept card did not ask:\n%s", frame(a))
	}
}

// TestClerk_AnnulledAndRefusals: points 2 and 5: annulled entries are read-only; x on an accepted entry
// refuses at once, before any dialog; the reason shows on the card.
func TestClerk_AnnulledAndRefusals(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	if _, err := s.AnnulJournalEntry(testClerk, j.ID, j.Version, "подано повторно"); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Annul)
	if a.dialog != nil || a.status != "Аннулировать можно только поступившую или возвращённую запись (эта: аннулировано)" {
		t.Errorf("x on an annulled entry: dialog %v, status %q", a.dialog != nil, a.status)
	}
	pressKeys(a, a.keys.Open)
	if v := frame(a); !strings.Contains(v, "Аннулирована 20.11.2026 (anna): подано повторно — только для просмотра") {
		t.Errorf("annulled card:\n%s", v)
	}
	typeText(a, "X")
	pressKeys(a, a.keys.Save)
	if got, _ := s.JournalEntry(j.ID); got.Version != j.Version+1 || got.EmployerName != "ООО «Волга»" {
		t.Errorf("an annulled entry was changed: %+v", got)
	}
	if a.status != "Аннулирована 20.11.2026 (anna): подано повторно — только для просмотра" {
		t.Errorf("typing in an annulled card: status %q", a.status)
	}
}

// TestClerk_UnchangedSaveDoesNothing: point 6: saving an unchanged card writes nothing.
func TestClerk_UnchangedSaveDoesNothing(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	r := mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Open, a.keys.Save)
	if got, _ := s.JournalEntry(j.ID); got.Version != j.Version || a.status != txtNothingToSave {
		t.Errorf("journal: version %d (was %d), status %q", got.Version, j.Version, a.status)
	}
	pressKeys(a, a.keys.Close, a.keys.Register, a.keys.Open, a.keys.Save)
	if got, _ := s.RegisterEntry(r.ID); got.Version != r.Version || a.status != txtNothingToSave {
		t.Errorf("register: version %d (was %d), status %q", got.Version, r.Version, a.status)
	}
}

// TestClerk_LockedCardIsReadOnly: point 4: an entry in a locked period opens read-only, with who locked it.
func TestClerk_LockedCardIsReadOnly(t *testing.T) {
	s := testStore(t)
	r := mustRegister(t, s, volga(store.NewDate(2026, 3, 2)))
	if err := s.LockPeriod(store.Actor{Name: "olga", Role: store.RoleHead}, store.HalfYear(2026, 1), ""); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Open)
	want := "Период «1-е полугодие 2026 г.» заблокирован (olga, 20.11.2026): запись только для просмотра"
	if v := frame(a); !strings.Contains(v, want) {
		t.Errorf("locked card has no banner %q:\n%s", want, v)
	}
	typeText(a, "5")
	pressKeys(a, a.keys.Save)
	if got, _ := s.RegisterEntry(r.ID); got.Version != r.Version {
		t.Errorf("a locked entry was changed")
	}
	if a.status != want {
		t.Errorf("status %q, want %q", a.status, want)
	}
	// Back on the list, the status line says the current half-year is open
	// and names the blocked one (it read as if the current one were blocked).
	pressKeys(a, a.keys.Close)
	if v := frame(a); !strings.Contains(v, "текущее полугодие открыто; заблокировано: 2026H1") {
		t.Errorf("status line on the list:\n%s", v)
	}
}

// TestClerk_InputAsTyped: point 7: input as clerks type it; one message per problem; the refusal
// goes once the errors are fixed.
func TestClerk_InputAsTyped(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.New)
	c := a.card.(*journalCard)
	typeText(a, "7707 083 893")
	if v := frame(a); !strings.Contains(v, txtINNValid) {
		t.Errorf("an INN with spaces is refused:\n%s", v)
	}
	pressKeys(a, a.keys.Save)
	if c.saveErr != txtSaveRefused {
		t.Fatalf("incomplete card saved: %q", c.saveErr)
	}
	press(a, kTab)
	typeText(a, "ООО «Рассвет»")
	press(a, kTab)
	typeText(a, "ООО «Аудит-Труд»")
	if c.saveErr != "" {
		t.Errorf("the refusal stays after the errors are fixed: %q", c.saveErr)
	}
	press(a, kTab, kTab)
	typeText(a, "1.11.20")
	if got := c.problems.For(store.FieldLetterDate); len(got) != 0 {
		t.Errorf("1.11.20: %v", got)
	}
	typeText(a, "2")
	if got := c.problems.For(store.FieldLetterDate); len(got) != 1 {
		t.Errorf("1.11.202 gives %d messages, want one: %v", len(got), got)
	}
	pressKeys(a, a.keys.Save)
	typeText(a, "6")
	press(a, kSave)
	e, err := s.JournalEntry(1)
	if err != nil || e.EmployerINN != "7707083893" || e.LetterDate != store.NewDate(2026, 11, 1) {
		t.Errorf("saved %+v, %v", e, err)
	}
}

// TestClerk_FilterNeverTraps: point 8: the filter line and the count always show (0 too); Esc clears
// a kept filter; `/` edits it, its text kept.
func TestClerk_FilterNeverTraps(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Filter)
	typeText(a, "нетакого")
	run(a, func() tea.Msg { return filterPausedMsg{"journal", a.journal.filter.seq} })
	pressKeys(a, a.keys.Open) // leave the filter, kept
	v := frame(a)
	if !strings.Contains(v, "Фильтр: нетакого") || !strings.Contains(v, "записей: 0") {
		t.Errorf("a filter with no match hides the filter line or the count:\n%s", v)
	}
	pressKeys(a, a.keys.Filter)
	typeText(a, "!")
	if got := a.journal.filter.Value(); got != "нетакого!" {
		t.Errorf("/ then typing: filter %q, want the kept text edited", got)
	}
	pressKeys(a, a.keys.Open, a.keys.Close)
	if got := a.journal.filter.Value(); got != "" || len(a.journal.rows) != 1 {
		t.Errorf("Esc on a kept filter: filter %q, %d rows; want cleared and 1", got, len(a.journal.rows))
	}
}

// TestClerk_ListColumnsByPriority: point 9: at 80 columns the journal list drops the INN before the name
// gets narrow; at 120 it shows everything.
func TestClerk_ListColumnsByPriority(t *testing.T) {
	j := []colSpec{{w: 9}, {w: 10}, {share: 11, min: 20}, {w: 12, drop: 1}, {share: 9, min: 14, drop: 2}, {w: 16}}
	for _, c := range []struct {
		w    int
		want []int
	}{
		{80, []int{9, 10, 22, 0, 19, 16}},
		{120, []int{9, 10, 37, 12, 31, 16}},
		{60, []int{9, 10, 22, 0, 0, 16}},
	} {
		got := layoutCols(c.w, j)
		if !slicesEqual(got, c.want) {
			t.Errorf("layoutCols(%d) = %v, want %v", c.w, got, c.want)
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestClerk_LookupCardLiveAndOpens: points 10 and 11: the F3 card follows changes, and its rows open their
// records with Enter.
func TestClerk_LookupCardLiveAndOpens(t *testing.T) {
	s := testStore(t)
	for range 4 {
		mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Lookup)
	typeText(a, "7707083893")
	run(a, a.lookup.search())
	run(a, func() tea.Msg { return searchTickMsg{a.lookup.seq} })
	pressKeys(a, a.keys.Open)
	if v := frame(a); !strings.Contains(v, "Журнал (4)") {
		t.Fatalf("F3 card:\n%s", v)
	}
	e := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга-5»", EmployerINN: "7707083893"})
	run(a, a.applyChanges([]store.Change{{Kind: "journal", ID: e.ID, User: "boris"}}))
	if v := frame(a); !strings.Contains(v, "Журнал (5)") {
		t.Errorf("the F3 card went stale after a fifth entry:\n%s", v)
	}
	pressKeys(a, a.keys.Down, a.keys.Open)
	c, ok := a.card.(*journalCard)
	if !ok || c.orig == nil || c.orig.ID != a.lookup.detail.Journal[1].ID {
		t.Fatalf("Enter on the second journal row opened %T", a.card)
	}
	pressKeys(a, a.keys.Close)
	if a.active != scrLookup || a.card != nil {
		t.Errorf("closing the card left the look-up: screen %d", a.active)
	}
}

// TestClerk_History: points 2 and 15: a card shows its status history, and F8 its history
// from the audit (who, when, each field from → to); Esc goes back.
func TestClerk_History(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	j.EmployerName = "ООО «Волга-2»"
	j, err := s.UpdateJournalEntry(testClerk, j)
	if err != nil {
		t.Fatal(err)
	}
	if j, err = returnBack(s, j.ID, j.Version, "неполный пакет",
		store.NewDate(2026, 12, 20)); err != nil {
		t.Fatal(err)
	}
	if _, err = s.ResubmitJournalEntry(testClerk, j.ID, j.Version, 0); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Open)
	note := "История статуса: возвращено 20.11.2026 до 20.12.2026: неполный пакет; повторно поступило 20.11.2026"
	if v := frame(a); !strings.Contains(v, note) {
		t.Errorf("no status history on the card:\n%s", v)
	}
	back := a.card
	pressKeys(a, a.keys.History)
	v := frame(a)
	// The status lines come from the entry's events, newest first, the
	// field changes from the audit, without the status fields again.
	want := strings.Join([]string{"История: Запись журнала № 1/2026", "", "История статуса:",
		"20.11.2026  anna  поступило повторно", "20.11.2026  anna  возвращено на доработку",
		"    Причина: неполный пакет", "    Срок доработки: 20.12.2026", "", "Изменения полей:",
		"20.11.2026 10:30  anna  изменена", "    Наименование работодателя: ООО «Волга» → ООО «Волга-2»",
		"20.11.2026 10:30  anna  создана"}, "\n")
	if !strings.Contains(v, want) {
		t.Errorf("history lacks\n%s\nin:\n%s", want, v)
	}
	for _, not := range []string{"Статус:", "возвращена на доработку", "Срок доработки: —"} {
		if strings.Contains(v, not) {
			t.Errorf("history repeats the status from the audit (%q):\n%s", not, v)
		}
	}
	pressKeys(a, a.keys.Close)
	if a.card != back {
		t.Errorf("Esc in the history did not go back to the card")
	}
}

// TestClerk_StatusFilterAndCopy: points 3 and 12: s filters the Journal by status, the overdue returns
// first; c copies an entry into a new card.
func TestClerk_StatusFilterAndCopy(t *testing.T) {
	s := testStore(t)
	late := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	if _, err := returnBack(s, late.ID, late.Version, "неполный пакет",
		store.NewDate(2026, 11, 10)); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Рассвет»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.StatusFilter)
	if len(a.journal.rows) != 1 || a.journal.rows[0].ID != late.ID || !strings.Contains(frame(a), txtStatusOverdue) {
		t.Errorf("overdue filter: %d rows\n%s", len(a.journal.rows), frame(a))
	}
	pressKeys(a, a.keys.Copy)
	c, ok := a.card.(*journalCard)
	if !ok || c.orig != nil || c.fields.value(jfName) != "ООО «Волга»" ||
		c.fields.value(jfOrg) != "ООО «Центр охраны труда»" ||
		c.fields.value(jfReceived) != "20.11.2026" {
		t.Fatalf("c opened %T", a.card)
	}
}

// TestClerk_Settings: point 14: the Summary says which settings the forms lack; the head sets
// them in a dialog (o); a clerk is told at once that it is not theirs.
func TestClerk_Settings(t *testing.T) {
	s := testStore(t)
	c := testApp(t, s)
	pressKeys(c, c.keys.Summary, c.keys.Settings)
	if c.dialog != nil || c.status != "Изменение настроек: недостаточно прав (пользователь anna, роль «специалист»; "+
		"нужна роль «руководитель» или «администратор»)" {
		t.Errorf("o for a clerk: dialog %v, status %q", c.dialog != nil, c.status)
	}
	if v := frame(c); !strings.Contains(v, "! В бланках не будет: Субъект РФ, Инспекция") {
		t.Errorf("no warning of missing settings:\n%s", v)
	}
	a := New(s, Config{Actor: store.Actor{Name: "olga", Role: store.RoleHead}, DBPath: "sout.db"}).(*App)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(a, a.Init())
	pressKeys(a, a.keys.Summary, a.keys.Settings)
	for i, v := range []string{"Самарская область", "ГИТ в Самарской области", "Иванов И. И.", "Петрова А. А.",
		"8 846 000-00-00"} {
		typeText(a, v)
		if i < 4 {
			pressKeys(a, a.keys.Next)
		}
	}
	press(a, kEnter)
	got, _ := s.Settings()
	if got.Region != "Самарская область" || got.Phone != "8 846 000-00-00" || a.dialog != nil {
		t.Errorf("settings = %+v, dialog open %v", got, a.dialog != nil)
	}
}

// TestClerk_FKeyFromChangedCard: point 8: F1–F5 from a changed card ask what to do with it: Esc keeps
// the card, Enter drops the changes and goes, Ctrl+S saves and goes.
func TestClerk_FKeyFromChangedCard(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Open)
	typeText(a, "-2")
	pressKeys(a, a.keys.Register)
	if a.dialog == nil || a.card == nil || a.active != scrJournal {
		t.Fatalf("F2 from a changed card: dialog %v, card %T, screen %d", a.dialog != nil, a.card, a.active)
	}
	pressKeys(a, a.keys.Cancel)
	if a.dialog != nil || a.card == nil {
		t.Fatalf("Esc did not go back to the card")
	}
	pressKeys(a, a.keys.Register, a.keys.Save)
	if a.card != nil || a.active != scrRegister {
		t.Errorf("Ctrl+S: card %T, screen %d; want saved and on the Register", a.card, a.active)
	}
	if e, _ := s.JournalEntry(1); e.EmployerName != "ООО «Волга»-2" {
		t.Errorf("saved name %q", e.EmployerName)
	}
	pressKeys(a, a.keys.Journal, a.keys.Open)
	typeText(a, "-3")
	pressKeys(a, a.keys.Lookup, a.keys.Confirm)
	if a.card != nil || a.active != scrLookup {
		t.Errorf("Enter: card %T, screen %d; want dropped and on the look-up", a.card, a.active)
	}
	if e, _ := s.JournalEntry(1); e.EmployerName != "ООО «Волга»-2" {
		t.Errorf("dropped changes were saved: %q", e.EmployerName)
	}
}
