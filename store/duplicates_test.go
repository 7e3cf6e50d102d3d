package store_test

import (
	"testing"

	"sout/store"
)

func TestStore_FindDuplicates(t *testing.T) {
	s, _ := openStore(t)
	first := validEntry()
	first.EnteredOn = store.NewDate(2026, 2, 1)
	if _, err := s.SaveRegisterEntry(clerk, first); err != nil {
		t.Fatal(err)
	}
	stored, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	same := validEntry()
	same.SoutOrg.Name = "  ооо «охрана   труда» " // case and spaces do not make another organisation
	same.Employer.Name = "Другое написание"       // the name is not part of the key
	otherFigure := validEntry()
	otherFigure.Grid[store.ColTotal][store.RowDisabled] = 2
	otherDate := validEntry()
	otherDate.EnteredOn = store.NewDate(2026, 3, 16)
	got, err := s.FindDuplicates([]store.RegisterEntry{otherFigure, same, otherDate})
	if err != nil {
		t.Fatal(err)
	}
	want := store.Duplicate{
		Index:     1,
		ID:        stored.ID,
		EnteredOn: stored.EnteredOn,
		Period:    store.HalfYear(2026, 1),
		No:        2,
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("FindDuplicates = %+v, want [%+v]", got, want)
	}
	if store.DuplicateKey(&same) == store.DuplicateKey(&otherFigure) {
		t.Error("DuplicateKey: entries differing in one figure have the same key")
	}
}

// TestStore_JournalLink: the journal link rule: the card refuses a journal entry of another INN or
// an annulled one, naming both INNs.
func TestStore_JournalLink(t *testing.T) {
	s, _ := openStore(t)
	j, err := s.CreateJournalEntry(
		clerk,
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 1), EmployerName: "ООО «Ока»",
			EmployerINN: "500100732259", SoutOrgName: "ООО «Охрана труда»"},
	)
	if err != nil {
		t.Fatal(err)
	}
	e := validEntry()
	e.JournalID = j.ID
	_, err = s.SaveRegisterEntry(clerk, e)
	mustCode(
		t,
		err,
		store.CodeInvalid,
		"Запись журнала 1/2026 — пакет другого работодателя: в журнале ИНН 500100732259, в записи реестра ИНН 7707083893",
	)
	ps, err := s.CheckRegisterEntry(e)
	if err != nil || len(ps.For(store.FieldJournalNo).Errors()) != 1 {
		t.Errorf("CheckRegisterEntry = %v, %v; want the journal link error", ps, err)
	}
	if _, err := s.AnnulJournalEntry(clerk, j.ID, j.Version, "ошибка"); err != nil {
		t.Fatal(err)
	}
	e.Employer.INN = "500100732259"
	_, err = s.SaveRegisterEntry(clerk, e)
	mustCode(t, err, store.CodeInvalid, "Запись журнала 1/2026 аннулирована")
}
