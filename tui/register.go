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
	atEnd    bool   // of a jump: the page reaches the list's end
	jump     bool   // a jump to a date: the cursor goes to cursor
	cursor   int    // the row a jump selects
	note     string // what the status line says when the page comes
}

// registerCountMsg carries the number of entries the list shows.
type registerCountMsg struct {
	n   int
	gen int
}

// registerScreen is the Register list: newest first (or oldest first),
// paged from the store, filtered by text, period, OKVED section and SOUT
// organisation.
type registerScreen struct {
	listBase
	rows    []store.RegisterEntry
	period  store.Period // zero: all years
	section string       // an OKVED section's letter; "" all
	org     string       // a SOUT organisation's name; "" all
	oldest  bool         // oldest first
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
	return &registerScreen{listBase: newListBase(sh, "register")}
}

func (r *registerScreen) query() store.RegisterQuery {
	return store.RegisterQuery{Text: r.filter.Value(), Period: r.period, Section: r.section, Org: r.org,
		Oldest: r.oldest}
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
			end := store.Pos{Date: 1} // past the oldest entry
			if q.Oldest {
				end = store.Pos{} // past the newest
			}
			rows, err = st.ListRegisterBefore(q, end, regPage)
		}
		return registerPageMsg{rows: rows, mode: mode, gen: gen, err: err}
	}
}

// listHeight is the rows' lines: the screen less the heading and the foot.
func (r *registerScreen) listHeight() int { return max(r.h-1-len(r.foot()), 1) }

// foot is the foot's lines.
func (r *registerScreen) foot() []string { return r.listBase.foot(r.footParts(), nil) }

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
	case periodChosenMsg:
		if msg.list == "register" {
			r.period = msg.p
			return r.reload()
		}
	case sectionChosenMsg:
		r.section = msg.section
		return r.reload()
	case orgChosenMsg:
		r.org = msg.name
		return r.reload()
	case dateJumpMsg:
		if msg.list == "register" {
			return r.jumpTo(msg.d)
		}
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
		if msg.jump {
			r.atEnd = msg.atEnd
			r.cursor = max(0, min(msg.cursor, len(r.rows)-1))
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
	if msg.note != "" {
		return status(msg.note, false)
	}
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
	switch nav, by := navOf(k, msg, r.listHeight()); {
	case nav == navBy:
		return r.move(by)
	case nav == navHome && r.atStart:
		return r.move(-len(r.rows))
	case nav == navHome:
		return r.reload()
	case nav == navEnd && r.atEnd:
		return r.move(len(r.rows))
	case nav == navEnd:
		return r.fetch(pageLast)
	}
	switch {
	case key.Matches(msg, k.Period):
		return periodDialog(r.sh, "register", r.period)
	case key.Matches(msg, k.Jump):
		return jumpDialog(r.sh, "register")
	case key.Matches(msg, k.SectionFilter):
		return sectionDialog(r.sh, r.section)
	case key.Matches(msg, k.OrgFilter):
		return orgDialog(r.sh, r.org)
	case key.Matches(msg, k.Sort):
		r.oldest = !r.oldest
		return r.reload()
	case key.Matches(msg, k.Close) && (r.section != "" || r.org != ""):
		// Esc after the text filter's: the section and the organisation go.
		r.section, r.org = "", ""
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

func (r *registerScreen) scroll() { r.listWindow.scroll(len(r.rows), r.listHeight()) }

// View draws the window of rows.
func (r *registerScreen) View() string {
	s := r.sh.sty
	// Figures take 7 cells: the most a figure may have (store.MaxFigure).
	// On a narrow screen the SOUT organisation goes, then the INN, then
	// OKVED: the name keeps 24 cells.
	widths := layoutCols(r.w, []colSpec{{w: 10}, {share: 2, min: 24}, {w: 12, drop: 2}, {w: 9, drop: 3},
		{share: 1, min: 12, drop: 1}, {w: 7}, {w: 7}, {w: 7}})
	right := map[int]bool{5: true, 6: true, 7: true}
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
		line := cols([]string{e.EnteredOn.Ru(), name, e.Employer.INN, e.Employer.OKVED, e.SoutOrg.Name,
			strconv.Itoa(g[store.ColTotal][store.RowWorkplaces]), strconv.Itoa(g[store.ColAssessed][store.RowWorkplaces]),
			strconv.Itoa(harm)}, widths, right)
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
	b.WriteString(strings.Join(r.foot(), "\n"))
	return b.String()
}

// footParts are the foot's counts and filters: the count, the period, then
// each filter and order chosen.
func (r *registerScreen) footParts() []string {
	parts := []string{fmt.Sprintf(txtCount, r.total), periodTitle(r.period)}
	if r.section != "" {
		parts = append(parts, fmt.Sprintf(txtSectionF, r.section))
	}
	if r.org != "" {
		parts = append(parts, fmt.Sprintf(txtOrgF, r.org))
	}
	if r.oldest {
		parts = append(parts, registerSorts[1])
	}
	return parts
}

// jumpTo loads a window around the first entry on or after d (in the
// date order of the list) and selects it.
func (r *registerScreen) jumpTo(d store.Date) tea.Cmd {
	r.gen++
	st, q, gen := r.sh.st, r.query(), r.gen
	return tea.Batch(r.count(), func() tea.Msg {
		at := store.Pos{Date: d} // newest first: the entries dated d and later come before it
		before, err := st.ListRegisterBefore(q, at, regPage/4)
		if err != nil {
			return registerPageMsg{err: err, gen: gen}
		}
		after, err := st.ListRegister(q, at, regPage)
		if err != nil {
			return registerPageMsg{err: err, gen: gen}
		}
		m := registerPageMsg{rows: append(before, after...), mode: pageReplace, atStart: len(before) < regPage/4,
			atEnd: len(after) < regPage, gen: gen, jump: true}
		onOrAfter := len(before) > 0 // newest first: the last of before is the entry
		m.cursor = len(before) - 1
		if q.Oldest {
			onOrAfter, m.cursor = len(after) > 0, len(before)
		}
		if !onOrAfter {
			m.note = fmt.Sprintf(txtJumpNone, d.Ru())
		}
		return m
	})
}

// Init reads the first page.
func (r *registerScreen) Init() tea.Cmd { return r.reload() }

// Help lists the screen's keys, the main ones first.
func (r *registerScreen) Help() helpKeys {
	k := r.sh.keys
	return helpKeys{
		short: []key.Binding{k.New, k.Open, k.Copy, k.Filter, k.SectionFilter, k.OrgFilter, k.Period, k.Jump, k.Sort},
		extra: []key.Binding{k.Annul, k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
	}
}
