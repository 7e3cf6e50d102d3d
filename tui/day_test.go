package tui

import (
	"context"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sout/store"
)

// TestDay_JournalHelpLine: at 80 columns the Journal's help line shows its
// main keys (s p d t c among them) in two lines, in order of importance.
func TestDay_JournalHelpLine(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Journal)
	lines := strings.Split(frame(a), "\n")
	help := strings.Join(lines[len(lines)-3:len(lines)-1], " \n ")
	last := -1
	for _, want := range []string{"n/Ins ", "Enter ", " a ", " r ", " g ", " x ", " / ", " s статус", " p период",
		" d к дате", " t сортировка", " c копия"} {
		at := strings.Index(help, want)
		if at < 0 || at < last {
			t.Fatalf("the help line lacks %q or has it out of order:\n%s", want, help)
		}
		last = at
	}
	for _, l := range lines[len(lines)-3 : len(lines)-1] {
		if width(l) > 80 {
			t.Errorf("help line wider than 80: %q", l)
		}
	}
}

// TestDay_RevokeLockedRefusedAtOnce: u on an accepted entry whose register
// entry lies in a locked period is refused in the status line, no dialog.
func TestDay_RevokeLockedRefusedAtOnce(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	r := volga(store.NewDate(2026, 3, 3))
	r.JournalID = j.ID
	mustRegister(t, s, r)
	if err := s.LockPeriod(testHead, store.HalfYear(2026, 1), ""); err != nil {
		t.Fatal(err)
	}
	a := headApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Revoke)
	want := "Период «1-е полугодие 2026 г.» заблокирован (olga, 20.11.2026): отменить принятие записи № 1/2026 нельзя"
	if a.dialog != nil || a.status != want {
		t.Errorf("u in a locked period: dialog %v, status %q, want %q", a.dialog != nil, a.status, want)
	}
	if got, _ := s.JournalEntry(j.ID); got.Status != store.StatusAccepted {
		t.Errorf("the entry changed: %s", got.Status)
	}
}

// TestDay_PeriodMessagesAsTyped: the period dialog names what is wrong with
// the dates as the clerk typed them, «Поле: что не так», no ISO dates.
func TestDay_PeriodMessagesAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"01.01.2026..":           "Период: нужны обе даты, например 01.01.2026..31.03.2026 (введено «01.01.2026..»)",
		"32.01.2026..01.02.2026": "Период, начало: «32.01.2026» не существует: в этом месяце нет 32-го числа",
		"01.01.2026..1.13.2026":  "Период, конец: «1.13.2026» — нет месяца 13",
		"01.03.2026..01.02.2026": "Период: конец 01.02.2026 раньше начала 01.03.2026",
		"2026h3":                 "Период: «2026h3» не распознан — нужен 2026H1, 2026H2, 2026 или 01.01.2026..31.03.2026",
	} {
		s := testStore(t)
		a := testApp(t, s)
		pressKeys(a, a.keys.Journal, a.keys.Period)
		answer(t, a, in)
		if got := dialogErr(a); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
		if strings.Contains(dialogErr(a), "2026-") {
			t.Errorf("%s: an ISO date in %q", in, dialogErr(a))
		}
	}
}

// dialogErr is the open dialog's error, "" when none is open.
func dialogErr(a *App) string {
	if a.dialog == nil {
		return ""
	}
	return a.dialog.err
}

// TestDay_DialogHelpSaysWhatEnterDoes: in a dialog of two fields Enter
// moves on from the first (Ctrl+S does the action) and does it on the last.
func TestDay_DialogHelpSaysWhatEnterDoes(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Return)
	help := func() string { lines := strings.Split(frame(a), "\n"); return strings.Join(lines[len(lines)-3:], "\n") }
	if h := help(); !strings.Contains(h, "Enter/Tab след. поле") || !strings.Contains(h, "Ctrl+S вернуть на доработку") ||
		strings.Contains(h, "Enter вернуть") {
		t.Errorf("return dialog, first field:\n%s", h)
	}
	pressKeys(a, a.keys.Next)
	if h := help(); !strings.Contains(h, "Enter вернуть на доработку") {
		t.Errorf("return dialog, last field:\n%s", h)
	}
}

// TestDay_FullHelpHasEveryKey walks what each screen and card takes: every
// one of those keys appears in its full help (?, F12 in a card).
func TestDay_FullHelpHasEveryKey(t *testing.T) {
	s := testStore(t)
	mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	a := headApp(t, s)
	k := a.keys
	global := []key.Binding{k.Journal, k.Register, k.Lookup, k.Summary, k.Risks, k.Quit}
	moves := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	full := func() string { return strings.Join(strings.Fields(ansi.Strip(a.help.View(a.helpKeys()))), " ") }
	check := func(where string, bs []key.Binding) {
		t.Helper()
		a.help.ShowAll = true
		h := full()
		var missing []string
		for _, b := range bs {
			if want := b.Help().Key + " " + strings.Join(strings.Fields(b.Help().Desc), " "); !strings.Contains(h, want) {
				missing = append(missing, want)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: the full help lacks %q:\n%s", where, missing, h)
		}
		a.help.ShowAll = false
	}
	pressKeys(a, k.Journal)
	check("Журнал", append(append([]key.Binding{k.New, k.Open, k.Accept, k.Return, k.Resubmit, k.Annul, k.Filter,
		k.StatusFilter, k.Period, k.Jump, k.Sort, k.Copy, k.Revoke, k.Help}, moves...), global...))
	pressKeys(a, k.Summary)
	check("Сводная", append(append([]key.Binding{k.PrevPeriod, k.NextPeriod, k.ColsRight, k.ColsLeft, k.WriteXLSX,
		k.WriteCSV, k.LockPeriod, k.Settings}, moves...), global...))
	pressKeys(a, k.Register, k.Open)
	if _, ok := a.card.(*registerCard); !ok {
		t.Fatalf("no register card: %T", a.card)
	}
	check("карточка реестра", append([]key.Binding{k.Save, k.Next, k.Prev, k.Close, k.History, problemsDownKey,
		problemsUpKey, orgTakeKey, orgNextKey, orgPrevKey, gridMoveKey, gridTypeKey, gridEndsKey, fieldEnterKey,
		fieldUpDownKey, k.HelpKey}, global...))
	pressKeys(a, k.Close, k.Journal, k.Open)
	if _, ok := a.card.(*journalCard); !ok {
		t.Fatalf("no journal card: %T", a.card)
	}
	check("карточка журнала", []key.Binding{k.Save, k.Next, k.Prev, k.Close, k.History, orgNextKey, orgPrevKey,
		fieldEnterKey})
}

// TestDay_AnnulledWhileOpen: a card whose record the head annulled
// meanwhile says so on save, by whom and when, and turns read-only.
func TestDay_AnnulledWhileOpen(t *testing.T) {
	s := testStore(t)
	r := mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Open)
	c, ok := a.card.(*registerCard)
	if !ok {
		t.Fatalf("card = %T, status %q:\n%s", a.card, a.status, frame(a))
	}
	if _, err := s.AnnulRegisterEntry(testHead, r.ID, r.Version, "двойная запись"); err != nil {
		t.Fatal(err)
	}
	c.setFocus(rfAddress)
	typeText(a, ", д. 2")
	pressKeys(a, a.keys.Save)
	want := "Запись аннулирована (olga, 20.11.2026: двойная запись) — ваши изменения не сохранены; " +
		"карточка теперь только для просмотра"
	if c, ok = a.card.(*registerCard); !ok { // the record as stored, read-only
		t.Fatalf("card after the save = %T", a.card)
	}
	if c.saveErr != want || c.readOnlyText() == "" {
		t.Errorf("register card after save: %q (read-only %q), want %q", c.saveErr, c.readOnlyText(), want)
	}

	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Нива»", EmployerINN: "7707083893"})
	pressKeys(a, a.keys.Close, a.keys.Journal) // a read-only card closes without asking
	run(a, a.journal.load())                   // the change subscription does it in a session
	pressKeys(a, a.keys.Open)
	jc, ok := a.card.(*journalCard)
	if !ok {
		t.Fatalf("card = %T", a.card)
	}
	if _, err := s.AnnulJournalEntry(testHead, j.ID, j.Version, "ошибочно"); err != nil {
		t.Fatal(err)
	}
	jc.focus = jfNotes
	run(a, jc.fields.focus(jfNotes))
	typeText(a, "x")
	pressKeys(a, a.keys.Save)
	if jc, ok = a.card.(*journalCard); !ok {
		t.Fatalf("card after the save = %T", a.card)
	}
	if !strings.Contains(jc.saveErr, "Запись аннулирована (olga, 20.11.2026: ошибочно)") || jc.readOnly() == "" {
		t.Errorf("journal card after save: %q (read-only %q)", jc.saveErr, jc.readOnly())
	}
}

// TestDay_ResubmitAndImportInHistory: the audit of g names the day of
// re-receipt; a record the import created has that import in its history
// (F8 and `sout audit --record`), not «истории нет».
func TestDay_ResubmitAndImportInHistory(t *testing.T) {
	s := testStore(t)
	im, err := s.BeginImport(context.Background(), testClerk, "журнал.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddJournal([]store.JournalEntry{{No: 1, Year: 2026, ReceivedOn: store.NewDate(2026, 11, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"}}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	j, err := s.JournalByNo(2026, 1)
	if err != nil {
		t.Fatal(err)
	}
	if j, err = s.ReturnJournalEntry(testClerk, j.ID, j.Version, "нет карт", store.NewDate(2026, 12, 20)); err != nil {
		t.Fatal(err)
	}
	if _, err = s.ResubmitJournalEntry(testClerk, j.ID, j.Version, store.NewDate(2026, 11, 20)); err != nil {
		t.Fatal(err)
	}
	recs, err := s.History("journal", j.ID)
	if err != nil || len(recs) != 3 {
		t.Fatalf("history: %d records, %v; want the import, the return, the re-receipt", len(recs), err)
	}
	if recs[0].CreatedByImport() != "создана импортом: «журнал.xlsx»" {
		t.Errorf("first record %q", recs[0].CreatedByImport())
	}
	if recs[2].Note != "1/2026: повторно поступило 20.11.2026" {
		t.Errorf("re-receipt note %q", recs[2].Note)
	}
	lines := strings.Join(historyLines(recs, true), "\n")
	if !strings.Contains(lines, "anna  создана импортом: «журнал.xlsx»") {
		t.Errorf("F8 lacks the import:\n%s", lines)
	}
}

// TestDay_YearLockCoversHalfYear: a past half-year inside a locked year
// shows the lock, no «просрочено», and l unlocks the year itself.
func TestDay_YearLockCoversHalfYear(t *testing.T) {
	s := testStore(t)
	if err := s.LockPeriod(testHead, store.Period{From: store.NewDate(2026, 1, 1), To: store.NewDate(2026, 12, 31)},
		""); err != nil {
		t.Fatal(err)
	}
	a := headApp(t, s)
	pressKeys(a, a.keys.Summary, a.keys.PrevPeriod)
	v := frame(a)
	if !strings.Contains(v, "1-е полугодие 2026 г.") || !strings.Contains(v, "заблокирован: olga, 20.11.2026") ||
		strings.Contains(v, "просрочено") {
		t.Errorf("2026H1 in a locked 2026:\n%s", v)
	}
	pressKeys(a, a.keys.LockPeriod, a.keys.Confirm)
	if locks, _ := s.Locks(); len(locks) != 0 {
		t.Errorf("l on a half-year of a locked year left %+v", locks)
	}
}
