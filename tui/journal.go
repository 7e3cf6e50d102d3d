package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// journalScreen is the Journal list: newest first (or as sorted), filter,
// period, actions. It keeps the keys of its whole list (store.JournalKey, a
// few dozen bytes an entry) and whole entries only for its window.
type journalScreen struct {
	listBase
	pagedList[store.JournalEntry]
	keys     []store.JournalKey // the list as filtered and sorted
	statusF  int                // the status filter: an index into statusFilters
	period   store.Period       // zero: all years
	sortBy   int                // an index into journalSorts
	keysBy   int                // the order of keys: sortBy once they are read
	selectID uint64             // an entry this session saved: selected when it comes
	toFirst  bool               // the next load is of a new filter text: select its first row
	noW      int                // width of the number column: the longest «№/year» listed
	dirty    bool               // the list changed while its window was being read
	keysGen  int                // counts changes of keys
	keysFor  journalFilter      // what keys were read for
	// The overdue returns among the keys, counted once per change and day:
	// a year's list is too long to count on every frame.
	overdueN lastRender[overdueKey, int]
}

// journalFilter is what the Journal's keys are read for: the query and the
// status filter (overdue is a returned status past its deadline).
type journalFilter struct {
	q       store.JournalQuery
	statusF int
}

type overdueKey struct {
	gen   int
	today store.Date
}

func newJournalScreen(sh *shared) *journalScreen {
	y := sh.st.Today().Year()
	j := &journalScreen{listBase: newListBase(sh, "journal"),
		period: store.Period{From: store.NewDate(y, 1, 1), To: store.NewDate(y, 12, 31)}}
	j.src, j.height = j, j.listHeight
	return j
}

// statusFilters are the Journal's status filters in the order s goes
// through them: all, the overdue returns first, then each status.
var statusFilters = []store.JournalStatus{
	"", "overdue",
	store.StatusReturned, store.StatusReceived, store.StatusAccepted, store.StatusAnnulled,
}

// statusTitle names the status filter in the list's foot.
func (j *journalScreen) statusTitle() string {
	switch f := statusFilters[j.statusF]; f {
	case "":
		return txtStatusAll
	case "overdue":
		return txtStatusOverdue
	default:
		return f.Title()
	}
}

// matches reports whether e belongs in the list as filtered.
func (j *journalScreen) matches(e *store.JournalEntry) bool {
	return j.query().Matches(e) && (statusFilters[j.statusF] != "overdue" || e.Overdue(j.sh.st.Today()))
}

func (j *journalScreen) query() store.JournalQuery {
	q := store.JournalQuery{Text: j.filter.Value()}
	switch f := statusFilters[j.statusF]; f {
	case "overdue":
		q.Status = store.StatusReturned // and past the deadline: matches
	default:
		q.Status = f
	}
	q.Period = j.period
	return q
}

// listHeight is the rows' lines: the screen less the heading and the foot.
func (j *journalScreen) listHeight() int { return max(j.h-1-len(j.foot()), 1) }

// Update handles the list's messages and keys.
func (j *journalScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case journalLoadedMsg:
		return j.keysLoaded(msg)
	case pageMsg[store.JournalEntry]:
		if cmd, ours := j.page(msg); ours {
			return tea.Batch(cmd, j.checkWindow())
		}
		return nil
	case filterPausedMsg:
		if !j.filter.Paused(msg) {
			return nil // typed on since, or another list's
		}
		j.toFirst = true
		return j.load()
	case journalEntriesMsg:
		return j.entries(msg)
	case periodChosenMsg:
		if msg.list == "journal" {
			j.period = msg.p
			return j.load()
		}
	case dateJumpMsg:
		if msg.list == "journal" {
			return j.jumpTo(msg.d)
		}
	case tea.KeyPressMsg:
		return j.key(msg)
	}
	return j.filter.Update(msg)
}

func (j *journalScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := j.sh.keys
	if used, reload, cmd := j.filter.Key(k, msg); used {
		if reload {
			j.toFirst = j.filter.Value() != "" // a new text (Enter before the pause) selects its first match
			return j.load()
		}
		return cmd
	}
	if nav, by := navOf(k, msg, j.listHeight()); nav != navNone {
		return j.nav(nav, by)
	}
	if (j.filter.Pending() || j.settling()) &&
		key.Matches(msg, k.Open, k.Copy, k.Accept, k.Return, k.Annul, k.Resubmit, k.Revoke) {
		return status(txtListSettling, false)
	}
	switch {
	case key.Matches(msg, k.Period):
		return periodDialog(j.sh, "journal", j.period)
	case key.Matches(msg, k.Jump):
		return jumpDialog(j.sh, "journal")
	case key.Matches(msg, k.Sort):
		j.sortBy = (j.sortBy + 1) % len(journalSorts)
		return j.load()
	case key.Matches(msg, k.StatusFilter):
		j.statusF = (j.statusF + 1) % len(statusFilters)
		return j.load()
	case key.Matches(msg, k.New):
		return openCard(newJournalCard(j.sh, nil))
	case key.Matches(msg, k.Copy):
		if s := j.selected(); s != nil {
			return openCard(copyJournalCard(j.sh, s))
		}
	case key.Matches(msg, k.Open):
		if s := j.selected(); s != nil {
			return openCard(newJournalCard(j.sh, s))
		}
	case key.Matches(msg, k.Accept):
		if s := j.selected(); s != nil {
			if msg := s.AcceptRefusal(); msg != "" {
				return status(msg, true)
			}
			// The employer's whole block comes from their last known card.
			return openCard(newRegisterCardFromJournal(j.sh, s))
		}
	case key.Matches(msg, k.Return):
		if s := j.selected(); s != nil {
			return j.returnDialog(*s)
		}
	case key.Matches(msg, k.Annul):
		if s := j.selected(); s != nil {
			if s.Status != store.StatusReceived && s.Status != store.StatusReturned {
				return status(fmt.Sprintf(txtAnnulWrong, s.Status.Title()), true)
			}
			return j.annulDialog(*s)
		}
	case key.Matches(msg, k.Resubmit):
		if s := j.selected(); s != nil {
			return resubmitDialog(j.sh, *s)
		}
	case key.Matches(msg, k.Revoke):
		if s := j.selected(); s != nil {
			return revokeDialog(j.sh, *s)
		}
	}
	return nil
}

func (j *journalScreen) returnDialog(e store.JournalEntry) tea.Cmd {
	if e.Status != store.StatusReceived {
		return status(fmt.Sprintf(txtReturnWrong, e.Status.Title()), true)
	}
	st, a := j.sh.st, j.sh.cfg.Actor
	deadline := st.Today().AddDays(30).Ru()
	fields := []string{txtReason, txtDeadline}
	return openDialog(newInputDialog(j.sh, fmt.Sprintf(txtReturnTitle, e.Ref()), fields, []string{"", deadline},
		func(v []string) (tea.Cmd, error) {
			d, err := dateInput(txtDeadline, v[1])
			if err != nil {
				return nil, err
			}
			return dialogOp(func() error {
				_, err := st.ReturnJournalEntry(a, e.ID, e.Version, v[0], d)
				return err
			}, fmt.Sprintf(txtReturnedDone, e.Ref(), d.Ru())), nil
		}).withOK(txtKeyReturn).withRequired(0, txtReturnNoReason))
}

func (j *journalScreen) annulDialog(e store.JournalEntry) tea.Cmd {
	st, a := j.sh.st, j.sh.cfg.Actor
	return openDialog(newInputDialog(j.sh, fmt.Sprintf(txtAnnulTitle, e.Ref()), []string{txtReason}, nil,
		func(v []string) (tea.Cmd, error) {
			return dialogOp(func() error {
				_, err := st.AnnulJournalEntry(a, e.ID, e.Version, v[0])
				return err
			}, fmt.Sprintf(txtJournalAnnulled, e.Ref())), nil
		}).withOK(txtKeyAnnul))
}

// View draws the list.
func (j *journalScreen) View() string {
	s := j.sh.sty
	today := j.sh.st.Today()
	// Number, date, INN and status are fixed; the employer and the SOUT
	// organisation share what is left, the employer taking more.
	noW := max(j.noW, 9) // numbers are never cut
	// The INN goes first on a narrow screen, then the organisation: the
	// employer's name keeps at least 20 cells.
	widths := layoutCols(j.w, []colSpec{{w: noW}, {w: 10}, {share: 11, min: 28}, {w: 12, drop: 1},
		{share: 9, min: 14, drop: 2}, {w: 16}})
	var b strings.Builder
	b.WriteString(s.header.Render(cols(journalListHead, widths, nil)))
	b.WriteByte('\n')
	j.body(&b, &s, func(i int, e *store.JournalEntry) string {
		st := e.Status.Title()
		if e.Status == store.StatusReturned {
			st = fmt.Sprintf(txtReturnedUntil, e.ReturnDeadline.Day(), e.ReturnDeadline.Month())
			if e.Overdue(today) {
				st = fmt.Sprintf(txtOverdueSince, e.ReturnDeadline.Day(), e.ReturnDeadline.Month())
			}
		}
		line := cols([]string{e.Ref(), e.ReceivedOn.Ru(), e.EmployerName, e.EmployerINN, e.SoutOrgName, st}, widths, nil)
		switch {
		case i == j.cursor:
			return s.selected.Render(pad(line, j.w))
		case e.Overdue(today):
			return s.overdue.Render(line)
		case e.Status == store.StatusAnnulled:
			return s.dim.Render(line)
		}
		return line
	})
	b.WriteString(strings.Join(j.foot(), "\n"))
	return b.String()
}

// foot is the foot's lines: the filter, the count, the overdue count right
// after it, the period, the status filter and the order when not the usual.
func (j *journalScreen) foot() []string {
	today := j.sh.st.Today()
	overdue := j.overdueN.get(overdueKey{j.keysGen, today}, func() int {
		n := 0
		for i := range j.keys {
			if j.keys[i].Overdue(today) {
				n++
			}
		}
		return n
	})
	count := fmt.Sprintf(txtCount, len(j.keys))
	if !j.loaded || j.keysFor != (journalFilter{j.query(), j.statusF}) {
		count, overdue = txtCountReading, 0 // the keys are of the filter before
	}
	parts := []string{count}
	if overdue > 0 {
		parts = append(parts, fmt.Sprintf(txtOverdueN, overdue))
	}
	parts = append(parts, periodTitle(j.period), j.statusTitle())
	if j.sortBy != 0 {
		parts = append(parts, journalSorts[j.sortBy])
	}
	return j.listBase.foot(parts, func(p []string) []string {
		if overdue > 0 {
			p[1] = j.sh.sty.overdue.Render(p[1])
		}
		return p
	})
}

// Init reads the list.
func (j *journalScreen) Init() tea.Cmd { return j.load() }

// Help lists the screen's keys, the main ones first.
func (j *journalScreen) Help() helpKeys {
	k := j.sh.keys
	short := []key.Binding{k.New, k.Open, k.Accept, k.Return, k.Resubmit, k.Annul}
	extra := []key.Binding{clearFilterKey, k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	short, extra = roleKey(store.MayRevoke(j.sh.cfg.Actor), k.Revoke, short, extra)
	short = append(short, k.Filter, k.StatusFilter, k.Period, k.Jump, k.Sort, k.Copy)
	return helpKeys{short: short, extra: extra}
}

func openCard(c card) tea.Cmd { return func() tea.Msg { return openCardMsg{c} } }

func status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text, isErr} }
}
