package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sout/report"
	"sout/store"
)

// TestWidth: width agrees with ansi.StringWidth on the screens' kinds of text.
func TestWidth(t *testing.T) {
	for _, s := range []string{
		"", "abc", "ООО «Волга»", "№ 1/2026 — принято", "\x1b[1;7mF3 Поиск\x1b[m", "✓ Проверки пройдены ✗ ≠",
		"│ ┌─┐ ▸ • … ←→↑↓", "漢字", "e\u0301", "👍", "tab\there", "\x1b]8;;http://x\x07link\x1b]8;;\x07",
	} {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

func FuzzWidth(f *testing.F) {
	f.Add("ООО «Волга» \x1b[31m✗\x1b[m")
	f.Add("ООО «Центр охраны труда», г. Самара")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
		for _, w := range []int{1, 2, 5, 13} {
			if got, want := truncate(s, w), ansi.Truncate(s, w, "…"); got != want && ansi.StringWidth(s) > w {
				t.Errorf("truncate(%q, %d) = %q, ansi.Truncate = %q", s, w, got, want)
			}
		}
	})
}

// TestSortJournal: the journal list is newest first by date of receipt, then by year and
// number, whatever the order the store gives.
func TestSortJournal(t *testing.T) {
	mk := func(d store.Date, no int) store.JournalKey {
		return store.JournalKey{ReceivedOn: d, Year: uint16(d.Year()), No: uint32(no)}
	}
	rows := []store.JournalKey{
		mk(store.NewDate(2025, 12, 31), 9_999_999), mk(store.NewDate(2026, 1, 2), 1), mk(store.NewDate(2026, 1, 2), 17),
		mk(store.NewDate(2026, 11, 3), 5), mk(store.NewDate(2024, 2, 29), 3), mk(store.NewDate(2026, 1, 10), 2),
	}
	sortJournal(rows, 0, 0)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d/%d %s", r.No, r.Year, r.ReceivedOn.Ru()))
	}
	want := []string{"5/2026 03.11.2026", "2/2026 10.01.2026", "17/2026 02.01.2026", "1/2026 02.01.2026",
		"9999999/2025 31.12.2025", "3/2024 29.02.2024"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

// TestJournalUpsert: a change from another session puts the entry in its place in the order
// and leaves the selection on the entry it was on.
func TestJournalUpsert(t *testing.T) {
	mk := func(id uint64, d store.Date, no int) store.JournalEntry {
		return store.JournalEntry{ID: id, ReceivedOn: d, Year: d.Year(), No: no, EmployerName: "ООО «Волга»"}
	}
	j := newJournalScreen(&shared{st: testStore(t)})
	j.period = store.Period{}
	j.rows = []store.JournalEntry{mk(3, store.NewDate(2026, 3, 1), 3), mk(2, store.NewDate(2026, 2, 1), 2),
		mk(1, store.NewDate(2026, 1, 1), 1)}
	for i := range j.rows {
		j.keys = append(j.keys, store.JournalKeyOf(&j.rows[i], false))
	}
	j.loaded, j.cursor = true, 1 // on №2
	order := func() string {
		var ids []string
		for _, r := range j.rows {
			ids = append(ids, r.Ref())
		}
		return strings.Join(ids, " ")
	}
	steps := []struct {
		e      store.JournalEntry
		want   string
		cursor uint64
	}{
		{mk(4, store.NewDate(2026, 2, 15), 4), "3/2026 4/2026 2/2026 1/2026", 2},               // new, in the middle
		{mk(5, store.NewDate(2026, 4, 1), 5), "5/2026 3/2026 4/2026 2/2026 1/2026", 2},         // new, on top
		{mk(2, store.NewDate(2026, 5, 1), 2), "2/2026 5/2026 3/2026 4/2026 1/2026", 2},         // the selected one moved
		{mk(3, store.NewDate(2026, 3, 1), 3), "2/2026 5/2026 3/2026 4/2026 1/2026", 2},         // changed in place
		{mk(2, store.NewDate(2026, 1, 15), 2), "5/2026 3/2026 4/2026 2/2026 1/2026", 2},        // the selected one moved down
		{mk(5, store.NewDate(2025, 12, 1), 5), "3/2026 4/2026 2/2026 1/2026 5/2025", 2},        // one above it moved below
		{mk(6, store.NewDate(2026, 2, 20), 6), "3/2026 6/2026 4/2026 2/2026 1/2026 5/2025", 2}, // new, above it
	}
	for i, st := range steps {
		j.upsert(st.e)
		if got := order(); got != st.want {
			t.Errorf("step %d: order %s, want %s", i, got, st.want)
		}
		if sel := j.selected(); sel == nil || sel.ID != st.cursor {
			t.Errorf("step %d: selected %v, want id %d", i, sel, st.cursor)
		}
	}
}

// TestSummaryLinesKeepFigures: the Summary table never cuts a figure: its columns are as wide as their
// largest figure, and the name gives way.
func TestSummaryLinesKeepFigures(t *testing.T) {
	sum := &report.Summary{Rows: []report.SummaryRow{
		{Code: "1", Name: "Всего по субъекту Российской Федерации", Header: true, Employers: 194395},
		{Code: "1.1", Name: "количество рабочих мест (ед.)",
			Values: [store.NumCols]int{6309449, 5281561, 105841, 3432048, 950761, 528392, 196001, 36850, 9999999}},
	}}
	wide := summaryLines(newStyles(), sum, 110, 0)
	text := strings.Join(wide.lines, "\n")
	for _, want := range []string{"194395", "6309449", "5281561", "3432048", "9999999"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lost %s:\n%s", want, text)
		}
	}
	if wide.maxFirst != 0 {
		t.Errorf("at 110 cells the table fits, yet %d columns may be hidden", wide.maxFirst)
	}
	// At 80 cells it does not: Tab hides figure columns on the left until
	// the last one shows whole.
	narrow := summaryLines(newStyles(), sum, 80, 0)
	if narrow.maxFirst == 0 {
		t.Fatal("at 80 cells the whole table claims to fit")
	}
	right := summaryLines(newStyles(), sum, 80, narrow.maxFirst)
	text = strings.Join(right.lines, "\n")
	if !strings.Contains(text, "9999999") || strings.Contains(right.lines[0], store.ColTitles[0]) {
		t.Errorf("scrolled right, the table is:\n%s", text)
	}
	for _, tb := range []summaryTable{wide, right} {
		for _, l := range tb.lines {
			if w := width(l); w > 110 || (tb.maxFirst > 0 && w > 80) {
				t.Errorf("a line of %d cells: %q", w, l)
			}
		}
	}
}

// TestJournalListShowsLongNumbers: registration numbers are never cut in the journal list, however long.
func TestJournalListShowsLongNumbers(t *testing.T) {
	s := testStore(t)
	if _, err := s.CreateJournalEntry(testClerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), No: 1524917,
		EmployerName: "ООО «Волга»", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр охраны труда»"}); err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	if got := frame(a); !strings.Contains(got, "1524917/2026") {
		t.Errorf("the journal list cut the number:\n%s", got)
	}
}

// TestJournalLatestLoadWins: loads of the journal end in any order (a filter typed fast starts one per
// key); the list shows the latest one started, not the last one to end.
func TestJournalLatestLoadWins(t *testing.T) {
	s := testStore(t)
	for _, name := range []string{"ООО «Волга»", "АО «Кристалл»"} {
		if _, err := s.CreateJournalEntry(testClerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2),
			EmployerName: name, EmployerINN: "7707083893", SoutOrgName: "ООО «Центр охраны труда»"}); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	j := a.journal
	older := j.load() // no filter: both entries
	j.filter.input.SetValue("Кристалл")
	newer := j.load() // one entry
	a.Update(newer())
	a.Update(older()) // ends last, started first
	if len(j.rows) != 1 || j.rows[0].EmployerName != "АО «Кристалл»" {
		t.Errorf("the list shows %d entries after the older load ended last; want the filtered one", len(j.rows))
	}
}

// TestJournalFilter: «/» filters the journal as you type, once typing pauses; Esc clears it.
func TestJournalFilter(t *testing.T) {
	s := testStore(t)
	for _, name := range []string{"ООО «Волга»", "АО «Кристалл»", "ООО «Кристалл-Плюс»"} {
		if _, err := s.CreateJournalEntry(testClerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2),
			EmployerName: name, EmployerINN: "7707083893", SoutOrgName: "ООО «Центр охраны труда»"}); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	press(a, tea.KeyPressMsg{Code: '/', Text: "/"})
	typeText(a, "крист")
	if got := frame(a); !strings.Contains(got, "Кристалл-Плюс") || strings.Contains(got, "Волга") ||
		len(a.journal.rows) != 2 {
		t.Errorf("filtered by «крист», %d rows:\n%s", len(a.journal.rows), got)
	}
	press(a, tea.KeyPressMsg{Code: tea.KeyEscape})
	if len(a.journal.rows) != 3 {
		t.Errorf("Esc left %d rows, want all 3", len(a.journal.rows))
	}
}

// TestSummaryColumnsScroll: on a terminal too narrow for all figure columns, Tab shows the columns
// further right and Shift+Tab brings back those on the left; figures stay whole.
func TestSummaryColumnsScroll(t *testing.T) {
	a := testApp(t, storeWithBigEmployer(t))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(a, kF4)
	if got := frame(a); !strings.Contains(got, "2500000") || strings.Contains(got, "скрыто") {
		t.Fatalf("the Summary at 80 columns:\n%s", got)
	}
	press(a, kTab)
	if got := frame(a); !strings.Contains(got, "слева скрыто граф: 1") || a.summary.first != 1 {
		t.Errorf("after Tab:\n%s", got)
	}
	for range 20 { // no further than the last column needs
		press(a, kTab)
	}
	last := a.summary.first
	var head string // the table's heading line
	for _, l := range strings.Split(frame(a), "\n") {
		if strings.HasPrefix(l, "№ ") {
			head = l
		}
	}
	if last < 1 || last >= store.NumCols || !strings.HasSuffix(strings.TrimRight(head, " "), " 4") ||
		strings.Contains(head, "…") {
		t.Errorf("after many Tabs %d columns are hidden, heading %q", last, head)
	}
	press(a, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	if a.summary.first != last-1 {
		t.Errorf("Shift+Tab: %d columns hidden, want %d", a.summary.first, last-1)
	}
}

// storeWithBigEmployer holds one register entry of 2,500,000 workplaces.
func storeWithBigEmployer(t *testing.T) *store.Store {
	s := testStore(t)
	e := store.RegisterEntry{EnteredOn: store.NewDate(2026, 11, 2),
		SoutOrg: store.SoutOrg{Name: "ООО «Центр охраны труда»", RegNo: "1"},
		Employer: store.Employer{Name: "ОАО «РЖД»", Address: "г. Самара", INN: "7707083893", OGRN: "1027700132195",
			OKVED: "49.10"}}
	for _, c := range []int{store.ColTotal, store.ColAssessed, store.ColClass2} {
		e.Grid[c] = [store.NumRows]int{2500000, 2600000, 1000000, 0, 0}
	}
	if _, err := s.SaveRegisterEntry(testClerk, e); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBigFiguresWhole: the register list and the look-up card show 7-digit figures whole.
func TestBigFiguresWhole(t *testing.T) {
	a := testApp(t, storeWithBigEmployer(t))
	press(a, kF2)
	if got := frame(a); strings.Count(got, "2500000") != 2 {
		t.Errorf("register list:\n%s", got)
	}
	press(a, kF3)
	typeText(a, "7707083893")
	time.Sleep(150 * time.Millisecond)
	run(a, a.lookup.search())
	press(a, kEnter)
	if got := frame(a); strings.Count(got, "2500000") != 3 || !strings.Contains(got, "2600000") {
		t.Errorf("look-up card:\n%s", got)
	}
}

// TestFoundText: the look-up's count says when the list is capped, with the total grouped.
func TestFoundText(t *testing.T) {
	for _, tt := range []struct {
		shown, total int
		want         string
	}{
		{3, 3, "Найдено: 3 (Enter — карточка)"},
		{200, 1234, "Показаны первые 200 из 1 234 (Enter — карточка; уточните запрос)"},
		{200, 1234567, "Показаны первые 200 из 1 234 567 (Enter — карточка; уточните запрос)"},
	} {
		if got := foundText(tt.shown, tt.total); got != tt.want {
			t.Errorf("foundText(%d, %d) = %q, want %q", tt.shown, tt.total, got, tt.want)
		}
	}
}

// TestLookupWords: the look-up finds a name typed in capitals with one typo (ё for а).
func TestLookupWords(t *testing.T) {
	a := lookupSaved(t, "ВОЛГЁ")
	if v := frame(a); !strings.Contains(v, "Найдено: 1") || !strings.Contains(v, "7707083893") {
		t.Errorf("look-up of «ВОЛГЁ»:\n%s", v)
	}
}

// TestOneAtATime: requests during a computation collapse into one more run.
func TestOneAtATime(t *testing.T) {
	var o oneAtATime
	if o.queue() {
		t.Fatal("queue() with nothing running = true, want false")
	}
	o.begin()
	for i := 0; i < 2; i++ {
		if !o.queue() {
			t.Fatalf("queue() #%d while running = false, want true", i+1)
		}
	}
	if !o.end() {
		t.Fatal("end() after requests = false, want true (one more run)")
	}
	o.begin()
	if o.end() {
		t.Fatal("end() with no request meanwhile = true, want false")
	}
}

// TestWrap: by default a line breaks after a hyphen and inside a word wider
// than the line; atSpacesOnly keeps every word whole (a command to copy).
func TestWrap(t *testing.T) {
	cmd := "ssh -p 2222 anna@host report summary --period 2026H1 -o svod-2026-h1.xlsx"
	for _, c := range []struct {
		s    string
		w    int
		opts []wrapOption
		want string
	}{
		{"поступило повторно", 10, nil, "поступило\nповторно"},
		{"файл svod-2026-h1.xlsx", 14, nil, "файл svod-\n2026-h1.xlsx"},
		{"файл svod-2026-h1.xlsx", 14, []wrapOption{atSpacesOnly}, "файл\nsvod-2026-h1.xlsx"},
		{"ИНН 7707083893", 6, nil, "ИНН\n770708\n3893"},
		{"ИНН 7707083893", 6, []wrapOption{atSpacesOnly}, "ИНН\n7707083893"},
		{cmd, 40, []wrapOption{atSpacesOnly},
			"ssh -p 2222 anna@host report summary\n--period 2026H1 -o svod-2026-h1.xlsx"},
		{"", 10, []wrapOption{atSpacesOnly}, ""},
	} {
		if got := wrap(c.s, c.w, c.opts...); got != c.want {
			t.Errorf("wrap(%q, %d, %v) = %q, want %q", c.s, c.w, c.opts, got, c.want)
		}
	}
}
