package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
)

// TestCheckSearch: Check names an index that differs from the cards.
func TestCheckSearch(t *testing.T) {
	s := openTest(t)
	j := JournalEntry{ReceivedOn: NewDate(2026, 2, 1), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
		SoutOrgName: "ООО «Охрана труда»"}
	if _, err := s.CreateJournalEntry(Actor{Name: "anna", Role: RoleClerk}, j); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Fatalf("Check = %q, %v", problems, err)
	}
	x := s.search
	x.mu.Lock()
	x.data.set(searchOp{txid: x.data.builtAt + 100, inn: "7707083893",
		card: &employerCard{Employer: Employer{Name: "ООО «Ока»", INN: "7707083893"}}})
	x.mu.Unlock()
	problems, err := s.Check(context.Background())
	want := []string{
		"Индекс поиска: по слову «волга» находятся не те работодатели",
		"Индекс поиска: по слову «ока» находятся работодатели, которых у него нет",
		"Индекс поиска: работодатель с ИНН 7707083893 не такой, как в справочнике",
	}
	if err != nil || !slices.Equal(problems, want) {
		t.Errorf("Check = %q, %v; want %q", problems, err, want)
	}
}

// countdownCtx is a context that ends once Err has been asked left times:
// an import cancelled between two of its merge's transactions.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

// Err is context.Canceled once it has been asked left times.
func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestSearchIndexAfterCancelledMerge: an import cancelled at any point of
// its merge, after some of its cards were written, is rolled back, and the
// index (built before it) ends equal to one built afresh from the cards.
func TestSearchIndexAfterCancelledMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	used := map[string]bool{}
	var emps []Employer
	for i := range 12 {
		emps = append(emps, testEmployer(rng, i, used))
	}
	clerk, admin := Actor{Name: "clerk", Role: RoleClerk}, Actor{Name: "admin", Role: RoleAdmin}
	for n := int64(0); ; n++ {
		s, err := Open(filepath.Join(t.TempDir(), "sout.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		old := RegisterEntry{EnteredOn: NewDate(2024, 1, 1), Employer: emps[0], SoutOrg: testOrgs[0],
			Grid: testGrid(rng)}
		if _, err := s.SaveRegisterEntry(clerk, old); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindEmployers("ооо", 10); err != nil { // the index is built before the import
			t.Fatal(err)
		}
		ctx := &countdownCtx{Context: context.Background()}
		ctx.left.Store(1 << 40)
		im, err := s.BeginImport(ctx, admin, "cancelled.csv")
		if err != nil {
			t.Fatal(err)
		}
		im.batch = 2
		var es []RegisterEntry
		for i, emp := range emps {
			emp.Name = fmt.Sprintf("ООО «Отменённый %d»", i) // emps[0]: a later entry renames it
			es = append(es, RegisterEntry{EnteredOn: NewDate(2025, 1, 1), Employer: emp, SoutOrg: testOrgs[0],
				Grid: testGrid(rng)})
		}
		if err := im.AddRegister(es); err != nil {
			t.Fatal(err)
		}
		ctx.left.Store(n)
		err = im.Commit()
		problems, cerr := s.checkSearch()
		if cerr != nil || len(problems) != 0 {
			t.Errorf("cancelled after %d: checkSearch = %q, %v", n, problems, cerr)
		}
		m, _ := s.FindEmployers("отмененный", 100)
		if want := len(emps); err == nil && m.Total != want || err != nil && m.Total != 0 {
			t.Errorf("cancelled after %d (%v): found %d of the import's employers", n, err, m.Total)
		}
		s.Close()
		if err == nil {
			t.Logf("the import ended after %d cancelled ones", n)
			if n < 5 {
				t.Fatalf("the import ended after %d steps: the test cancels nothing", n)
			}
			return
		}
	}
}

// TestViewEmployer: the index's reading of a card in place gives what
// decodeEmployer gives, and refuses what it refuses.
func TestViewEmployer(t *testing.T) {
	c := employerCard{Employer: Employer{Name: "ООО «Ёлка»", Address: "г. Омск, ул. Ленина, 1", INN: "5504097128",
		OGRN: "1025500000000", OKVED: "85.14"}, LastDate: NewDate(2026, 3, 1), LastID: 300}
	b := encodeEmployer(&c)
	v, err := viewEmployer(b)
	if got := v.cardOf(string(b)); err != nil || got != c {
		t.Errorf("viewEmployer = %+v, %v; want %+v", got, err, c)
	}
	for n := range len(b) {
		var dc employerCard
		_, verr := viewEmployer(b[:n])
		if derr := decodeEmployer(b[:n], &dc); (verr == nil) != (derr == nil) {
			t.Errorf("%d bytes: viewEmployer %v, decodeEmployer %v", n, verr, derr)
		}
	}
}

// TestSearchWords_Folding: capitals fold to lower case, Ё and ё to е, and a
// one-letter word stands apart.
func TestSearchWords_Folding(t *testing.T) {
	for in, want := range map[string][]string{
		"ЁЛКА Полёт":  {"елка", "полет"},
		"А и Б":       {"а", "и", "б"},
		"Школа№5 «Ё»": {"школа", "5", "е"},
	} {
		if got := searchWords(in); !slices.Equal(got, want) {
			t.Errorf("searchWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWithinOneEdit_Swap: two neighbours swapped are one edit; a letter
// moved past another changed one is two.
func TestWithinOneEdit_Swap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"абвг", "бавг", true},
		{"абвг", "xавг", false},
		{"абвг", "абвд", true},
		{"абвг", "абг", true},
	} {
		if got := withinOneEdit([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
