package tui

import (
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
	if got := historyLines(recs, true); len(got) != 1 || got[0] != txtHistoryNone {
		t.Errorf("journal: %q, want only %q", got, txtHistoryNone)
	}
	got := historyLines(recs, false)
	if len(got) == 0 || got[0] != "20.11.2026 10:30  anna  аннулирована" {
		t.Errorf("register: %q, want the annulment kept", got)
	}
}
