package store_test

import (
	"testing"

	"sout/store"
)

func TestStore_History(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»",
		EmployerINN:  "7707083893", SoutOrgName: "ООО «Центр»"})
	if err != nil {
		t.Fatal(err)
	}
	e.EmployerName = "ООО «Волга-2»"
	if e, err = s.UpdateJournalEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	if _, err := returnBack(s, e.ID, e.Version, "неполный пакет", store.NewDate(2026, 4, 11)); err != nil {
		t.Fatal(err)
	}
	h, err := s.History("journal", e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Action != "create" || h[1].Action != "update" || h[2].Action != "return" {
		t.Fatalf("History = %+v", h)
	}
	got := h[1].Changes()
	if len(got) != 1 || got[0] != (store.FieldChange{Field: "EmployerName", Before: "ООО «Волга»",
		After: "ООО «Волга-2»"}) {
		t.Errorf("update changes = %+v", got)
	}
	want := map[string]store.FieldChange{
		"Status":         {Field: "Status", Before: "received", After: "returned"},
		"StatusReason":   {Field: "StatusReason", After: "неполный пакет"},
		"ReturnDeadline": {Field: "ReturnDeadline", After: "20260411"},
	}
	for _, c := range h[2].Changes() {
		if c != want[c.Field] {
			t.Errorf("return change %+v, want %+v", c, want[c.Field])
		}
		delete(want, c.Field)
	}
	if len(want) != 0 {
		t.Errorf("return changes missing: %v", want)
	}
}

// TestStore_StatusEvents: every status change is kept in the record, in
// order, and printed as one note; the record reopened keeps them.
func TestStore_StatusEvents(t *testing.T) {
	s, path := openStore(t)
	e, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"})
	if err != nil {
		t.Fatal(err)
	}
	if e, err = s.ReturnJournalEntry(clerk, e.ID, e.Version, "неполный пакет", store.NewDate(2026, 12, 11)); err != nil {
		t.Fatal(err)
	}
	if e, err = s.ResubmitJournalEntry(clerk, e.ID, e.Version, 0); err != nil {
		t.Fatal(err)
	}
	r := validEntry()
	r.JournalID = e.ID
	if _, err = s.SaveRegisterEntry(clerk, r); err != nil {
		t.Fatal(err)
	}
	day := s.Today().Ru()
	want := "возвращено " + day + " до 11.12.2026: неполный пакет; повторно поступило " + day + "; принято"
	s.Close()
	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.JournalEntry(e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if note := got.HistoryNote(); note != want {
		t.Errorf("HistoryNote = %q, want %q", note, want)
	}
	if len(got.Events) != 3 || got.Events[0].By != clerk.Name || got.Events[2].Status != store.StatusAccepted {
		t.Errorf("Events = %+v", got.Events)
	}
}
