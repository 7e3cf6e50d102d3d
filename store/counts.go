package store

import "fmt"

// Grid columns: register columns 7–15 (FORMS.md §2).
const (
	ColTotal    = iota // 7: total workplaces of the employer
	ColAssessed        // 8: workplaces where SOUT was carried out
	ColClass1          // 9
	ColClass2          // 10
	ColClass31         // 11
	ColClass32         // 12
	ColClass33         // 13
	ColClass34         // 14
	ColClass4          // 15
	NumCols
)

// Grid rows: the five figures of every column.
const (
	RowWorkplaces = iota // workplaces (ед.)
	RowWorkers           // workers on them (чел.)
	RowWomen             // of them women
	RowUnder18           // of them under 18
	RowDisabled          // of them disabled
	NumRows
)

// ColKeys are the data-file keys of the grid columns, in order.
var ColKeys = [NumCols]string{"total", "assessed", "c1", "c2", "c3_1", "c3_2", "c3_3", "c3_4", "c4"}

// RowKeys are the data-file suffixes of the grid rows, in order.
var RowKeys = [NumRows]string{"wp", "workers", "women", "under18", "disabled"}

// ColTitles are the short Russian headings of the grid columns as the screens show them.
var ColTitles = [NumCols]string{"всего", "СОУТ", "1", "2", "3.1", "3.2", "3.3", "3.4", "4"}

// ColNames name the grid columns in messages.
var ColNames = [NumCols]string{"всего", "СОУТ", "класс 1", "класс 2", "класс 3.1", "класс 3.2", "класс 3.3",
	"класс 3.4", "класс 4"}

// RowTitles are the short Russian names of the grid rows as the screens show them.
var RowTitles = [NumRows]string{"РМ", "работники", "женщины", "до 18", "инвалиды"}

// rowNamesPo are the grid rows in the dative-free form used in messages («по работникам»).
var rowNamesPo = [NumRows]string{"по рабочим местам", "по работникам", "по женщинам", "по работникам до 18 лет",
	"по инвалидам"}

// rowNamesGen are the grid rows in the genitive plural («женщин (12)»).
var rowNamesGen = [NumRows]string{"Рабочих мест", "Работников", "Женщин", "Работников до 18 лет", "Инвалидов"}

// Grid holds the 45 figures of a register entry: Grid[col][row].
type Grid [NumCols][NumRows]int

// FieldKey returns the data-file key of one figure, e.g. "c3_1_workers".
func FieldKey(col, row int) string { return fieldKeys[col][row] }

// fieldKeys are the keys of FieldKey, built once: imports ask for them per cell.
var fieldKeys = func() (k [NumCols][NumRows]string) {
	for c := range k {
		for r := range k[c] {
			k[c][r] = ColKeys[c] + "_" + RowKeys[r]
		}
	}
	return k
}()

// Add adds every figure of h to g.
func (g *Grid) Add(h *Grid) {
	for c := range g {
		for r := range g[c] {
			g[c][r] += h[c][r]
		}
	}
}

// ClassSum returns the sum of the seven class columns for one row.
func (g *Grid) ClassSum(row int) int {
	s := 0
	for c := ColClass1; c <= ColClass4; c++ {
		s += g[c][row]
	}
	return s
}

// IsZero reports whether every figure is 0.
func (g *Grid) IsZero() bool { return *g == Grid{} }

// MaxFigure is the largest figure a cell may hold: more people than work in
// any one employer, and small enough that no sum of figures overflows.
const MaxFigure = 9_999_999

// validate appends the grid checks of FORMS.md §2 to ps.
func (g *Grid) validate(ps *Problems) {
	bad := false
	for c := range g {
		for r := range g[c] {
			if g[c][r] < 0 {
				ps.errorf(FieldKey(c, r), "%s в графе «%s»: %d — число не может быть отрицательным", rowNamesGen[r], ColNames[c],
					g[c][r])
				bad = true
			} else if g[c][r] > MaxFigure {
				ps.errorf(FieldKey(c, r), "%s в графе «%s»: %d — слишком большое число (не больше %d)", rowNamesGen[r], ColNames[c],
					g[c][r], MaxFigure)
				bad = true
			}
		}
	}
	if bad {
		return
	}
	if g[ColTotal][RowWorkplaces] == 0 && g[ColAssessed][RowWorkplaces] == 0 {
		ps.warnf(FieldKey(ColAssessed, RowWorkplaces),
			"Показатели: не заполнены — нет ни одного рабочего места (графы 7 и 8)")
	}
	for c := range g {
		w := g[c][RowWorkers]
		for _, r := range []int{RowWomen, RowUnder18, RowDisabled} {
			if g[c][r] > w {
				ps.errorf(FieldKey(c, r), "%s (%d) больше, чем работников (%d) в графе «%s»", rowNamesGen[r], g[c][r], w,
					ColNames[c])
			}
		}
	}
	for r := 0; r < NumRows; r++ {
		if s, a := g.ClassSum(r), g[ColAssessed][r]; s != a {
			ps.errorf(FieldKey(ColAssessed, r), "Сумма классов %s %d ≠ %d в графе СОУТ", rowNamesPo[r], s, a)
		}
	}
	for r := 0; r < NumRows; r++ {
		if a, t := g[ColAssessed][r], g[ColTotal][r]; a > t {
			ps.errorf(FieldKey(ColAssessed, r), "%s в графе СОУТ (%d) больше, чем всего (%d)", rowNamesGen[r], a, t)
		}
	}
	for c := range g {
		if wp, w := g[c][RowWorkplaces], g[c][RowWorkers]; w < wp {
			ps.warnf(FieldKey(c, RowWorkers), "Работников (%d) меньше, чем рабочих мест (%d) в графе «%s»", w, wp, ColNames[c])
		}
	}
}

// String renders the grid compactly for logs and audit.
func (g Grid) String() string { return fmt.Sprint([NumCols][NumRows]int(g)) }
