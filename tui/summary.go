package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/report"
	"sout/store"
	"sout/store/safefile"
)

// summaryLoadedMsg carries a computed Summary.
type summaryLoadedMsg struct {
	sum  *report.Summary
	lock *store.Lock // the lock on the period, if any
	set  store.Settings
	err  error
}

// summaryScreen shows the Summary of a half-year and writes it to a file.
type summaryScreen struct {
	sh     *shared
	period store.Period
	sum    *report.Summary
	lock   *store.Lock
	set    store.Settings // the forms' heading: region, inspectorate, people
	offset int
	calc   oneAtATime // a burst of saves costs at most two computations
	stale  bool
	w, h   int

	// The table's lines, drawn once per computation and width: thousands
	// of warnings need not be styled again on every key.
	table lastRender[summaryTableKey, summaryTable]
	first int // figure columns hidden on the left of a narrow screen
	warn  int // the selected warning (Enter opens its record), -1 for none
}

type summaryTableKey struct {
	sum      *report.Summary
	w, first int
}

func newSummaryScreen(sh *shared) *summaryScreen {
	return &summaryScreen{sh: sh, period: store.HalfYearOf(sh.st.Today()), w: 80, h: 20, warn: -1}
}

// SetSize sets the area the screen draws in.
func (s *summaryScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.fitFirst()
	s.clampOffset()
}

// layout is the table as drawn for the current Summary, width and hidden
// columns; the Summary must be there.
func (s *summaryScreen) layout() summaryTable {
	return s.table.get(summaryTableKey{s.sum, s.w, s.first},
		func() summaryTable { return summaryLines(s.sh.sty, s.sum, s.w, s.first) })
}

// fitFirst hides no more figure columns than the width needs.
func (s *summaryScreen) fitFirst() {
	if s.sum != nil {
		s.first = min(s.first, s.layout().maxFirst)
	}
}

// refresh recomputes the Summary after a change, one computation at a time.
func (s *summaryScreen) refresh() tea.Cmd {
	s.stale = false
	if s.calc.queue() {
		return nil
	}
	return s.load()
}

func (s *summaryScreen) load() tea.Cmd {
	s.calc.begin()
	st, p := s.sh.st, s.period
	return func() tea.Msg {
		sum, err := report.BuildSummary(context.Background(), st, p)
		if err != nil {
			return summaryLoadedMsg{err: err}
		}
		locks, err := st.Locks()
		if err != nil {
			return summaryLoadedMsg{err: err}
		}
		var lock *store.Lock // the period's own lock, else one that covers it (its year)
		for i := range locks {
			if l := &locks[i]; l.Period == p || lock == nil && l.Period.Contains(p.From) && l.Period.Contains(p.To) {
				lock = l
			}
		}
		set, err := st.Settings()
		return summaryLoadedMsg{sum, lock, set, err}
	}
}

// Update handles the screen's messages and keys.
func (s *summaryScreen) Update(msg tea.Msg) tea.Cmd {
	cmd := s.update(msg)
	s.clampOffset()
	return cmd
}

// room is the number of the table's lines shown (its heading included):
// the body less the lines above the table.
func (s *summaryScreen) room() int {
	head := 3 // period, due date, entries counted
	if miss := s.missingLine(); miss != "" {
		head += strings.Count(miss, "\n") + 1
	}
	return max(s.h-head, 1)
}

// missingLine is the line that names the settings the forms lack, wrapped
// to the width; "" when none is missing.
func (s *summaryScreen) missingLine() string {
	miss := missingSettings(s.set)
	if len(miss) == 0 {
		return ""
	}
	return wrap(fmt.Sprintf(txtSettingsMissing, strings.Join(miss, ", ")), s.w)
}

// clampOffset keeps the scroll within the table.
func (s *summaryScreen) clampOffset() {
	if s.sum == nil {
		return
	}
	room := s.room()
	s.offset = max(min(s.offset, len(s.layout().lines)-room), 0)
}

func (s *summaryScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case summaryLoadedMsg:
		if s.calc.end() {
			return s.load()
		}
		if msg.err != nil {
			return status(store.ErrorMessage(msg.err), true)
		}
		if msg.sum.Period == s.period {
			s.sum, s.lock, s.set = msg.sum, msg.lock, msg.set
			s.warn = min(s.warn, len(s.sum.Warnings)-1)
			s.fitFirst()
		}
		return nil
	case warningEntryMsg:
		c := newRegisterCard(s.sh, &msg.e)
		c.locked = s.lock
		return openCard(c)
	case tea.KeyPressMsg:
		if used, cmd := s.warningKey(msg); used {
			return cmd
		}
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.PrevPeriod):
			s.period, s.sum, s.offset, s.warn = s.period.PrevHalf(), nil, 0, -1
			return s.load()
		case key.Matches(msg, k.NextPeriod):
			s.period, s.sum, s.offset, s.warn = s.period.NextHalf(), nil, 0, -1
			return s.load()
		case key.Matches(msg, k.Up):
			s.offset = max(s.offset-1, 0)
		case key.Matches(msg, k.Down):
			s.offset++
		case key.Matches(msg, k.PageUp):
			s.offset = max(s.offset-s.h+4, 0)
		case key.Matches(msg, k.PageDown):
			s.offset += s.h - 4
		case key.Matches(msg, k.Home):
			s.offset = 0
		case key.Matches(msg, k.End):
			s.offset = math.MaxInt32
		case key.Matches(msg, k.ColsRight):
			s.first++
			s.fitFirst()
		case key.Matches(msg, k.ColsLeft):
			s.first = max(s.first-1, 0)
		case key.Matches(msg, k.WriteXLSX):
			return s.writeDialog(true)
		case key.Matches(msg, k.WriteCSV):
			return s.writeDialog(false)
		case key.Matches(msg, k.LockPeriod):
			return s.lockDialog()
		case key.Matches(msg, k.Settings):
			return s.settingsDialog()
		}
		s.clampOffset() // Down or End past the table's end stays at its end
	}
	return nil
}

// warningKey handles the keys of the warnings: Enter selects the first and
// then opens the selected one's record (the register entry left out, or the
// employer's card in Поиск), Up/Down move the selection, Esc leaves it.
func (s *summaryScreen) warningKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := s.sh.keys
	if s.sum == nil || len(s.sum.Warnings) == 0 {
		return false, nil
	}
	switch {
	case key.Matches(msg, k.Open) && s.warn < 0:
		s.warn = 0
	case key.Matches(msg, k.Open):
		return true, s.openWarning(s.sum.Warnings[s.warn].Ref)
	case s.warn < 0:
		return false, nil
	case key.Matches(msg, k.Close):
		s.warn = -1
		return true, nil
	case key.Matches(msg, k.Up):
		s.warn--
		if s.warn < 0 {
			return true, nil
		}
	case key.Matches(msg, k.Down):
		s.warn = min(s.warn+1, len(s.sum.Warnings)-1)
	default:
		return false, nil
	}
	// Keep the selected warning's lines in view.
	t, room := s.layout(), s.room()
	line, last := t.warnAt[s.warn], t.warnAt[s.warn+1]-1
	if last >= s.offset+room {
		s.offset = last - room + 1
	}
	if line < s.offset+1 {
		s.offset = line - 1
	}
	return true, nil
}

// openWarning opens the record a warning is about, read in a command.
func (s *summaryScreen) openWarning(ref report.WarningRef) tea.Cmd {
	if ref.RegisterID == 0 {
		return tea.Batch(func() tea.Msg { return switchMsg{scrLookup} }, findCard(s.sh.st, ref.INN))
	}
	st := s.sh.st
	return func() tea.Msg {
		e, err := st.RegisterEntry(ref.RegisterID)
		if err != nil {
			return statusMsg{text: store.ErrorMessage(err), err: true}
		}
		return warningEntryMsg{e}
	}
}

// warningEntryMsg carries the register entry a warning opens.
type warningEntryMsg struct{ e store.RegisterEntry }

// lockDialog asks to lock the shown period, or to unlock it (or the locked
// period that covers it). Who may not
// is told at once, before any question.
func (s *summaryScreen) lockDialog() tea.Cmd {
	st, actor, p, locked := s.sh.st, s.sh.cfg.Actor, s.period, s.lock != nil
	if err := store.MayLock(actor); err != nil { // the store's words, as every refusal of rights
		return status(store.ErrorMessage(err), true)
	}
	if locked {
		p = s.lock.Period // a lock that covers the half-year (its year) is unlocked whole
	}
	if !locked {
		// The shown half-year, or what the head types instead: the year
		// (2026) at its end, or any period.
		return openDialog(newInputDialog(s.sh, txtAskLock, []string{txtLockPeriod}, []string{p.Key()},
			func(v []string) (tea.Cmd, error) {
				p, err := parsePeriodInput(v[0])
				if err != nil {
					return nil, err
				}
				return dialogOp(func() error { return st.LockPeriod(actor, p, "") },
					fmt.Sprintf(txtLockedP, p.String())), nil
			}).withOK(txtKeyLockDo).withRequired(0, txtLockNoPeriod))
	}
	return openDialog(newConfirm(s.sh, fmt.Sprintf(txtAskUnlock, p.String()), func() tea.Cmd {
		return func() tea.Msg {
			if err := st.UnlockPeriod(actor, p); err != nil {
				return statusMsg{store.ErrorMessage(err), true}
			}
			return statusMsg{fmt.Sprintf(txtUnlocked, p.String()), false}
		}
	}).withOK(txtKeyUnlockDo))
}

// settingsDialog edits what the forms' headings say (head and admin).
func (s *summaryScreen) settingsDialog() tea.Cmd {
	st, actor, cur := s.sh.st, s.sh.cfg.Actor, s.set
	if err := store.MaySettings(actor); err != nil {
		return status(store.ErrorMessage(err), true)
	}
	vals := []string{cur.Region, cur.Inspectorate, cur.Head, cur.Compiler, cur.Phone}
	return openDialog(newInputDialog(s.sh, txtSettingsTitle, settingsFields, vals, func(v []string) (tea.Cmd, error) {
		set := store.Settings{Region: v[0], Inspectorate: v[1], Head: v[2], Compiler: v[3], Phone: v[4]}
		return dialogOp(func() error { return st.SaveSettings(actor, set) }, txtSettingsSaved), nil
	}))
}

// missingSettings names the settings the forms need and lack.
func missingSettings(set store.Settings) []string {
	var out []string
	for i, v := range []string{set.Region, set.Inspectorate, set.Head, set.Compiler, set.Phone} {
		if strings.TrimSpace(v) == "" {
			out = append(out, settingsFields[i])
		}
	}
	return out
}

func (s *summaryScreen) writeDialog(xlsx bool) tea.Cmd {
	st, p := s.sh.st, s.period
	return reportWriteDialog(s.sh, "svodnaya", "summary", p, xlsx, func(w io.Writer) error {
		_, err := report.WriteSummary(context.Background(), w, st, p, report.Format{XLSX: xlsx, Excel: !xlsx})
		return err
	})
}

// reportWriteDialog asks where to write the report sub of p (file name
// base-PERIOD.ext) and writes it; over SSH no file is written on the
// server: the same report comes to the clerk's own machine through the
// ssh command shown, on a line of its own and copied to the clerk's
// clipboard (OSC 52) by Enter.
func reportWriteDialog(sh *shared, base, sub string, p store.Period, xlsx bool, write func(w io.Writer) error) tea.Cmd {
	ext, format := ".csv", "csv --excel"
	if xlsx {
		ext, format = ".xlsx", "xlsx"
	}
	name := base + "-" + p.Key() + ext
	if sh.cfg.SSHHint != "" {
		cmd := fmt.Sprintf("%s report %s --period %s --format %s > %s", sh.cfg.SSHHint, sub, p.Key(), format, name)
		d := newConfirm(sh, txtRemoteWrite, func() tea.Cmd {
			return tea.Batch(tea.SetClipboard(cmd), status(txtCopied, false))
		}).withOK(txtKeyCopy)
		d.raw = cmd
		return openDialog(d)
	}
	return openDialog(newInputDialog(sh, txtWritePath, []string{txtFileLabel}, []string{name},
		func(v []string) (tea.Cmd, error) {
			if v[0] == "" {
				return nil, fmt.Errorf("%s", txtNoFile)
			}
			return writeFileCmd(sh, v[0], write, false), nil
		}).withOK(txtKeyWrite))
}

// writeFileCmd writes path in a command, asking first (a dialog) when a
// file of that name is there; every failure is a Russian message that
// keeps the dialog open.
func writeFileCmd(sh *shared, path string, write func(w io.Writer) error, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		if msg := checkWritePath(path); msg != "" {
			return dialogFailedMsg{msg}
		}
		if _, err := os.Stat(path); err == nil && !overwrite {
			ask := newConfirm(sh, fmt.Sprintf(txtAskOverwrite, path), func() tea.Cmd {
				// The question closes; the file is written and reported in the status line.
				return func() tea.Msg {
					if m := writeFileCmd(sh, path, write, true)(); m != nil {
						if f, ok := m.(dialogFailedMsg); ok {
							return statusMsg{f.text, true}
						}
						return m.(dialogDoneMsg).cmd()
					}
					return nil
				}
			}).withOK(txtKeyOverwrite)
			return dialogDoneMsg{openDialog(ask)}
		}
		if err := writeFileAtomic(path, write); err != nil {
			return dialogFailedMsg{err.Error()}
		}
		abs, _ := filepath.Abs(path)
		return dialogDoneMsg{status(fmt.Sprintf(txtWritten, abs), false)}
	}
}

// checkWritePath says in Russian why path cannot be written, or "".
func checkWritePath(path string) string {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Sprintf(txtPathIsDir, path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Sprintf(txtNoDir, dir)
	case !fi.IsDir():
		return fmt.Sprintf(txtNotDir, dir)
	}
	return ""
}

// writeFileAtomic writes a file through safefile, so a failure leaves
// nothing half-written; its errors are Russian sentences naming the file.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	err := safefile.Write(path, write)
	var fe *safefile.Error
	if err != nil && !errors.As(err, &fe) {
		return fmt.Errorf(txtCannotWrite, path, store.ErrorMessage(err))
	}
	return err
}

// View draws the period, its due date, the form's rows and the warnings.
func (s *summaryScreen) View() string {
	st := s.sh.sty
	var head strings.Builder
	head.WriteString(st.title.Render(fmt.Sprintf(txtSumPeriod, s.period.String())) + "   ←/→\n")
	due := s.period.DueDate()
	left := s.sh.st.Today().DaysUntil(due)
	days := fmt.Sprintf(txtDaysLeft, left)
	switch {
	case s.lock != nil: // reported and locked: no overdue mark
		days = fmt.Sprintf(txtDueLocked, s.lock.By, time.Unix(s.lock.At, 0).Local().Format("02.01.2006"))
	case left < 0:
		days = st.overdue.Render(fmt.Sprintf(txtDaysOver, -left))
	}
	head.WriteString(fmt.Sprintf(txtSumDue, due.Ru(), days))
	head.WriteString("\n")
	if s.sum == nil {
		return head.String() + txtLoading
	}
	table := s.layout()
	if miss := s.missingLine(); miss != "" {
		for _, l := range strings.Split(miss, "\n") {
			head.WriteString(st.warn.Render(l) + "\n")
		}
	}
	head.WriteString(fmt.Sprintf(txtSumEntries, s.sum.Entries))
	if s.first > 0 {
		head.WriteString("   " + st.warn.Render(fmt.Sprintf(txtColsHidden, s.first)))
	}
	head.WriteString("\n")
	lines := table.lines
	room := s.room()
	body := lines[0:1]
	end := min(len(lines), s.offset+1+room-1)
	body = append(body, lines[min(s.offset+1, len(lines)):max(end, min(s.offset+1, len(lines)))]...)
	if s.warn >= 0 {
		for i, l := range warnLines(s.sum.Warnings[s.warn].Text, s.w) {
			if at := table.warnAt[s.warn] + i - s.offset; at >= 1 && at < len(body) { // its place in body
				body[at] = st.selected.Render(pad(l, s.w))
			}
		}
	}
	return head.String() + strings.Join(body, "\n")
}

// summaryTable is the Summary drawn as lines: the heading line, the rows,
// the warnings.
type summaryTable struct {
	lines []string
	// maxFirst is the most figure columns that may be hidden on the left
	// (Tab) for the rest to fit the width: 0 when the whole table fits.
	maxFirst int
	// warnAt is the first line of each warning, and one past the last.
	warnAt []int
}

// warnLines is a warning wrapped to w cells, its mark on the first line:
// a warning names a record and what is wrong with it, never cut.
func warnLines(wr string, w int) []string {
	lines := strings.Split(wrap(wr, max(w-width(txtWarnMark), 10)), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = txtWarnMark + lines[i]
		} else {
			lines[i] = strings.Repeat(" ", width(txtWarnMark)) + lines[i]
		}
	}
	return lines
}

// summaryLines draws the Summary in w cells with the first figure columns
// hidden. Figure columns are as wide as their largest figure, so that no
// figure is ever cut; the name takes the rest, down to a minimum; a table
// still too wide shows fewer figure columns, to be moved with Tab.
func summaryLines(st styles, sum *report.Summary, w, first int) summaryTable {
	const minName = 22 // with the rest of the width; a longer name wraps
	figW := make([]int, store.NumCols)
	orgW := width(txtColOrgs)
	for c := range figW {
		figW[c] = max(width(store.ColTitles[c]), 5)
	}
	for _, r := range sum.Rows {
		if r.Header {
			orgW = max(orgW, len(fmt.Sprint(r.Employers)))
			continue
		}
		for c := range figW {
			figW[c] = max(figW[c], len(fmt.Sprint(r.Values[c])))
		}
	}
	fixed := 8 + 1 + minName + 1 + orgW // code, name, employers
	used := func(from int) int {
		n := fixed
		for _, fw := range figW[from:] {
			n += 1 + fw
		}
		return n
	}
	t := summaryTable{}
	for t.maxFirst < store.NumCols-1 && used(t.maxFirst) > w {
		t.maxFirst++
	}
	first = min(max(first, 0), t.maxFirst)
	widths := []int{8, minName + max(w-used(first), 0), orgW}
	right := map[int]bool{2: true}
	titles := []string{txtColCode, txtColName, txtColOrgs}
	for c := first; c < store.NumCols; c++ {
		widths = append(widths, figW[c])
		right[len(widths)-1] = true
		titles = append(titles, store.ColTitles[c])
	}
	t.lines = []string{st.header.Render(cols(titles, widths, right))}
	for _, r := range sum.Rows {
		// A name wider than its column wraps onto lines of its own below
		// the figures: «Показатель» is never cut.
		names := strings.Split(wrap(r.Name, widths[1]), "\n")
		cells := []string{r.Code, names[0], ""}
		render := func(l string) string { return l }
		if r.Header {
			cells[2] = fmt.Sprint(r.Employers)
			render = func(l string) string { return st.title.Render(l) }
		} else {
			for c := first; c < store.NumCols; c++ {
				cells = append(cells, fmt.Sprint(r.Values[c]))
			}
		}
		t.lines = append(t.lines, render(cols(cells, widths, right)))
		for _, more := range names[1:] {
			t.lines = append(t.lines, render(cols([]string{"", more}, widths[:2], nil)))
		}
	}
	if len(sum.Warnings) > 0 {
		t.lines = append(t.lines, "", st.warn.Render(fmt.Sprintf(txtSumWarnings, len(sum.Warnings))))
		for _, wr := range sum.Warnings {
			t.warnAt = append(t.warnAt, len(t.lines))
			for _, l := range warnLines(wr.Text, w) {
				t.lines = append(t.lines, st.warn.Render(l))
			}
		}
		t.warnAt = append(t.warnAt, len(t.lines))
	}
	return t
}

// Init computes the Summary of the current half-year.
func (s *summaryScreen) Init() tea.Cmd { return s.load() }

// Typing is always false: the Summary takes no text.
func (s *summaryScreen) Typing() bool { return false }

// Help lists the screen's keys, the main ones first.
func (s *summaryScreen) Help() helpKeys {
	k := s.sh.keys
	short := []key.Binding{k.PrevPeriod, k.NextPeriod}
	if s.sum != nil && s.first < s.layout().maxFirst {
		short = append(short, k.ColsRight)
	}
	if s.first > 0 {
		short = append(short, k.ColsLeft)
	}
	if s.sum != nil && len(s.sum.Warnings) > 0 { // Enter selects the first warning, then opens the selected one's record
		desc := txtKeyWarnSelect
		if s.warn >= 0 {
			desc = txtKeyWarnOpen
		}
		short = append(short, key.NewBinding(key.WithKeys("enter"), key.WithHelp("Enter", desc)))
	}
	short = append(short, k.WriteXLSX, k.WriteCSV)
	if store.MayLock(s.sh.cfg.Actor) == nil { // a key the user may not use is not offered
		short = append(short, k.LockPeriod)
	}
	if store.MaySettings(s.sh.cfg.Actor) == nil {
		short = append(short, k.Settings)
	}
	// The full help has every key the screen takes, also those of no use now.
	extra := []key.Binding{k.Up, k.PageUp, k.Home}
	for _, b := range []key.Binding{k.ColsRight, k.ColsLeft} {
		if !slices.ContainsFunc(short, func(o key.Binding) bool { return o.Help() == b.Help() }) {
			extra = append(extra, b)
		}
	}
	if s.warn >= 0 {
		short = append(short, key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", txtKeyWarnLeave)))
	}
	return helpKeys{short: append(short, k.Down, k.PageDown, k.End), extra: extra}
}
