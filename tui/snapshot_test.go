package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sout/store"
)

// TestSnapshots pins every screen, a card with many problems, the history
// and a dialog at 80×24 (golden files; refresh with -update).
func TestSnapshots(t *testing.T) {
	s := testStore(t)
	e := volga(store.NewDate(2026, 11, 3))
	mustRegister(t, s, e)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893", Notes: "пакет на 40 листах"})
	if _, err := s.ReturnJournalEntry(testClerk, j.ID, j.Version, "нет карт СОУТ", store.NewDate(2026, 11, 15)); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, s, store.JournalEntry{EmployerName: "ГБУЗ «Самарская областная клиническая больница им. В. Д. Середавина»", EmployerINN: store.INNCheckDigits("631601234")})
	admin := store.Actor{Name: "root", Role: store.RoleAdmin}
	if err := s.AddUser(admin, store.User{Name: "vera", Role: store.RoleHead,
		Keys: []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHT0o6OFBXFVgwnpxBpGWt+1cbNJrnC1YLK0CV1hhcEo vera@pc"}}); err != nil {
		t.Fatal(err)
	}
	newApp := func(actor store.Actor) *App {
		a := New(s, Config{Actor: actor, DBPath: "/srv/sout.db"}).(*App)
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		run(a, a.Init())
		return a
	}
	snap := func(t *testing.T, a *App) {
		t.Helper()
		teatest.RequireEqualOutput(t, []byte(frame(a)))
	}
	t.Run("journal", func(t *testing.T) { a := newApp(testClerk); snap(t, a) })
	t.Run("journal_card", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Down, a.keys.Open)
		snap(t, a)
	})
	t.Run("return_dialog", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Return)
		snap(t, a)
	})
	t.Run("register", func(t *testing.T) { a := newApp(testClerk); pressKeys(a, a.keys.Register); snap(t, a) })
	t.Run("register_card_problems", func(t *testing.T) {
		a := newApp(testClerk)
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
		snap(t, a)
	})
	t.Run("history", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Down, a.keys.Open, a.keys.History)
		snap(t, a)
	})
	t.Run("lookup", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Lookup)
		typeText(a, "7707083893")
		run(a, func() tea.Msg { return searchTickMsg{a.lookup.seq} })
		pressKeys(a, a.keys.Open)
		snap(t, a)
	})
	t.Run("register_filtered", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Register, a.keys.SectionFilter)
		answer(t, a, "C")
		pressKeys(a, a.keys.OrgFilter)
		answer(t, a, "центр охраны")
		pressKeys(a, a.keys.Period)
		answer(t, a, "2026H2")
		pressKeys(a, a.keys.Sort)
		snap(t, a)
	})
	t.Run("register_filtered_none", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Register, a.keys.SectionFilter)
		answer(t, a, "A")
		snap(t, a)
	})
	t.Run("journal_sorted", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.StatusFilter, a.keys.Sort, a.keys.Sort, a.keys.Sort)
		snap(t, a)
	})
	t.Run("jump_dialog", func(t *testing.T) {
		a := newApp(testClerk)
		pressKeys(a, a.keys.Jump)
		typeText(a, "31.02.2026")
		press(a, kEnter)
		snap(t, a)
	})
	t.Run("summary", func(t *testing.T) { a := newApp(testClerk); pressKeys(a, a.keys.Summary); snap(t, a) })
	t.Run("users", func(t *testing.T) { a := newApp(admin); pressKeys(a, a.keys.Users); snap(t, a) })
}
