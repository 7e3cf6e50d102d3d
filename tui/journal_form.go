package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sout/store"
)

// Journal card fields, in Tab order.
const (
	jfReceived = iota
	jfINN
	jfName
	jfOrg
	jfOrgNo
	jfLetterDate
	jfLetterNo
	jfNotes
)

var journalKeys = []string{
	store.FieldReceivedOn,
	store.FieldEmployerINN,
	store.FieldEmployerName,
	store.FieldSoutOrgName,
	store.FieldSoutOrgRegNo,
	store.FieldLetterDate,
	store.FieldLetterNo,
	store.FieldNotes,
}

// journalSavedMsg reports the result of saving a journal card.
type journalSavedMsg struct {
	e   store.JournalEntry
	err error
	// annulled is the entry as it is now when a refused save found it
	// annulled meanwhile (the card then turns read-only).
	annulled *store.JournalEntry
	// revoked is the acceptance revoked meanwhile: by whom, when and why.
	revoked *store.StatusEvent
}

// employerFoundMsg carries the last known employer for an INN typed in a card.
type employerFoundMsg struct {
	inn string
	emp store.Employer
	ok  bool
}

// journalCard registers a package or edits a journal entry.
type journalCard struct {
	orgs     orgSuggest // known SOUT organisations offered on jfOrg
	sh       *shared
	orig     *store.JournalEntry
	fields   fieldSet
	focus    int
	problems store.Problems
	saveErr  string
	known    string // name of the employer known by the INN
	w, h     int
	probTop  int // the first line of the problems shown

	probView  problemsCache
	titleView lastRender[string, string]
	innView   lastRender[[2]string, string]
}

func newJournalCard(sh *shared, e *store.JournalEntry) *journalCard {
	vals := []string{sh.st.Today().Ru()}
	if e != nil {
		// The card keeps its own copy: e may point into a list that a
		// change from another session updates in place, which would hand
		// the card the newer version and let its save overwrite that change.
		cp := *e
		cp.Events = slices.Clone(e.Events)
		e = &cp
		vals = []string{
			e.ReceivedOn.Ru(),
			e.EmployerINN, e.EmployerName,
			e.SoutOrgName, e.SoutOrgRegNo,
			e.LetterDate.Ru(), e.LetterNo, e.Notes,
		}
	}
	c := &journalCard{sh: sh, orig: e, fields: newFieldSet(journalLabels, journalKeys, vals)}
	c.focus = jfINN
	if e != nil {
		c.focus = jfName
		c.fields.inputs[jfINN].CharLimit = 20 // room for spaces a clerk types
	}
	c.fields.focus(c.focus)
	c.check()
	return c
}

// copyJournalCard starts a new entry as the next package of e's employer
// from the same SOUT organisation: dated today, letter and notes empty.
func copyJournalCard(sh *shared, e *store.JournalEntry) *journalCard {
	c := newJournalCard(sh, nil)
	fill := map[int]string{jfINN: e.EmployerINN, jfName: e.EmployerName, jfOrg: e.SoutOrgName, jfOrgNo: e.SoutOrgRegNo}
	for f, v := range fill {
		c.fields.set(f, v)
	}
	c.focus = jfLetterDate
	c.fields.focus(c.focus)
	c.fields.settle()
	c.check()
	return c
}

// Init reads the known SOUT organisations for the suggestions.
func (c *journalCard) Init() tea.Cmd { return loadOrgs(c.sh.st) }

// Dirty reports whether the card holds changes to save; a read-only one
// holds none that could be, and closes without asking.
func (c *journalCard) Dirty() bool { return c.readOnly() == "" && c.fields.dirty() }

// entry builds the record from the fields; date errors become problems.
func (c *journalCard) entry() (store.JournalEntry, store.Problems) {
	var e store.JournalEntry
	if c.orig != nil {
		e = *c.orig
	} else {
		e.Status = store.StatusReceived // what the store gives a new entry
	}
	var ps store.Problems
	date := func(i int) store.Date {
		d, err := store.ParseDate(c.fields.value(i))
		if err != nil {
			ps = append(ps, store.Problem{Field: journalKeys[i], Message: store.DateProblem(journalLabels[i], err)})
		}
		return d
	}
	e.ReceivedOn = date(jfReceived)
	e.EmployerINN = store.CleanDigits(c.fields.value(jfINN))
	e.EmployerName = c.fields.value(jfName)
	e.SoutOrgName = c.fields.value(jfOrg)
	e.SoutOrgRegNo = c.fields.value(jfOrgNo)
	e.LetterDate = date(jfLetterDate)
	e.LetterNo = c.fields.value(jfLetterNo)
	e.Notes = c.fields.value(jfNotes)
	return e, ps
}

func (c *journalCard) check() {
	e, ps := c.entry()
	checks := e.Validate(c.sh.st.Today())
	c.problems = mergeProblems(ps, append(checks, e.KnownEmployer(c.known)...))
	if c.saveErr == txtSaveRefused && !c.problems.HasErrors() {
		c.saveErr = ""
	}
}

// problemLines is how many lines the problems take drawn.
func (c *journalCard) problemLines() int {
	return strings.Count(c.probView.view(c.sh.sty, c.problems, c.saveErr, c.w), "\n") + 1
}

// readOnly says why the card cannot be changed, or "".
func (c *journalCard) readOnly() string {
	if c.orig != nil && c.orig.Status == store.StatusAnnulled {
		for i := len(c.orig.Events) - 1; i >= 0; i-- { // who annulled it, and when
			if ev := c.orig.Events[i]; ev.Status == store.StatusAnnulled {
				return fmt.Sprintf(txtRegAnnulledRO, ev.On.Ru(), ev.By, c.orig.StatusReason)
			}
		}
		return fmt.Sprintf(txtAnnulledRO, c.orig.StatusReason)
	}
	return ""
}

// mergeProblems puts the input's problems (a date that cannot be read)
// before the checks' and drops the checks' findings on those fields: one
// message per problem.
func mergeProblems(input, checks store.Problems) store.Problems {
	out := append(store.Problems{}, input...)
	for _, p := range checks {
		if len(input.For(p.Field)) == 0 {
			out = append(out, p)
		}
	}
	return out
}

func (c *journalCard) Update(msg tea.Msg) (card, tea.Cmd) {
	switch msg := msg.(type) {
	case journalSavedMsg:
		if an := msg.annulled; an != nil {
			// The record as stored, read-only: the edits that can no longer
			// be saved go (the message says so).
			c = newJournalCard(c.sh, an).withSize(c.w, c.h)
			by, on := an.UpdatedBy, time.Unix(an.UpdatedAt, 0).Local().Format("02.01.2006")
			for _, ev := range an.Events {
				if ev.Status == store.StatusAnnulled {
					by, on = ev.By, ev.On.Ru()
				}
			}
			c.saveErr = fmt.Sprintf(txtAnnulledMeanwhile, annulledBy(by, on, an.StatusReason))
			return c, nil
		}
		if ev := msg.revoked; ev != nil {
			c.saveErr = fmt.Sprintf(txtRevokedMeanwhile, ev.By, ev.On.Ru(), ev.Reason)
			return c, nil
		}
		if msg.err != nil {
			c.saveErr = store.ErrorMessage(msg.err)
			return c, nil
		}
		return c, tea.Batch(status(fmt.Sprintf(txtSaved, msg.e.Ref()), false),
			func() tea.Msg { return cardClosedMsg{"journal", msg.e.ID} })
	case soutOrgsMsg:
		c.orgs.set(msg)
		return c, nil
	case employerFoundMsg:
		if msg.inn == store.CleanDigits(c.fields.value(jfINN)) && msg.ok {
			c.known = msg.emp.Name
			if c.fields.value(jfName) == "" {
				c.fields.set(jfName, msg.emp.Name)
			}
			c.check() // a name that differs from the known one is warned about
		}
		return c, nil
	case tea.KeyPressMsg:
		k := c.sh.keys
		if scrollProblems(k, msg, &c.probTop, func() (int, int) { return c.problemLines(), c.problemRoom(c.head()) }) {
			return c, nil
		}
		if key.Matches(msg, k.History) && c.orig != nil {
			return c, openCard(newHistoryCard(c.sh, txtJournalCard+" № "+c.orig.Ref(), "journal", c.orig.ID, c))
		}
		if ro := c.readOnly(); ro != "" && !key.Matches(msg, k.Close) {
			return c, status(ro, true)
		}
		if c.focus == jfOrg && c.orgs.key(k, msg, &c.fields, jfOrg, jfOrgNo) {
			c.check()
			return c, nil
		}
		switch {
		case key.Matches(msg, k.Close):
			if c.Dirty() {
				return c, openDialog(newConfirm(c.sh, txtConfirmDrop, closeCard).withOK(txtKeyDrop))
			}
			return c, closeCard()
		case key.Matches(msg, k.Save):
			return c, c.save(false)
		case key.Matches(msg, k.Next), key.Matches(msg, k.Down), msg.String() == "enter":
			c.focus = (c.focus + 1) % len(c.fields.inputs)
			return c, c.fields.focus(c.focus)
		case key.Matches(msg, k.Prev), key.Matches(msg, k.Up):
			c.focus = (c.focus + len(c.fields.inputs) - 1) % len(c.fields.inputs)
			return c, c.fields.focus(c.focus)
		}
	}
	before := store.CleanDigits(c.fields.value(jfINN))
	cmd := c.fields.update(c.focus, msg)
	if inn := store.CleanDigits(c.fields.value(jfINN)); inn != before {
		c.known = ""
		if store.CheckINN(inn) == nil {
			cmd = tea.Batch(cmd, lookupEmployer(c.sh.st, inn))
		}
	}
	c.check()
	return c, cmd
}

func lookupEmployer(st *store.Store, inn string) tea.Cmd {
	return func() tea.Msg {
		emp, ok, _ := st.LastEmployer(inn)
		return employerFoundMsg{inn, emp, ok}
	}
}

func (c *journalCard) save(confirmed bool) tea.Cmd {
	if c.orig != nil && !c.Dirty() {
		return status(txtNothingToSave, false)
	}
	c.check()
	if c.problems.HasErrors() {
		c.saveErr = txtSaveRefused
		return nil
	}
	if ws := c.problems.Warnings(); len(ws) > 0 && !confirmed { // as the register card asks
		again := func() tea.Cmd { return c.save(true) }
		return openDialog(newConfirm(c.sh, warningsQuestion(ws), again).withOK(txtKeySave))
	}
	e, _ := c.entry()
	st, a, isNew, id := c.sh.st, c.sh.cfg.Actor, c.orig == nil, e.ID
	return func() tea.Msg {
		var err error
		if isNew {
			e, err = st.CreateJournalEntry(a, e)
		} else {
			e, err = st.UpdateJournalEntry(a, e)
		}
		if store.ErrorCode(err) == store.CodeConflict {
			if now, rerr := st.JournalEntry(id); rerr == nil && now.Status == store.StatusAnnulled {
				return journalSavedMsg{err: err, annulled: &now}
			} else if rerr == nil && len(now.Events) > 0 && now.Events[len(now.Events)-1].Revoked() {
				return journalSavedMsg{err: err, revoked: &now.Events[len(now.Events)-1]}
			}
		}
		return journalSavedMsg{e: e, err: err}
	}
}

// withSize sets the card's size and returns it.
func (c *journalCard) withSize(w, h int) *journalCard {
	c.SetSize(w, h)
	return c
}

// SetSize sets the area the card draws in and its fields' widths.
func (c *journalCard) SetSize(w, h int) {
	c.w, c.h = w, h
	c.fields.setWidths(w - 34)
	c.fields.setWidth(jfINN, 13) // twelve digits and the cursor: the rest of the line is the INN's status
}

// View draws the fields and the problems.
func (c *journalCard) View() string {
	head := c.head()
	if c.readOnly() != "" && c.saveErr == "" { // nothing to correct: the banner says why
		return head
	}
	return head + problemsPanel(c.sh.sty, c.probView.view(c.sh.sty, c.problems, c.saveErr, c.w), c.probTop,
		c.problemRoom(head))
}

// problemRoom is the lines left for the problems under head.
func (c *journalCard) problemRoom(head string) int { return max(c.h-strings.Count(head, "\n"), 1) }

// head draws everything above the problems: title, history, fields.
func (c *journalCard) head() string {
	w := c.w
	s := c.sh.sty
	title := txtJournalNew
	if c.orig != nil {
		title = txtJournalCard + " № " + c.orig.Ref() + " — " + c.orig.Status.Title()
	}
	var b strings.Builder
	b.WriteString(c.titleView.get(title, func() string { return s.title.Render(truncate(title, w)) }) + "\n")
	b.WriteString(statusHistoryLines(s, c.orig, w))
	if ro := c.readOnly(); ro != "" {
		b.WriteString(s.warn.Render(wrap(ro, w))) // who, when and why: never cut
	}
	b.WriteString("\n")
	for i := range c.fields.inputs {
		note := ""
		if i == jfINN {
			inn := store.CleanDigits(c.fields.value(jfINN))
			note = c.innView.get([2]string{inn, c.known}, func() string { return innNote(s, inn, c.known) })
		}
		b.WriteString(c.fields.line(s, i, c.focus, 30, len(c.problems.For(journalKeys[i])) > 0, note) + "\n")
	}
	b.WriteString(truncate(c.orgs.view(s, &c.fields, jfOrg, c.focus), w) + "\n") // blank but for a suggestion
	return b.String()
}

// Help lists the card's keys (cardHelp; it has no grid).
func (c *journalCard) Help() helpKeys {
	h := cardHelp(c.sh.keys, c.readOnly() != "", c.orig != nil, c.focus == jfOrg, false)
	h.extra = slices.DeleteFunc(h.extra, func(b key.Binding) bool {
		return b.Help() == gridMoveKey.Help() || b.Help() == gridTypeKey.Help() || b.Help() == gridEndsKey.Help()
	})
	return h
}

// innNote is the live status of an INN field.
func innNote(s styles, inn, known string) string {
	if inn == "" {
		return ""
	}
	if err := store.CheckINN(inn); err != nil {
		if len(inn) < 10 {
			return s.dim.Render(fmt.Sprintf(txtINNDigits, len(inn)))
		}
		return s.err.Render(txtErrMark + err.Error())
	}
	if known != "" {
		return s.ok.Render(fmt.Sprintf(txtINNKnown, known))
	}
	return s.ok.Render(txtINNValid)
}

// problemsCache keeps a card's last problem list as drawn: most keys leave
// the checks' findings as they were.
type problemsCache struct{ last lastRender[string, string] }

func (pc *problemsCache) view(s styles, ps store.Problems, saveErr string, w int) string {
	var k strings.Builder
	fmt.Fprintf(&k, "%d\x00%s", w, saveErr)
	for _, p := range ps {
		fmt.Fprintf(&k, "\x00%d%s", p.Severity, p.Message)
	}
	return pc.last.get(k.String(), func() string { return problemsView(s, ps, saveErr, w) })
}

// problemsView lists errors (red, ✗) and warnings (yellow, !), each
// message wrapped to the width, never cut.
func problemsView(s styles, ps store.Problems, saveErr string, w int) string {
	var lines []string
	add := func(st lipgloss.Style, text string) {
		for i, l := range strings.Split(wrap(text, w-2), "\n") {
			if i > 0 {
				l = "  " + l
			}
			lines = append(lines, st.Render(l))
		}
	}
	if saveErr != "" {
		add(s.err, txtErrMark+saveErr)
	}
	for _, p := range ps {
		if p.Severity == store.SeverityError {
			add(s.err, txtErrMark+p.Message)
		}
	}
	for _, p := range ps {
		if p.Severity == store.SeverityWarning {
			add(s.warn, txtWarnMark+p.Message)
		}
	}
	if len(ps) == 0 && saveErr == "" {
		lines = append(lines, s.ok.Render(txtNoProblems))
	}
	return strings.Join(lines, "\n")
}

// problemsPanel shows room lines of the drawn problems from line top; the
// lines above and below it are counted, with the key that shows them.
func problemsPanel(s styles, drawn string, top, room int) string {
	lines := strings.Split(drawn, "\n")
	from, to, above, below := panelWindow(top, len(lines), room)
	var out []string
	if above {
		out = append(out, s.dim.Render(fmt.Sprintf(txtMoreAbove, from)))
	}
	out = append(out, lines[from:to]...)
	if below {
		out = append(out, s.dim.Render(fmt.Sprintf(txtMoreLines, len(lines)-to)))
	}
	return strings.Join(out, "\n")
}

// panelWindow is what a panel of room lines shows of n from top: the lines
// from..to, and whether a line says how many are above and below. A page
// shows at least one line: too little room drops the counts.
func panelWindow(top, n, room int) (from, to int, above, below bool) {
	if n <= room {
		return 0, n, false, false
	}
	from = max(min(top, n-room+1), 0)
	above = from > 0
	avail := room - b2i(above)
	below = from+avail < n
	avail -= b2i(below)
	if avail < 1 { // no room for the counts
		above, below, avail = false, false, room
	}
	return from, min(from+avail, n), above, below
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scrollProblems moves a card's problems panel by PgUp / PgDn, a page at a
// time and never past a line unseen: size gives the lines the problems take
// and the room the panel has (read only for those keys). It reports whether
// the key did that.
func scrollProblems(k keyMap, msg tea.KeyPressMsg, top *int, size func() (n, room int)) bool {
	down := key.Matches(msg, k.PageDown)
	if !down && !key.Matches(msg, k.PageUp) {
		return false
	}
	n, room := size()
	*top = problemsStep(*top, n, room, down)
	return true
}

// problemsStep is the first line problemsPanel shows after a page down or
// up from top: down, the first line the page did not show; up, the
// earliest start of a page that still reaches this one's first line.
func problemsStep(top, n, room int, down bool) int {
	from, to, _, _ := panelWindow(top, n, room)
	if down {
		if to >= n {
			return from
		}
		return to
	}
	for p := 0; p < from; p++ { // the earliest start whose page reaches from
		if _, end, _, _ := panelWindow(p, n, room); end >= from {
			return p
		}
	}
	return from
}

// closeCard closes the open card without saving.
func closeCard() tea.Cmd { return func() tea.Msg { return cardClosedMsg{} } }

// resubmitDialog asks the date the corrected package came back (today by
// default; the store's date parser reads it, the store refuses a future day
// and one before the return). Only a returned entry is asked about.
func resubmitDialog(sh *shared, e store.JournalEntry) tea.Cmd {
	if e.Status != store.StatusReturned {
		return status(fmt.Sprintf(txtResubmitWrong, e.Status.Title()), true)
	}
	st, a := sh.st, sh.cfg.Actor
	return openDialog(newInputDialog(sh, fmt.Sprintf(txtResubmitTitle, e.Ref()), []string{txtResubmitOn},
		[]string{st.Today().Ru()}, func(v []string) (tea.Cmd, error) {
			on, err := dateInput(txtResubmitOn, v[0])
			if err != nil {
				return nil, err
			}
			return journalOp(func() (store.JournalEntry, error) {
				return st.ResubmitJournalEntry(a, e.ID, e.Version, on)
			}, fmt.Sprintf(txtResubmitted, e.Ref(), on.Ru())), nil
		}).withOK(txtKeyResubmit))
}

// revokeDialog asks the reason to revoke the acceptance of journal entry e
// (its register entry is annulled). Who may not, an entry not accepted and
// one whose register entry lies in a locked period are told at once, before
// any question (the last read in a command).
func revokeDialog(sh *shared, e store.JournalEntry) tea.Cmd {
	st, a := sh.st, sh.cfg.Actor
	if err := store.MayRevoke(a); err != nil {
		return status(store.ErrorMessage(err), true)
	}
	if e.Status != store.StatusAccepted {
		return status(fmt.Sprintf(txtRevokeWrong, e.Status.Title()), true)
	}
	d := newInputDialog(sh, fmt.Sprintf(txtRevokeTitle, e.Ref()), []string{txtReason}, nil,
		func(v []string) (tea.Cmd, error) {
			return journalOp(func() (store.JournalEntry, error) {
				return st.RevokeAcceptance(a, e.ID, e.Version, v[0])
			}, fmt.Sprintf(txtRevoked, e.Ref())), nil
		}).withOK(txtKeyRevoke)
	return func() tea.Msg {
		if e.RegisterID != 0 {
			r, err := st.RegisterEntry(e.RegisterID)
			if err == nil && !r.IsAnnulled() {
				l, err := st.LockAt(r.EnteredOn)
				if err != nil {
					return statusMsg{store.ErrorMessage(err), true}
				}
				if l != nil {
					return statusMsg{fmt.Sprintf(txtRevokeLocked, l.Period.String(), l.By,
						time.Unix(l.At, 0).Local().Format("02.01.2006"), e.Ref()), true}
				}
			}
		}
		return dialogOpenedMsg{d}
	}
}

// journalOp runs op as a dialog's command: a failure keeps the dialog open
// with the store's message; success closes it and hands the changed entry
// to the list at once (not at the change notice: `a` right after `g` must
// see it received), saying done in the status line.
func journalOp(op func() (store.JournalEntry, error), done string) tea.Cmd {
	return func() tea.Msg {
		ne, err := op()
		if err != nil {
			return dialogFailedMsg{store.ErrorMessage(err)}
		}
		return dialogDoneMsg{func() tea.Msg { return journalEntriesMsg{[]store.JournalEntry{ne}, nil, done} }}
	}
}
