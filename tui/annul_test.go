package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

var testHead = store.Actor{Name: "olga", Role: store.RoleHead}

// headApp is testApp for the head.
func headApp(t *testing.T, s *store.Store) *App {
	t.Helper()
	a := testApp(t, s)
	run(a, func() tea.Msg { return RoleChangedMsg{Role: store.RoleHead} })
	a.cfg.Actor.Name, a.sh.cfg.Actor.Name = testHead.Name, testHead.Name
	return a
}

// TestAnnul_RegisterEntry: issue 15 point 3: the head annuls a register
// entry with a reason; it stays listed, marked, and opens read-only with
// who, when and why; a clerk is refused at once.
func TestAnnul_RegisterEntry(t *testing.T) {
	s := testStore(t)
	r := mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	clerk := testApp(t, s)
	pressKeys(clerk, clerk.keys.Register, clerk.keys.Annul)
	want := "Аннулирование записи реестра: недостаточно прав (пользователь anna, роль «специалист»; " +
		"нужна роль «руководитель» или «администратор»)"
	if clerk.dialog != nil || clerk.status != want {
		t.Errorf("x by a clerk: dialog %v, status %q, want %q", clerk.dialog != nil, clerk.status, want)
	}

	a := headApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Annul)
	if a.dialog == nil || !strings.Contains(frame(a), "Аннулировать запись реестра ООО «Волга» от 03.11.2026") {
		t.Fatalf("x by the head asks no reason:\n%s", frame(a))
	}
	pressKeys(a, a.keys.Confirm) // no reason: the store refuses, the dialog stays
	if a.dialog == nil || !strings.Contains(frame(a), "Причина аннулирования: не указана") {
		t.Fatalf("annul without a reason:\n%s", frame(a))
	}
	typeText(a, "внесена по ошибке")
	pressKeys(a, a.keys.Confirm)
	got, _ := s.RegisterEntry(r.ID)
	if !got.IsAnnulled() || got.Annulled.Reason != "внесена по ошибке" || got.Annulled.By != "olga" {
		t.Fatalf("after annul: %+v", got.Annulled)
	}
	if a.status != "Запись реестра ООО «Волга» от 03.11.2026 аннулирована" {
		t.Errorf("status %q", a.status)
	}
	run(a, a.register.reload()) // the change subscription does it in a session
	if v := frame(a); !strings.Contains(v, txtRegAnnulMark+"ООО «Волга»") {
		t.Errorf("the list does not mark the annulled entry:\n%s", v)
	}
	pressKeys(a, a.keys.Annul)
	if a.dialog != nil || a.status != "Запись реестра уже аннулирована (olga, 20.11.2026)" {
		t.Errorf("x again: dialog %v, status %q", a.dialog != nil, a.status)
	}
	pressKeys(a, a.keys.Open)
	banner := "Аннулирована 20.11.2026 (olga): внесена по ошибке — только для просмотра"
	if v := frame(a); !strings.Contains(v, banner) {
		t.Errorf("annulled card has no banner %q:\n%s", banner, v)
	}
	typeText(a, "5")
	pressKeys(a, a.keys.Save)
	if again, _ := s.RegisterEntry(r.ID); again.Version != got.Version || a.status != banner {
		t.Errorf("typing in an annulled card: version %d (was %d), status %q", again.Version, got.Version, a.status)
	}
}

// TestAnnul_Revoke: issue 15 point 2: the head revokes a wrong acceptance;
// the journal entry is received again, its register entry annulled, and the
// card shows the history.
func TestAnnul_Revoke(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	r := volga(store.NewDate(2026, 11, 3))
	r.JournalID = j.ID
	r = mustRegister(t, s, r)
	clerk := testApp(t, s)
	pressKeys(clerk, clerk.keys.Journal, clerk.keys.Revoke)
	if clerk.dialog != nil || !strings.HasPrefix(clerk.status, "Отмена принятия: недостаточно прав") {
		t.Errorf("u by a clerk: dialog %v, status %q", clerk.dialog != nil, clerk.status)
	}
	a := headApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Revoke)
	if a.dialog == nil {
		t.Fatalf("u by the head asks no reason:\n%s", frame(a))
	}
	typeText(a, "не тот пакет")
	pressKeys(a, a.keys.Confirm)
	got, _ := s.JournalEntry(j.ID)
	if got.Status != store.StatusReceived || got.RegisterID != 0 {
		t.Fatalf("after u: %+v", got)
	}
	if re, _ := s.RegisterEntry(r.ID); re.Annulled.Reason != "не тот пакет" {
		t.Errorf("register entry after u: %+v", re.Annulled)
	}
	if a.status != "Принятие записи № 1/2026 отменено" {
		t.Errorf("status %q", a.status)
	}
	pressKeys(a, a.keys.Revoke)
	if a.dialog != nil || a.status != "Отменить можно только принятие (эта запись: поступило)" {
		t.Errorf("u on a received entry: dialog %v, status %q", a.dialog != nil, a.status)
	}
	pressKeys(a, a.keys.Open)
	if v := frame(a); !strings.Contains(v, "принятие отменено 20.11.2026: не тот пакет") {
		t.Errorf("journal card lacks the history:\n%s", v)
	}
}

// TestAnnul_ResubmitAsksDate: issue 15 point 2: g asks the date of
// re-receipt, today by default; a wrong date keeps the dialog with the
// store's message; the event carries the date typed.
func TestAnnul_ResubmitAsksDate(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	if _, err := s.ReturnJournalEntry(testClerk, j.ID, j.Version, "нет карт", store.NewDate(2026, 12, 20)); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Resubmit)
	if a.dialog == nil || a.dialog.inputs[0].Value() != "20.11.2026" {
		t.Fatalf("g: no dialog with today's date:\n%s", frame(a))
	}
	a.dialog.inputs[0].SetValue("21.11.26")
	pressKeys(a, a.keys.Confirm)
	if a.dialog == nil || !strings.Contains(frame(a), "Дата повторного поступления: 21.11.2026 ещё не наступила") {
		t.Fatalf("a future date:\n%s", frame(a))
	}
	a.dialog.inputs[0].SetValue("20.11.26")
	pressKeys(a, a.keys.Confirm)
	got, _ := s.JournalEntry(j.ID)
	if ev := got.Events[len(got.Events)-1]; got.Status != store.StatusReceived || ev.On != store.NewDate(2026, 11, 20) {
		t.Errorf("after g: %+v", got)
	}
	if a.dialog != nil {
		t.Errorf("the dialog stays open:\n%s", frame(a))
	}
}

// TestAnnul_WarningsListed: issue 15 point 5: «Сохранить всё равно?» names
// every warning it asks about.
func TestAnnul_WarningsListed(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Copy, a.keys.Save)
	if a.dialog == nil {
		t.Fatalf("a copy (a duplicate) saves without a question:\n%s", frame(a))
	}
	v := frame(a)
	for _, want := range []string{"Есть предупреждения:", "• ИНН: уже есть запись реестра", "Сохранить всё равно?"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("the question lacks %q:\n%s", want, v)
		}
	}
}

// TestAnnul_Snapshots pins at 80×24 the register list with an annulled
// entry, its read-only card, the annul and re-receipt dialogs and the
// warnings question (golden files; refresh with -update).
func TestAnnul_Snapshots(t *testing.T) {
	s := testStore(t)
	r := mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	_, err := s.AnnulRegisterEntry(testHead, r.ID, r.Version, "внесена дважды, верная запись от 03.11.2026")
	if err != nil {
		t.Fatal(err)
	}
	mustRegister(t, s, volga(store.NewDate(2026, 11, 5)))
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	_, err = s.ReturnJournalEntry(testClerk, j.ID, j.Version, "нет карт СОУТ", store.NewDate(2026, 12, 15))
	if err != nil {
		t.Fatal(err)
	}
	runSnapshots(t, s, []snapCase{
		{name: "register_list", actor: testHead, act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Register) }},
		{name: "annulled_card", actor: testHead, act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Register, a.keys.Down, a.keys.Open)
		}},
		{name: "annul_dialog", actor: testHead, act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Register, a.keys.Annul)
		}},
		{name: "resubmit_dialog", actor: testHead, act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Journal, a.keys.Resubmit)
		}},
		{name: "warnings_question", actor: testHead, act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Register, a.keys.Copy, a.keys.Save)
		}},
	})
}
