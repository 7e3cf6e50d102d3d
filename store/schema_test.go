package store_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
)

var writeFixture = flag.Bool("write-fixture", false,
	"rewrite testdata/schema1.db (never for a released schema: old files must keep opening)")

// schemaFixture is a file written by schema 1 (the first released layout) and
// kept as it was: every later version must open it and read the same records.
const schemaFixture = "testdata/schema1.db"

// fixtureDeadline is the deadline of fillFixture's return: its day, the
// earliest ReturnJournalEntry takes.
var fixtureDeadline = store.NewDate(2026, 3, 20)

// fillFixture writes a small but complete data set: journal entries in every
// status, register entries (one linked to its journal entry), users, a lock
// and the settings.
func fillFixture(t *testing.T, s *store.Store, deadline store.Date) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveSettings(admin, store.Settings{Region: "Самарская область", Inspectorate: "ГИТ в Самарской области",
		Head: "Иванов И. И.", Compiler: "Петрова А. А.", Phone: "+7 (846) 000-00-00"}))
	must(s.AddUser(admin, store.User{Name: "anna", Role: store.RoleClerk,
		Keys: []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqO4bVv1oP4R2Yc6bSgUrqDPhfl6pTLZWXGk1fFW7Zr anna@office"}}))
	j := store.JournalEntry{ReceivedOn: store.NewDate(2026, 2, 1), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»", SoutOrgRegNo: "123", LetterDate: store.NewDate(2026, 1, 30), LetterNo: "15-исх",
		Notes: "пакет на 3 листах"}
	j1, err := s.CreateJournalEntry(clerk, j)
	must(err)
	j.ReceivedOn, j.Notes = store.NewDate(2026, 2, 3), ""
	j2, err := s.CreateJournalEntry(clerk, j)
	must(err)
	_, err = s.ReturnJournalEntry(clerk, j2.ID, j2.Version, "нет карт СОУТ", deadline)
	must(err)
	j3, err := s.CreateJournalEntry(clerk, j)
	must(err)
	_, err = s.AnnulJournalEntry(clerk, j3.ID, j3.Version, "ошибочная регистрация")
	must(err)
	r := validEntry()
	r.JournalID = j1.ID
	_, err = s.SaveRegisterEntry(clerk, r)
	must(err)
	r = validEntry()
	r.EnteredOn = store.NewDate(2025, 9, 1)
	r.Employer = store.Employer{Name: "МБОУ «Школа № 5»", Address: "г. Сызрань, ул. Мира, 3",
		INN:   store.INNCheckDigits("632500001"),
		OKVED: "85.14"}
	_, err = s.SaveRegisterEntry(boris, r)
	must(err)
	must(s.LockPeriod(head, store.HalfYear(2025, 2), "сдано в Роструд"))
}

// dumpStore renders everything a user can read of the file, one record a line.
func dumpStore(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	line := func(kind string, v any) {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s\n", kind, j)
	}
	st, err := s.Settings()
	if err != nil {
		t.Fatal(err)
	}
	line("settings", st)
	users, err := s.Users()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		line("user", u)
	}
	locks, err := s.Locks()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locks {
		line("lock", l)
	}
	if err := s.EachJournal(context.Background(), store.Period{},
		func(e *store.JournalEntry) error { line("journal", e); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.EachRegister(context.Background(), store.Period{},
		func(r *store.RegisterRecord) error { line("register", r); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, inn := range []string{"7707083893", store.INNCheckDigits("632500001")} {
		c, err := s.FindByINN(inn)
		if err != nil {
			t.Fatal(err)
		}
		line("card", c)
	}
	return b.String()
}

// TestStore_OpensSchema1File opens a copy of a file written by schema 1 and
// reads every record the same as the same data written by this code today: a
// field added since reads as its zero value in both, and anything that reads
// differently from the old bytes fails here.
func TestStore_OpensSchema1File(t *testing.T) {
	fixed := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	open := func(path string) *store.Store {
		s, err := store.Open(path, store.Options{Now: func() time.Time { return fixed }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if *writeFixture {
		os.Remove(schemaFixture)
		s := open(schemaFixture)
		fillFixture(t, s, fixtureDeadline)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(schemaFixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	old := open(filepath.Join(dir, "old.db"))
	defer old.Close()
	fresh := open(filepath.Join(dir, "new.db"))
	defer fresh.Close()
	// The fixture's return is due 03.03.2026, before its day (20.03.2026),
	// which ReturnJournalEntry refuses since; the fresh return is due on its
	// day, and that deadline is the one difference the dumps may have.
	fillFixture(t, fresh, fixtureDeadline)
	got, want := dumpStore(t, old), dumpStore(t, fresh)
	got = strings.ReplaceAll(got, fmt.Sprintf(`"ReturnDeadline":%d`, store.NewDate(2026, 3, 3)),
		fmt.Sprintf(`"ReturnDeadline":%d`, fixtureDeadline))
	if !strings.Contains(want, "journal ") || !strings.Contains(want, "register ") {
		t.Fatalf("the fixture's dump holds no records:\n%s", want)
	}
	if got != want {
		t.Errorf("a schema 1 file reads differently now:\n got:\n%s\nwant:\n%s", got, want)
	}
	// The organisation index (schema 2) is built when the old file opens.
	q := store.RegisterQuery{Org: "ооо  «охрана труда»"}
	if n, err := old.CountRegister(q); err != nil || n != 2 {
		t.Errorf("CountRegister(%+v) of the schema 1 file = %d, %v; want its 2 entries", q, n, err)
	}
	// Records written before status events were kept derive them from their status.
	if j, err := old.JournalByNo(2026, 2); err != nil ||
		j.HistoryNote() != "возвращено 20.03.2026 до 03.03.2026: нет карт СОУТ" {
		t.Errorf("old returned entry's history = %q, %v", j.HistoryNote(), err)
	}
	if probs, err := old.Check(context.Background()); err != nil || len(probs) != 0 {
		t.Errorf("Check() of the schema 1 file = %v, %v; want no problems", probs, err)
	}
	// An entry of the old file, annulled now, keeps its fields and gains the annulment.
	card, err := old.FindByINN("7707083893")
	if err != nil || len(card.Register) != 1 || card.Register[0].IsAnnulled() {
		t.Fatalf("old file's register entry: %+v, %v", card.Register, err)
	}
	r := card.Register[0]
	a, err := old.AnnulRegisterEntry(store.Actor{Name: "olga", Role: store.RoleHead}, r.ID, r.Version, "ошибочно")
	if err != nil {
		t.Fatal(err)
	}
	back, err := old.RegisterEntry(r.ID)
	a.Annulled, r.Annulled, r.Version = store.Annulment{}, store.Annulment{}, a.Version
	r.UpdatedBy, r.UpdatedAt = a.UpdatedBy, a.UpdatedAt
	if err != nil || back.Annulled.Reason != "ошибочно" || a.Employer != r.Employer || a.Grid != r.Grid {
		t.Errorf("annulled old entry reads %+v, %v", back, err)
	}
	if probs, err := old.Check(context.Background()); err != nil || len(probs) != 0 {
		t.Errorf("Check() after annulling in the schema 1 file = %v, %v; want no problems", probs, err)
	}
}
