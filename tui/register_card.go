package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// Register card fields, in Tab order; the grid comes after them.
const (
	rfEntered = iota
	rfINN
	rfName
	rfAddress
	rfOGRN
	rfOKVED
	rfOrg
	rfOrgNo
	rfGrid // focus on the grid
)

var registerKeys = []string{
	store.FieldEnteredOn,
	store.FieldINN,
	store.FieldEmployerName,
	store.FieldEmployerAddress,
	store.FieldOGRN,
	store.FieldOKVED,
	store.FieldSoutOrgName,
	store.FieldSoutOrgRegNo,
}

// registerSavedMsg reports the result of saving a register card.
type registerSavedMsg struct {
	e   store.RegisterEntry
	err error
	// annulled is the entry as it is now when a refused save found it
	// annulled meanwhile (the card then turns read-only).
	annulled *store.RegisterEntry
}

// contextCheckedMsg carries the checks that need other records.
type contextCheckedMsg struct {
	seq int
	ps  store.Problems
}

// sourceFoundMsg names the journal entry a register entry came from.
type sourceFoundMsg struct {
	journal uint64
	ref     string
}

// registerCard enters or edits one employer's register entry.
type registerCard struct {
	orgs     orgSuggest // known SOUT organisations offered on rfOrg
	sh       *shared
	orig     *store.RegisterEntry
	journal  *store.JournalEntry // the journal entry being accepted, if any
	fields   fieldSet
	grid     gridEdit
	focus    int
	problems store.Problems // Validate, live
	context  store.Problems // CheckRegisterEntry's warnings, from a command
	seq      int
	saveErr  string
	probView problemsCache
	known    string
	initGrid store.Grid
	w, h     int
	locked   *store.Lock // the entry lies in a locked period: read-only
	source   string      // «№/year» of the journal entry the entry came from
	probTop  int         // the first line of the problems shown
}

func newRegisterCard(sh *shared, e *store.RegisterEntry) *registerCard {
	vals := []string{sh.st.Today().Ru()}
	var g *store.Grid
	if e != nil {
		vals = []string{
			e.EnteredOn.Ru(),
			e.Employer.INN, e.Employer.Name, e.Employer.Address, e.Employer.OGRN, e.Employer.OKVED,
			e.SoutOrg.Name, e.SoutOrg.RegNo,
		}
		g = &e.Grid
	}
	c := &registerCard{sh: sh, orig: e, fields: newFieldSet(registerLabels, registerKeys, vals), grid: newGridEdit(g)}
	c.initGrid = c.grid.grid()
	c.focus = rfINN
	if e != nil {
		c.focus = rfGrid
	}
	c.fields.focus(c.focus)
	c.check()
	return c
}

// newRegisterCardFromJournal starts a register entry from a journal entry being accepted.
func newRegisterCardFromJournal(sh *shared, j *store.JournalEntry) *registerCard {
	c := newRegisterCard(sh, nil)
	c.journal = j
	c.fields.set(rfINN, j.EmployerINN)
	c.fields.set(rfName, j.EmployerName)
	c.fields.set(rfOrg, j.SoutOrgName)
	c.fields.set(rfOrgNo, j.SoutOrgRegNo)
	c.focus = rfAddress
	c.fields.focus(c.focus)
	c.fields.settle()
	c.check()
	return c
}

// copyRegisterCard starts a new entry as a copy of e (employer, SOUT
// organisation, figures), dated today, linked to no journal entry.
func copyRegisterCard(sh *shared, e *store.RegisterEntry) *registerCard {
	c := newRegisterCard(sh, nil)
	c.fillEmployer(e.Employer, true)
	c.fields.set(rfOrg, e.SoutOrg.Name)
	c.fields.set(rfOrgNo, e.SoutOrg.RegNo)
	c.grid = newGridEdit(&e.Grid)
	c.initGrid = c.grid.grid()
	c.fields.settle()
	c.setFocus(rfGrid)
	c.check()
	return c
}

// newRegisterCardFor starts a register entry for a known employer.
func newRegisterCardFor(sh *shared, emp store.Employer) *registerCard {
	c := newRegisterCard(sh, nil)
	c.fillEmployer(emp, true)
	c.fields.settle()
	c.focus = rfOrg
	c.fields.focus(c.focus)
	c.check()
	return c
}

func (c *registerCard) fillEmployer(emp store.Employer, all bool) {
	fill := map[int]string{rfINN: emp.INN, rfName: emp.Name, rfAddress: emp.Address, rfOGRN: emp.OGRN, rfOKVED: emp.OKVED}
	for i, v := range fill {
		if all || c.fields.value(i) == "" {
			c.fields.set(i, v)
		}
	}
}

// Init reads the employer's last known card for a new entry (accepting a
// journal entry fills the whole employer block), and the checks that need
// other records.
func (c *registerCard) Init() tea.Cmd {
	if c.orig == nil {
		return tea.Batch(c.lookup(), c.check(), loadOrgs(c.sh.st))
	}
	if id := c.orig.JournalID; id != 0 {
		st := c.sh.st
		return tea.Batch(c.check(), func() tea.Msg {
			j, err := st.JournalEntry(id)
			if err != nil {
				return nil
			}
			return sourceFoundMsg{id, j.Ref()}
		}, loadOrgs(st))
	}
	return tea.Batch(c.check(), loadOrgs(c.sh.st))
}

// Dirty reports whether the card holds changes to save; a read-only one
// (annulled, locked, or annulled meanwhile) holds none that could be, and
// closes without asking.
func (c *registerCard) Dirty() bool {
	return c.readOnlyText() == "" && (c.fields.dirty() || c.grid.grid() != c.initGrid)
}

func (c *registerCard) entry() (store.RegisterEntry, store.Problems) {
	var e store.RegisterEntry
	if c.orig != nil {
		e = *c.orig
	}
	var ps store.Problems
	d, err := store.ParseDate(c.fields.value(rfEntered))
	if err != nil {
		ps = append(ps, store.Problem{Field: store.FieldEnteredOn,
			Message: store.DateProblem(registerLabels[rfEntered], err)})
	}
	e.EnteredOn = d
	e.Employer = store.Employer{
		Name:    c.fields.value(rfName),
		Address: c.fields.value(rfAddress),
		INN:     store.CleanDigits(c.fields.value(rfINN)),
		OGRN:    store.CleanDigits(c.fields.value(rfOGRN)),
		OKVED:   c.fields.value(rfOKVED),
	}
	e.SoutOrg = store.SoutOrg{Name: c.fields.value(rfOrg), RegNo: c.fields.value(rfOrgNo)}
	e.Grid = c.grid.grid()
	if c.journal != nil {
		e.JournalID = c.journal.ID
	}
	return e, ps
}

// check runs the checks of FORMS.md §2 on what is typed (never a second copy of a rule).
func (c *registerCard) check() tea.Cmd {
	e, ps := c.entry()
	c.problems = mergeProblems(ps, e.Validate(c.sh.st.Today()))
	if c.saveErr == txtSaveRefused && !c.problems.HasErrors() {
		c.saveErr = ""
	}
	c.seq++
	if c.orig != nil && c.orig.IsAnnulled() { // out of the forms: no other record is compared with it
		c.context = nil
		return nil
	}
	seq, st, own := c.seq, c.sh.st, c.problems
	return func() tea.Msg {
		ps, err := st.CheckRegisterEntry(e)
		if err != nil {
			return nil
		}
		// Keep only what needs other records: the rest is already shown live.
		seen := map[string]bool{}
		for _, p := range own {
			seen[p.Message] = true
		}
		var ctx store.Problems
		for _, p := range ps {
			if !seen[p.Message] {
				ctx = append(ctx, p)
			}
		}
		return contextCheckedMsg{seq, ctx}
	}
}

// all is what the card finds wrong; nothing on a read-only card, which
// nobody may correct (its banner says why).
func (c *registerCard) all() store.Problems {
	if c.readOnlyText() != "" {
		return nil
	}
	return append(append(store.Problems{}, c.problems...), c.context...)
}

func (c *registerCard) Update(msg tea.Msg) (card, tea.Cmd) {
	switch msg := msg.(type) {
	case registerSavedMsg:
		if an := msg.annulled; an != nil {
			// The record as stored, read-only: the edits that can no longer
			// be saved go (the message says so).
			nc := newRegisterCard(c.sh, an)
			nc.SetSize(c.w, c.h)
			nc.saveErr = fmt.Sprintf(txtAnnulledMeanwhile, annulledBy(an.Annulled.By,
				time.Unix(an.Annulled.At, 0).Local().Format("02.01.2006"), an.Annulled.Reason))
			return nc, nc.Init()
		}
		if msg.err != nil {
			c.saveErr = store.ErrorMessage(msg.err)
			return c, nil
		}
		return c, tea.Batch(status(fmt.Sprintf(txtSaved, msg.e.Employer.Name), false),
			func() tea.Msg { return cardClosedMsg{"register", msg.e.ID} })
	case sourceFoundMsg:
		if c.orig != nil && c.orig.JournalID == msg.journal {
			c.source = msg.ref
		}
		return c, nil
	case contextCheckedMsg:
		if msg.seq == c.seq {
			c.context = msg.ps
		}
		return c, nil
	case soutOrgsMsg:
		c.orgs.set(msg)
		return c, nil
	case employerFoundMsg:
		if msg.inn == store.CleanDigits(c.fields.value(rfINN)) && msg.ok {
			c.known = msg.emp.Name
			untouched := !c.Dirty()
			c.fillEmployer(msg.emp, false)
			if untouched { // the block filled by the card itself is not the clerk's change
				c.fields.settle()
			}
			return c, c.check()
		}
		return c, nil
	case tea.KeyPressMsg:
		return c.key(msg)
	}
	if c.focus < rfGrid {
		return c, c.fields.update(c.focus, msg)
	}
	return c, nil
}

func (c *registerCard) setFocus(f int) tea.Cmd {
	c.focus = f
	if f == rfGrid {
		c.grid.fresh = true
		return c.fields.focus(-1)
	}
	return c.fields.focus(f)
}

func (c *registerCard) key(msg tea.KeyPressMsg) (card, tea.Cmd) {
	k := c.sh.keys
	size := func() (int, int) {
		head, all := c.head()
		return strings.Count(c.probView.view(c.sh.sty, all, c.saveErr, c.w), "\n") + 1, c.problemRoom(head)
	}
	if scrollProblems(k, msg, &c.probTop, size) {
		return c, nil
	}
	if key.Matches(msg, k.History) && c.orig != nil {
		return c, openCard(newHistoryCard(c.sh, c.orig.Employer.Name+" — "+c.orig.EnteredOn.Ru(), "register", c.orig.ID, c))
	}
	if ro := c.readOnlyText(); ro != "" && !key.Matches(msg, k.Close) {
		return c, status(ro, true)
	}
	if c.focus == rfOrg && c.orgs.key(k, msg, &c.fields, rfOrg, rfOrgNo) {
		return c, c.check()
	}
	switch {
	case key.Matches(msg, k.Close):
		if c.Dirty() {
			return c, openDialog(newConfirm(c.sh, txtConfirmDrop, closeCard).withOK(txtKeyDrop))
		}
		return c, closeCard()
	case key.Matches(msg, k.Save):
		return c, c.save(false)
	case key.Matches(msg, k.Next), c.focus < rfGrid && msg.String() == "enter":
		if c.focus == rfGrid {
			if !c.grid.next() {
				c.grid.row, c.grid.col = 0, 0
				return c, c.setFocus(0)
			}
			return c, nil
		}
		if c.focus == rfOrgNo {
			c.grid.row, c.grid.col = 0, 0
		}
		return c, c.setFocus(c.focus + 1)
	case key.Matches(msg, k.Prev):
		if c.focus == rfGrid {
			if !c.grid.prev() {
				return c, c.setFocus(rfOrgNo)
			}
			return c, nil
		}
		if c.focus == 0 {
			c.grid.row, c.grid.col = store.NumRows-1, store.NumCols-1
			return c, c.setFocus(rfGrid)
		}
		return c, c.setFocus(c.focus - 1)
	}
	if c.focus == rfGrid {
		if msg.String() == "up" && c.grid.row == 0 {
			return c, c.setFocus(rfOrgNo)
		}
		if used, changed := c.grid.key(msg); used {
			if changed {
				return c, c.check()
			}
			return c, nil
		}
		return c, nil
	}
	switch msg.String() {
	case "down":
		return c, c.setFocus(c.focus + 1)
	case "up":
		return c, c.setFocus(max(c.focus-1, 0))
	}
	before := store.CleanDigits(c.fields.value(rfINN))
	cmd := tea.Batch(c.fields.update(c.focus, msg), c.check())
	if inn := store.CleanDigits(c.fields.value(rfINN)); inn != before {
		c.known = ""
		cmd = tea.Batch(cmd, c.lookup())
	}
	return c, cmd
}

// lookup reads the last known card of the employer whose INN is typed.
func (c *registerCard) lookup() tea.Cmd {
	if inn := store.CleanDigits(c.fields.value(rfINN)); store.CheckINN(inn) == nil {
		return lookupEmployer(c.sh.st, inn)
	}
	return nil
}

// lockShown is the lock of the card's period, for the status line; nil when none.
func (c *registerCard) lockShown() *store.Lock { return c.locked }

// readOnlyText says why the card is read-only (annulled, or in a locked
// period), or is "" when it may be edited.
func (c *registerCard) readOnlyText() string {
	if c.orig != nil && c.orig.IsAnnulled() {
		an := c.orig.Annulled
		return fmt.Sprintf(txtRegAnnulledRO, time.Unix(an.At, 0).Local().Format("02.01.2006"), an.By, an.Reason)
	}
	if l := c.locked; l != nil {
		who := l.By + ", " + time.Unix(l.At, 0).Local().Format("02.01.2006")
		if l.Reason != "" {
			who += ": " + l.Reason
		}
		return fmt.Sprintf(txtCardLocked, l.Period.String(), who)
	}
	return ""
}

func (c *registerCard) save(confirmed bool) tea.Cmd {
	if c.orig != nil && !c.Dirty() {
		return status(txtNothingToSave, false)
	}
	c.check()
	all := c.all()
	if all.HasErrors() {
		c.saveErr = txtSaveRefused
		return nil
	}
	if ws := all.Warnings(); len(ws) > 0 && !confirmed {
		again := func() tea.Cmd { return c.save(true) }
		return openDialog(newConfirm(c.sh, warningsQuestion(ws), again).withOK(txtKeySave))
	}
	e, _ := c.entry()
	st, a := c.sh.st, c.sh.cfg.Actor
	return func() tea.Msg {
		saved, err := st.SaveRegisterEntry(a, e)
		if store.ErrorCode(err) == store.CodeConflict {
			if now, rerr := st.RegisterEntry(e.ID); rerr == nil && now.IsAnnulled() {
				return registerSavedMsg{err: err, annulled: &now}
			}
		}
		return registerSavedMsg{e: saved, err: err}
	}
}

// SetSize sets the area the card draws in and its fields' widths.
func (c *registerCard) SetSize(w, h int) {
	c.w, c.h = w, h
	half := max((w-2)/2, 30)
	for i := range c.fields.inputs {
		if i == rfName || i == rfAddress || i == rfOrg { // alone on their lines
			c.fields.setWidth(i, w-20)
		} else {
			c.fields.setWidth(i, min(half-20, 24))
		}
	}
}

// View draws the fields, the grid and the problems.
func (c *registerCard) View() string {
	head, all := c.head()
	if c.readOnlyText() != "" && c.saveErr == "" { // nothing to correct: the banner says why
		return head
	}
	return head + problemsPanel(c.sh.sty, c.probView.view(c.sh.sty, all, c.saveErr, c.w), c.probTop, c.problemRoom(head))
}

// problemRoom is the lines left for the problems under head.
func (c *registerCard) problemRoom(head string) int { return max(c.h-strings.Count(head, "\n"), 1) }

// head draws everything above the problems (title, fields, grid) and
// returns the problems it marked.
func (c *registerCard) head() (string, store.Problems) {
	w := c.w
	s := c.sh.sty
	title := txtRegisterNew
	if c.orig != nil {
		title = fmt.Sprintf(txtRegisterCardOf, txtRegisterCard, c.orig.EnteredOn.Ru(), c.orig.Version, c.orig.UpdatedBy)
		if c.source != "" {
			title += " — " + fmt.Sprintf(txtFromJournal, c.source)
		}
	}
	if c.journal != nil {
		title += " — " + fmt.Sprintf(txtFromJournal, c.journal.Ref())
	}
	all := c.all()
	bad := map[string]bool{}
	for _, p := range all {
		if p.Severity == store.SeverityError {
			bad[p.Field] = true
		}
	}
	var b strings.Builder
	b.WriteString(s.title.Render(title) + "\n")
	if ro := c.readOnlyText(); ro != "" {
		b.WriteString(s.warn.Render(wrap(ro, w)) + "\n") // who, when and why: never cut
	}
	half := max((w-2)/2, 30)
	line := func(i int, note string) string {
		return c.fields.line(s, i, c.focus, 16, bad[registerKeys[i]], note)
	}
	pair := func(i, j int, noteI, noteJ string) string {
		return pad(truncate(line(i, noteI), half), half) + " " + line(j, noteJ)
	}
	b.WriteString(pair(rfEntered, rfINN, "", "") + "\n")
	b.WriteString(line(rfName, "") + "\n")
	b.WriteString(line(rfAddress, "") + "\n")
	b.WriteString(pair(rfOGRN, rfOKVED, "", "") + "\n")
	b.WriteString(line(rfOrg, "") + "\n")
	b.WriteString(line(rfOrgNo, "") + "\n")
	// The live status of the INN and the OKVED section, on a line of their own.
	notes := []string{}
	if n := innNote(s, store.CleanDigits(c.fields.value(rfINN)), c.known); n != "" {
		notes = append(notes, n)
	}
	if code := c.fields.value(rfOKVED); code != "" && store.CheckOKVED(code) == nil {
		sec := store.SectionOf(code)
		notes = append(notes, s.ok.Render(fmt.Sprintf(txtSectionOf, sec.Letter, sec.Name)))
	}
	if sug := c.orgs.view(s, &c.fields, rfOrg, c.focus); sug != "" {
		notes = []string{sug}
	}
	// Wrapped, never cut: the section's name is the clerk's check of the OKVED.
	b.WriteString(" " + strings.ReplaceAll(wrap(strings.Join(notes, "   "), w-1), "\n", "\n ") + "\n")
	gridTitle := " " + s.label.Render(txtGridTitle)
	if c.focus == rfGrid {
		gridTitle = s.focus.Render("▸" + txtGridTitle)
	}
	b.WriteString(gridTitle + "\n")
	b.WriteString(c.grid.View(s, c.focus == rfGrid, bad) + "\n")
	return b.String(), all
}

// Help lists the card's keys: those of the focused field first.
func (c *registerCard) Help() helpKeys {
	return cardHelp(c.sh.keys, c.readOnlyText() != "", c.orig != nil, c.focus == rfOrg, c.focus == rfGrid)
}

// cardHelp is a card's help: Ctrl+S, the fields' keys, Esc, F8 on a saved
// record (hasOrig), the problems' scroll; the suggestions' keys first on the
// organisation's field (onOrg), the grid's in the grid (onGrid). The full
// help has every key the card takes.
func cardHelp(k keyMap, readOnly, hasOrig, onOrg, onGrid bool) helpKeys {
	if readOnly {
		return helpKeys{short: []key.Binding{k.Close, k.History}}
	}
	short := []key.Binding{k.Save}
	switch {
	case onOrg:
		short = append(short, orgTakeKey, orgNextKey, orgPrevKey)
	case onGrid:
		short = append(short, gridMoveKey, gridTypeKey)
	}
	short = append(short, k.Next, k.Prev, k.Close)
	if hasOrig {
		short = append(short, k.History)
	}
	short = append(short, problemsDownKey, problemsUpKey)
	extra := []key.Binding{fieldEnterKey, fieldUpDownKey}
	if !onOrg {
		extra = append(extra, orgTakeKey, orgNextKey, orgPrevKey)
	}
	if !onGrid {
		extra = append(extra, gridMoveKey, gridTypeKey)
	}
	extra = append(extra, gridEndsKey)
	if !hasOrig {
		extra = append(extra, k.History)
	}
	return helpKeys{short: short, extra: extra}
}

// annulledBy is « (by, on: reason)» for a record annulled meanwhile; the
// parts not known are left out.
func annulledBy(by, on, reason string) string {
	var parts []string
	for _, p := range []string{by, on} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	out := strings.Join(parts, ", ")
	if reason != "" {
		out = strings.TrimPrefix(out+": "+reason, ": ")
	}
	if out == "" {
		return ""
	}
	return " (" + out + ")"
}

// warningsQuestion asks «Сохранить всё равно?» naming every warning it asks
// about, one a line (the dialog wraps them to the screen).
func warningsQuestion(ws store.Problems) string {
	lines := make([]string, len(ws))
	for i, p := range ws {
		lines[i] = "• " + p.Message
	}
	return fmt.Sprintf(txtConfirmWarnList, strings.Join(lines, "\n"))
}

// annulRegisterDialog asks the reason to annul register entry e made by
// mistake. Who may not, an entry already annulled and one in a locked
// period (of locks) are told at once, before any question.
func annulRegisterDialog(sh *shared, e store.RegisterEntry, locks []store.Lock) tea.Cmd {
	st, a := sh.st, sh.cfg.Actor
	if err := store.MayAnnul(a); err != nil {
		return status(store.ErrorMessage(err), true)
	}
	if e.IsAnnulled() {
		return status(fmt.Sprintf(txtRegAnnulAgain, e.Annulled.By,
			time.Unix(e.Annulled.At, 0).Local().Format("02.01.2006")), true)
	}
	if l := lockOf(locks, e.EnteredOn); l != nil {
		return status(fmt.Sprintf(txtRegAnnulLocked, l.Period.String(), l.By,
			time.Unix(l.At, 0).Local().Format("02.01.2006")), true)
	}
	title := fmt.Sprintf(txtRegAnnulTitle, e.Employer.Name, e.EnteredOn.Ru())
	if e.JournalID != 0 {
		title += "\n" + txtRegAnnulJournal
	}
	return openDialog(newInputDialog(sh, title, []string{txtReason}, nil, func(v []string) (tea.Cmd, error) {
		return dialogOp(func() error {
			_, err := st.AnnulRegisterEntry(a, e.ID, e.Version, v[0])
			return err
		}, fmt.Sprintf(txtRegAnnulled, e.Employer.Name, e.EnteredOn.Ru())), nil
	}).withOK(txtKeyAnnul))
}
