package tui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// What the Journal and the Register lists share: the window over their rows,
// the foot line with the filters and counts, and the dialogs that choose a
// period, a section, a SOUT organisation or a date to go to.

// periodChosenMsg sets the period of the list named list (zero: all years).
type periodChosenMsg struct {
	list string
	p    store.Period
}

// dateJumpMsg moves the list named list to the first entry on or after d.
type dateJumpMsg struct {
	list string
	d    store.Date
}

// sectionChosenMsg sets the Register's OKVED section filter ("" for all).
type sectionChosenMsg struct{ section string }

// orgChosenMsg sets the Register's SOUT organisation filter ("" for all).
type orgChosenMsg struct{ name string }

// listBase is what a list screen is made of besides its rows: the shared
// state, the window over the rows, the size and the filter line.
type listBase struct {
	sh     *shared
	w, h   int
	filter filterBox
	// The foot's lines, drawn again only when what they show changes: the
	// rows' height asks for them at every key.
	footView lastRender[string, []string]
}

func newListBase(sh *shared, id string) listBase {
	return listBase{sh: sh, filter: newFilterBox(id), w: 80, h: 20}
}

// SetSize sets the area the list draws in.
func (l *listBase) SetSize(w, h int) {
	l.w, l.h = w, h
	l.filter.SetWidth(max(w/3, 20)) // the counts follow it on the line
}

// Typing reports whether the filter is being typed.
func (l *listBase) Typing() bool { return l.filter.active }

// foot returns the foot's lines (listFoot) for parts, styled by style
// (nil: as they are), kept while the width, the filter and parts stay.
func (l *listBase) foot(parts []string, style func(parts []string) []string) []string {
	draw := func() []string {
		if style != nil {
			parts = style(slices.Clone(parts))
		}
		return listFoot(l.w, l.filter.View(), parts...)
	}
	if l.filter.active {
		return draw() // the input's cursor blinks
	}
	return l.footView.get(strconv.Itoa(l.w)+"\x00"+l.filter.Value()+"\x00"+strings.Join(parts, "\x00"), draw)
}

// listWindow is the cursor and the first row shown of a list of n rows in
// h lines.
type listWindow struct{ cursor, top int }

// scroll brings the cursor into the window of h lines over n rows.
func (l *listWindow) scroll(n, h int) {
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if l.cursor >= l.top+h {
		l.top = l.cursor - h + 1
	}
	l.top = max(0, min(l.top, max(n-h, 0)))
}

// listNav is what a moving key asks of a list: move by rows, or go to
// its start or its end.
type listNav int

const (
	navNone listNav = iota
	navBy
	navHome
	navEnd
)

// navOf reads a moving key of a list of page lines: what it asks and by
// how many rows.
func navOf(k keyMap, msg tea.KeyPressMsg, page int) (listNav, int) {
	switch {
	case key.Matches(msg, k.Up):
		return navBy, -1
	case key.Matches(msg, k.Down):
		return navBy, 1
	case key.Matches(msg, k.PageUp):
		return navBy, -page
	case key.Matches(msg, k.PageDown):
		return navBy, page
	case key.Matches(msg, k.Home):
		return navHome, 0
	case key.Matches(msg, k.End):
		return navEnd, 0
	}
	return navNone, 0
}

// listFoot draws a list's foot in w cells: the filter, then the parts in
// order (the counts first), on one line, or broken between parts onto a
// second when they do not fit; only what does not fit on two ends in «…».
func listFoot(w int, filter string, parts ...string) []string {
	var lines []string
	line := filter
	for _, p := range parts {
		if width(line)+3+width(p) <= w || len(lines) == 1 {
			line += " │ " + p
			continue
		}
		lines = append(lines, line)
		line = p
	}
	lines = append(lines, line)
	for i := range lines {
		lines[i] = truncate(lines[i], w)
	}
	return lines
}

// periodTitle names a list's period in its foot.
func periodTitle(p store.Period) string {
	if p.IsZero() {
		return txtAllTime
	}
	return p.String()
}

// periodDialog asks for the period of the list named list, cur filled in.
func periodDialog(sh *shared, list string, cur store.Period) tea.Cmd {
	val := ""
	if !cur.IsZero() {
		val = cur.Key()
	}
	return openDialog(newInputDialog(sh, txtPeriodTitle, []string{txtPeriodLabel}, []string{val},
		func(v []string) (tea.Cmd, error) {
			var p store.Period
			if v[0] != "" {
				var err error
				if p, err = parsePeriodInput(v[0]); err != nil {
					return nil, err
				}
			}
			return done(func() tea.Msg { return periodChosenMsg{list, p} }), nil
		}).withOK(txtKeyShow))
}

// jumpDialog asks for the date to move the list named list to.
func jumpDialog(sh *shared, list string) tea.Cmd {
	return openDialog(newInputDialog(sh, txtJumpTitle, []string{txtDate}, nil,
		func(v []string) (tea.Cmd, error) {
			d, err := dateInput(txtDate, v[0])
			if err != nil {
				return nil, err
			}
			return done(func() tea.Msg { return dateJumpMsg{list, d} }), nil
		}).withOK(txtKeyGo).withRequired(0, txtJumpNoDate))
}

// sectionDialog asks for the Register's OKVED section, cur filled in.
func sectionDialog(sh *shared, cur string) tea.Cmd {
	return openDialog(newInputDialog(sh, txtSectionTitle, []string{txtSectionLabel}, []string{cur},
		func(v []string) (tea.Cmd, error) {
			sec, err := store.ParseSection(v[0])
			if err != nil {
				return nil, fmt.Errorf("%s", store.ErrorMessage(err))
			}
			return done(func() tea.Msg { return sectionChosenMsg{sec} }), nil
		}).withOK(txtKeyShow))
}

// orgDialog asks for the Register's SOUT organisation, cur filled in: the
// store finds it among the known ones (a part of the name will do).
func orgDialog(sh *shared, cur string) tea.Cmd {
	st := sh.st
	return openDialog(newInputDialog(sh, txtOrgFilterTitle, []string{txtOrgFilterLabel}, []string{cur},
		func(v []string) (tea.Cmd, error) {
			if v[0] == "" {
				return done(func() tea.Msg { return orgChosenMsg{""} }), nil
			}
			return func() tea.Msg {
				o, err := st.FindSoutOrg(context.Background(), v[0])
				if err != nil {
					return dialogFailedMsg{store.ErrorMessage(err)}
				}
				return dialogDoneMsg{func() tea.Msg { return orgChosenMsg{o.Name} }}
			}, nil
		}).withOK(txtKeyShow))
}
