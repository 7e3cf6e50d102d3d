package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"sout/store"
)

// journalMatching is what a query must list, read another way: every entry (EachJournal, in
// registration order) that the query matches (JournalQuery.Matches), newest first.
func journalMatching(t *testing.T, s *store.Store, q store.JournalQuery) []store.JournalEntry {
	t.Helper()
	var out []store.JournalEntry
	if err := s.EachJournal(context.Background(), store.Period{}, func(e *store.JournalEntry) error {
		if q.Matches(e) {
			out = append(out, *e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(out)
	return out
}

// TestJournalKeys: the keys of a query are those of the entries it matches, newest first, carry what
// the Journal sorts and counts by, and the sort name only when asked; JournalEntries reads a window
// back by id in the order given, and refuses an id not in the journal.
func TestJournalKeys(t *testing.T) {
	s, _ := openStore(t)
	names := []string{"ООО «Ёлка»", "АО «Нива»", "ООО «Волга»", "ИП Ёжиков"}
	for i := range 9 {
		on := store.NewDate(2025+i%2, time.Month(1+i), 3)
		_, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: on,
			EmployerName: names[i%len(names)], EmployerINN: "7707083893", SoutOrgName: fmt.Sprint("Орг ", i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	e, _ := s.JournalByNo(2026, 2)
	if _, err := returnBack(s, e.ID, e.Version, "нет карт", store.NewDate(2026, 5, 1)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []store.JournalQuery{{}, {Period: store.Period{From: store.NewDate(2026, 1, 1),
		To: store.NewDate(2026, 12, 31)}}, {Text: "нива"}, {Status: store.StatusReturned}, {Text: "нет такого"}} {
		want := journalMatching(t, s, q)
		keys, err := s.JournalKeys(q, q.Text != "")
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != len(want) {
			t.Fatalf("%+v: %d keys, %d entries", q, len(keys), len(want))
		}
		ids := make([]uint64, len(keys))
		for i, k := range keys {
			w := store.JournalKeyOf(&want[i], q.Text != "")
			if k != w {
				t.Errorf("%+v: key %d is %+v, want %+v", q, i, k, w)
			}
			if (k.Name != "") != (q.Text != "") {
				t.Errorf("%+v: key %d has the name %q", q, i, k.Name)
			}
			ids[len(ids)-1-i] = k.ID
		}
		if list, err := s.ListJournal(q); err != nil || len(list) != len(want) ||
			len(want) > 0 && (list[0].ID != want[0].ID || list[len(list)-1].ID != want[len(want)-1].ID) {
			t.Errorf("%+v: ListJournal lists %d entries (%v), want %d", q, len(list), err, len(want))
		}
		got, err := s.JournalEntries(ids)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if w := want[len(want)-1-i]; got[i].ID != w.ID || got[i].Ref() != w.Ref() || got[i].Version != w.Version {
				t.Errorf("%+v: entry %d is %s, want %s", q, i, got[i].Ref(), w.Ref())
			}
		}
	}
	keys, _ := s.JournalKeys(store.JournalQuery{Status: store.StatusReturned}, true)
	if len(keys) != 1 || !keys[0].Overdue(s.Today()) || keys[0].Overdue(store.NewDate(2026, 4, 30)) ||
		keys[0].Name != "ип ежиков" {
		t.Errorf("the returned entry's key: %+v", keys)
	}
	if k := store.JournalKeyOf(&store.JournalEntry{EmployerName: "ИП Ёжиков"}, true); k.Name != "ип ежиков" {
		t.Errorf("sort name of «ИП Ёжиков»: %q", k.Name)
	}
	_, err := s.JournalEntries([]uint64{keys[0].ID, 999})
	mustCode(t, err, store.CodeNotFound, "Запись журнала не найдена")
	if got, err := s.JournalEntries(nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}
}

// TestJournalSortName_IgnoresQuotes: the bare name sorts before the names it
// begins, whatever quotes, dashes and case surround them.
func TestJournalSortName_IgnoresQuotes(t *testing.T) {
	names := []string{"ФГУП «Энергия Трейд»", "ФГУП «Энергия-Строй»", "фгуп  \"ЭНЕРГИЯ\""}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = store.JournalSortName(n)
	}
	if want := []string{"фгуп энергия трейд", "фгуп энергия строй", "фгуп энергия"}; !slices.Equal(keys, want) {
		t.Fatalf("JournalSortName(%q) = %q, want %q", names, keys, want)
	}
	slices.SortStableFunc(names, func(a, b string) int {
		return strings.Compare(store.JournalSortName(a), store.JournalSortName(b))
	})
	if want := []string{"фгуп  \"ЭНЕРГИЯ\"", "ФГУП «Энергия-Строй»", "ФГУП «Энергия Трейд»"}; !slices.Equal(names, want) {
		t.Errorf("sorted by JournalSortName: %q, want %q", names, want)
	}
}
