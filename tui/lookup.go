package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// searchTickMsg fires after a pause in typing.
type searchTickMsg struct{ seq int }

// searchResultMsg carries the employers found.
type searchResultMsg struct {
	seq   int
	found store.EmployerMatches
	err   error
}

// cardLoadedMsg carries everything known about an employer.
type cardLoadedMsg struct {
	card store.EmployerCard
	err  error
}

// lookupScreen finds employers by INN or name and shows everything about one.
type lookupScreen struct {
	sh      *shared
	input   textinput.Model
	seq     int
	results []store.EmployerMatch
	total   int // how many match in all; results holds the first lookupLimit
	cursor  int
	detail  *store.EmployerCard
	offset  int
	sel     int // the selected row of the card: journal entries, then register entries
	w, h    int
	locks   []store.Lock
}

// lookupLimit is how many employers the screen lists.
const lookupLimit = 200

func newLookupScreen(sh *shared) *lookupScreen {
	// NOTE: not a command: it only starts the index building in the
	// background, so that the clerk's first search does not wait for it.
	sh.st.PrepareSearch()
	in := newInput(txtLookupPrompt, 100)
	in.Placeholder = txtSearchHint
	in.Focus()
	return &lookupScreen{sh: sh, input: in, w: 80, h: 20}
}

// SetSize sets the area the screen draws in.
func (l *lookupScreen) SetSize(w, h int) { l.w, l.h = w, h; l.input.SetWidth(w - 24) }

func (l *lookupScreen) focus() tea.Cmd { return l.input.Focus() }

func (l *lookupScreen) search() tea.Cmd {
	l.seq++
	seq := l.seq
	return tea.Tick(120*time.Millisecond, func(time.Time) tea.Msg { return searchTickMsg{seq} })
}

// Update handles the screen's messages and keys.
func (l *lookupScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchTickMsg:
		if msg.seq != l.seq {
			return nil
		}
		st, text := l.sh.st, l.input.Value()
		return func() tea.Msg {
			found, err := st.FindEmployers(text, lookupLimit)
			return searchResultMsg{msg.seq, found, err}
		}
	case searchResultMsg:
		if msg.seq == l.seq {
			l.results, l.total, l.cursor = msg.found.Employers, msg.found.Total, 0
			if msg.err != nil {
				return status(store.ErrorMessage(msg.err), true)
			}
		}
		return nil
	case cardLoadedMsg:
		if msg.err != nil {
			return status(store.ErrorMessage(msg.err), true)
		}
		if l.detail == nil || l.detail.Employer.INN != msg.card.Employer.INN {
			l.offset, l.sel = 0, 0
		}
		l.detail = &msg.card
		l.sel = min(l.sel, max(l.items()-1, 0))
		return nil
	case locksLoadedMsg:
		l.locks = msg.locks
		return nil
	case tea.KeyPressMsg:
		return l.key(msg)
	}
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	return cmd
}

// refresh reads the open employer's card again (a change was saved).
func (l *lookupScreen) refresh() tea.Cmd {
	if l.detail == nil {
		return nil
	}
	return l.open(l.detail.Employer.INN)
}

// items is the number of rows of the card that open a record.
func (l *lookupScreen) items() int { return len(l.detail.Journal) + len(l.detail.Register) }

// openItem opens the selected row's record in its card.
func (l *lookupScreen) openItem() tea.Cmd {
	d := l.detail
	switch {
	case l.sel < len(d.Journal):
		e := d.Journal[l.sel]
		return openCard(newJournalCard(l.sh, &e))
	case l.sel < l.items():
		e := d.Register[l.sel-len(d.Journal)]
		c := newRegisterCard(l.sh, &e)
		c.locked = lockOf(l.locks, e.EnteredOn)
		return openCard(c)
	}
	return nil
}

func (l *lookupScreen) open(inn string) tea.Cmd { return findCard(l.sh.st, inn) }

// findCard reads everything on the employer with inn, for the Поиск screen.
func findCard(st *store.Store, inn string) tea.Cmd {
	return func() tea.Msg {
		c, err := st.FindByINN(inn)
		return cardLoadedMsg{c, err}
	}
}

func (l *lookupScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	before := l.sel
	cmd := l.keyPress(msg)
	if l.detail != nil {
		text, at := l.card()
		if l.sel != before && l.sel < len(at) { // the selected row in sight
			l.offset = max(min(l.offset, at[l.sel]-1), at[l.sel]-l.h+2)
		}
		lines := strings.Count(text, "\n") + 1
		l.offset = max(min(l.offset, lines-l.h+1), 0)
	}
	return cmd
}

func (l *lookupScreen) keyPress(msg tea.KeyPressMsg) tea.Cmd {
	k := l.sh.keys
	if l.detail != nil {
		switch {
		case key.Matches(msg, k.Close):
			l.detail = nil
			return l.input.Focus()
		case key.Matches(msg, k.Up):
			l.sel = max(l.sel-1, 0)
		case key.Matches(msg, k.Down):
			l.sel = min(l.sel+1, max(l.items()-1, 0))
		case key.Matches(msg, k.PageDown):
			l.offset += l.h - 2
		case key.Matches(msg, k.PageUp):
			l.offset = max(l.offset-l.h+2, 0)
		case key.Matches(msg, k.Home):
			l.offset, l.sel = 0, 0
		case key.Matches(msg, k.End):
			l.offset, l.sel = len(l.cardText()), max(l.items()-1, 0)
		case key.Matches(msg, k.Open):
			return l.openItem()
		case msg.String() == "n" || msg.String() == "т":
			emp := l.detail.Employer
			c := newJournalCard(l.sh, nil)
			c.fields.set(jfINN, emp.INN)
			c.fields.set(jfName, emp.Name)
			c.focus = jfOrg
			c.fields.focus(c.focus)
			c.check()
			return openCard(c)
		case msg.String() == "insert":
			return openCard(newRegisterCardFor(l.sh, l.detail.Employer))
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		l.cursor = max(l.cursor-1, 0)
		return nil
	case key.Matches(msg, k.Down):
		l.cursor = min(l.cursor+1, max(len(l.results)-1, 0))
		return nil
	case key.Matches(msg, k.Open):
		if l.cursor < len(l.results) {
			return l.open(l.results[l.cursor].INN)
		}
		if inn := strings.TrimSpace(l.input.Value()); store.CheckINN(inn) == nil {
			return l.open(inn)
		}
		return nil
	case key.Matches(msg, k.Close):
		l.input.SetValue("")
		l.results, l.total = nil, 0
		return nil
	}
	before := l.input.Value()
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	if l.input.Value() != before {
		return tea.Batch(cmd, l.search())
	}
	return cmd
}

// View draws the search or the employer's card.
func (l *lookupScreen) View() string {
	s := l.sh.sty
	if l.detail != nil {
		lines := strings.Split(l.cardText(), "\n")
		return strings.Join(lines[min(l.offset, len(lines)-1):], "\n")
	}
	var b strings.Builder
	b.WriteString(l.input.View() + "\n\n")
	if l.input.Value() != "" && len(l.results) == 0 {
		b.WriteString(s.dim.Render(txtNothing))
	} else if len(l.results) > 0 {
		b.WriteString(s.dim.Render(foundText(len(l.results), l.total)) + "\n")
	}
	h := l.h - 4
	top := max(0, l.cursor-h+1)
	nameW := max(l.w-34, 20) // INN 12, OKVED 8, date 10 and the spaces between
	for i := top; i < len(l.results) && i < top+h; i++ {
		e := l.results[i]
		last := ""
		if e.LastDate != 0 {
			last = e.LastDate.Ru()
		}
		line := cols([]string{e.INN, e.Name, e.OKVED, last}, []int{12, nameW, 8, 10}, nil)
		if i == l.cursor {
			line = s.selected.Render(pad(line, l.w))
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func (l *lookupScreen) cardText() string { t, _ := l.card(); return t }

// journalRows draws the employer card's journal under its heading into b
// and returns the line of each entry's row.
func (l *lookupScreen) journalRows(b *strings.Builder) []int {
	s, c, today := l.sh.sty, l.detail, l.sh.st.Today()
	var at []int
	b.WriteString(s.header.Render(fmt.Sprintf(txtCardJournal, len(c.Journal))) + "\n")
	for i, j := range c.Journal {
		orgW := 30
		if l.w < 100 { // the status keeps its words at 80 columns
			orgW = 22
		}
		line := fmt.Sprintf("№ %-10s %s  %s %s", j.Ref(), j.ReceivedOn.Ru(), pad(truncate(j.SoutOrgName, orgW), orgW),
			j.Status.Title())
		if j.Overdue(today) {
			line = "! " + line + " — " + txtOverdue
		}
		switch {
		case i == l.sel:
			line = s.selected.Render(pad(truncate(line, l.w), l.w))
		case j.Overdue(today):
			line = s.overdue.Render(truncate(line, l.w))
		default:
			line = truncate(line, l.w)
		}
		at = append(at, strings.Count(b.String(), "\n"))
		b.WriteString(line + "\n")
		// The history under its row, wrapped, never cut: the reason and
		// deadline of a return are what the clerk looks the entry up for.
		if h := j.HistoryNote(); h != "" {
			for _, hl := range strings.Split(wrap(fmt.Sprintf(txtHistoryNote, h), l.w-4), "\n") {
				b.WriteString("    " + s.dim.Render(hl) + "\n")
			}
		}
	}
	return at
}

// card draws the employer's card; at holds the line of each row that
// opens a record (journal entries, then register entries).
func (l *lookupScreen) card() (string, []int) {
	s := l.sh.sty
	c := l.detail
	e := c.Employer
	var b strings.Builder
	b.WriteString(s.title.Render(e.Name) + "\n")
	fmt.Fprintf(&b, txtCardIDs, e.INN, e.OGRN, e.OKVED)
	if sec := store.SectionOf(e.OKVED); sec != nil {
		fmt.Fprintf(&b, txtCardSection, sec.Letter)
	}
	b.WriteString("\n" + e.Address + "\n\n")
	at := l.journalRows(&b)
	b.WriteString("\n" + s.header.Render(fmt.Sprintf(txtCardReg, len(c.Register))) + "\n")
	titles := lookupRegisterHead
	rows := make([][]string, 0, len(c.Register))
	for _, r := range c.Register {
		g := &r.Grid
		cells := []string{r.EnteredOn.Ru()}
		for col := 0; col < store.NumCols; col++ {
			cells = append(cells, strconv.Itoa(g[col][store.RowWorkplaces]))
		}
		rows = append(rows, append(cells, strconv.Itoa(g[store.ColAssessed][store.RowWorkers])))
	}
	// Every column as wide as its title or its largest figure: none is cut.
	widths := make([]int, len(titles))
	right := map[int]bool{}
	for i, t := range titles {
		widths[i] = max(width(t), 5)
		for _, cells := range rows {
			widths[i] = max(widths[i], len(cells[i]))
		}
		right[i] = i > 0
	}
	b.WriteString(s.dim.Render(cols(titles, widths, right)) + "\n")
	for i, cells := range rows {
		org := c.Register[i].SoutOrg.Name
		if c.Register[i].IsAnnulled() { // it stays in the history, out of the forms
			org = txtRegAnnulMark + org
		}
		line, under := cols(cells, widths, right)+"   "+org, ""
		if width(line) > l.w { // the organisation (and the mark) on a line of its own, whole
			line, under = cols(cells, widths, right), "    "+truncate(org, l.w-4)
		}
		if len(c.Journal)+i == l.sel {
			line = s.selected.Render(pad(truncate(line, l.w), l.w))
		}
		at = append(at, strings.Count(b.String(), "\n"))
		b.WriteString(line + "\n")
		if under != "" {
			b.WriteString(s.dim.Render(under) + "\n")
		}
	}
	b.WriteString("\n" + s.dim.Render(txtNewFor))
	return b.String(), at
}

// Init starts nothing: the screen waits for typing.
func (l *lookupScreen) Init() tea.Cmd { return nil }

// Typing reports whether letters go to the search field.
func (l *lookupScreen) Typing() bool { return l.detail == nil }

// The keys of Поиск the key map has no binding of its own for: on the
// employer's card n is a new journal entry, Insert a new register entry;
// Esc in the search clears it.
var (
	lookupNewJournal  = key.NewBinding(key.WithKeys("n", "т"), key.WithHelp("n", txtKeyNewJournal))
	lookupNewRegister = key.NewBinding(key.WithKeys("insert"), key.WithHelp("Ins", txtKeyNewRegister))
	lookupClear       = key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", txtKeyClear))
)

// Help lists the screen's keys, the main ones first.
func (l *lookupScreen) Help() helpKeys {
	k := l.sh.keys
	if l.detail != nil {
		return helpKeys{short: []key.Binding{k.Open, lookupNewJournal, lookupNewRegister, k.Close, k.Up, k.Down},
			extra: []key.Binding{k.PageUp, k.PageDown, k.Home, k.End}}
	}
	return helpKeys{short: []key.Binding{k.Open, k.Up, k.Down, lookupClear}}
}

// foundText is the count above the list: the number found, or, when there
// are more than listed, how many are shown of how many.
func foundText(shown, total int) string {
	if total > shown {
		return fmt.Sprintf(txtFoundCapped, shown, groupDigits(total))
	}
	return fmt.Sprintf(txtFound, total)
}

// groupDigits writes n with its thousands apart, as Russian does: 1 234 567.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
