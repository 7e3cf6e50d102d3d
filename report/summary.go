package report

import (
	"fmt"
	"sort"
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
	Warnings []string
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

// Summarize computes the Summary of period p from the figures that each
// yields (FORMS.md §3): rows 2–20 by OKVED2 section A–S, row 1 their sum,
// employers counted by INN per section and once in row 1. Entries of
// sections T and U, or without a valid OKVED, are left out and listed in
// warnings, and so is an employer counted under two sections.
func Summarize(p store.Period, each func(fn func(*store.Figures) error) error) (*Summary, error) {
	const nsec = 19 // sections A…S
	var grids [nsec]store.Grid
	var employers [nsec]map[string]bool
	for i := range employers {
		employers[i] = map[string]bool{}
	}
	all := map[string][]int{} // INN → sections it appears in
	sum := &Summary{Period: p}
	var leftOut []string
	err := each(func(f *store.Figures) error {
		if !p.IsZero() && !p.Contains(f.EnteredOn) {
			return nil
		}
		si := -1
		if store.CheckOKVED(f.OKVED) == nil {
			si = store.SectionIndex(f.OKVED)
		}
		if si < 0 || si >= nsec {
			why := "неверный код ОКВЭД"
			if si >= nsec {
				why = "раздел " + store.Sections[si].Letter + ", для которого в форме нет строки"
			}
			leftOut = append(leftOut, fmt.Sprintf("Запись реестра №%d от %s (ИНН %s, ОКВЭД %q) не вошла в сводную: %s", f.ID, f.EnteredOn.Ru(), f.INN, f.OKVED, why))
			return nil
		}
		sum.Entries++
		grids[si].Add(&f.Grid)
		if !employers[si][f.INN] {
			employers[si][f.INN] = true
			all[f.INN] = append(all[f.INN], si)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var total store.Grid
	for i := range grids {
		total.Add(&grids[i])
	}
	sum.Rows = append(sum.Rows, rowsOf("1", RegionRowName, -1, len(all), &total)...)
	for i := 0; i < nsec; i++ {
		sec := store.Sections[i]
		sum.Rows = append(sum.Rows, rowsOf(fmt.Sprint(sec.Row), sec.Letter+". "+sec.Name, i, len(employers[i]), &grids[i])...)
	}
	var twice []string
	for inn, secs := range all {
		if len(secs) > 1 {
			letters := make([]string, len(secs))
			for i, s := range secs {
				letters[i] = store.Sections[s].Letter
			}
			sort.Strings(letters)
			twice = append(twice, fmt.Sprintf("Работодатель с ИНН %s учтён в разделах %s (в строке 1 — один раз)", inn, strings.Join(letters, ", ")))
		}
	}
	sort.Strings(twice)
	sum.Warnings = append(twice, leftOut...)
	return sum, nil
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

// BuildSummary computes the Summary of p from the register in s.
func BuildSummary(s *store.Store, p store.Period) (*Summary, error) {
	return Summarize(p, func(fn func(*store.Figures) error) error { return s.EachFigures(p, fn) })
}
