package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// How the register list keeps a window of rows rather than all of them.
const (
	regPage   = 100
	regWindow = 400
)

type pageMode int

const (
	pageReplace pageMode = iota
	pageAppend
	pagePrepend
	pageLast
)

// registerPageMsg carries a page of the register list.
type registerPageMsg struct {
	rows     []store.RegisterEntry
	mode     pageMode
	selectID uint64
	atStart  bool
	gen      int
	err      error
}

// registerCountMsg carries the number of entries the list shows.
type registerCountMsg struct {
	n   int
	gen int
}

// registerScreen is the Register list: newest first, paged from the store.
type registerScreen struct {
	sh      *shared
	rows    []store.RegisterEntry
	cursor  int
	top     int
	w, h    int
	filter  filterBox
	period  int // 0 all, 1 this year, 2 this half-year
	atStart bool
	atEnd   bool
	busy    bool
	total   int
	gen     int
	loaded  bool
	stale   bool // changed elsewhere while not on screen
	locks   []store.Lock
}

func newRegisterScreen(sh *shared) *registerScreen {
	return &registerScreen{sh: sh, filter: newFilterBox("register"), w: 80, h: 20}
}

// SetSize sets the area the screen draws in.
func (r *registerScreen) SetSize(w, h int) {
	r.w, r.h = w, h
	r.filter.SetWidth(max(w/3, 20)) // the counts follow it on the line
}

func (r *registerScreen) query() store.RegisterQuery {
	q := store.RegisterQuery{Text: r.filter.Value()}
	today := r.sh.st.Today()
	switch r.period {
	case 1:
		q.Period = store.Period{From: store.NewDate(today.Year(), 1, 1), To: store.NewDate(today.Year(), 12, 31)}
	case 2:
		q.Period = store.HalfYearOf(today)
	}
	return q
}

func posOf(e *store.RegisterEntry) store.Pos { return store.Pos{Date: e.EnteredOn, ID: e.ID} }

// reload loads the newest page and the count.
func (r *registerScreen) reload() tea.Cmd {
	r.gen++
	st, q, gen := r.sh.st, r.query(), r.gen
	return tea.Batch(func() tea.Msg {
		rows, err := st.ListRegister(q, store.Pos{}, regPage)
		return registerPageMsg{rows: rows, mode: pageReplace, atStart: true, gen: gen, err: err}
	}, r.count())
}

func (r *registerScreen) count() tea.Cmd {
	st, q, gen := r.sh.st, r.query(), r.gen
	return func() tea.Msg {
		n, _ := st.CountRegister(q)
		return registerCountMsg{n, gen}
	}
}

// refresh reloads after a change saved elsewhere, keeping the clerk's place:
// at the top of the list new entries appear above; further down the window
// is reloaded around the selected entry.
func (r *registerScreen) refresh() tea.Cmd {
	if sel := r.selected(); sel != nil && (r.cursor > 0 || !r.atStart) {
		return r.reloadAt(sel.ID)
	}
	return r.reload()
}

// reloadAt loads a window around entry id and selects it.
func (r *registerScreen) reloadAt(id uint64) tea.Cmd {
	r.gen++
	st, q, gen := r.sh.st, r.query(), r.gen
	return tea.Batch(func() tea.Msg {
		e, err := st.RegisterEntry(id)
		if err != nil {
			rows, err := st.ListRegister(q, store.Pos{}, regPage)
			return registerPageMsg{rows: rows, mode: pageReplace, atStart: true, gen: gen, err: err}
		}
		before, err := st.ListRegisterBefore(q, posOf(&e), regPage/4)
		if err != nil {
			return registerPageMsg{err: err, gen: gen}
		}
		after, err := st.ListRegister(q, posOf(&e), regPage)
		rows := append(append(before, e), after...)
		return registerPageMsg{rows: rows, mode: pageReplace, selectID: id, atStart: len(before) < regPage/4, gen: gen, err: err}
	}, r.count())
}

func (r *registerScreen) fetch(mode pageMode) tea.Cmd {
	if r.busy || len(r.rows) == 0 {
		return nil
	}
	r.busy = true
	st, q, gen := r.sh.st, r.query(), r.gen
	first, last := posOf(&r.rows[0]), posOf(&r.rows[len(r.rows)-1])
	return func() tea.Msg {
		var rows []store.RegisterEntry
		var err error
		switch mode {
		case pageAppend:
			rows, err = st.ListRegister(q, last, regPage)
		case pagePrepend:
			rows, err = st.ListRegisterBefore(q, first, regPage)
		case pageLast:
			rows, err = st.ListRegisterBefore(q, store.Pos{Date: 1}, regPage)
		}
		return registerPageMsg{rows: rows, mode: mode, gen: gen, err: err}
	}
}

func (r *registerScreen) listHeight() int { return max(r.h-2, 1) }

func (r *registerScreen) selected() *store.RegisterEntry {
	if r.cursor < 0 || r.cursor >= len(r.rows) {
		return nil
	}
	return &r.rows[r.cursor]
}

// Update handles the list's messages and keys.
func (r *registerScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case locksLoadedMsg:
		r.locks = msg.locks
		return nil
	case registerPageMsg:
		return r.page(msg)
	case filterPausedMsg:
		if r.filter.Paused(msg) {
			return r.reload()
		}
		return nil
	case registerCountMsg:
		if msg.gen == r.gen {
			r.total = msg.n
		}
		return nil
	case tea.KeyPressMsg:
		return r.key(msg)
	}
	return r.filter.Update(msg)
}

func (r *registerScreen) page(msg registerPageMsg) tea.Cmd {
	if msg.gen != r.gen {
		return nil
	}
	r.busy = false
	if msg.err != nil {
		return status(store.ErrorMessage(msg.err), true)
	}
	r.loaded = true
	switch msg.mode {
	case pageReplace:
		r.rows, r.cursor, r.top = msg.rows, 0, 0
		r.atStart, r.atEnd = msg.atStart, len(msg.rows) < regPage
		for i := range r.rows {
			if r.rows[i].ID == msg.selectID {
				r.cursor = i
			}
		}
	case pageLast:
		r.rows, r.atStart, r.atEnd = msg.rows, false, true
		r.cursor = len(r.rows) - 1
	case pageAppend:
		if len(msg.rows) < regPage {
			r.atEnd = true
		}
		r.rows = append(r.rows, msg.rows...)
		if drop := len(r.rows) - regWindow; drop > 0 {
			r.rows, r.cursor, r.top, r.atStart = r.rows[drop:], r.cursor-drop, r.top-drop, false
		}
		r.cursor = min(r.cursor+1, len(r.rows)-1)
	case pagePrepend:
		if len(msg.rows) < regPage {
			r.atStart = true
		}
		r.rows = append(msg.rows, r.rows...)
		r.cursor += len(msg.rows)
		r.top += len(msg.rows)
		if len(r.rows) > regWindow {
			r.rows, r.atEnd = r.rows[:regWindow], false
		}
		r.cursor = max(r.cursor-1, 0)
	}
	r.scroll()
	return nil
}

func (r *registerScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := r.sh.keys
	if used, reload, cmd := r.filter.Key(k, msg); used {
		if reload {
			return r.reload()
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		return r.move(-1)
	case key.Matches(msg, k.Down):
		return r.move(1)
	case key.Matches(msg, k.PageUp):
		return r.move(-r.listHeight())
	case key.Matches(msg, k.PageDown):
		return r.move(r.listHeight())
	case key.Matches(msg, k.Home):
		if r.atStart {
			return r.move(-len(r.rows))
		}
		return r.reload()
	case key.Matches(msg, k.End):
		if r.atEnd {
			return r.move(len(r.rows))
		}
		return r.fetch(pageLast)
	case key.Matches(msg, k.Period):
		r.period = (r.period + 1) % 3
		return r.reload()
	case key.Matches(msg, k.New):
		return openCard(newRegisterCard(r.sh, nil))
	case key.Matches(msg, k.Copy):
		if s := r.selected(); s != nil {
			return openCard(copyRegisterCard(r.sh, s))
		}
	case key.Matches(msg, k.Annul):
		if s := r.selected(); s != nil {
			return annulRegisterDialog(r.sh, *s, r.locks)
		}
	case key.Matches(msg, k.Open):
		if s := r.selected(); s != nil {
			e := *s
			c := newRegisterCard(r.sh, &e)
			c.locked = lockOf(r.locks, e.EnteredOn)
			return openCard(c)
		}
	}
	return nil
}

// move moves the cursor, fetching the next page at the window's edge.
func (r *registerScreen) move(n int) tea.Cmd {
	want := r.cursor + n
	r.cursor = max(0, min(len(r.rows)-1, want))
	r.scroll()
	switch {
	case want >= len(r.rows) && !r.atEnd:
		return r.fetch(pageAppend)
	case want < 0 && !r.atStart:
		return r.fetch(pagePrepend)
	}
	return nil
}

func (r *registerScreen) scroll() {
	h := r.listHeight()
	if r.cursor < r.top {
		r.top = r.cursor
	}
	if r.cursor >= r.top+h {
		r.top = r.cursor - h + 1
	}
	r.top = max(0, min(r.top, max(len(r.rows)-h, 0)))
}

// View draws the window of rows.
func (r *registerScreen) View() string {
	s := r.sh.sty
	// Figures take 7 cells: the most a figure may have (store.MaxFigure).
	// On a narrow screen the INN goes, then OKVED: the name keeps 24 cells.
	widths := layoutCols(r.w, []colSpec{{w: 10}, {share: 1, min: 24}, {w: 12, drop: 1}, {w: 9, drop: 2}, {w: 7}, {w: 7}, {w: 7}})
	right := map[int]bool{4: true, 5: true, 6: true}
	var b strings.Builder
	b.WriteString(s.header.Render(cols(registerListHead, widths, right)) + "\n")
	h := r.listHeight()
	if !r.loaded {
		b.WriteString(txtLoading + "\n")
	} else if len(r.rows) == 0 {
		b.WriteString(s.dim.Render(txtNoRows) + "\n")
	}
	for i := r.top; i < len(r.rows) && i < r.top+h; i++ {
		e := &r.rows[i]
		g := &e.Grid
		harm := 0
		for c := store.ColClass31; c <= store.ColClass4; c++ {
			harm += g[c][store.RowWorkplaces]
		}
		name := e.Employer.Name
		if e.IsAnnulled() {
			name = txtRegAnnulMark + name
		}
		line := cols([]string{e.EnteredOn.Ru(), name, e.Employer.INN, e.Employer.OKVED,
			strconv.Itoa(g[store.ColTotal][store.RowWorkplaces]), strconv.Itoa(g[store.ColAssessed][store.RowWorkplaces]), strconv.Itoa(harm)}, widths, right)
		switch {
		case i == r.cursor:
			line = s.selected.Render(pad(line, r.w))
		case e.IsAnnulled():
			line = s.dim.Render(line)
		}
		b.WriteString(line + "\n")
	}
	for i := max(len(r.rows)-r.top, 1); i < h; i++ { // an empty list shows one line of why
		b.WriteByte('\n')
	}
	period := []string{txtAllTime, strconv.Itoa(r.sh.st.Today().Year()), store.HalfYearOf(r.sh.st.Today()).String()}[r.period]
	foot := fmt.Sprintf(txtCount, r.total) + " │ " + period
	foot = r.filter.View() + " │ " + foot
	b.WriteString(foot)
	return b.String()
}

// Init reads the first page.
func (r *registerScreen) Init() tea.Cmd { return r.reload() }

// Typing reports whether the filter is being typed.
func (r *registerScreen) Typing() bool { return r.filter.active }

// Help lists the screen's keys, the main ones first.
func (r *registerScreen) Help() helpKeys {
	k := r.sh.keys
	return helpKeys{
		short: []key.Binding{k.New, k.Open, k.Copy, k.Filter, k.Period, k.PageDown, k.End},
		extra: []key.Binding{k.Annul, k.Up, k.Down, k.PageUp, k.Home},
	}
}
