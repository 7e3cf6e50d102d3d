package report

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"sout/store"
)

// SummaryRow is one printed row of the Summary (FORMS.md §3).
type SummaryRow struct {
	Code      string // "1", "1.1", "1.2", "1.2.1" … "20.2.3"
	Name      string
	Header    bool               // a section row: only column 3 (employers) is filled
	Employers int                // column 3, on header rows
	Values    [store.NumCols]int // columns 4–12 (register columns 7–15), on sub-rows
	Section   int                // index in store.Sections, -1 for row 1
	Sub       int                // 0 for the header row, else 1…5 (the grid row + 1)
}

// Summary is the computed Summary for a period.
type Summary struct {
	Period   store.Period
	Rows     []SummaryRow // 120 rows in form order
	Entries  int          // register entries counted
	Warnings []Warning
}

// Warning is one warning of a Summary: its text, and what it is about (the
// register entry left out, or the employer counted in two sections).
type Warning struct {
	Text string
	Ref  WarningRef
}

// WarningTexts returns the texts of sum's warnings, in order.
func (sum *Summary) WarningTexts() []string {
	out := make([]string, len(sum.Warnings))
	for i, w := range sum.Warnings {
		out[i] = w.Text
	}
	return out
}

// WarningRef is what a Summary warning is about: a register entry, or else
// the employer with an INN.
type WarningRef struct {
	RegisterID uint64
	INN        string
}

// subRowNames are the five sub-rows of every Summary row, in order.
var subRowNames = [store.NumRows]struct{ suffix, name string }{
	{".1", "количество рабочих мест (ед.)"},
	{".2", "количество работников, занятых на рабочих местах (чел.)"},
	{".2.1", "из них женщин"},
	{".2.2", "из них в возрасте до 18 лет"},
	{".2.3", "из них инвалидов"},
}

// RegionRowName is the name of row 1.
const RegionRowName = "Всего по субъекту Российской Федерации"

// summarySections are the indices in store.Sections of the sections the
// Summary has a row for (Section.Row > 0), in the order of their rows: the one
// rule of which sections the form prints (A…S; T and U have no row).
var summarySections = func() []int {
	var out []int
	for i, sec := range store.Sections {
		if sec.Row > 0 {
			out = append(out, i)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return store.Sections[out[a]].Row < store.Sections[out[b]].Row })
	return out
}()

// leftOutEntry is a register entry the Summary leaves out, kept for its warning.
type leftOutEntry struct {
	id        uint64
	no        int // № in the period's printed register
	enteredOn store.Date
	inn       string
	okved     string
	why       string
}

// entryNamer gives the employer's name and the journal number ("" when none)
// of a register entry, for warnings; nil when they are not at hand.
type entryNamer func(id uint64) (name, journal string)

// Summarize computes the Summary of period p from the figures that each
// yields (FORMS.md §3): one row for each section with a Summary row, row 1
// their sum, employers counted by INN per section and once in row 1. Entries
// of sections without a row (T and U), or without a valid OKVED, are left out
// and listed in warnings, and so is an employer counted under two sections.
func Summarize(p store.Period, each func(fn func(*store.Figures) error) error) (*Summary, error) {
	return summarize(p, each, nil)
}

func summarize(p store.Period, each func(fn func(*store.Figures) error) error, names entryNamer) (*Summary, error) {
	grids := make([]store.Grid, len(store.Sections))
	// Each employer once: its INN as a number, and the set of sections it
	// appears in as bits. One map probe per entry keeps a year of a
	// million-entry register well under the 250 ms the Summary may take.
	seen := make(map[uint64]uint32, 1<<16)
	sum := &Summary{Period: p}
	var leftOut []leftOutEntry
	no := 0 // the entry's № in the printed register of p, which lists the same entries in the same order
	err := each(func(f *store.Figures) error {
		if !p.IsZero() && !p.Contains(f.EnteredOn) {
			return nil
		}
		no++
		si := -1
		if store.CheckOKVED(f.OKVED) == nil {
			si = store.SectionIndex(f.OKVED)
		}
		if si < 0 || store.Sections[si].Row == 0 {
			why := "неверный код ОКВЭД"
			if si >= 0 {
				why = "раздел " + store.Sections[si].Letter + ", для которого в форме нет строки"
			}
			leftOut = append(leftOut, leftOutEntry{f.ID, no, f.EnteredOn, f.INN, f.OKVED, why})
			return nil
		}
		sum.Entries++
		grids[si].Add(&f.Grid)
		seen[innKey(f.INN)] |= 1 << si
		return nil
	})
	if err != nil {
		return nil, err
	}
	var total store.Grid
	employers := make([]int, len(store.Sections))
	for _, si := range summarySections {
		total.Add(&grids[si])
	}
	type twiceWarning struct{ text, inn string }
	var twice []twiceWarning
	for key, secs := range seen {
		var letters []string
		for _, si := range summarySections {
			if secs&(1<<si) != 0 {
				employers[si]++
				letters = append(letters, store.Sections[si].Letter)
			}
		}
		if len(letters) > 1 {
			inn := innOfKey(key)
			twice = append(twice, twiceWarning{fmt.Sprintf("Работодатель с ИНН %s учтён в разделах %s (в строке 1 — один раз)",
				inn, strings.Join(letters, ", ")), inn})
		}
	}
	sum.Rows = append(sum.Rows, rowsOf("1", RegionRowName, -1, len(seen), &total)...)
	for _, si := range summarySections {
		sec := store.Sections[si]
		sum.Rows = append(sum.Rows, rowsOf(strconv.Itoa(sec.Row), sec.Name, si, employers[si], &grids[si])...)
	}
	sort.Slice(twice, func(i, j int) bool { return twice[i].text < twice[j].text })
	for _, tw := range twice {
		sum.Warnings = append(sum.Warnings, Warning{tw.text, WarningRef{INN: tw.inn}})
	}
	for i, e := range leftOut {
		var name, journal string
		if names != nil && i < maxNamedWarnings {
			name, journal = names(e.id)
		}
		sum.Warnings = append(sum.Warnings, Warning{e.warning(name, journal), WarningRef{RegisterID: e.id}})
	}
	return sum, nil
}

// maxNamedWarnings bounds the look-ups of names for warnings (each is a read
// of its own); further warnings name the entry by №, date, INN and OKVED.
const maxNamedWarnings = 1000

// warning names a left-out entry as a clerk knows it: its № in the period's
// printed register, date of entry, INN, name and journal number.
func (e leftOutEntry) warning(name, journal string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Запись № %d реестра за период (внесена %s, ИНН %s", e.no, e.enteredOn.Ru(), e.inn)
	if name != "" {
		fmt.Fprintf(&b, ", %s", name) // as written: a name has its own quotes (ООО «Волга»)
	}
	if journal != "" {
		fmt.Fprintf(&b, ", журнал № %s", journal)
	}
	fmt.Fprintf(&b, ", ОКВЭД «%s») не вошла в сводную: %s", e.okved, e.why)
	return b.String()
}

func rowsOf(code, name string, section, employers int, g *store.Grid) []SummaryRow {
	rows := []SummaryRow{{Code: code, Name: name, Header: true, Employers: employers, Section: section}}
	for r := 0; r < store.NumRows; r++ {
		row := SummaryRow{Code: code + subRowNames[r].suffix, Name: subRowNames[r].name, Section: section, Sub: r + 1}
		for c := 0; c < store.NumCols; c++ {
			row.Values[c] = g[c][r]
		}
		rows = append(rows, row)
	}
	return rows
}

// BuildSummary computes the Summary of p from the register in s, until ctx ends.
func BuildSummary(ctx context.Context, s *store.Store, p store.Period) (*Summary, error) {
	each := func(fn func(*store.Figures) error) error { return s.EachFigures(ctx, p, fn) }
	return summarize(p, each, func(id uint64) (name, journal string) {
		e, err := s.RegisterEntry(id)
		if err != nil {
			return "", ""
		}
		if e.JournalID != 0 {
			if j, err := s.JournalEntry(e.JournalID); err == nil {
				journal = j.Ref()
			}
		}
		return e.Employer.Name, journal
	})
}

// innKey packs an INN (10 or 12 digits, as the store guarantees) into a
// number; bit 63 tells the lengths apart so that no two INNs share a key.
// Anything else gets a hashed key with bit 62 set, which no packed INN has
// (12 digits take 40 bits).
func innKey[S string | []byte](inn S) uint64 {
	if len(inn) != 10 && len(inn) != 12 {
		return otherKey(inn)
	}
	var k uint64
	for i := 0; i < len(inn); i++ {
		c := inn[i]
		if c < '0' || c > '9' {
			return otherKey(inn)
		}
		k = k*10 + uint64(c-'0')
	}
	if len(inn) == 12 {
		k |= 1 << 63
	}
	return k
}

// otherKey is an FNV-1a hash with bit 62 set, for a value that is not an INN.
func otherKey[S string | []byte](s S) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s)) // a hash.Hash never fails to write
	return h.Sum64() | 1<<62
}

// innOfKey gives back the INN of a packed key, for messages.
func innOfKey(k uint64) string {
	switch {
	case k&(1<<62) != 0:
		return "?"
	case k&(1<<63) != 0:
		return digits(k&^(1<<63), 12)
	}
	return digits(k, 10)
}

// digits prints v in n digits, with leading zeros.
func digits(v uint64, n int) string {
	var b [20]byte
	i := len(b)
	for ; n > 0 || v > 0; n-- {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
