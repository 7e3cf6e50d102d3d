package tui

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// journalLoadedMsg carries a fresh journal list.
type journalLoadedMsg struct {
	rows []store.JournalEntry
	err  error
	seq  int // which load: only the latest is shown
	noW  int // the longest «№/year» among rows
}

// journalScreen is the Journal list: newest first (or as sorted), filter,
// period, actions.
type journalScreen struct {
	listBase
	rows     []store.JournalEntry
	statusF  int          // the status filter: an index into statusFilters
	period   store.Period // zero: all years
	sortBy   int          // an index into journalSorts
	selectID uint64
	toFirst  bool // the next load is of a new filter text: select its first row
	loaded   bool
	noW      int // width of the number column: the longest «№/year» loaded
	loadSeq  int // the latest load started
	rowsGen  int // counts changes of rows
	// The overdue returns among the rows, counted once per change and day:
	// a year's list is too long to count on every frame.
	overdueN lastRender[overdueKey, int]
}

type overdueKey struct {
	gen   int
	today store.Date
}

func newJournalScreen(sh *shared) *journalScreen {
	y := sh.st.Today().Year()
	return &journalScreen{listBase: newListBase(sh, "journal"),
		period: store.Period{From: store.NewDate(y, 1, 1), To: store.NewDate(y, 12, 31)}}
}

// statusFilters are the Journal's status filters in the order s goes
// through them: all, the overdue returns first, then each status.
var statusFilters = []store.JournalStatus{"", "overdue", store.StatusReturned, store.StatusReceived, store.StatusAccepted, store.StatusAnnulled}

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

// load reads the list again. Loads run concurrently (a filter typed fast
// starts one per key) and may end in any order: only the latest one counts.
func (j *journalScreen) load() tea.Cmd {
	j.loadSeq++
	st, q, seq, overdue, by := j.sh.st, j.query(), j.loadSeq, statusFilters[j.statusF] == "overdue", j.sortBy
	return func() tea.Msg {
		rows, err := st.ListJournal(q)
		today := st.Today()
		if overdue {
			rows = slices.DeleteFunc(rows, func(e store.JournalEntry) bool { return !e.Overdue(today) })
		}
		sortJournal(rows, by, today)
		maxNo := 0
		for i := range rows {
			maxNo = max(maxNo, rows[i].No)
		}
		// «№/year»: the digits of the largest number, the slash, four for the year.
		return journalLoadedMsg{rows, err, seq, len(strconv.Itoa(maxNo)) + 5}
	}
}

// sortJournal orders the list by journalSorts[by]: by default newest first
// by date of receipt; numbers follow it when packages are registered as
// they come, and break ties. It sorts keys and moves each entry once:
// sorting the entries themselves moved 150,000 large structs about 2.5
// million times.
func sortJournal(rows []store.JournalEntry, by int, today store.Date) {
	type ord struct {
		key journalKey
		i   int
	}
	o := make([]ord, len(rows))
	for i := range rows {
		o[i] = ord{journalKeyOf(&rows[i], by, today), i}
	}
	slices.SortFunc(o, func(a, b ord) int { return a.key.cmp(b.key) })
	sorted := make([]store.JournalEntry, len(rows))
	for i, x := range o {
		sorted[i] = rows[x.i]
	}
	copy(rows, sorted)
}

// journalKey is an entry's place in one of the Journal's orders, smallest
// first: major, then the name, then minor.
type journalKey struct {
	major uint64
	name  string
	minor uint64
}

func (a journalKey) cmp(b journalKey) int {
	if c := cmp.Compare(a.major, b.major); c != 0 {
		return c
	}
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.minor, b.minor)
}

// journalKeyOf is e's key in journalSorts[by]. Every order ends in the
// default one (newest first), so that no two entries tie.
func journalKeyOf(e *store.JournalEntry, by int, today store.Date) journalKey {
	newest := ^journalOrder(e)
	switch by {
	case 1: // oldest first
		return journalKey{major: journalOrder(e)}
	case 2: // by number: year, then number, smallest first
		return journalKey{major: uint64(e.Year&0xffff)<<24 | uint64(e.No&0xffffff), minor: newest}
	case 3: // by employer, as a clerk reads names (ё as е, any case)
		return journalKey{name: strings.ReplaceAll(strings.ToLower(e.EmployerName), "ё", "е"), minor: newest}
	case 4: // by status, the overdue returns first
		return journalKey{major: statusRank(e, today), minor: newest}
	}
	return journalKey{major: newest}
}

// statusRank orders statuses for the Journal's sort by status: what needs
// the clerk first.
func statusRank(e *store.JournalEntry, today store.Date) uint64 {
	switch {
	case e.Overdue(today):
		return 0
	case e.Status == store.StatusReturned:
		return 1
	case e.Status == store.StatusReceived:
		return 2
	case e.Status == store.StatusAccepted:
		return 3
	}
	return 4
}

// journalOrder packs the list's order into one number, larger first: the
// date in 23 bits, the year in 16, the number in 24 (store.MaxJournalNo < 2^24).
func journalOrder(e *store.JournalEntry) uint64 {
	d := uint64(e.ReceivedOn)
	day := d/10000*512 + d/100%100*32 + d%100
	return day<<40 | uint64(e.Year&0xffff)<<24 | uint64(e.No&0xffffff)
}

// journalPos is where an entry of key k belongs in rows sorted by
// journalSorts[by].
func journalPos(rows []store.JournalEntry, k journalKey, by int, today store.Date) int {
	return sort.Search(len(rows), func(i int) bool { return journalKeyOf(&rows[i], by, today).cmp(k) >= 0 })
}

// sortToday is the day the status order counts overdue returns on; the
// other orders do not need it.
func (j *journalScreen) sortToday() store.Date {
	if j.sortBy != 4 {
		return 0
	}
	return j.sh.st.Today()
}

// jumpTo moves the cursor to the first entry on or after d: of the entries
// received on d or later, the earliest (the first registered that day),
// wherever the order puts it.
func (j *journalScreen) jumpTo(d store.Date) tea.Cmd {
	at := -1
	for i := range j.rows {
		e := &j.rows[i]
		if e.ReceivedOn >= d && (at < 0 || journalOrder(e) < journalOrder(&j.rows[at])) {
			at = i
		}
	}
	if at < 0 {
		return status(fmt.Sprintf(txtJumpNone, d.Ru()), false)
	}
	j.cursor = at
	j.scroll()
	return nil
}

// journalEntriesMsg carries the entries changed elsewhere, or by this
// session's own action, which then says done in the status line.
type journalEntriesMsg struct {
	es   []store.JournalEntry
	err  error
	done string
}

// refreshEntries reads the entries changes touched, instead of the whole
// list: with many sessions open every save reaches every one of them.
func (j *journalScreen) refreshEntries(ids []uint64) tea.Cmd {
	st := j.sh.st
	return func() tea.Msg {
		es := make([]store.JournalEntry, 0, len(ids))
		for _, id := range ids {
			e, err := st.JournalEntry(id)
			if err != nil {
				return journalEntriesMsg{nil, err, ""}
			}
			es = append(es, e)
		}
		return journalEntriesMsg{es, nil, ""}
	}
}

// upsert puts e into the list, or takes it out if it no longer matches,
// and returns where it now is (-1 when out). The selection stays on its
// entry: it moves with the removal and the insertion around it.
func (j *journalScreen) upsert(e store.JournalEntry) int {
	j.rowsGen++
	var keep uint64
	if s := j.selected(); s != nil {
		keep = s.ID
	}
	// Where the entry is: at its place in the order, unless its date was
	// changed; only then the whole list is searched. A save anywhere in the
	// office reaches every session, so this is kept to a binary search and
	// one move, not a sort of a year's entries.
	today := j.sortToday()
	at := journalPos(j.rows, journalKeyOf(&e, j.sortBy, today), j.sortBy, today)
	if at >= len(j.rows) || j.rows[at].ID != e.ID {
		at = slices.IndexFunc(j.rows, func(r store.JournalEntry) bool { return r.ID == e.ID })
	}
	if at >= 0 {
		j.rows = slices.Delete(j.rows, at, at+1)
		if j.cursor > at {
			j.cursor--
		}
	}
	now := -1
	if j.matches(&e) {
		now = journalPos(j.rows, journalKeyOf(&e, j.sortBy, today), j.sortBy, today)
		j.rows = slices.Insert(j.rows, now, e)
		j.noW = max(j.noW, len(e.Ref()))
		if j.cursor >= now {
			j.cursor++
		}
	}
	if keep == e.ID && now >= 0 {
		j.cursor = now // the selected entry itself moved
	}
	j.cursor = min(j.cursor, max(len(j.rows)-1, 0))
	j.scroll()
	return now
}

func (j *journalScreen) selected() *store.JournalEntry {
	if j.cursor < 0 || j.cursor >= len(j.rows) {
		return nil
	}
	return &j.rows[j.cursor]
}

// listHeight is the rows' lines: the screen less the heading and the foot.
func (j *journalScreen) listHeight() int { return max(j.h-1-len(j.foot()), 1) }

// Update handles the list's messages and keys.
func (j *journalScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case journalLoadedMsg:
		if msg.seq != j.loadSeq {
			return nil // a later load is under way
		}
		if msg.err != nil {
			return status(store.ErrorMessage(msg.err), true)
		}
		var keep uint64
		if s := j.selected(); s != nil && !j.toFirst {
			keep = s.ID
		}
		if j.selectID != 0 {
			keep, j.selectID = j.selectID, 0
		}
		j.rows, j.loaded = msg.rows, true
		j.rowsGen++
		j.noW = msg.noW
		j.cursor = min(j.cursor, max(len(j.rows)-1, 0))
		if j.toFirst { // a new filter text: its best match is selected, not the row selected before
			j.cursor, j.toFirst = 0, false
		}
		for i := range j.rows {
			if j.rows[i].ID == keep {
				j.cursor = i
			}
		}
		j.scroll()
		return nil
	case filterPausedMsg:
		if !j.filter.Paused(msg) {
			return nil // typed on since, or another list's
		}
		j.toFirst = true
		return j.load()
	case journalEntriesMsg:
		if msg.err != nil {
			return j.load() // gone or unreadable: read the list again
		}
		if j.loaded {
			for _, e := range msg.es {
				if at := j.upsert(e); e.ID == j.selectID && at >= 0 { // the entry this session just saved
					j.selectID, j.cursor = 0, at
					j.scroll()
				}
			}
		}
		if msg.done != "" {
			return status(msg.done, false)
		}
		return nil
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
			return j.load()
		}
		return cmd
	}
	switch nav, by := navOf(k, msg, j.listHeight()); nav {
	case navBy:
		j.move(by)
		return nil
	case navHome:
		j.move(-len(j.rows))
		return nil
	case navEnd:
		j.move(len(j.rows))
		return nil
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
	return openDialog(newInputDialog(j.sh, fmt.Sprintf(txtReturnTitle, e.Ref()), []string{txtReason, txtDeadline}, []string{"", deadline},
		func(v []string) (tea.Cmd, error) {
			d, err := store.ParseDate(v[1])
			if err != nil {
				return nil, err
			}
			return dialogOp(func() error {
				_, err := st.ReturnJournalEntry(a, e.ID, e.Version, v[0], d)
				return err
			}, fmt.Sprintf(txtSaved, e.Ref())), nil
		}).withOK(txtKeyReturn).withRequired(0, txtReturnNoReason))
}

func (j *journalScreen) annulDialog(e store.JournalEntry) tea.Cmd {
	st, a := j.sh.st, j.sh.cfg.Actor
	return openDialog(newInputDialog(j.sh, fmt.Sprintf(txtAnnulTitle, e.Ref()), []string{txtReason}, nil,
		func(v []string) (tea.Cmd, error) {
			return dialogOp(func() error {
				_, err := st.AnnulJournalEntry(a, e.ID, e.Version, v[0])
				return err
			}, fmt.Sprintf(txtSaved, e.Ref())), nil
		}).withOK(txtKeyAnnul))
}

func (j *journalScreen) move(n int) { j.listWindow.move(n, len(j.rows), j.listHeight()) }

func (j *journalScreen) scroll() { j.listWindow.scroll(len(j.rows), j.listHeight()) }

// View draws the list.
func (j *journalScreen) View() string {
	s := j.sh.sty
	today := j.sh.st.Today()
	// Number, date, INN and status are fixed; the employer and the SOUT
	// organisation share what is left, the employer taking more.
	noW := max(j.noW, 9) // numbers are never cut
	// The INN goes first on a narrow screen, then the organisation: the
	// employer's name keeps at least 20 cells.
	widths := layoutCols(j.w, []colSpec{{w: noW}, {w: 10}, {share: 11, min: 20}, {w: 12, drop: 1}, {share: 9, min: 14, drop: 2}, {w: 16}})
	var b strings.Builder
	b.WriteString(s.header.Render(cols(journalListHead, widths, nil)))
	b.WriteByte('\n')
	h := j.listHeight()
	if !j.loaded {
		b.WriteString(txtLoading + "\n")
	} else if len(j.rows) == 0 {
		b.WriteString(s.dim.Render(txtNoRows) + "\n")
	}
	for i := j.top; i < len(j.rows) && i < j.top+h; i++ {
		e := &j.rows[i]
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
			line = s.selected.Render(pad(line, j.w))
		case e.Overdue(today):
			line = s.overdue.Render(line)
		case e.Status == store.StatusAnnulled:
			line = s.dim.Render(line)
		}
		b.WriteString(line + "\n")
	}
	for i := max(len(j.rows)-j.top, 1); i < h; i++ { // an empty list shows one line of why
		b.WriteByte('\n')
	}
	b.WriteString(strings.Join(j.foot(), "\n"))
	return b.String()
}

// foot is the foot's lines: the filter, the count, the overdue count right
// after it, the period, the status filter and the order when not the usual.
func (j *journalScreen) foot() []string {
	today := j.sh.st.Today()
	overdue := j.overdueN.get(overdueKey{j.rowsGen, today}, func() int {
		n := 0
		for i := range j.rows {
			if j.rows[i].Overdue(today) {
				n++
			}
		}
		return n
	})
	parts := []string{fmt.Sprintf(txtCount, len(j.rows))}
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
	return helpKeys{
		short: []key.Binding{k.New, k.Open, k.Accept, k.Return, k.Resubmit, k.Annul, k.Filter, k.StatusFilter, k.Period,
			k.Jump, k.Sort, k.Copy},
		extra: []key.Binding{k.Revoke, k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
	}
}

func openCard(c card) tea.Cmd { return func() tea.Msg { return openCardMsg{c} } }

func status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text, isErr} }
}
