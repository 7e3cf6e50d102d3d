package store_test

import (
	"fmt"
	"strings"
	"testing"

	"sout/store"
)

// TestGrid_RuleBoundaries puts each figure rule of FORMS.md §2 one past its
// limit (a figure of −1 or MaxFigure+1, one woman more than workers, one
// assessed place more than in all, one worker fewer than places, a class sum
// one off either way) and asserts the exact message on the exact cell.
func TestGrid_RuleBoundaries(t *testing.T) {
	today := store.NewDate(2026, 11, 20)
	wp := store.FieldKey(store.ColTotal, store.RowWorkplaces)
	cases := []struct {
		name  string
		field string
		sev   store.Severity
		plant func(g *store.Grid)
		want  string
	}{
		{"negative", wp, store.SeverityError, func(g *store.Grid) { g[store.ColTotal][store.RowWorkplaces] = -1 },
			"Рабочих мест в графе «всего»: -1 — число не может быть отрицательным"},
		{"too big", wp, store.SeverityError,
			func(g *store.Grid) { g[store.ColTotal][store.RowWorkplaces] = store.MaxFigure + 1 },
			fmt.Sprintf("Рабочих мест в графе «всего»: %d — слишком большое число (не больше %d)",
				store.MaxFigure+1, store.MaxFigure)},
		{"women = workers+1", store.FieldKey(store.ColTotal, store.RowWomen), store.SeverityError,
			func(g *store.Grid) { g[store.ColTotal][store.RowWorkers], g[store.ColTotal][store.RowWomen] = 3, 4 },
			"Женщин (4) больше, чем работников (3) в графе «всего»"},
		{"assessed = total+1", store.FieldKey(store.ColAssessed, store.RowWorkplaces), store.SeverityError,
			func(g *store.Grid) {
				g[store.ColTotal][store.RowWorkplaces], g[store.ColAssessed][store.RowWorkplaces] = 3, 4
				g[store.ColClass2][store.RowWorkplaces] = 4
			},
			"Рабочих мест в графе СОУТ (4) больше, чем всего (3)"},
		{"workers = places-1", store.FieldKey(store.ColTotal, store.RowWorkers), store.SeverityWarning,
			func(g *store.Grid) {
				g[store.ColTotal][store.RowWorkplaces], g[store.ColTotal][store.RowWorkers] = 3, 2
			},
			"Работников (2) меньше, чем рабочих мест (3) в графе «всего»"},
		{"classes below assessed", store.FieldKey(store.ColAssessed, store.RowDisabled), store.SeverityError,
			func(g *store.Grid) {
				g[store.ColAssessed][store.RowDisabled], g[store.ColAssessed][store.RowWorkers] = 1, 1
			},
			"Сумма классов по инвалидам 0 ≠ 1 в графе СОУТ"},
	}
	for _, tc := range cases {
		var e store.RegisterEntry
		tc.plant(&e.Grid)
		got := problemsOf(e.Validate(today), tc.field, tc.sev)
		found := false
		for _, m := range got {
			found = found || m == tc.want
		}
		if !found {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestPeriod_Boundaries: a period's ends belong to it, an end one day before
// the start is refused, and both dates are needed.
func TestPeriod_Boundaries(t *testing.T) {
	p, err := store.ParsePeriod("2026-03-01..2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Contains(p.From) || !p.Contains(p.To) || p.Contains(p.To.AddDays(1)) {
		t.Errorf("%v: its ends must belong to it, the day after not", p)
	}
	q := store.Period{From: p.To, To: p.To.AddDays(5)}
	if !p.Overlaps(q) || !q.Overlaps(p) {
		t.Errorf("%v and %v share a day, want Overlaps", p, q)
	}
	for in, want := range map[string]string{
		"2026-03-02..2026-03-01": "период «2026-03-02..2026-03-01»: конец раньше начала",
		"2026-03-02..": "период «2026-03-02..»: нужны обе даты, например 2026-01-01..2026-03-31 " +
			"или 01.01.2026..31.03.2026",
	} {
		if _, err := store.ParsePeriod(in); err == nil || err.Error() != want {
			t.Errorf("ParsePeriod(%q) = %v, want %q", in, err, want)
		}
	}
}

// TestParsePeriod_YearBounds: a year or half-year is read for the years
// 1900–2999, the same bounds as a date's, and refused one past either end.
func TestParsePeriod_YearBounds(t *testing.T) {
	for in, want := range map[string]store.Period{
		"2999":   {From: store.NewDate(2999, 1, 1), To: store.NewDate(2999, 12, 31)},
		"1900":   {From: store.NewDate(1900, 1, 1), To: store.NewDate(1900, 12, 31)},
		"2999H2": store.HalfYear(2999, 2),
		"1900H1": store.HalfYear(1900, 1),
	} {
		if got, err := store.ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"3000", "1899", "3000H1", "1899H2"} {
		want := "период «" + in + "» не распознан: нужен 2026H1, 2026H2, 2026, " +
			"2026-01-01..2026-03-31 или 01.01.2026..31.03.2026"
		if _, err := store.ParsePeriod(in); err == nil || err.Error() != want {
			t.Errorf("ParsePeriod(%q) = %v, want %q", in, err, want)
		}
	}
}

// TestIdents_CharactersNextToDigits: the characters either side of the
// digits in ASCII («/» and «:») are not digits in an INN or an OGRN.
func TestIdents_CharactersNextToDigits(t *testing.T) {
	for _, tt := range []struct {
		check func(string) error
		in    string
		want  string
	}{
		{store.CheckINN, "77070838:3", "ИНН «77070838:3»: допустимы только цифры"},
		{store.CheckINN, "77070838/3", "ИНН «77070838/3»: допустимы только цифры"},
		{store.CheckINN, ":707083893", "ИНН «:707083893»: допустимы только цифры"},
		{store.CheckOGRN, "102770013219:", "ОГРН «102770013219:»: допустимы только цифры"},
	} {
		if err := tt.check(tt.in); err == nil || err.Error() != tt.want {
			t.Errorf("check(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestDates_Bounds: a date's year is 1900–2999, a one-day period is a
// period, and June belongs to the first half-year, July to the second.
func TestDates_Bounds(t *testing.T) {
	for in, want := range map[string]string{
		"01.01.3000": "дата «01.01.3000»: год 3000 вне допустимых пределов",
		"31.12.1899": "дата «31.12.1899»: год 1899 вне допустимых пределов",
	} {
		if _, err := store.ParseDate(in); err == nil || err.Error() != want {
			t.Errorf("ParseDate(%q) = %v, want %q", in, err, want)
		}
	}
	if d, err := store.ParseDate("31.12.2999"); err != nil || d != store.NewDate(2999, 12, 31) {
		t.Errorf("ParseDate(31.12.2999) = %v, %v", d, err)
	}
	day := store.NewDate(2026, 3, 1)
	if p, err := store.ParsePeriod("2026-03-01..2026-03-01"); err != nil || p != (store.Period{From: day, To: day}) {
		t.Errorf("a one-day period: %v, %v", p, err)
	}
	for d, want := range map[store.Date]store.Period{
		store.NewDate(2026, 6, 15): store.HalfYear(2026, 1), store.NewDate(2026, 6, 30): store.HalfYear(2026, 1),
		store.NewDate(2026, 7, 1): store.HalfYear(2026, 2), store.NewDate(2026, 1, 1): store.HalfYear(2026, 1),
	} {
		if got := store.HalfYearOf(d); got != want {
			t.Errorf("HalfYearOf(%v) = %v, want %v", d, got, want)
		}
	}
}

// TestAddUser_NameOf64Characters: a user name is one word of at most 64
// characters, counted as characters (a Cyrillic letter is one, not two).
func TestAddUser_NameOf64Characters(t *testing.T) {
	s, _ := openStore(t)
	ok := strings.Repeat("я", 64)
	if err := s.AddUser(admin, store.User{Name: ok, Role: store.RoleClerk, Keys: []string{userKey}}); err != nil {
		t.Errorf("a name of 64 Cyrillic letters: %v", err)
	}
	long := strings.Repeat("z", 65)
	want := "Имя пользователя «" + long + "»: нужно одно слово до 64 символов"
	err := s.AddUser(admin, store.User{Name: long, Role: store.RoleClerk, Keys: []string{otherKey}})
	if err == nil || err.Error() != want {
		t.Errorf("a name of 65 letters: %v, want %q", err, want)
	}
}

// TestCheckINN_EachCheckDigit: an INN of 12 digits has two check digits,
// and a wrong 11th is refused though the 12th fits.
func TestCheckINN_EachCheckDigit(t *testing.T) {
	if err := store.CheckINN("500100732259"); err != nil {
		t.Fatalf("a valid INN: %v", err)
	}
	want := "ИНН 500100732202: неверное контрольное число"
	if err := store.CheckINN("500100732202"); err == nil || err.Error() != want {
		t.Errorf("CheckINN(500100732202) = %v, want %q", err, want)
	}
}

// TestOKVED_ShapeOfTwoGroups: with two groups after the class, the first
// has two digits (NN.NN.N, NN.NN.NN); NN.N.NN is not a code.
func TestOKVED_ShapeOfTwoGroups(t *testing.T) {
	want := "код ОКВЭД «25.1.11»: нужен вид NN, NN.N, NN.NN, NN.NN.N или NN.NN.NN"
	if err := store.CheckOKVED("25.1.11"); err == nil || err.Error() != want {
		t.Errorf("CheckOKVED(25.1.11) = %v, want %q", err, want)
	}
	if err := store.CheckOKVED("25.11.1"); err != nil {
		t.Errorf("CheckOKVED(25.11.1) = %v", err)
	}
}

// TestTextError_DirectionMarks: U+200E, the first of the direction marks,
// is named as one, not as a control character.
func TestTextError_DirectionMarks(t *testing.T) {
	want := "Наименование: недопустимый символ управления направлением текста U+200E в позиции 2"
	if got := store.TextError("Наименование", "a\u200eb"); got != want {
		t.Errorf("TextError = %q, want %q", got, want)
	}
}

// TestLockPeriod_Unset: a lock needs a period, and one whose end is not
// before its start; nothing is locked otherwise.
func TestLockPeriod_Unset(t *testing.T) {
	s, _ := openStore(t)
	for _, tt := range []struct {
		p    store.Period
		want string
	}{
		{store.Period{}, "Период для блокировки не указан"},
		{store.Period{From: store.NewDate(2026, 3, 2), To: store.NewDate(2026, 3, 1)},
			"Период для блокировки: конец (01.03.2026) раньше начала (02.03.2026)"},
	} {
		if err := s.LockPeriod(head, tt.p, ""); err == nil || err.Error() != tt.want {
			t.Errorf("LockPeriod(%v) = %v, want %q", tt.p, err, tt.want)
		}
	}
	if locks, err := s.Locks(); err != nil || len(locks) != 0 {
		t.Errorf("locks after the refusals: %v, %v", locks, err)
	}
}

// TestValidate_StatusReasons: a returned or annulled journal entry needs its
// reason, spaces alone being none, named by the status; a reason with a
// control character is named the same way.
func TestValidate_StatusReasons(t *testing.T) {
	today := store.NewDate(2026, 11, 20)
	base := store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Волга»",
		EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»", Status: store.StatusReceived}
	for _, c := range []struct {
		status store.JournalStatus
		reason string
		want   string
	}{
		{store.StatusReturned, "  ", "Причина возврата на доработку: не указана"},
		{store.StatusAnnulled, "", "Причина аннулирования: не указана"},
		{store.StatusAnnulled, " \t ", "Причина аннулирования: не указана"},
		{store.StatusAnnulled, "дубль\x07", "Причина аннулирования"},
	} {
		e := base
		e.Status, e.StatusReason, e.ReturnDeadline = c.status, c.reason, store.NewDate(2026, 12, 2)
		got := e.Validate(today).For(store.FieldStatusReason).Errors()
		if len(got) != 1 || !strings.HasPrefix(got.Error(), c.want) {
			t.Errorf("%s with reason %q: %v, want %q", c.status, c.reason, got, c.want)
		}
	}
	e := base
	if ps := e.Validate(today); ps.HasErrors() {
		t.Errorf("a received entry with no reason: %v", ps)
	}
}

// TestParsePeriod_RuRange: --period takes a range in dd.mm.yyyy as well as
// ISO, as its refusal says.
func TestParsePeriod_RuRange(t *testing.T) {
	want := store.Period{From: store.NewDate(2026, 1, 1), To: store.NewDate(2026, 3, 31)}
	for _, in := range []string{"01.01.2026..31.03.2026", "2026-01-01..2026-03-31"} {
		if got, err := store.ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
