package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// How a list keeps a window of rows rather than all of them: it reads
// listPage rows at a time and keeps at most listSpan.
const (
	listPage = 100
	listSpan = 400
)

// pageMode is what a page read does to a list's window.
type pageMode int

const (
	pageReplace pageMode = iota // a new window
	pageAppend                  // rows after the window
	pagePrepend                 // rows before it
	pageLast                    // the list's last rows
)

// pageRead is a read of a page prepared in Update, with what it needs of
// the screen taken there, to run in a command.
type pageRead[T any] func() ([]T, error)

// pageSource is where a pagedList reads its rows: the store's pages for the
// Register, a window of the key list for the Journal. Each read is prepared
// in Update and runs in a command.
type pageSource[T any] interface {
	pageFirst(n int) pageRead[T]            // the list's first n rows
	pageAfter(last *T, n int) pageRead[T]   // the n rows after last
	pageBefore(first *T, n int) pageRead[T] // the n rows before first, in the list's order
	pageLast(n int) pageRead[T]             // the list's last n rows
}

// pageMsg carries rows read for a pagedList of rows of type T.
type pageMsg[T any] struct {
	rows []T
	mode pageMode
	seq  int
	err  error
	// Of a replace: whether the rows reach the list's start and end, and
	// the row selected.
	atStart, atEnd bool
	cursor         int
	note           string // what the status line says when the rows come
	// Of a page past an edge: how many rows beyond it the cursor goes.
	by int
}

// pagedList is the window over a list read a page at a time, the cursor
// in it and what reads it, written once for the Journal and the Register.
// The window holds at most about listSpan rows; moving past its edge reads
// the next page, Home and End read the list's ends.
type pagedList[T any] struct {
	listWindow
	rows    []T
	src     pageSource[T]
	height  func() int // the rows' lines on screen
	atStart bool       // the window holds the list's first row
	atEnd   bool       // and its last
	busy    bool       // a read of the window is under way
	loaded  bool
	// seq counts the reads that make a new window: only the latest one's
	// rows are shown, and a page read for an older window is dropped.
	seq int
}

// newWindow starts a read of a new window and returns its sequence number:
// a page read for the window before is dropped from now on.
func (p *pagedList[T]) newWindow() int {
	p.seq++
	p.busy = true
	return p.seq
}

// replace starts a read of a new window: read returns its message, the
// mode and the sequence filled in here. The window until then stays.
func (p *pagedList[T]) replace(read func() pageMsg[T]) tea.Cmd {
	seq := p.newWindow()
	return func() tea.Msg {
		m := read()
		m.mode, m.seq = pageReplace, seq
		return m
	}
}

// first reads the list's first page as a new window.
func (p *pagedList[T]) first() tea.Cmd {
	read := p.src.pageFirst(listPage)
	return p.replace(func() pageMsg[T] {
		rows, err := read()
		return pageMsg[T]{rows: rows, err: err, atStart: true, atEnd: len(rows) < listPage}
	})
}

// fetch reads a page past an edge of the window (mode pageAppend,
// pagePrepend or pageLast), unless a read is under way; the cursor then
// goes by rows beyond the edge.
func (p *pagedList[T]) fetch(mode pageMode, by int) tea.Cmd {
	if p.busy || len(p.rows) == 0 {
		return nil
	}
	var read pageRead[T]
	switch mode {
	case pageAppend:
		read = p.src.pageAfter(&p.rows[len(p.rows)-1], listPage)
	case pagePrepend:
		read = p.src.pageBefore(&p.rows[0], listPage)
	default:
		read = p.src.pageLast(listPage)
	}
	p.busy = true
	seq := p.seq
	return func() tea.Msg {
		rows, err := read()
		return pageMsg[T]{rows: rows, mode: mode, seq: seq, err: err, by: by}
	}
}

// page puts the rows read into the window. It reports false for rows of
// an older window, which it drops.
func (p *pagedList[T]) page(msg pageMsg[T]) (tea.Cmd, bool) {
	if msg.seq != p.seq {
		return nil, false
	}
	p.busy = false
	if msg.err != nil {
		return status(store.ErrorMessage(msg.err), true), true
	}
	p.loaded = true
	switch msg.mode {
	case pageReplace:
		p.rows, p.top = msg.rows, 0
		p.atStart, p.atEnd = msg.atStart, msg.atEnd
		p.cursor = max(0, min(msg.cursor, len(p.rows)-1))
	case pageLast:
		p.rows, p.atStart, p.atEnd = msg.rows, len(msg.rows) < listPage, true
		p.cursor = len(p.rows) - 1
	case pageAppend:
		p.atEnd = len(msg.rows) < listPage
		p.rows = append(p.rows, msg.rows...)
		if drop := len(p.rows) - listSpan; drop > 0 {
			p.rows, p.cursor, p.top, p.atStart = p.rows[drop:], p.cursor-drop, p.top-drop, false
		}
		p.cursor = min(p.cursor+msg.by, len(p.rows)-1)
	case pagePrepend:
		p.atStart = len(msg.rows) < listPage
		p.rows = append(msg.rows, p.rows...)
		p.cursor += len(msg.rows)
		p.top += len(msg.rows)
		if len(p.rows) > listSpan {
			p.rows, p.atEnd = p.rows[:listSpan], false
		}
		p.cursor = max(p.cursor-msg.by, 0)
	}
	p.scroll()
	if msg.note != "" {
		return status(msg.note, false), true
	}
	return nil, true
}

// nav moves the list as a moving key asks: by rows, reading the next page
// at the window's edge, or to the list's start or end.
func (p *pagedList[T]) nav(nav listNav, by int) tea.Cmd {
	switch {
	case nav == navBy:
		return p.move(by)
	case nav == navHome && p.atStart:
		return p.move(-len(p.rows))
	case nav == navHome:
		return p.first()
	case nav == navEnd && p.atEnd:
		return p.move(len(p.rows))
	case nav == navEnd:
		return p.fetch(pageLast, 0)
	}
	return nil
}

// move moves the cursor by n rows, reading the next page at the window's edge.
func (p *pagedList[T]) move(n int) tea.Cmd {
	want := p.cursor + n
	p.cursor = max(0, min(len(p.rows)-1, want))
	p.scroll()
	switch {
	case want >= len(p.rows) && !p.atEnd:
		return p.fetch(pageAppend, want-p.cursor)
	case want < 0 && !p.atStart:
		return p.fetch(pagePrepend, p.cursor-want)
	}
	return nil
}

// settling reports whether a read will move the rows or the cursor (a new
// window, or a page past an edge): a key that acts on the selected row
// would act on one that is about to change.
func (p *pagedList[T]) settling() bool { return p.busy }

// scroll brings the cursor into the rows shown.
func (p *pagedList[T]) scroll() { p.listWindow.scroll(len(p.rows), p.height()) }

// selected is the row under the cursor; nil in an empty list.
func (p *pagedList[T]) selected() *T {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return nil
	}
	return &p.rows[p.cursor]
}

// body writes the rows on screen, each drawn by line with its index in the
// window, then the lines left empty: «loading» before the first read, and
// a line of why in an empty list.
func (p *pagedList[T]) body(b *strings.Builder, sty *styles, line func(i int, row *T) string) {
	h := p.height()
	if !p.loaded || len(p.rows) == 0 && p.busy {
		b.WriteString(txtLoading + "\n")
	} else if len(p.rows) == 0 {
		b.WriteString(sty.dim.Render(txtNoRows) + "\n")
	}
	// The window as drawn keeps the cursor's row in view even when the
	// lines shrank since the last key (a status message took a line, the
	// foot a second one): Enter opens the row the clerk sees marked.
	top := p.top
	if p.cursor >= top+h {
		top = p.cursor - h + 1
	}
	top = max(0, min(top, p.cursor))
	for i := top; i < len(p.rows) && i < top+h; i++ {
		b.WriteString(line(i, &p.rows[i]) + "\n")
	}
	for i := max(len(p.rows)-top, 1); i < h; i++ {
		b.WriteByte('\n')
	}
}
