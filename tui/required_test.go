package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// TestApp_ReturnWithoutReason: Enter on an empty reason names what is missing
// and stays on the reason; nothing is saved.
func TestApp_ReturnWithoutReason(t *testing.T) {
	s := testStore(t)
	j, err := s.CreateJournalEntry(testClerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр охраны труда»"})
	if err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	press(a, kF1, tea.KeyPressMsg{Code: 'r', Text: "r"}, kEnter)
	if a.dialog == nil || a.dialog.focus != 0 || !strings.Contains(frame(a), "Причина возврата: не указана") {
		t.Fatalf("Enter on an empty reason: dialog %v, want it open on the reason with the message:\n%s",
			a.dialog != nil, frame(a))
	}
	press(a, kEnter)
	if got, _ := s.JournalEntry(j.ID); got.Status != store.StatusReceived || got.Version != j.Version {
		t.Fatalf("the entry changed: %+v", got)
	}
	typeText(a, "нет карт СОУТ")
	press(a, kEnter)
	if v := frame(a); a.dialog == nil || strings.Contains(v, "Причина возврата: не указана") {
		t.Fatalf("the reason is filled, the dialog on its deadline still says it is missing:\n%s", v)
	}
	press(a, kEnter)
	if got, _ := s.JournalEntry(j.ID); got.Status != store.StatusReturned || got.StatusReason != "нет карт СОУТ" {
		t.Fatalf("after a reason and Enter: %+v", got)
	}
}
