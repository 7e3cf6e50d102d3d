package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sout/store"
	"sout/store/demo/demotest"
)

var (
	clerk = store.Actor{Name: "anna", Role: store.RoleClerk}
	boris = store.Actor{Name: "boris", Role: store.RoleClerk}
	head  = store.Actor{Name: "olga", Role: store.RoleHead}
	admin = store.Actor{Name: "root", Role: store.RoleAdmin}
	now   = time.Date(2026, 11, 20, 10, 30, 0, 0, time.Local)
)

// openStore opens a fresh store in a temporary directory with a fixed clock.
func openStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sout.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// validEntry returns a register entry that passes every check.
func validEntry() store.RegisterEntry {
	e := store.RegisterEntry{
		EnteredOn: store.NewDate(2026, 3, 15),
		Employer: store.Employer{Name: "ООО «Волга»", Address: "г. Самара, ул. Ленина, 1", INN: "7707083893",
			OGRN: "1027700132195", OKVED: "25.11"},
		SoutOrg: store.SoutOrg{Name: "ООО «Охрана труда»", RegNo: "123"},
	}
	g := &e.Grid
	g[store.ColTotal] = [5]int{20, 30, 10, 1, 1}
	g[store.ColAssessed] = [5]int{10, 12, 5, 0, 1}
	g[store.ColClass2] = [5]int{7, 8, 4, 0, 1}
	g[store.ColClass31] = [5]int{3, 4, 1, 0, 0}
	return e
}

func mustCode(t *testing.T, err error, code store.Code, inMsg string) {
	t.Helper()
	if store.ErrorCode(err) != code || !strings.Contains(store.ErrorMessage(err), inMsg) {
		t.Fatalf("error = %v (code %q), want code %q with %q", err, store.ErrorCode(err), code, inMsg)
	}
}

func TestStore_SaveRegisterEntry(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == 0 || e.Version != 1 || e.CreatedBy != "anna" {
		t.Fatalf("saved entry = id %d version %d by %q", e.ID, e.Version, e.CreatedBy)
	}
	t.Run("ErrClassSum", func(t *testing.T) {
		bad := validEntry()
		bad.Grid[store.ColClass2][store.RowWorkers] = 6
		_, err := s.SaveRegisterEntry(clerk, bad)
		mustCode(t, err, store.CodeInvalid, "Сумма классов по работникам 10 ≠ 12 в графе СОУТ")
	})
	t.Run("ErrWomenAboveWorkers", func(t *testing.T) {
		bad := validEntry()
		bad.Grid[store.ColTotal][store.RowWomen] = 31
		_, err := s.SaveRegisterEntry(clerk, bad)
		mustCode(t, err, store.CodeInvalid, "Женщин (31) больше, чем работников (30) в графе «всего»")
	})
	t.Run("ErrINN", func(t *testing.T) {
		bad := validEntry()
		bad.Employer.INN = "7707083894"
		_, err := s.SaveRegisterEntry(clerk, bad)
		mustCode(t, err, store.CodeInvalid, "ИНН 7707083894: неверное контрольное число")
	})
	t.Run("ErrOldOKVED", func(t *testing.T) {
		bad := validEntry()
		bad.Employer.OKVED = "40.10"
		_, err := s.SaveRegisterEntry(clerk, bad)
		mustCode(t, err, store.CodeInvalid, "старого ОКВЭД (ОК 029-2001")
	})
	t.Run("ErrFuture", func(t *testing.T) {
		bad := validEntry()
		bad.EnteredOn = store.NewDate(2026, 12, 1)
		_, err := s.SaveRegisterEntry(clerk, bad)
		mustCode(t, err, store.CodeInvalid, "ещё не наступила")
	})
	t.Run("Conflict", func(t *testing.T) {
		first := e
		first.Employer.Address = "г. Самара, ул. Ленина, 2"
		if _, err := s.SaveRegisterEntry(boris, first); err != nil {
			t.Fatal(err)
		}
		stale := e
		stale.Employer.Address = "иначе"
		_, err := s.SaveRegisterEntry(clerk, stale)
		mustCode(t, err, store.CodeConflict, "Запись изменена пользователем boris в 10:30")
	})
	t.Run("Forbidden", func(t *testing.T) {
		_, err := s.SaveRegisterEntry(store.Actor{Name: "x"}, validEntry())
		mustCode(t, err, store.CodeForbidden, "недостаточно прав")
	})
}

func TestStore_ContextWarnings(t *testing.T) {
	s, _ := openStore(t)
	if _, err := s.SaveRegisterEntry(clerk, validEntry()); err != nil {
		t.Fatal(err)
	}
	e := validEntry()
	e.Employer.Name = "ООО «Волга-2»"
	ps, err := s.CheckRegisterEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	if ps.HasErrors() {
		t.Fatalf("CheckRegisterEntry errors: %v", ps)
	}
	w := ps.Warnings().Error()
	for _, want := range []string{"ИНН: уже есть запись реестра («ООО «Волга»», внесена 15.03.2026) с тем же ИНН и той " +
		"же организацией СОУТ",
		"Наименование: «ООО «Волга-2»» отличается от прежней записи с этим ИНН («ООО «Волга»», внесена 15.03.2026)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %q, want %q", w, want)
		}
	}
	// An older entry edited is compared with the one before it, not a later one.
	old := validEntry()
	old.EnteredOn = store.NewDate(2026, 2, 1)
	old.Employer.Name = "ООО «Волга-старая»"
	old.SoutOrg.Name = "ООО «Другая»"
	saved, err := s.SaveRegisterEntry(clerk, old)
	if err != nil {
		t.Fatal(err)
	}
	saved.Employer.Name = "ООО «Волга-1»"
	ps, err = s.CheckRegisterEntry(saved)
	if err != nil {
		t.Fatal(err)
	}
	if w := ps.Warnings().Error(); strings.Contains(w, "прежней") {
		t.Errorf("the oldest entry is compared with a later one: %q", w)
	}
}

func TestStore_JournalNumbering(t *testing.T) {
	s, _ := openStore(t)
	j := store.JournalEntry{ReceivedOn: store.NewDate(2026, 2, 1), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»"}
	var got []string
	for _, d := range []store.Date{store.NewDate(2025, 12, 30), store.NewDate(2026, 1, 10), store.NewDate(2026, 1, 11),
		store.NewDate(2025, 12, 31)} {
		j.ReceivedOn = d
		e, err := s.CreateJournalEntry(clerk, j)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Ref())
	}
	if want := "1/2025 1/2026 2/2026 2/2025"; strings.Join(got, " ") != want {
		t.Errorf("numbers = %v, want %s", got, want)
	}
	j.ReceivedOn, j.No = store.NewDate(2026, 3, 1), 2
	_, err := s.CreateJournalEntry(clerk, j)
	mustCode(t, err, store.CodeInvalid, "Регистрационный номер 2/2026 уже занят")

	// Return, refused acceptance before the re-receipt, re-receipt, accept through the register.
	e, _ := s.JournalByNo(2026, 1)
	e, err = returnBack(s, e.ID, e.Version, "нет карт СОУТ", store.NewDate(2026, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !e.Overdue(s.Today()) {
		t.Errorf("returned entry with a passed deadline is not overdue")
	}
	r := validEntry()
	r.JournalID = e.ID
	_, err = s.SaveRegisterEntry(clerk, r)
	mustCode(t, err, store.CodeInvalid, "Запись журнала 1/2026 возвращена на доработку: сначала отметьте повторное"+
		" поступление пакета (клавиша g), затем принимайте")
	if e, err = s.ResubmitJournalEntry(clerk, e.ID, e.Version, 0); err != nil {
		t.Fatal(err)
	}
	r, err = s.SaveRegisterEntry(clerk, r)
	if err != nil {
		t.Fatal(err)
	}
	e, _ = s.JournalEntry(e.ID)
	if e.Status != store.StatusAccepted || e.RegisterID != r.ID {
		t.Errorf("after the register save the journal entry is %s linked to %d, want accepted linked to %d", e.Status,
			e.RegisterID, r.ID)
	}
	_, err = s.AnnulJournalEntry(clerk, e.ID, e.Version, "ошибка")
	mustCode(t, err, store.CodeInvalid, "в статусе «принято»")
}

func TestStore_Locks(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := store.ParsePeriod("2026H1")
	mustCode(t, s.LockPeriod(clerk, h1, ""), store.CodeForbidden, "руководитель")
	if err := s.LockPeriod(head, h1, "сводная отправлена"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveRegisterEntry(clerk, validEntry())
	mustCode(t, err, store.CodeLocked, "заблокирован")
	moved := e
	moved.EnteredOn = store.NewDate(2026, 7, 1)
	_, err = s.SaveRegisterEntry(clerk, moved)
	mustCode(t, err, store.CodeLocked, "заблокирован")
	in := validEntry()
	in.EnteredOn = store.NewDate(2026, 8, 1)
	in, err = s.SaveRegisterEntry(clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	in.EnteredOn = store.NewDate(2026, 5, 1)
	_, err = s.SaveRegisterEntry(clerk, in)
	mustCode(t, err, store.CodeLocked, "заблокирован")
	if err := s.UnlockPeriod(head, h1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveRegisterEntry(clerk, in); err != nil {
		t.Errorf("after unlock: %v", err)
	}
}

func TestStore_ListAndFind(t *testing.T) {
	s, _ := openStore(t)
	var ids []uint64
	for i := 0; i < 25; i++ {
		e := validEntry()
		e.EnteredOn = store.NewDate(2026, 1, 1).AddDays(i * 7)
		if i%5 == 0 {
			e.Employer.INN, e.Employer.Name = "500100732259", "ИП Петров"
		}
		e, err := s.SaveRegisterEntry(clerk, e)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	page, err := s.ListRegister(store.RegisterQuery{}, store.Pos{}, 10)
	if err != nil || len(page) != 10 || page[0].ID != ids[24] || page[9].ID != ids[15] {
		t.Fatalf("first page = %d entries from %d, err %v", len(page), page[0].ID, err)
	}
	last := page[9]
	next, _ := s.ListRegister(store.RegisterQuery{}, store.Pos{Date: last.EnteredOn, ID: last.ID}, 10)
	if len(next) != 10 || next[0].ID != ids[14] {
		t.Fatalf("second page starts at %d, want %d", next[0].ID, ids[14])
	}
	back, _ := s.ListRegisterBefore(store.RegisterQuery{}, store.Pos{Date: next[0].EnteredOn, ID: next[0].ID}, 3)
	if len(back) != 3 || back[0].ID != ids[17] || back[2].ID != ids[15] {
		t.Fatalf("ListRegisterBefore = %v", back)
	}
	q := store.RegisterQuery{Text: "петров"}
	if n, _ := s.CountRegister(q); n != 5 {
		t.Errorf("CountRegister(петров) = %d, want 5", n)
	}
	byINN, _ := s.ListRegister(store.RegisterQuery{Text: "5001"}, store.Pos{}, 100)
	if len(byINN) != 5 || byINN[0].ID != ids[20] {
		t.Errorf("ListRegister(INN prefix) = %d entries", len(byINN))
	}
	h1, _ := store.ParsePeriod("2026H1")
	if n, _ := s.CountRegister(store.RegisterQuery{Period: h1}); n != 25 {
		t.Errorf("CountRegister(2026H1) = %d, want 25", n)
	}
	card, err := s.FindByINN("500100732259")
	if err != nil || len(card.Register) != 5 || card.Employer.Name != "ИП Петров" {
		t.Fatalf("FindByINN = %+v, %v", card.Employer, err)
	}
	_, err = s.FindByINN("7736050003")
	mustCode(t, err, store.CodeNotFound, "7736050003")
	found, _ := s.SearchEmployers("волг", 10)
	if len(found) != 1 || found[0].INN != "7707083893" {
		t.Errorf("SearchEmployers(волг) = %v", found)
	}
}

func TestStore_ImportRollback(t *testing.T) {
	s, path := openStore(t)
	if _, err := s.SaveRegisterEntry(clerk, validEntry()); err != nil {
		t.Fatal(err)
	}
	im, err := s.BeginImport(context.Background(), admin, "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]store.RegisterEntry, 100)
	for i := range batch {
		batch[i] = validEntry()
		batch[i].Employer.INN = "500100732259"
	}
	if err := im.AddRegister(batch); err != nil {
		t.Fatal(err)
	}
	// A crash: close without Commit, then reopen. As it is, the file holds
	// the unfinished chunk; a read-only open rolls it back first, as any open.
	s.Close()
	asIs, err := store.Open(path, store.Options{ReadOnly: true, AsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := asIs.CountRegister(store.RegisterQuery{}); n != 101 {
		t.Errorf("as left by the crash CountRegister = %d, want 101", n)
	}
	asIs.Close()
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := ro.CountRegister(store.RegisterQuery{}); n != 1 {
		t.Errorf("read-only open after a crashed import: CountRegister = %d, want 1", n)
	}
	ro.Close()
	s2, err := store.Open(path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, _ := s2.CountRegister(store.RegisterQuery{}); n != 1 {
		t.Errorf("after a crashed import CountRegister = %d, want 1", n)
	}
	if _, err := s2.FindByINN("500100732259"); store.ErrorCode(err) != store.CodeNotFound {
		t.Errorf("the crashed import's employer is still there: %v", err)
	}
	if problems, err := s2.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Errorf("Check after rollback = %v, %v", problems, err)
	}
	im, _ = s2.BeginImport(context.Background(), admin, "test.csv")
	if err := im.AddRegister(batch); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s2.CountRegister(store.RegisterQuery{}); n != 101 {
		t.Errorf("after a committed import CountRegister = %d, want 101", n)
	}
	if problems, _ := s2.Check(context.Background()); len(problems) != 0 {
		t.Errorf("Check after import = %v", problems)
	}
}

func TestStore_OpenHeldFile(t *testing.T) {
	_, path := openStore(t)
	start := time.Now()
	_, err := store.Open(path, store.Options{Timeout: 200 * time.Millisecond})
	mustCode(t, err, store.CodeBusy, "занят другим процессом")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Open of a held file took %v", d)
	}
}

func TestStore_Subscribe(t *testing.T) {
	s, _ := openStore(t)
	ch, stop := s.Subscribe()
	defer stop()
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ch:
		if c.Kind != "register" || c.ID != e.ID || c.User != "anna" {
			t.Errorf("change = %+v", c)
		}
	case <-time.After(time.Second):
		t.Fatal("no change received")
	}
}

func TestStore_UsersAndAudit(t *testing.T) {
	s, _ := openStore(t)
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBi6lrq3Ge4rQ0mQ2v0xYHsXWXnbf7fNh2ZfUmjvpo+j anna@pc"
	mustCode(t, s.AddUser(clerk, store.User{Name: "anna", Role: store.RoleClerk, Keys: []string{key}}),
		store.CodeForbidden, "администратор")
	if err := s.AddUser(admin, store.User{Name: "anna", Role: store.RoleClerk, Keys: []string{key}}); err != nil {
		t.Fatal(err)
	}
	u, ok, err := s.UserByKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBi6lrq3Ge4rQ0mQ2v0xYHsXWXnbf7fNh2ZfUmjvpo+j")
	if err != nil || !ok || u.Name != "anna" {
		t.Fatalf("UserByKey = %v %v %v", u, ok, err)
	}
	var actions []string
	err = s.Audit(time.Time{}, "", func(r *store.AuditRecord) error {
		actions = append(actions,
			r.User+":"+r.Action)
		return nil
	})
	if err != nil || strings.Join(actions, ",") != "root:user.add" {
		t.Errorf("audit = %v, %v", actions, err)
	}
	var e *store.Error
	if err := s.RemoveUser(admin, "nobody"); !errors.As(err, &e) || e.Code != store.CodeNotFound {
		t.Errorf("RemoveUser(nobody) = %v", err)
	}
}

// TestStore_Limits: figures and registration numbers have upper limits, so that no sum
// overflows and numbers fit their index (found by reading the fuzz targets).
func TestStore_Limits(t *testing.T) {
	s, _ := openStore(t)
	e := validEntry()
	for c := store.ColClass1; c <= store.ColClass2+3; c++ {
		e.Grid[c][store.RowWorkers] = 1 << 62
	}
	_, err := s.SaveRegisterEntry(clerk, e)
	if msg := store.ErrorMessage(err); !strings.Contains(msg, "слишком большое число (не больше 9999999)") {
		t.Errorf("huge figures: %q", msg)
	}
	if _, _, err := store.ParseJournalRef("4294967297/2026", 2026); err == nil ||
		!strings.Contains(err.Error(), "слишком велик") {
		t.Errorf("huge journal reference: %v", err)
	}
	j := store.JournalEntry{No: 4294972296, ReceivedOn: store.NewDate(2026, 3, 2), EmployerName: "ООО «Волга»",
		EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»", Status: store.StatusReceived}
	if ps := j.Validate(store.NewDate(2026, 11, 20)); !ps.HasErrors() {
		t.Errorf("registration number %d accepted", j.No)
	}
}

// TestStore_EachRegisterLongRead: a long EachRegister gives the mapped file pages back every 2,000 entries
// (mapped_linux.go); the entries read after that are still whole and in
// date order, each of them once.
func TestStore_EachRegisterLongRead(t *testing.T) {
	s, _ := openStore(t)
	im, err := s.BeginImport(context.Background(), admin, "many")
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]store.RegisterEntry, 6500)
	for i := range batch {
		batch[i] = validEntry()
		batch[i].EnteredOn = store.NewDate(2025, 1, 1).AddDays(i % 400)
		batch[i].Employer.Address = fmt.Sprintf("г. Самара, ул. Ленина, %d", i)
	}
	if err := im.AddRegister(batch); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]bool{}
	var last store.Date
	err = s.EachRegister(context.Background(), store.Period{}, func(e *store.RegisterRecord) error {
		want := batch[e.ID-1]
		if seen[e.ID] || e.EnteredOn < last || e.Employer.Address != want.Employer.Address || e.Grid != want.Grid {
			return fmt.Errorf("entry №%d read as %s %q (after %s, seen %v)", e.ID, e.EnteredOn.Ru(), e.Employer.Address,
				last.Ru(), seen[e.ID])
		}
		seen[e.ID], last = true, e.EnteredOn
		return nil
	})
	if err != nil || len(seen) != len(batch) {
		t.Fatalf("EachRegister: %d of %d entries, %v", len(seen), len(batch), err)
	}
}

// volgaJournal registers a journal entry of ООО «Волга» received on
// 01.02.2026 and returns it as saved.
func volgaJournal(t *testing.T, s *store.Store) store.JournalEntry {
	t.Helper()
	e, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 2, 1),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// returnBack returns entry id as on the day of its deadline, the clock set
// back to it (ReturnJournalEntry refuses a deadline before the day of the
// return), so that by now the return may be overdue.
func returnBack(s *store.Store, id, version uint64, reason string, deadline store.Date) (store.JournalEntry, error) {
	return demotest.ReturnBack(s, &now, clerk, id, version, reason, deadline)
}

// TestReturnJournalEntry_DeadlineNotPast: a return due before the day of
// the return is refused with a message naming both days and changes nothing;
// one due that day is taken.
func TestReturnJournalEntry_DeadlineNotPast(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 1),
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ReturnJournalEntry(clerk, e.ID, e.Version, "нет карт", store.NewDate(2026, 11, 19))
	if want := "Срок доработки: 19.11.2026 раньше дня возврата 20.11.2026"; store.ErrorCode(err) != store.CodeInvalid ||
		store.ErrorMessage(err) != want {
		t.Fatalf("a return due yesterday: %v (code %q), want %q", err, store.ErrorCode(err), want)
	}
	if got, _ := s.JournalByNo(2026, e.No); got.Status != store.StatusReceived || got.Version != e.Version {
		t.Fatalf("a refused return changed the entry: %+v", got)
	}
	got, err := s.ReturnJournalEntry(clerk, e.ID, e.Version, "нет карт", s.Today())
	if err != nil || got.Status != store.StatusReturned || got.ReturnDeadline != s.Today() {
		t.Errorf("a return due today: %+v, %v", got, err)
	}
}
