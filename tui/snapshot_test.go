package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestSnapshots pins every screen, a card with many problems, the history
// and a dialog at 80×24 (golden files; refresh with -update).
func TestSnapshots(t *testing.T) {
	runSnapshots(t, snapshotStore(t), []snapCase{
		{name: "journal"},
		{name: "journal_card", act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Down, a.keys.Open) }},
		{name: "return_dialog", act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Return) }},
		{name: "register", act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Register) }},
		{name: "register_card_problems", act: fillProblemCard},
		{name: "history", act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Down, a.keys.Open, a.keys.History) }},
		{name: "lookup", act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Lookup)
			typeText(a, "7707083893")
			run(a, func() tea.Msg { return searchTickMsg{a.lookup.seq} })
			pressKeys(a, a.keys.Open)
		}},
		{name: "register_filtered", act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Register, a.keys.SectionFilter)
			answer(t, a, "C")
			pressKeys(a, a.keys.OrgFilter)
			answer(t, a, "центр охраны")
			pressKeys(a, a.keys.Period)
			answer(t, a, "2026H2")
			pressKeys(a, a.keys.Sort)
		}},
		{name: "register_filtered_none", act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Register, a.keys.SectionFilter)
			answer(t, a, "A")
		}},
		{name: "journal_sorted", act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.StatusFilter, a.keys.Sort, a.keys.Sort, a.keys.Sort)
		}},
		{name: "jump_dialog", act: func(t *testing.T, a *App) {
			pressKeys(a, a.keys.Jump)
			typeText(a, "31.02.2026")
			press(a, kEnter)
		}},
		{name: "summary", act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Summary) }},
		{name: "users", actor: store.Actor{Name: "root", Role: store.RoleAdmin},
			act: func(t *testing.T, a *App) { pressKeys(a, a.keys.Users) }},
	})
}

// snapshotStore is the data of TestSnapshots: a register entry, a returned
// journal entry, one with a long employer name, and a head with a key.
func snapshotStore(t *testing.T) *store.Store {
	t.Helper()
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		Notes: "пакет на 40 листах"})
	_, err := returnBack(s, j.ID, j.Version, "нет карт СОУТ", store.NewDate(2026, 11, 15))
	if err != nil {
		t.Fatal(err)
	}
	mustJournal(t, s, store.JournalEntry{
		EmployerName: "ГБУЗ «Самарская областная клиническая больница им. В. Д. Середавина»",
		EmployerINN:  store.INNCheckDigits("631601234")})
	admin := store.Actor{Name: "root", Role: store.RoleAdmin}
	err = s.AddUser(admin, store.User{Name: "vera", Role: store.RoleHead,
		Keys: []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHT0o6OFBXFVgwnpxBpGWt+1cbNJrnC1YLK0CV1hhcEo vera@pc"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fillProblemCard fills a new register card with many problems and saves it.
func fillProblemCard(_ *testing.T, a *App) {
	pressKeys(a, a.keys.Register, a.keys.New)
	typeText(a, "7707083894")
	press(a, kTab)
	typeText(a, "ООО «Волга»")
	pressKeys(a, a.keys.Next, a.keys.Next, a.keys.Next)
	typeText(a, "25.1")
	pressKeys(a, a.keys.Next, a.keys.Next, a.keys.Next)
	for _, v := range []string{"5", "9", "1", "1", "1", "1", "1", "1", "1", "4", "3", "8"} {
		typeText(a, v)
		press(a, kTab)
	}
	pressKeys(a, a.keys.Save)
}
