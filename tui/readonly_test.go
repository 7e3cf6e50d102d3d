package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestCard_AnnulledMeanwhileClosesWithoutAsking: a journal card with typed
// changes whose entry is annulled in another session refuses the save, turns
// read-only with who annulled it, and then closes on F2 without asking to
// save what can no longer be saved (QA: «Карточка изменена. Ctrl+S —
// сохранить…» and Ctrl+S repeating the refusal).
func TestCard_AnnulledMeanwhileClosesWithoutAsking(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 11, 2)})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Open)
	typeText(a, " Плюс")
	if !a.card.Dirty() || !strings.Contains(frame(a), "Плюс") {
		t.Fatalf("the typed name is no change:\n%s", frame(a))
	}
	if _, err := s.AnnulJournalEntry(testClerk, j.ID, j.Version, "ошибочная регистрация"); err != nil {
		t.Fatal(err)
	}
	pressKeys(a, a.keys.Save)
	if f := frame(a); !strings.Contains(f, "Аннулирована 20.11.2026 (anna): ошибочная регистрация") {
		t.Fatalf("the card after the refused save:\n%s", f)
	}
	if a.card.Dirty() || strings.Contains(frame(a), "Плюс") {
		t.Errorf("a read-only card holds changes to save:\n%s", frame(a))
	}
	pressKeys(a, a.keys.Register)
	if a.card != nil || a.dialog != nil || a.active != scrRegister {
		t.Errorf("F2 from the read-only card: card %T, dialog %v, screen %d", a.card, a.dialog != nil, a.active)
	}
}

// TestCard_RevokedMeanwhile: a journal card open while the head revokes its
// acceptance says so on save — who, when, why — not only that the record
// changed (QA).
func TestCard_RevokedMeanwhile(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		ReceivedOn: store.NewDate(2026, 11, 2)})
	r := volga(store.NewDate(2026, 11, 3))
	r.JournalID = j.ID
	mustRegister(t, s, r)
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Open)
	typeText(a, " Плюс")
	j, _ = s.JournalEntry(j.ID)
	if _, err := s.RevokeAcceptance(testHead, j.ID, j.Version, "не тот пакет"); err != nil {
		t.Fatal(err)
	}
	pressKeys(a, a.keys.Save)
	want := "Принятие записи отменено (olga, 20.11.2026: не тот пакет)"
	if f := frame(a); !strings.Contains(strings.Join(strings.Fields(f), " "), want) {
		t.Errorf("the card after the refused save lacks %q:\n%s", want, f)
	}
	if got, _ := s.JournalEntry(j.ID); got.EmployerName != "ООО «Волга»" {
		t.Errorf("the save went through: %q", got.EmployerName)
	}
}

// TestSummary_LockAYear: the head locks the whole year from F4 by typing it
// over the shown half-year (QA: only the half-year could be locked, and the
// CLI may not run beside the server); a bad period is refused in the dialog.
func TestSummary_LockAYear(t *testing.T) {
	s := testStore(t)
	a := headApp(t, s)
	pressKeys(a, a.keys.Summary, a.keys.LockPeriod)
	if a.dialog == nil || a.dialog.inputs[0].Value() != "2026H2" {
		t.Fatalf("l opens no period to lock:\n%s", frame(a))
	}
	answer(t, a, "2025H3")
	if got := dialogErr(a); !strings.HasPrefix(got, "Период: «2025H3» не распознан") {
		t.Errorf("2025H3: %q", got)
	}
	answer(t, a, "2025")
	locks, err := s.Locks()
	year := store.Period{From: store.NewDate(2025, 1, 1), To: store.NewDate(2025, 12, 31)}
	if err != nil || len(locks) != 1 || locks[0].Period != year {
		t.Fatalf("locks after «2025»: %+v, %v", locks, err)
	}
	if a.dialog != nil || a.status != "Период «2025 г.» заблокирован" {
		t.Errorf("after the lock: dialog %v, status %q", a.dialog != nil, a.status)
	}
}

// TestCard_LockBannerGivesTheReason: a card in a locked period says who
// locked it, when and why (QA: the reason was left out).
func TestCard_LockBannerGivesTheReason(t *testing.T) {
	s := testStore(t)
	mustRegister(t, s, volga(store.NewDate(2026, 11, 3)))
	if err := s.LockPeriod(testHead, store.HalfYear(2026, 2), "сдан в Роструд"); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	pressKeys(a, a.keys.Register, a.keys.Open)
	want := "Период «2-е полугодие 2026 г.» заблокирован (olga, 20.11.2026: сдан в Роструд): запись только для просмотра"
	if f := frame(a); !strings.Contains(strings.Join(strings.Fields(f), " "), want) {
		t.Errorf("the card lacks %q:\n%s", want, f)
	}
	if len(a.card.(*registerCard).all()) != 0 {
		t.Errorf("a locked card lists problems: %v", a.card.(*registerCard).all())
	}
}

// TestStatus_LockedPeriodsFitAt80: with earlier periods locked the status
// line at 80 columns takes shorter words before it cuts the list (QA:
// «…полугодие открыто; заблокировано: 20…»).
func TestStatus_LockedPeriodsFitAt80(t *testing.T) {
	s := testStore(t)
	for _, p := range []store.Period{store.HalfYear(2025, 1), store.HalfYear(2025, 2), store.HalfYear(2026, 1)} {
		if err := s.LockPeriod(testHead, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	line := a.statusLeft()
	if width(line) > 80 || !strings.Contains(line, "заблок.: 2026H1, 2025H2, 2025H1") {
		t.Errorf("the status line at 80 columns (%d cells): %q", width(line), line)
	}
}

// TestHelp_HeadKeysAmongTheMain: the head's u (Journal) and x (Register)
// are on the help lines at 80 columns, not only in ? (QA: behind «…»).
func TestHelp_HeadKeysAmongTheMain(t *testing.T) {
	s := testStore(t)
	a := headApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pressKeys(a, a.keys.Journal)
	if f := frame(a); !strings.Contains(f, "u отм. принятия") {
		t.Errorf("the Journal's help for the head lacks u:\n%s", f)
	}
	pressKeys(a, a.keys.Register)
	if f := frame(a); !strings.Contains(f, "x аннул.") {
		t.Errorf("the Register's help for the head lacks x:\n%s", f)
	}
}

// TestApp_ChangedElsewhereSaidOnItsList: «Запись изменена в другом сеансе»
// is said on the list the change is of, not over a card or another screen.
func TestApp_ChangedElsewhereSaidOnItsList(t *testing.T) {
	s := testStore(t)
	j := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	change := changeMsg{[]store.Change{{Kind: "journal", ID: j.ID, User: "olga"}}}
	pressKeys(a, a.keys.Register)
	_, cmd := a.Update(change)
	run(a, cmd)
	if a.status != "" {
		t.Errorf("on the Register a journal change says %q", a.status)
	}
	pressKeys(a, a.keys.Journal)
	_, cmd = a.Update(change)
	run(a, cmd)
	if a.status != "Запись изменена в другом сеансе (olga) — список обновлён" {
		t.Errorf("on the Journal a journal change says %q", a.status)
	}
	pressKeys(a, a.keys.Open)
	_, cmd = a.Update(change)
	run(a, cmd)
	if a.status != "" {
		t.Errorf("over a card a change says %q", a.status)
	}
}
