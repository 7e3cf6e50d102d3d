package tui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// gridEdit is the 5×9 figure grid of a register card: rows РМ, работники,
// женщины, до 18, инвалиды; columns всего, СОУТ, 1, 2, 3.1 … 4. Digits typed
// into a cell replace its content like a spreadsheet; an empty cell is 0.
type gridEdit struct {
	cells    [store.NumRows][store.NumCols]string
	row, col int
	fresh    bool // the next digit replaces the cell
}

func newGridEdit(g *store.Grid) gridEdit {
	var ge gridEdit
	for r := 0; r < store.NumRows; r++ {
		for c := 0; c < store.NumCols; c++ {
			if g != nil && g[c][r] != 0 {
				ge.cells[r][c] = strconv.Itoa(g[c][r])
			}
		}
	}
	ge.fresh = true
	return ge
}

// grid returns the figures; an empty cell is 0.
func (ge *gridEdit) grid() store.Grid {
	var g store.Grid
	for r := 0; r < store.NumRows; r++ {
		for c := 0; c < store.NumCols; c++ {
			g[c][r], _ = strconv.Atoi(ge.cells[r][c])
		}
	}
	return g
}

// next moves to the next cell left to right, then down; it reports false at the end.
func (ge *gridEdit) next() bool {
	ge.fresh = true
	if ge.col < store.NumCols-1 {
		ge.col++
		return true
	}
	if ge.row < store.NumRows-1 {
		ge.row, ge.col = ge.row+1, 0
		return true
	}
	return false
}

// prev moves back; it reports false at the start.
func (ge *gridEdit) prev() bool {
	ge.fresh = true
	if ge.col > 0 {
		ge.col--
		return true
	}
	if ge.row > 0 {
		ge.row, ge.col = ge.row-1, store.NumCols-1
		return true
	}
	return false
}

// key handles a key inside the grid; it reports whether the grid used it and whether a value changed.
func (ge *gridEdit) key(msg tea.KeyPressMsg) (used, changed bool) {
	switch s := msg.String(); s {
	case "up":
		ge.row, ge.fresh = max(ge.row-1, 0), true
	case "down":
		ge.row, ge.fresh = min(ge.row+1, store.NumRows-1), true
	case "left":
		ge.col, ge.fresh = max(ge.col-1, 0), true
	case "right":
		ge.col, ge.fresh = min(ge.col+1, store.NumCols-1), true
	case "home":
		ge.col, ge.fresh = 0, true
	case "end":
		ge.col, ge.fresh = store.NumCols-1, true
	case "backspace":
		v := ge.cells[ge.row][ge.col]
		if len(v) > 0 {
			ge.cells[ge.row][ge.col] = v[:len(v)-1]
		}
		ge.fresh = false
		return true, true
	case "delete":
		ge.cells[ge.row][ge.col] = ""
		return true, true
	default:
		if len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
			v := ge.cells[ge.row][ge.col]
			if ge.fresh {
				v = ""
			}
			if len(v) < 7 {
				v += s
			}
			ge.cells[ge.row][ge.col] = strings.TrimLeft(v, "0")
			if ge.cells[ge.row][ge.col] == "" && s == "0" {
				ge.cells[ge.row][ge.col] = ""
			}
			ge.fresh = false
			return true, true
		}
		return false, false
	}
	return true, false
}

// View draws the grid; focused says whether the cursor is shown; bad marks cells with errors.
func (ge *gridEdit) View(s styles, focused bool, bad map[string]bool) string {
	const labelW, cellW = 10, 7
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", labelW))
	for c := 0; c < store.NumCols; c++ {
		b.WriteString(s.header.Render(padLeft(store.ColTitles[c], cellW)))
	}
	for r := 0; r < store.NumRows; r++ {
		b.WriteString("\n" + pad(store.RowTitles[r], labelW))
		for c := 0; c < store.NumCols; c++ {
			v := ge.cells[r][c]
			if v == "" {
				v = "·"
			}
			cell := padLeft(v, cellW-1) + " "
			switch {
			case focused && r == ge.row && c == ge.col:
				cell = " " + s.cellFocus.Render(padLeft(v, cellW-2)) + " "
			case bad[store.FieldKey(c, r)]:
				cell = s.cellBad.Render(padLeft(v+"✗", cellW-1)) + " "
			}
			b.WriteString(cell)
		}
	}
	return b.String()
}
