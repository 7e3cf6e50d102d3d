package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"sout/store"
)

// filterFixture imports n register entries with four OKVED sections and
// three SOUT organisations (one spelt in varying case and spacing).
func filterFixture(t *testing.T, n int) *store.Store {
	t.Helper()
	s, _ := openStore(t)
	okveds := []string{"01.11", "25.11", "47.11", "86.10"} // A, C, G, Q
	orgs := []string{"ООО «Охрана труда»", "ооо  «охрана ТРУДА»", "АО «Эксперт»", "ИП Сидоров"}
	es := make([]store.RegisterEntry, n)
	for i := range es {
		e := validEntry()
		e.EnteredOn = store.NewDate(2025, 1, 1).AddDays(i % 600)
		e.Employer.INN = store.INNCheckDigits(fmt.Sprintf("77%08d", i))
		e.Employer.OGRN = ""
		e.Employer.Name = fmt.Sprintf("ООО «Предприятие %d»", i)
		e.Employer.OKVED = okveds[i%len(okveds)]
		e.SoutOrg = store.SoutOrg{Name: orgs[i*7%len(orgs)], RegNo: "12"}
		es[i] = e
	}
	im, err := s.BeginImport(context.Background(), store.Actor{Name: "admin", Role: store.RoleAdmin}, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddRegister(es); err != nil {
		im.Abort()
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return s
}

// wantRegister lists, by a whole read, the ids q selects in its order.
func wantRegister(t *testing.T, s *store.Store, q store.RegisterQuery, keep func(*store.RegisterRecord) bool) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.EachRegister(context.Background(), q.Period, func(r *store.RegisterRecord) error {
		if keep(r) {
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !q.Oldest {
		slices.Reverse(ids)
	}
	return ids
}

// pageAll reads the whole list q selects in pages of size, forward.
func pageAll(t *testing.T, s *store.Store, q store.RegisterQuery, size int) []uint64 {
	t.Helper()
	var ids []uint64
	at := store.Pos{}
	for {
		page, err := s.ListRegister(q, at, size)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			ids = append(ids, e.ID)
		}
		if len(page) < size {
			return ids
		}
		last := page[len(page)-1]
		at = store.Pos{Date: last.EnteredOn, ID: last.ID}
	}
}

func TestStore_ListRegisterFilters(t *testing.T) {
	s := filterFixture(t, 5000) // over the 2,000 keys of one read transaction
	h1, _ := store.ParsePeriod("2025H1")
	cases := []struct {
		name string
		q    store.RegisterQuery
		keep func(*store.RegisterRecord) bool
	}{
		{"section C", store.RegisterQuery{Section: "C"}, func(r *store.RegisterRecord) bool {
			return r.Employer.OKVED == "25.11"
		}},
		{"org any spelling", store.RegisterQuery{Org: "ООО «ОХРАНА ТРУДА»"}, func(r *store.RegisterRecord) bool {
			return r.SoutOrg.Name == "ООО «Охрана труда»" || r.SoutOrg.Name == "ооо  «охрана ТРУДА»"
		}},
		{"section, org, period, oldest", store.RegisterQuery{Section: "Q", Org: "ИП Сидоров", Period: h1, Oldest: true},
			func(r *store.RegisterRecord) bool {
				return r.Employer.OKVED == "86.10" && r.SoutOrg.Name == "ИП Сидоров"
			}},
		{"text and section", store.RegisterQuery{Text: "предприятие 12", Section: "A"}, nil},
		{"oldest", store.RegisterQuery{Oldest: true}, func(*store.RegisterRecord) bool { return true }},
		{"no match", store.RegisterQuery{Section: "B"}, func(*store.RegisterRecord) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := pageAll(t, s, c.q, 37)
			if c.keep != nil {
				want := wantRegister(t, s, c.q, c.keep)
				if !slices.Equal(got, want) {
					t.Fatalf("ListRegister(%+v) pages = %d ids, want %d (first %v, want %v)",
						c.q, len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
				}
			}
			n, err := s.CountRegister(c.q)
			if err != nil || n != len(got) {
				t.Errorf("CountRegister(%+v) = %d, %v; the pages hold %d", c.q, n, err, len(got))
			}
			if len(got) < 2 {
				return
			}
			// Backwards from the last page's end gives the same ids.
			last, err := s.ListRegister(c.q, store.Pos{}, len(got))
			if err != nil {
				t.Fatal(err)
			}
			e := last[len(last)-1]
			back, err := s.ListRegisterBefore(c.q, store.Pos{Date: e.EnteredOn, ID: e.ID}, 5)
			if err != nil || len(back) != min(5, len(got)-1) || back[len(back)-1].ID != got[len(got)-2] {
				t.Errorf("ListRegisterBefore(last) = %d entries, %v; want up to %d", len(back), err, got[len(got)-2])
			}
		})
	}
	text, _ := s.ListRegister(store.RegisterQuery{Text: "предприятие 12", Section: "A"}, store.Pos{}, 100)
	for _, e := range text {
		if e.Employer.OKVED != "01.11" {
			t.Errorf("text and section A gave %s with OKVED %s", e.Employer.Name, e.Employer.OKVED)
		}
	}
}

func TestParseSection(t *testing.T) {
	for in, want := range map[string]string{"c": "C", " С ": "C", "u": "U", "": ""} {
		if got, err := store.ParseSection(in); got != want || err != nil {
			t.Errorf("ParseSection(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	_, err := store.ParseSection("Я")
	mustCode(t, err, store.CodeInvalid, "Раздел ОКВЭД2: «Я» — нет такого раздела, нужна буква от A до U")
	_, err = store.ParseSection("V")
	mustCode(t, err, store.CodeInvalid, "Раздел ОКВЭД2: «V» — нет такого раздела")
}

func TestStore_FindSoutOrg(t *testing.T) {
	s := filterFixture(t, 40)
	ctx := context.Background()
	for in, want := range map[string]string{"ооо «охрана   труда»": "ООО «Охрана труда»", "эксперт": "АО «Эксперт»",
		" сидоров ": "ИП Сидоров"} {
		if o, err := s.FindSoutOrg(ctx, in); err != nil || !strings.EqualFold(o.Name, want) {
			t.Errorf("FindSoutOrg(%q) = %q, %v, want %q", in, o.Name, err, want)
		}
	}
	_, err := s.FindSoutOrg(ctx, "Ромашка")
	mustCode(t, err, store.CodeInvalid, "Организация, проводящая СОУТ: «Ромашка» нет ни в одной записи")
	_, err = s.FindSoutOrg(ctx, "о")
	mustCode(t, err, store.CodeInvalid, "Организация, проводящая СОУТ: «о» — подходят 3 (")
	_, err = s.FindSoutOrg(ctx, "  ")
	mustCode(t, err, store.CodeInvalid, "Организация, проводящая СОУТ: не указана")
}

// TestStore_OrgIndexFollowsWrites lists by organisation after each kind of
// write: the organisation index is written in the write's transaction.
func TestStore_OrgIndexFollowsWrites(t *testing.T) {
	s := filterFixture(t, 30)
	ctx := context.Background()
	ids := func(org string) []uint64 {
		t.Helper()
		q := store.RegisterQuery{Org: org}
		got := pageAll(t, s, q, 7)
		if n, err := s.CountRegister(q); err != nil || n != len(got) {
			t.Fatalf("CountRegister(%q) = %d, %v; the pages hold %d", org, n, err, len(got))
		}
		if probs, err := s.Check(ctx); err != nil || len(probs) != 0 {
			t.Fatalf("Check() = %v, %v", probs, err)
		}
		return got
	}
	before := len(ids("АО «Эксперт»"))
	e := validEntry()
	e.SoutOrg.Name = "ООО «Новая»"
	e, err := s.SaveRegisterEntry(clerk, e)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids("ООО «Новая»"); !slices.Equal(got, []uint64{e.ID}) {
		t.Fatalf("a new entry's organisation lists %v, want [%d]", got, e.ID)
	}
	e.SoutOrg.Name, e.EnteredOn = "АО «Эксперт»", e.EnteredOn.AddDays(-1)
	if e, err = s.SaveRegisterEntry(clerk, e); err != nil {
		t.Fatal(err)
	}
	if got := ids("ооо  «новая»"); len(got) != 0 { // the list before, by another spelling
		t.Errorf("the organisation an entry left still lists %v", got)
	}
	if got := ids("АО «Эксперт»"); len(got) != before+1 || !slices.Contains(got, e.ID) {
		t.Errorf("the organisation an entry moved to lists %d entries, want %d with %d", len(got), before+1, e.ID)
	}
	if _, err := s.AnnulRegisterEntry(head, e.ID, e.Version, "ошибочно"); err != nil {
		t.Fatal(err)
	}
	if got := ids("АО «Эксперт»"); !slices.Contains(got, e.ID) {
		t.Errorf("an annulled entry left its organisation's list: %v", got)
	}
	im, err := s.BeginImport(ctx, store.Actor{Name: "admin", Role: store.RoleAdmin}, "aborted")
	if err != nil {
		t.Fatal(err)
	}
	r := validEntry()
	r.SoutOrg.Name = "ООО «Брошенная»"
	if err := im.AddRegister([]store.RegisterEntry{r}); err != nil {
		t.Fatal(err)
	}
	im.Abort()
	if got := ids("ООО «Брошенная»"); len(got) != 0 {
		t.Errorf("an aborted import's entry is listed: %v", got)
	}
}
