package tui

import (
	"strings"
	"testing"

	"sout/store"
	"sout/store/demo/demotest"
)

// returnBack returns entry id as on the day of its deadline, the test clock
// set back to it (ReturnJournalEntry refuses a deadline before the day of the
// return), so that by testNow the return may be overdue.
func returnBack(s *store.Store, id, version uint64, reason string, deadline store.Date) (store.JournalEntry, error) {
	return demotest.ReturnBack(s, &testNow, testClerk, id, version, reason, deadline)
}

// returnDialog opens the return dialog on a new journal entry and answers
// its reason.
func returnDialog(t *testing.T) (*store.Store, store.JournalEntry, *App) {
	t.Helper()
	s := testStore(t)
	e := mustJournal(t, s, store.JournalEntry{EmployerName: "ООО «Волга»", EmployerINN: "7707083893"})
	a := testApp(t, s)
	pressKeys(a, a.keys.Journal, a.keys.Return)
	answer(t, a, "нет карт")
	return s, e, a
}

// TestJournal_ReturnDeadlineNotPast: a return due before today is refused in
// the dialog, which stays open with the store's message and the entry
// unchanged; the same dialog with today's date returns it.
func TestJournal_ReturnDeadlineNotPast(t *testing.T) {
	s, e, a := returnDialog(t)
	answer(t, a, "19.11.2026")
	want := "Срок доработки: 19.11.2026 раньше дня возврата 20.11.2026"
	if got := dialogErr(a); got != want {
		t.Fatalf("deadline 19.11.2026: dialog error %q, want %q\n%s", got, want, frame(a))
	}
	if !strings.Contains(frame(a), want) {
		t.Errorf("the dialog does not show %q:\n%s", want, frame(a))
	}
	if j, _ := s.JournalByNo(2026, e.No); j.Status != store.StatusReceived {
		t.Fatalf("a refused return changed the entry: %+v", j)
	}
	answer(t, a, "20.11.2026")
	if j, _ := s.JournalByNo(2026, e.No); a.dialog != nil || j.Status != store.StatusReturned {
		t.Errorf("deadline today: dialog open %v, status %q\n%s", a.dialog != nil, j.Status, frame(a))
	}
}

// TestDialogs_BadDateNamesItsField: a date that cannot be read is named by
// the dialog's field, as typed (QA: «дата «32.01.2026» не существует…» with
// no field), and the return's and annulment's done messages say what was done.
func TestDialogs_BadDateNamesItsField(t *testing.T) {
	_, e, a := returnDialog(t)
	answer(t, a, "32.01.2026")
	if got := dialogErr(a); !strings.HasPrefix(got, "Срок доработки: «32.01.2026»") {
		t.Errorf("return, deadline 32.01.2026: %q", got)
	}
	answer(t, a, "01.12.2026")
	if want := "Запись журнала № " + e.Ref() + " возвращена на доработку до 01.12.2026"; a.status != want {
		t.Errorf("after the return the status says %q, want %q", a.status, want)
	}
	run(a, a.journal.refreshEntries([]uint64{e.ID})) // as the change subscription would
	pressKeys(a, a.keys.Resubmit)
	answer(t, a, "32.01.2026")
	if got := dialogErr(a); !strings.HasPrefix(got, "Дата повторного поступления: «32.01.2026»") {
		t.Errorf("re-receipt 32.01.2026: %q", got)
	}
	answer(t, a, "20.11.2026")
	if want := "Запись журнала № " + e.Ref() + " поступила повторно 20.11.2026"; a.status != want {
		t.Errorf("after the re-receipt the status says %q, want %q", a.status, want)
	}
	pressKeys(a, a.keys.Jump)
	answer(t, a, "32.01.2026")
	if got := dialogErr(a); !strings.HasPrefix(got, "Дата: «32.01.2026»") {
		t.Errorf("jump 32.01.2026: %q", got)
	}
	pressKeys(a, a.keys.Close, a.keys.Annul)
	answer(t, a, "ошибочная регистрация")
	if want := "Запись журнала № " + e.Ref() + " аннулирована"; a.status != want {
		t.Errorf("after the annulment the status says %q, want %q", a.status, want)
	}
}
