package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sout/store"
)

// figuresOf counts what EachFigures, EachRegister and EachOrgFigures see of p.
func figuresOf(t *testing.T, s *store.Store, p store.Period) (figures, records, orgs int) {
	t.Helper()
	ctx := context.Background()
	if err := s.EachFigures(ctx, p, func(*store.Figures) error { figures++; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.EachRegister(ctx, p, func(*store.RegisterRecord) error { records++; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.EachOrgFigures(ctx, p, func(*store.OrgFigures) error { orgs++; return nil }); err != nil {
		t.Fatal(err)
	}
	return figures, records, orgs
}

// annulFixture saves two entries of one employer: first, and later (a
// month on, another address and organisation), the one the tests annul.
func annulFixture(t *testing.T) (s *store.Store, path string, first, later store.RegisterEntry) {
	t.Helper()
	s, path = openStore(t)
	first, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	later = validEntry()
	later.EnteredOn = store.NewDate(2026, 4, 1)
	later.Employer.Address = "г. Самара, ул. Мира, 9"
	later.SoutOrg.Name = "ООО «Другая»"
	if later, err = s.SaveRegisterEntry(clerk, later); err != nil {
		t.Fatal(err)
	}
	return s, path, first, later
}

// TestStore_AnnulRegisterEntry_Refused: a clerk, a blank reason and a stale
// version are refused with their messages.
func TestStore_AnnulRegisterEntry_Refused(t *testing.T) {
	s, _, _, later := annulFixture(t)
	_, err := s.AnnulRegisterEntry(clerk, later.ID, later.Version, "ошибочно внесена")
	mustCode(t, err, store.CodeForbidden, "Аннулирование записи реестра: недостаточно прав (пользователь anna, "+
		"роль «специалист»; нужна роль «руководитель» или «администратор»)")
	if c, h, ad := store.MayAnnul(clerk), store.MayAnnul(head), store.MayAnnul(admin); c == nil || h != nil || ad != nil {
		t.Errorf("MayAnnul: clerk %v, head %v, admin %v", c, h, ad)
	}
	_, err = s.AnnulRegisterEntry(head, later.ID, later.Version, "  ")
	mustCode(t, err, store.CodeInvalid, "Причина аннулирования: не указана")
	_, err = s.AnnulRegisterEntry(head, later.ID, later.Version+1, "ошибочно")
	mustCode(t, err, store.CodeConflict, "Запись изменена пользователем anna")
}

// TestStore_AnnulRegisterEntry: the annulled entry stays in the file and the
// list, leaves the forms and the employer's card, is audited and reads the
// same reopened.
func TestStore_AnnulRegisterEntry(t *testing.T) {
	s, path, first, later := annulFixture(t)
	h1, _ := store.ParsePeriod("2026H1")
	auditBefore := auditCount(t, s)
	got, err := s.AnnulRegisterEntry(head, later.ID, later.Version, "ошибочно внесена")
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsAnnulled() || got.Annulled.By != "olga" || got.Annulled.Reason != "ошибочно внесена" ||
		got.Annulled.At != now.Unix() || got.Version != later.Version+1 {
		t.Errorf("annulled entry = %+v", got)
	}
	if n := auditCount(t, s); n != auditBefore+1 {
		t.Errorf("audit lines: %d, want %d", n, auditBefore+1)
	}
	h, _ := s.History("register", later.ID)
	if last := h[len(h)-1]; last.Action != "annul" || last.User != "olga" {
		t.Errorf("last audit = %+v", last)
	}
	// Still in the file and the list; out of the forms.
	if n, _ := s.CountRegister(store.RegisterQuery{Period: h1}); n != 2 {
		t.Errorf("CountRegister = %d, want 2 (the annulled entry stays listed)", n)
	}
	if f, r, o := figuresOf(t, s, h1); f != 1 || r != 1 || o != 1 {
		t.Errorf("figures %d, records %d, orgs %d; want 1 each", f, r, o)
	}
	if emp, _, _ := s.LastEmployer(later.Employer.INN); emp.Address != first.Employer.Address {
		t.Errorf("employer card from the annulled entry: %+v", emp)
	}
	mustCheck(t, s, "s#1")
	// Reopened, the entry reads the same.
	s.Close()
	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	re, err := s2.RegisterEntry(later.ID)
	if err != nil || re.Annulled != got.Annulled {
		t.Errorf("reopened: %+v, %v", re.Annulled, err)
	}
	mustCheck(t, s2, "s2#2")
}

// TestStore_AnnulledEntryStays: an annulled entry is annulled once and not
// changed; a clerk's save cannot annul; one like it is no duplicate.
func TestStore_AnnulledEntryStays(t *testing.T) {
	s, _, _, later := annulFixture(t)
	got, err := s.AnnulRegisterEntry(head, later.ID, later.Version, "ошибочно внесена")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AnnulRegisterEntry(head, got.ID, got.Version, "ещё раз")
	mustCode(t, err, store.CodeInvalid, "Запись реестра «ООО «Волга»» от 01.04.2026 уже аннулирована (olga, 20.11.2026)")
	edit := got
	edit.Employer.Address = "другой"
	_, err = s.SaveRegisterEntry(clerk, edit)
	mustCode(t, err, store.CodeInvalid,
		"Запись реестра «ООО «Волга»» от 01.04.2026 аннулирована (olga, 20.11.2026): менять её нельзя")
	// A clerk's save cannot annul: the field is the store's.
	sneak := validEntry()
	sneak.Annulled = store.Annulment{By: "anna", At: 1, Reason: "сама"}
	if sneak, err = s.SaveRegisterEntry(clerk, sneak); err != nil || sneak.IsAnnulled() {
		t.Errorf("SaveRegisterEntry with Annulled set: %+v, %v", sneak.Annulled, err)
	}
	// A new entry like the annulled one is not warned about as its duplicate.
	like := later
	like.ID, like.Version = 0, 0
	ps, err := s.CheckRegisterEntry(like)
	if err != nil || len(ps) != 0 {
		t.Errorf("CheckRegisterEntry(like the annulled) = %v, %v", ps, err)
	}
}

func TestStore_AnnulRegisterEntry_Locked(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LockPeriod(head, store.HalfYear(2026, 1), "сдано"); err != nil {
		t.Fatal(err)
	}
	_, err = s.AnnulRegisterEntry(head, e.ID, e.Version, "ошибочно")
	mustCode(t, err, store.CodeLocked, "аннулировать записи от 15.03.2026 нельзя")
}

func TestStore_RevokeAcceptance(t *testing.T) {
	s, _ := openStore(t)
	j, r := acceptedEntry(t, s)
	_, err := s.RevokeAcceptance(clerk, j.ID, j.Version, "не тот пакет")
	mustCode(t, err, store.CodeForbidden, "Отмена принятия: недостаточно прав")
	_, err = s.RevokeAcceptance(head, j.ID, j.Version, "")
	mustCode(t, err, store.CodeInvalid, "Причина отмены принятия: не указана")
	before := auditCount(t, s)
	ch, stop := s.Subscribe()
	defer stop()
	got, err := s.RevokeAcceptance(head, j.ID, j.Version, "не тот пакет")
	if err != nil {
		t.Fatal(err)
	}
	// The register entry changed, and the journal entry with it: both lists hear of it.
	if c := <-ch; c != (store.Change{Kind: "register", ID: r.ID, Journal: j.ID, User: "olga"}) {
		t.Errorf("the change told = %+v", c)
	}
	if got.Status != store.StatusReceived || got.RegisterID != 0 {
		t.Errorf("revoked journal entry = %+v", got)
	}
	if note := got.HistoryNote(); note != "принято; принятие отменено 20.11.2026: не тот пакет" {
		t.Errorf("HistoryNote = %q", note)
	}
	if re, _ := s.RegisterEntry(r.ID); re.Annulled.Reason != "не тот пакет" || re.Annulled.By != "olga" {
		t.Errorf("register entry after revoke: %+v", re.Annulled)
	}
	if n := auditCount(t, s); n != before+2 {
		t.Errorf("audit lines: %d, want %d (journal and register)", n, before+2)
	}
	_, err = s.RevokeAcceptance(head, got.ID, got.Version, "ещё раз")
	mustCode(t, err, store.CodeInvalid, "Запись журнала 1/2026 в статусе «поступило»: отменить можно только принятие")
	mustCheck(t, s, "s#3")
	// Accepted again into a new entry.
	r2 := validEntry()
	r2.JournalID = j.ID
	if _, err := s.SaveRegisterEntry(clerk, r2); err != nil {
		t.Errorf("accept after revoke: %v", err)
	}
	mustCheck(t, s, "s#4")
}

// TestStore_AnnulOnlyEntry: an employer whose only entry is annulled stays
// known (look-up, the employers' card) and the file stays sound.
func TestStore_AnnulOnlyEntry(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnnulRegisterEntry(head, e.ID, e.Version, "ошибочно"); err != nil {
		t.Fatal(err)
	}
	if emp, ok, err := s.LastEmployer(e.Employer.INN); !ok || err != nil || emp.Name != "ООО «Волга»" {
		t.Errorf("LastEmployer = %+v, %v, %v", emp, ok, err)
	}
	if card, err := s.FindByINN(e.Employer.INN); err != nil || len(card.Register) != 1 {
		t.Errorf("FindByINN = %+v, %v", card, err)
	}
	mustCheck(t, s, "only entry annulled")
}

// TestStore_RevokeAfterAnnul: an acceptance whose register entry was
// annulled on its own is still revoked; the annulment stays as it was.
func TestStore_RevokeAfterAnnul(t *testing.T) {
	s, _ := openStore(t)
	j, r := acceptedEntry(t, s)
	r, err := s.AnnulRegisterEntry(head, r.ID, r.Version, "дубль")
	if err != nil {
		t.Fatal(err)
	}
	j, _ = s.JournalEntry(j.ID)
	j, err = s.RevokeAcceptance(head, j.ID, j.Version, "не тот пакет")
	if err != nil || j.Status != store.StatusReceived {
		t.Fatalf("RevokeAcceptance after the entry's annulment: %+v, %v", j, err)
	}
	if got, _ := s.RegisterEntry(r.ID); got.Annulled != r.Annulled || got.Version != r.Version {
		t.Errorf("the annulment changed: %+v", got.Annulled)
	}
	mustCheck(t, s, "revoke after annul")
}

func TestStore_ResubmitDate(t *testing.T) {
	clock := now.AddDate(0, 0, -10)
	s, err := store.Open(filepath.Join(t.TempDir(), "sout.db"), store.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"})
	if err != nil {
		t.Fatal(err)
	}
	clock = now // returned ten days after it was registered
	if j, err = s.ReturnJournalEntry(clerk, j.ID, j.Version, "неполный пакет", store.NewDate(2026, 12, 11)); err != nil {
		t.Fatal(err)
	}
	_, err = s.ResubmitJournalEntry(clerk, j.ID, j.Version, store.NewDate(2026, 11, 21))
	mustCode(t, err, store.CodeInvalid, "Дата повторного поступления: 21.11.2026 ещё не наступила")
	_, err = s.ResubmitJournalEntry(clerk, j.ID, j.Version, store.NewDate(2026, 11, 19))
	mustCode(t, err, store.CodeInvalid, "Дата повторного поступления: 19.11.2026 раньше возврата на доработку 20.11.2026")
	if j, err = s.ResubmitJournalEntry(clerk, j.ID, j.Version, store.NewDate(2026, 11, 20)); err != nil {
		t.Fatal(err)
	}
	ev := j.Events[len(j.Events)-1]
	if ev.Status != store.StatusReceived || ev.On != store.NewDate(2026, 11, 20) || ev.By != "anna" {
		t.Errorf("re-receipt event = %+v", ev)
	}
	// A return that came with the record (an import): its day is not known, the day of receipt bounds.
	imp, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»",
		Status: store.StatusReturned, StatusReason: "нет карт", ReturnDeadline: store.NewDate(2026, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ResubmitJournalEntry(clerk, imp.ID, imp.Version, store.NewDate(2026, 3, 1))
	mustCode(t, err, store.CodeInvalid, "Дата повторного поступления: 01.03.2026 раньше первого поступления 02.03.2026")
	if _, err = s.ResubmitJournalEntry(clerk, imp.ID, imp.Version, store.NewDate(2026, 3, 20)); err != nil {
		t.Errorf("re-receipt of an imported return before the import: %v", err)
	}
	// Registered and returned the same day (QA: the receipt bounded, and a re-receipt dated before the
	// return was saved): the return's day bounds.
	same, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 19),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"})
	if err != nil {
		t.Fatal(err)
	}
	same, err = s.ReturnJournalEntry(clerk, same.ID, same.Version, "нет подписи", store.NewDate(2026, 12, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ResubmitJournalEntry(clerk, same.ID, same.Version, store.NewDate(2026, 11, 19))
	mustCode(t, err, store.CodeInvalid, "Дата повторного поступления: 19.11.2026 раньше возврата на доработку 20.11.2026")
}

// auditCount is the number of audit records of the file.
func auditCount(t *testing.T, s *store.Store) int {
	t.Helper()
	n := 0
	if err := s.AuditWhere(store.AuditFilter{}, func(*store.AuditRecord) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// acceptedEntry registers a journal entry and accepts it into a register
// entry; it returns both as saved.
func acceptedEntry(t *testing.T, s *store.Store) (store.JournalEntry, store.RegisterEntry) {
	t.Helper()
	j, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 3, 2),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"})
	if err != nil {
		t.Fatal(err)
	}
	r := validEntry()
	r.JournalID = j.ID
	if r, err = s.SaveRegisterEntry(clerk, r); err != nil {
		t.Fatal(err)
	}
	if j, err = s.JournalEntry(j.ID); err != nil || j.Status != store.StatusAccepted {
		t.Fatalf("accepted: %+v, %v", j, err)
	}
	return j, r
}
