package store_test

import (
	"fmt"
	"testing"

	"sout/store"
)

// problemsOf returns the problems of one field with one severity.
func problemsOf(ps store.Problems, field string, sev store.Severity) []string {
	var out []string
	for _, p := range ps {
		if p.Field == field && p.Severity == sev {
			out = append(out, p.Message)
		}
	}
	return out
}

// TestGrid_RulesInEveryColumn plants one broken figure in each column of the
// grid, for each rule of FORMS.md §2 that applies per column, and asserts the
// exact problem on the exact cell. A rule checked in one column only, or
// dropped, fails here.
func TestGrid_RulesInEveryColumn(t *testing.T) {
	today := store.NewDate(2026, 11, 20)
	for c := 0; c < store.NumCols; c++ {
		c := c
		t.Run(store.ColKeys[c], func(t *testing.T) {
			cases := []struct {
				name  string
				row   int
				sev   store.Severity
				plant func(g *store.Grid)
				want  string
			}{
				{"disabled>workers", store.RowDisabled, store.SeverityError,
					func(g *store.Grid) { g[c][store.RowWorkers], g[c][store.RowDisabled] = 3, 4 },
					fmt.Sprintf("Инвалидов (4) больше, чем работников (3) в графе «%s»", store.ColNames[c])},
				{"under18>workers", store.RowUnder18, store.SeverityError,
					func(g *store.Grid) { g[c][store.RowWorkers], g[c][store.RowUnder18] = 3, 5 },
					fmt.Sprintf("Работников до 18 лет (5) больше, чем работников (3) в графе «%s»", store.ColNames[c])},
				{"women>workers", store.RowWomen, store.SeverityError,
					func(g *store.Grid) { g[c][store.RowWorkers], g[c][store.RowWomen] = 3, 6 },
					fmt.Sprintf("Женщин (6) больше, чем работников (3) в графе «%s»", store.ColNames[c])},
				{"workers<workplaces", store.RowWorkers, store.SeverityWarning,
					func(g *store.Grid) { g[c][store.RowWorkplaces], g[c][store.RowWorkers] = 5, 2 },
					fmt.Sprintf("Работников (2) меньше, чем рабочих мест (5) в графе «%s»", store.ColNames[c])},
			}
			for _, tc := range cases {
				var e store.RegisterEntry
				tc.plant(&e.Grid)
				got := problemsOf(e.Validate(today), store.FieldKey(c, tc.row), tc.sev)
				found := false
				for _, m := range got {
					found = found || m == tc.want
				}
				if !found {
					t.Errorf("%s in column %s: problems %q, want %q", tc.name, store.ColKeys[c], got, tc.want)
				}
			}
		})
	}
}

// TestGrid_AssessedNotOverTotalEveryRow: column 8 ≤ column 7 for each of the
// five rows, not only for workplaces.
func TestGrid_AssessedNotOverTotalEveryRow(t *testing.T) {
	names := []string{"Рабочих мест", "Работников", "Женщин", "Работников до 18 лет", "Инвалидов"}
	for r := 0; r < store.NumRows; r++ {
		var e store.RegisterEntry
		g := &e.Grid
		for rr := 0; rr < store.NumRows; rr++ {
			g[store.ColTotal][rr], g[store.ColAssessed][rr], g[store.ColClass2][rr] = 9, 9, 9
		}
		g[store.ColAssessed][r], g[store.ColClass2][r] = 10, 10
		want := fmt.Sprintf("%s в графе СОУТ (10) больше, чем всего (9)", names[r])
		got := problemsOf(e.Validate(store.NewDate(2026, 11, 20)), store.FieldKey(store.ColAssessed, r), store.SeverityError)
		found := false
		for _, m := range got {
			found = found || m == want
		}
		if !found {
			t.Errorf("row %s: problems %q, want %q", store.RowKeys[r], got, want)
		}
	}
}

// TestStore_StaleJournalVersion: a journal card saved from a version that
// another clerk has already changed is refused, whatever the change.
func TestStore_StaleJournalVersion(t *testing.T) {
	s, _ := openStore(t)
	e := volgaJournal(t, s)
	var err error
	first := e
	e.Notes = "первое изменение"
	if _, err := s.UpdateJournalEntry(boris, e); err != nil {
		t.Fatal(err)
	}
	first.Notes = "второе изменение по старой версии"
	_, err = s.UpdateJournalEntry(clerk, first)
	mustCode(t, err, store.CodeConflict, "boris")
	_, err = s.ReturnJournalEntry(clerk, first.ID, first.Version, "нет карт", store.NewDate(2026, 3, 1))
	mustCode(t, err, store.CodeConflict, "boris")
	_, err = s.AnnulJournalEntry(clerk, first.ID, first.Version, "ошибка")
	mustCode(t, err, store.CodeConflict, "boris")
}

// TestStore_AnnulledJournalLink: the store itself refuses a register entry
// that comes from an annulled journal entry (the screens' own check aside).
func TestStore_AnnulledJournalLink(t *testing.T) {
	s, _ := openStore(t)
	e := volgaJournal(t, s)
	var err error
	if e, err = s.AnnulJournalEntry(clerk, e.ID, e.Version, "ошибочная регистрация"); err != nil {
		t.Fatal(err)
	}
	r := validEntry()
	r.JournalID = e.ID
	_, err = s.SaveRegisterEntry(clerk, r)
	mustCode(t, err, store.CodeInvalid, "Запись журнала "+e.Ref()+" аннулирована")
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("register holds %d entries after a refused save, want 0", n)
	}
}

// TestValidate_SectionWithoutSummaryRow: OKVED codes of sections T and U are
// valid but warned about, since the Summary has no row for them.
func TestValidate_SectionWithoutSummaryRow(t *testing.T) {
	for _, code := range []string{"97.00", "99.00"} {
		e := validEntry()
		e.Employer.OKVED = code
		ps := e.Validate(store.NewDate(2026, 11, 20))
		if ps.HasErrors() {
			t.Errorf("OKVED %s: errors %v, want none", code, ps.Errors())
		}
		if w := problemsOf(ps, store.FieldOKVED, store.SeverityWarning); len(w) != 1 {
			t.Errorf("OKVED %s: warnings %q, want one on okved", code, w)
		}
	}
}

// TestValidate_EmptyGridWarns: an entry with no figures at all (an accept
// saved before the clerk typed them) is warned about, not taken silently;
// one with workplaces is not.
func TestValidate_EmptyGridWarns(t *testing.T) {
	e := validEntry()
	e.Grid = store.Grid{}
	ps := e.Validate(store.NewDate(2026, 11, 20))
	key := store.FieldKey(store.ColAssessed, store.RowWorkplaces)
	want := "Показатели: не заполнены — нет ни одного рабочего места (графы 7 и 8)"
	if w := problemsOf(ps, key, store.SeverityWarning); len(w) != 1 || w[0] != want {
		t.Errorf("empty grid: warnings on %s = %q, want %q", key, w, want)
	}
	filled := validEntry()
	if w := problemsOf(filled.Validate(store.NewDate(2026, 11, 20)), key, store.SeverityWarning); len(w) != 0 {
		t.Errorf("a filled grid is warned about: %q", w)
	}
}
