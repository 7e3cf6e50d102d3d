package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// registerCountMsg carries the number of entries the list shows.
type registerCountMsg struct {
	n   int
	seq int
	q   store.RegisterQuery // what was counted
}

// registerScreen is the Register list: newest first (or oldest first),
// paged from the store, filtered by text, period, OKVED section and SOUT
// organisation.
type registerScreen struct {
	listBase
	pagedList[store.RegisterEntry]
	period   store.Period // zero: all years
	section  string       // an OKVED section's letter; "" all
	org      string       // a SOUT organisation's name; "" all
	oldest   bool         // oldest first
	total    int
	countSeq int                 // the latest count started: only its number is shown
	totalQ   store.RegisterQuery // what total counts (countQuery)
	stale    bool                // changed elsewhere while not on screen
	locks    []store.Lock
}

func newRegisterScreen(sh *shared) *registerScreen {
	r := &registerScreen{listBase: newListBase(sh, "register")}
	r.src, r.height = r, r.listHeight
	return r
}

func (r *registerScreen) query() store.RegisterQuery {
	return store.RegisterQuery{Text: r.filter.Value(), Period: r.period, Section: r.section, Org: r.org,
		Oldest: r.oldest}
}

func posOf(e *store.RegisterEntry) store.Pos { return store.Pos{Date: e.EnteredOn, ID: e.ID} }

// reload loads the newest page and the count.
func (r *registerScreen) reload() tea.Cmd { return tea.Batch(r.first(), r.count()) }

func (r *registerScreen) count() tea.Cmd {
	r.countSeq++
	st, q, seq := r.sh.st, r.query(), r.countSeq
	return func() tea.Msg {
		n, _ := st.CountRegister(q)
		return registerCountMsg{n, seq, q}
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
	st, q := r.sh.st, r.query()
	first := r.src.pageFirst(listPage)
	return tea.Batch(r.replace(func() pageMsg[store.RegisterEntry] {
		e, err := st.RegisterEntry(id)
		if err != nil {
			rows, err := first()
			return pageMsg[store.RegisterEntry]{rows: rows, err: err, atStart: true, atEnd: len(rows) < listPage}
		}
		before, err := st.ListRegisterBefore(q, posOf(&e), listPage/4)
		if err != nil {
			return pageMsg[store.RegisterEntry]{err: err}
		}
		after, err := st.ListRegister(q, posOf(&e), listPage)
		return pageMsg[store.RegisterEntry]{rows: append(append(before, e), after...), err: err,
			atStart: len(before) < listPage/4, atEnd: len(after) < listPage, cursor: len(before)}
	}), r.count())
}

// pageFirst reads the list's first n entries.
func (r *registerScreen) pageFirst(n int) pageRead[store.RegisterEntry] {
	st, q := r.sh.st, r.query()
	return func() ([]store.RegisterEntry, error) { return st.ListRegister(q, store.Pos{}, n) }
}

// pageAfter reads the n entries after last.
func (r *registerScreen) pageAfter(last *store.RegisterEntry, n int) pageRead[store.RegisterEntry] {
	st, q, at := r.sh.st, r.query(), posOf(last)
	return func() ([]store.RegisterEntry, error) { return st.ListRegister(q, at, n) }
}

// pageBefore reads the n entries before first.
func (r *registerScreen) pageBefore(first *store.RegisterEntry, n int) pageRead[store.RegisterEntry] {
	st, q, at := r.sh.st, r.query(), posOf(first)
	return func() ([]store.RegisterEntry, error) { return st.ListRegisterBefore(q, at, n) }
}

// pageLast reads the list's last n entries.
func (r *registerScreen) pageLast(n int) pageRead[store.RegisterEntry] {
	st, q := r.sh.st, r.query()
	end := store.Pos{Date: 1} // past the oldest entry
	if q.Oldest {
		end = store.Pos{} // past the newest
	}
	return func() ([]store.RegisterEntry, error) { return st.ListRegisterBefore(q, end, n) }
}

// listHeight is the rows' lines: the screen less the heading and the foot.
func (r *registerScreen) listHeight() int { return max(r.h-1-len(r.foot()), 1) }

// foot is the foot's lines.
func (r *registerScreen) foot() []string { return r.listBase.foot(r.footParts(), nil) }

// Update handles the list's messages and keys.
func (r *registerScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case locksLoadedMsg:
		r.locks = msg.locks
		return nil
	case pageMsg[store.RegisterEntry]:
		cmd, _ := r.page(msg)
		return cmd
	case filterPausedMsg:
		if r.filter.Paused(msg) {
			return r.reload()
		}
		return nil
	case registerCountMsg:
		if msg.seq == r.countSeq {
			r.total, r.totalQ = msg.n, countQuery(msg.q)
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

func (r *registerScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := r.sh.keys
	if used, reload, cmd := r.filter.Key(k, msg); used {
		if reload {
			return r.reload()
		}
		return cmd
	}
	if nav, by := navOf(k, msg, r.listHeight()); nav != navNone {
		return r.nav(nav, by)
	}
	if (r.filter.Pending() || r.settling()) && key.Matches(msg, k.Open, k.Copy, k.Annul) {
		return status(txtListSettling, false)
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
		if sel := r.selected(); sel != nil { // the entry stays selected, at its place in the new order
			return r.reloadAt(sel.ID)
		}
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
	r.body(&b, &s, func(i int, e *store.RegisterEntry) string {
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
			return s.selected.Render(pad(line, r.w))
		case e.IsAnnulled():
			return s.dim.Render(line)
		}
		return line
	})
	b.WriteString(strings.Join(r.foot(), "\n"))
	return b.String()
}

// footParts are the foot's counts and filters: the count, the period, then
// each filter and order chosen.
func (r *registerScreen) footParts() []string {
	// Until the count of what the list now shows comes, no number (the one
	// before is of another filter).
	count := txtCountReading
	if r.totalQ == countQuery(r.query()) {
		count = fmt.Sprintf(txtCount, r.total)
	}
	parts := []string{count, periodTitle(r.period)}
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

// countQuery is q as far as the count goes: the order does not change it.
func countQuery(q store.RegisterQuery) store.RegisterQuery {
	q.Oldest = false
	return q
}

// jumpTo loads a window around the first entry on or after d (in the
// date order of the list) and selects it.
func (r *registerScreen) jumpTo(d store.Date) tea.Cmd {
	st, q := r.sh.st, r.query()
	return tea.Batch(r.count(), r.replace(func() pageMsg[store.RegisterEntry] {
		at := store.Pos{Date: d} // newest first: the entries dated d and later come before it
		before, err := st.ListRegisterBefore(q, at, listPage/4)
		if err != nil {
			return pageMsg[store.RegisterEntry]{err: err}
		}
		after, err := st.ListRegister(q, at, listPage)
		if err != nil {
			return pageMsg[store.RegisterEntry]{err: err}
		}
		m := pageMsg[store.RegisterEntry]{rows: append(before, after...), atStart: len(before) < listPage/4,
			atEnd: len(after) < listPage}
		onOrAfter := len(before) > 0 // newest first: the last of before is the entry
		m.cursor = len(before) - 1
		if q.Oldest {
			onOrAfter, m.cursor = len(after) > 0, len(before)
		}
		if !onOrAfter {
			m.note = fmt.Sprintf(txtJumpNone, d.Ru())
		}
		return m
	}))
}

// Init reads the first page.
func (r *registerScreen) Init() tea.Cmd { return r.reload() }

// Help lists the screen's keys, the main ones first.
func (r *registerScreen) Help() helpKeys {
	k := r.sh.keys
	short := []key.Binding{k.New, k.Open, k.Copy}
	extra := []key.Binding{clearAllKey, k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	short, extra = roleKey(store.MayAnnul(r.sh.cfg.Actor), k.Annul, short, extra)
	short = append(short, k.Filter, k.SectionFilter, k.OrgFilter, k.Period, k.Jump, k.Sort)
	return helpKeys{short: short, extra: extra}
}
