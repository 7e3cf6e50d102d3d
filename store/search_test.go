package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"sout/store"
)

// searchEmployer is one employer of the search tests.
type searchEmployer struct {
	name string
	on   store.Date
}

var searchEmployers = []searchEmployer{
	{"ООО «Полёт»", store.NewDate(2026, 3, 1)},
	{"ООО «Северсталь-Строй»", store.NewDate(2026, 3, 2)},
	{"МБОУ «Школа № 155»", store.NewDate(2026, 3, 3)},
	{"МБОУ «Школа № 15»", store.NewDate(2026, 3, 4)},
	{"ИП Фёдоров Пётр Иванович", store.NewDate(2026, 3, 5)},
	{"ГБУЗ \"Городская больница № 2\"", store.NewDate(2026, 3, 6)},
	{"ПАО «Нефтемаш»", store.NewDate(2026, 3, 7)},
	{"АО «Нефтемаш-Сервис»", store.NewDate(2026, 3, 8)},
	{"ООО «Полет-Авиа»", store.NewDate(2026, 3, 9)},
	{"ООО «Нефтемашстрой»", store.NewDate(2026, 3, 10)},
}

// searchINN returns the INN of employer i of searchEmployers: 10 digits
// 55080000i… (the ИП: 12 digits), OGRN 10255000000i….
func searchINN(i int) (inn, ogrn string) {
	if i == 4 {
		return store.INNCheckDigits(fmt.Sprintf("5508%06d", 90000+i)), store.OGRNCheckDigit(fmt.Sprintf("30455%09d", i))
	}
	return store.INNCheckDigits(fmt.Sprintf("55080%04d", 1000+i)),
		store.OGRNCheckDigit(fmt.Sprintf("10255%07d", 7700+i))
}

// openSearchStore returns a store with searchEmployers in its register.
func openSearchStore(t *testing.T) (*store.Store, string) {
	s, path := openStore(t)
	for i, se := range searchEmployers {
		e := validEntry()
		e.Employer.Name, e.EnteredOn = se.name, se.on
		e.Employer.INN, e.Employer.OGRN = searchINN(i)
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatalf("SaveRegisterEntry(%s): %v", se.name, err)
		}
	}
	return s, path
}

// foundNames returns the names FindEmployers(q) finds, in its order, and the total.
func foundNames(t *testing.T, s *store.Store, q string) ([]string, int) {
	t.Helper()
	m, err := s.FindEmployers(q, 200)
	if err != nil {
		t.Fatalf("FindEmployers(%q): %v", q, err)
	}
	var names []string
	for _, e := range m.Employers {
		names = append(names, e.Name)
	}
	return names, m.Total
}

func TestStore_FindEmployers(t *testing.T) {
	s, _ := openSearchStore(t)
	inn6, ogrn6 := searchINN(6)
	for _, tc := range []struct {
		what, query string
		want        []string // in this order, and nothing else
	}{
		{"ё as е", "полет", []string{"ООО «Полет-Авиа»", "ООО «Полёт»"}},
		{"е as ё", "полёт авиа", []string{"ООО «Полет-Авиа»"}},
		{"ё in a first name", "петр", []string{"ИП Фёдоров Пётр Иванович"}},
		{"word order", "строй северсталь", []string{"ООО «Северсталь-Строй»"}},
		{"dash and case", "СЕВЕРСТАЛЬ СТРОЙ", []string{"ООО «Северсталь-Строй»"}},
		{"prefixes", "сев стр", []string{"ООО «Северсталь-Строй»"}},
		{"number sign", "школа 155", []string{"МБОУ «Школа № 155»"}},
		{"number prefix, exact first", "школа 15", []string{"МБОУ «Школа № 15»", "МБОУ «Школа № 155»"}},
		{"number glued", "школа№155", []string{"МБОУ «Школа № 155»"}},
		{"quotes", "\"городская больница\"", []string{"ГБУЗ \"Городская больница № 2\""}},
		{"legal form as a word", "пао", []string{"ПАО «Нефтемаш»"}},
		{"legal form and name", "мбоу школа", []string{"МБОУ «Школа № 15»", "МБОУ «Школа № 155»"}},
		{"exact word before prefix, then the latest", "нефтемаш", []string{"АО «Нефтемаш-Сервис»", "ПАО «Нефтемаш»",
			"ООО «Нефтемашстрой»"}},
		{"one typo (substitution)", "нефтимаш",
			[]string{"ООО «Нефтемашстрой»", "АО «Нефтемаш-Сервис»", "ПАО «Нефтемаш»"}},
		{"one typo (missing letter)", "северстль", []string{"ООО «Северсталь-Строй»"}},
		{"one typo (swapped)", "севресталь", []string{"ООО «Северсталь-Строй»"}},
		{"one typo while typing", "нефтм", []string{"ООО «Нефтемашстрой»", "АО «Нефтемаш-Сервис»", "ПАО «Нефтемаш»"}},
		{"a typo of a whole word", "полеь", []string{"ООО «Полет-Авиа»", "ООО «Полёт»"}},
		{"start before typo", "нефтемашс", []string{"ООО «Нефтемашстрой»", "АО «Нефтемаш-Сервис»", "ПАО «Нефтемаш»"}},
		{"five letters, one typo", "шкала 155", []string{"МБОУ «Школа № 155»"}},
		{"exact before typo", "полет", []string{"ООО «Полет-Авиа»", "ООО «Полёт»"}},
		{"INN whole", inn6, []string{"ПАО «Нефтемаш»"}},
		{"INN inside", inn6[4:9], []string{"ПАО «Нефтемаш»"}},
		{"OGRN inside", ogrn6[5:], []string{"ПАО «Нефтемаш»"}},
		{"INN start of all", "5508", []string{"ООО «Нефтемашстрой»", "ООО «Полет-Авиа»", "АО «Нефтемаш-Сервис»",
			"ПАО «Нефтемаш»",
			"ГБУЗ \"Городская больница № 2\"", "ИП Фёдоров Пётр Иванович", "МБОУ «Школа № 15»", "МБОУ «Школа № 155»",
			"ООО «Северсталь-Строй»", "ООО «Полёт»"}},
		{"INN and a word", "5508 пао", []string{"ПАО «Нефтемаш»"}},
		{"three digits: the INN's start", "550 пао", []string{"ПАО «Нефтемаш»"}},
		{"must not: three digits inside an INN", "080", nil},
		{"must not: three digits inside an OGRN", "255", nil},
		{"must not: four letters with a typo", "шкла", nil},
		{"must not: two typos", "нефтимаж", nil},
		{"must not: a word not there", "полет школа", nil},
		{"must not: middle of a word", "сталь", nil},
		{"must not: digits not in an INN", "99999", nil},
		{"must not: punctuation only", "«№ -»", nil},
	} {
		got, total := foundNames(t, s, tc.query)
		if !slices.Equal(got, tc.want) || total != len(tc.want) {
			t.Errorf("%s: FindEmployers(%q) = %q (%d in all), want %q", tc.what, tc.query, got, total, tc.want)
		}
		mustAgree(t, s, tc.query)
	}
}

// mustAgree fails unless ScanEmployers (a pass over the cards) finds what
// FindEmployers (the index) finds, in the same order, whole and capped.
func mustAgree(t *testing.T, s *store.Store, q string) {
	t.Helper()
	for _, limit := range []int{200, 3, 1} {
		want, err := s.FindEmployers(q, limit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ScanEmployers(context.Background(), q, limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Employers, want.Employers) || got.Total != want.Total {
			t.Errorf("ScanEmployers(%q, %d) = %v (%d in all), FindEmployers %v (%d)", q, limit, got.Employers,
				got.Total, want.Employers, want.Total)
		}
	}
}

func TestStore_FindEmployersCapped(t *testing.T) {
	s, _ := openSearchStore(t)
	m, err := s.FindEmployers("5508", 3)
	if err != nil || len(m.Employers) != 3 || m.Total != len(searchEmployers) {
		t.Fatalf("FindEmployers(5508, 3) = %d of %d, %v; want 3 of %d", len(m.Employers), m.Total, err,
			len(searchEmployers))
	}
	if m.Employers[0].Name != "ООО «Нефтемашстрой»" || m.Employers[0].LastDate != store.NewDate(2026, 3, 10) {
		t.Errorf("first = %s of %s, want the latest entry", m.Employers[0].Name, m.Employers[0].LastDate.Ru())
	}
}

// mustFind fails unless FindEmployers(q) finds exactly want, and ScanEmployers the same.
func mustFind(t *testing.T, s *store.Store, when, q string, want ...string) {
	t.Helper()
	if got, _ := foundNames(t, s, q); !slices.Equal(got, want) {
		t.Errorf("%s: FindEmployers(%q) = %q, want %q", when, q, got, want)
	}
	mustAgree(t, s, q)
}

// mustCheck fails unless Check finds the index (and everything else) sound.
func mustCheck(t *testing.T, s *store.Store, when string) {
	t.Helper()
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Errorf("%s: Check = %q, %v", when, problems, err)
	}
}

// TestStore_SearchIndexFollowsWrites: after edits, imports, an aborted and
// a crashed import, the index finds what the cards say and Check finds it
// equal to an index built afresh from them.
func TestStore_SearchIndexFollowsWrites(t *testing.T) {
	s, path := openSearchStore(t)
	mustFind(t, s, "before", "полет", "ООО «Полет-Авиа»", "ООО «Полёт»")
	searchEdits(t, s)
	searchImports(t, s, path)
}

// searchEdits: after a rename, a move to another INN and a journal entry of
// a new employer, the index finds what the cards say, and the list filters
// the same.
func searchEdits(t *testing.T, s *store.Store) {

	page, _ := s.ListRegister(store.RegisterQuery{Text: "полёт"}, store.Pos{}, 10)
	if len(page) != 2 || page[1].Employer.Name != "ООО «Полёт»" {
		t.Fatalf("ListRegister(полёт) = %d entries", len(page))
	}
	e := page[1]
	e.Employer.Name = "ООО «Вираж»"
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, "renamed", "полет", "ООО «Полет-Авиа»")
	mustFind(t, s, "renamed", "вираж", "ООО «Вираж»")
	mustCheck(t, s, "renamed")

	// Its only entry moves to another INN: the old card goes.
	oldINN := e.Employer.INN
	e, _ = s.RegisterEntry(e.ID)
	e.Employer.INN = store.INNCheckDigits("550899999")
	if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, "moved", oldINN)
	mustFind(t, s, "moved", e.Employer.INN, "ООО «Вираж»")
	mustCheck(t, s, "moved")

	j := store.JournalEntry{ReceivedOn: store.NewDate(2026, 4, 1), EmployerName: "ООО «Только журнал»",
		EmployerINN: store.INNCheckDigits("550888888"), SoutOrgName: "ООО «Охрана труда»"}
	if _, err := s.CreateJournalEntry(clerk, j); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, "journal", "только журнал", "ООО «Только журнал»")
	for _, q := range []string{"журнал только", "ТОЛЬКО-ЖУРНАЛ", "журнл", j.EmployerINN[3:8]} {
		if js, err := s.ListJournal(store.JournalQuery{Text: q}); err != nil || len(js) != 1 {
			t.Errorf("ListJournal(%q) = %d entries, %v; want 1", q, len(js), err)
		}
	}
	if page, _ := s.ListRegister(store.RegisterQuery{Text: e.Employer.INN[4:9]}, store.Pos{}, 10); len(page) != 1 {
		t.Errorf("ListRegister(INN inside) = %d entries, want 1", len(page))
	}
	mustCheck(t, s, "journal")
}

// searchImports: after an import, an aborted and a crashed one, the index
// finds what the cards say and equals one built afresh from them.
func searchImports(t *testing.T, s *store.Store, path string) {
	batch := func(name string) []store.RegisterEntry {
		var es []store.RegisterEntry
		for i := range 30 {
			e := validEntry()
			e.Employer.Name = fmt.Sprintf("%s %d", name, i)
			e.Employer.INN = store.INNCheckDigits(fmt.Sprintf("5507%05d", i))
			es = append(es, e)
		}
		return es
	}
	im, err := s.BeginImport(context.Background(), admin, "imported.csv")
	if err != nil {
		t.Fatal(err)
	}
	imported := batch("ООО «Импорт»")
	imported[0].Employer.INN, imported[0].Employer.OGRN = searchINN(6) // a later entry of ПАО «Нефтемаш»
	if err := im.AddRegister(imported); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, "imported", "импорт 29", "ООО «Импорт» 29")
	mustFind(t, s, "imported", "нефтемаш", "АО «Нефтемаш-Сервис»", "ООО «Нефтемашстрой»")
	mustFind(t, s, "imported", "импорт 0", "ООО «Импорт» 0")
	mustCheck(t, s, "imported")

	im, _ = s.BeginImport(context.Background(), admin, "aborted.csv")
	if err := im.AddRegister(batch("ООО «Отмена»")); err != nil {
		t.Fatal(err)
	}
	if err := im.Abort(); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, "aborted", "отмена")
	mustFind(t, s, "aborted", "импорт 29", "ООО «Импорт» 29")
	mustCheck(t, s, "aborted")

	// A crash in the middle of an import: the next open rolls it back.
	im, _ = s.BeginImport(context.Background(), admin, "crashed.csv")
	if err := im.AddRegister(batch("ООО «Авария»")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	mustFind(t, s2, "crashed", "авария")
	mustFind(t, s2, "crashed", "импорт 29", "ООО «Импорт» 29")
	mustCheck(t, s2, "crashed")
}

// TestStore_SearchWhileWriting: searches during writes and during the
// index's first build see no half-made index, and it ends equal to the cards.
func TestStore_SearchWhileWriting(t *testing.T) {
	s, _ := openSearchStore(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			if _, err := s.FindEmployers("ооо нефт", 10); err != nil {
				t.Error(err)
				return
			}
			if _, err := s.ListRegister(store.RegisterQuery{Text: "5508"}, store.Pos{}, 10); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := range 20 {
		e := validEntry()
		e.Employer.Name = fmt.Sprintf("ООО «Нефть %d»", i)
		e.Employer.INN = store.INNCheckDigits(fmt.Sprintf("5506%05d", i))
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	// The 20 and, with a typo, ООО «Нефтемашстрой».
	if _, total := foundNames(t, s, "ооо нефть"); total != 21 {
		t.Errorf("FindEmployers(ооо нефть) found %d, want 21", total)
	}
	mustCheck(t, s, "after concurrent writes")
}
