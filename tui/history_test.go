package tui

import (
	"strings"
	"testing"
	"time"

	"sout/store"
)

// TestHistoryLines_StatusOnlyForJournal: a journal entry's status change
// is told by its events, so its audit record is left out of the field
// changes; a register entry's action that changed no field stays.
func TestHistoryLines_StatusOnlyForJournal(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 30, 0, 0, time.Local).Unix()
	recs := []store.AuditRecord{{At: at, User: "anna", Action: "annul",
		Before: []byte(`{"Status":"received"}`), After: []byte(`{"Status":"annulled","StatusReason":"ошибка"}`)}}
	if got := historyLines(recs, true); len(got) != 1 || got[0] != "Поля записи не менялись" {
		t.Errorf("journal: %q, want only «Поля записи не менялись» (the status changes are listed above)", got)
	}
	got := historyLines(recs, false)
	if len(got) == 0 || got[0] != "20.11.2026 10:30  anna  аннулирована" {
		t.Errorf("register: %q, want the annulment kept", got)
	}
}

// TestStatusEventLines_Revoke: a revoked acceptance is told as one, not as
// a re-receipt; a re-receipt carries its date.
func TestStatusEventLines_Revoke(t *testing.T) {
	evs := []store.StatusEvent{
		{Status: store.StatusAccepted, On: store.NewDate(2026, 11, 2), By: "anna"},
		{Status: store.StatusReceived, On: store.NewDate(2026, 11, 3), By: "olga", Reason: "ошибка приёма"},
		{Status: store.StatusReturned, On: store.NewDate(2026, 11, 4), By: "olga", Reason: "нет карт",
			Deadline: store.NewDate(2026, 12, 4)},
		{Status: store.StatusReceived, On: store.NewDate(2026, 11, 20), By: "anna"},
	}
	got := statusEventLines(evs)
	want := []string{"История статуса:", "20.11.2026  anna  поступило повторно",
		"04.11.2026  olga  возвращено на доработку", "    Причина: нет карт", "    Срок доработки: 04.12.2026",
		"03.11.2026  olga  принятие отменено", "    Причина: ошибка приёма",
		"02.11.2026  anna  принято", "", "Изменения полей:"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("status lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
