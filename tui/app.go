package tui

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sout/store"
)

// Config says who uses the screens and on which database.
type Config struct {
	Actor  store.Actor
	DBPath string // shown in the status line
	// SSHHint is set for a session served over SSH: the start of the ssh
	// command that reaches this server ("ssh -p 2222 host"). Such a session
	// writes no files on the server; it shows that command instead.
	SSHHint string
}

// ShutdownMsg tells the app that the server is stopping: it shows the reason and quits.
type ShutdownMsg struct{ Reason string }

// RoleChangedMsg tells the app of a session that its user's role changed.
type RoleChangedMsg struct{ Role store.Role }

// changeMsg carries the changes committed by any session within
// changeBatch of the first of them.
type changeMsg struct{ cs []store.Change }

// changeBatch is how long a session gathers changes before it shows them:
// with fifty clerks saving, every session would otherwise read and draw
// every single save. Still far within the second a change may take.
const changeBatch = 100 * time.Millisecond

// statusMsg puts a message in the status line.
type statusMsg struct {
	text string
	err  bool
}

// cardClosedMsg closes the open card; a saved record is selected in its list.
type cardClosedMsg struct {
	kind string // "journal" or "register"
	id   uint64
}

// openCardMsg opens a card over the current screen.
type openCardMsg struct{ c card }

// switchMsg switches to a screen.
type switchMsg struct{ to screenID }

// quitNowMsg ends the program after the shutdown notice was shown.
type quitNowMsg struct{}

type screenID int

const (
	scrJournal screenID = iota
	scrRegister
	scrLookup
	scrSummary
	scrUsers // admins only
	scrRisks
)

// screen is one page of the app behind an F-key: the root holds them in a
// slice, sends every one its size and the messages it does not handle
// itself, and the active one its keys. A screen holds no pointer back to
// the root: it talks to it with messages only.
type screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Help() helpKeys
	// Typing reports whether the screen takes letters as text just now.
	Typing() bool
}

// card is a record form shown over a screen.
type card interface {
	Init() tea.Cmd // run when the card opens
	Update(msg tea.Msg) (card, tea.Cmd)
	View() string
	SetSize(w, h int)
	Dirty() bool
	Help() helpKeys
}

// shared is what every screen, card and dialog of one session reads: the
// store, who works, the keys and the styles. Nothing in it changes.
type shared struct {
	st   *store.Store
	cfg  Config
	keys keyMap
	sty  styles
}

// App is the root model: it routes keys to the active screen or card and
// draws the tabs and the status line.
type App struct {
	sh   *shared
	st   *store.Store
	cfg  Config
	keys keyMap
	sty  styles
	help help.Model
	w, h int

	active   screenID
	screens  []screen // by screenID
	journal  *journalScreen
	register *registerScreen
	lookup   *lookupScreen
	summary  *summaryScreen
	users    *usersScreen
	risks    *risksScreen
	card     card
	dialog   *dialog
	// pending is the screen to show once the card being saved closes (an
	// F-key pressed in a changed card, answered «save»); -1 when none.
	pending screenID

	status    string
	statusErr bool
	lock      *store.Lock  // lock of the current half-year, if any
	locks     []store.Lock // every locked period, for the status line

	changes <-chan store.Change
	unsub   func()
	closing string

	// The frame's fixed parts, kept from the last frame: a key changes a
	// field, rarely the tabs, the help or the status line.
	tabsView   lastRender[tabsKey, string]
	helpView   lastRender[string, string]
	statusView lastRender[statusKey, string]
}

type tabsKey struct {
	active screenID
	card   bool
	admin  bool
	w      int
}

type statusKey struct {
	line string
	warn bool
	w    int
}

// New returns the screens for one session on st.
func New(st *store.Store, cfg Config) tea.Model {
	sh := &shared{st: st, cfg: cfg, keys: newKeyMap(), sty: newStyles()}
	a := &App{sh: sh, st: st, cfg: cfg, keys: sh.keys, sty: sh.sty, help: help.New(), w: 80, h: 24, pending: -1}
	a.journal = newJournalScreen(sh)
	a.register = newRegisterScreen(sh)
	a.lookup = newLookupScreen(sh)
	a.summary = newSummaryScreen(sh)
	a.users = newUsersScreen(sh)
	a.risks = newRisksScreen(sh)
	a.screens = []screen{scrJournal: a.journal, scrRegister: a.register, scrLookup: a.lookup, scrSummary: a.summary,
		scrUsers: a.users, scrRisks: a.risks}
	a.changes, a.unsub = st.Subscribe()
	return a
}

// Init loads the lists and starts listening for changes.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{a.waitChange(), a.loadLock()}
	for _, s := range a.screens {
		cmds = append(cmds, s.Init())
	}
	return tea.Batch(cmds...)
}

func (a *App) waitChange() tea.Cmd {
	ch := a.changes
	return func() tea.Msg {
		c, ok := <-ch
		if !ok {
			return nil
		}
		cs := []store.Change{c}
		t := time.NewTimer(changeBatch)
		defer t.Stop()
		for {
			select {
			case c, ok := <-ch:
				if !ok {
					return changeMsg{cs}
				}
				cs = append(cs, c)
			case <-t.C:
				return changeMsg{cs}
			}
		}
	}
}

// applyChanges brings the screens up to date with changes made elsewhere
// (or by this session, whose own lists are already up to date).
func (a *App) applyChanges(cs []store.Change) tea.Cmd {
	cmds := []tea.Cmd{a.waitChange()}
	var journal []uint64 // the journal entries to read again, once each
	addJournal := func(id uint64) {
		if !slices.Contains(journal, id) {
			journal = append(journal, id)
		}
	}
	var stale, lock, users bool
	for _, c := range cs {
		// Said on the list the change is of, not over a card or another screen.
		if shown := c.Kind == "journal" && a.active == scrJournal || c.Kind == "register" && a.active == scrRegister; shown &&
			c.User != a.cfg.Actor.Name && a.card == nil {
			a.setStatus(fmt.Sprintf(txtChangedBy, c.User), false)
		}
		switch c.Kind {
		case "journal":
			addJournal(c.ID)
		case "register":
			if c.Journal != 0 {
				addJournal(c.Journal)
			}
			stale = true
		case "lock":
			lock = true
		case "user":
			users = true
		default: // import, settings, or changes lost (resync): read everything again
			return tea.Batch(append(cmds, a.journal.load(), a.markStale(), a.loadLock(), a.users.load())...)
		}
	}
	if len(journal) > 0 {
		cmds = append(cmds, a.journal.refreshEntries(journal))
	}
	if len(journal) > 0 || stale {
		cmds = append(cmds, a.lookup.refresh()) // the open employer's card too
	}
	if stale {
		cmds = append(cmds, a.markStale())
	}
	if lock {
		a.summary.stale = true
		cmds = append(cmds, a.loadLock(), a.showSummary())
	}
	if users {
		cmds = append(cmds, a.users.load())
	}
	return tea.Batch(cmds...)
}

// locksLoadedMsg carries every locked period; every screen gets it.
type locksLoadedMsg struct{ locks []store.Lock }

func (a *App) loadLock() tea.Cmd {
	st := a.st
	return func() tea.Msg {
		ls, err := st.Locks()
		if err != nil {
			return statusMsg{store.ErrorMessage(err), true}
		}
		return locksLoadedMsg{ls}
	}
}

// lockOf is the lock of the period d is in, or nil.
func lockOf(locks []store.Lock, d store.Date) *store.Lock {
	for i := range locks {
		if locks[i].Period.Contains(d) {
			return &locks[i]
		}
	}
	return nil
}

// setStatus shows text in the status line (an error in red), or clears it
// with ""; the screens get the body's new height when its lines change.
func (a *App) setStatus(text string, isErr bool) {
	before := a.statusHeight()
	a.status, a.statusErr = text, isErr
	if a.statusHeight() != before {
		a.resize()
	}
}

// setSize takes the terminal's size. A terminal that knows no size of its
// own (ssh -tt from a script, whose pty is 0x0) may report it after the
// size the server chose: the screens keep theirs, 80x24 at first.
func (a *App) setSize(msg tea.WindowSizeMsg) {
	if msg.Width <= 0 || msg.Height <= 0 {
		if a.w > 0 && a.h > 0 {
			return
		}
		msg.Width, msg.Height = 80, 24
	}
	// A client may claim any size; beyond these a frame only costs memory.
	a.w, a.h = min(max(msg.Width, 20), 500), min(max(msg.Height, 8), 300)
	a.help.SetWidth(a.w - 2)
	a.resize()
}

// Update routes messages.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.setSize(msg)
		return a, nil
	case ShutdownMsg:
		a.closing = fmt.Sprintf(txtShutdown, msg.Reason)
		a.quit()
		return a, tea.Tick(500*time.Millisecond, func(time.Time) tea.Msg { return quitNowMsg{} })
	case quitNowMsg:
		return a, tea.Quit
	case changeMsg:
		return a, a.applyChanges(msg.cs)
	case RoleChangedMsg:
		// The store checks the stored role at every action; this is what
		// the screens show and offer.
		a.cfg.Actor.Role, a.sh.cfg.Actor.Role = msg.Role, msg.Role
		return a, a.users.load()
	case locksLoadedMsg:
		a.lock = lockOf(msg.locks, a.st.Today())
		a.locks = msg.locks
		var cmds []tea.Cmd
		for _, s := range a.screens {
			cmds = append(cmds, s.Update(msg))
		}
		return a, tea.Batch(cmds...)
	case statusMsg:
		a.setStatus(msg.text, msg.err)
		return a, nil
	case openCardMsg:
		a.card = msg.c
		a.card.SetSize(a.w, a.bodyHeight())
		return a, a.card.Init()
	case dialogOpenedMsg:
		a.dialog = msg.d
		return a, nil
	case dialogFailedMsg:
		if a.dialog == nil { // closed while its command ran
			a.setStatus(msg.text, true)
			return a, nil
		}
		return a, a.dialog.Update(msg)
	case switchMsg:
		a.active = msg.to
		return a, nil
	case cardClosedMsg:
		a.card = nil
		if to := a.pending; to >= 0 {
			a.pending = -1
			return a, tea.Batch(a.afterClose(msg), a.show(to))
		}
		return a, a.afterClose(msg)
	case dialogDoneMsg:
		a.dialog = nil
		return a, msg.cmd
	case tea.KeyPressMsg:
		// A message answers the key before: the next one clears it.
		a.setStatus("", false)
		return a.key(msg)
	}
	// Everything else (loaded data, blinks) goes to its owner.
	var cmds []tea.Cmd
	if a.card != nil {
		c, cmd := a.card.Update(msg)
		a.card = c
		cmds = append(cmds, cmd)
	}
	if a.dialog != nil {
		cmds = append(cmds, a.dialog.Update(msg))
	}
	for _, s := range a.screens {
		cmds = append(cmds, s.Update(msg))
	}
	return a, tea.Batch(cmds...)
}

// resize gives every screen and the card the body's size.
func (a *App) resize() {
	for _, s := range a.screens {
		s.SetSize(a.w, a.bodyHeight())
	}
	if a.card != nil {
		a.card.SetSize(a.w, a.bodyHeight())
	}
}

// afterClose shows the record a closed card saved in its list; a card
// opened from the look-up goes back there.
func (a *App) afterClose(msg cardClosedMsg) tea.Cmd {
	if a.active == scrLookup && msg.kind != "" {
		return tea.Batch(a.lookup.refresh(), a.journal.refreshEntries([]uint64{msg.id}), a.markStale())
	}
	switch msg.kind {
	case "journal":
		a.active = scrJournal
		a.journal.selectID = msg.id
		if !a.journal.loaded {
			return nil // the load under way selects it
		}
		// The one entry saved, not the year's list read again.
		return a.journal.refreshEntries([]uint64{msg.id})
	case "register":
		a.active = scrRegister
		return a.register.reloadAt(msg.id)
	}
	// Closed unsaved: what changed elsewhere while the card was open is read
	// now (a stale row would reopen the old version, whose save is refused).
	return tea.Batch(a.showRegister(), a.showSummary(), a.showRisks())
}

func (a *App) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := a.keys
	if a.closing != "" {
		return a, nil
	}
	if key.Matches(msg, k.Quit) && a.dialog == nil {
		if a.card != nil && a.card.Dirty() {
			a.dialog = newConfirm(a.sh, txtConfirmQuit, func() tea.Cmd { a.quit(); return tea.Quit }).withOK(txtKeyQuitDrop)
			return a, nil
		}
		a.quit()
		return a, tea.Quit
	}
	if a.dialog != nil {
		return a, a.dialog.Update(msg)
	}
	if a.help.ShowAll && key.Matches(msg, k.Close) { // Esc closes the full help first, and only that
		a.closeHelp()
		return a, nil
	}
	if to, ok := a.screenKey(msg); ok {
		if a.card != nil && a.card.Dirty() {
			a.dialog = a.leaveDialog(to)
			return a, nil
		}
		a.card = nil
		a.closeHelp() // the full help was of the screen left
		return a, a.show(to)
	} else if key.Matches(msg, k.Users) {
		return a, status(txtNoRightUsers, true)
	}
	if key.Matches(msg, k.HelpKey) || key.Matches(msg, k.Help) && !a.typing() {
		a.help.ShowAll = !a.help.ShowAll
		a.resize()
		return a, nil
	}
	if a.card != nil {
		c, cmd := a.card.Update(msg)
		a.card = c
		return a, cmd
	}
	return a, a.screens[a.active].Update(msg)
}

// closeHelp hides the full help, if shown, giving its lines back to the screen.
func (a *App) closeHelp() {
	if a.help.ShowAll {
		a.help.ShowAll = false
		a.resize()
	}
}

// screenKey reads an F-key as the screen it shows; the Users screen is
// the admins' only.
func (a *App) screenKey(msg tea.KeyPressMsg) (screenID, bool) {
	k := a.keys
	switch {
	case key.Matches(msg, k.Journal):
		return scrJournal, true
	case key.Matches(msg, k.Register):
		return scrRegister, true
	case key.Matches(msg, k.Lookup):
		return scrLookup, true
	case key.Matches(msg, k.Summary):
		return scrSummary, true
	case key.Matches(msg, k.Users) && a.isAdmin():
		return scrUsers, true
	case key.Matches(msg, k.Risks):
		return scrRisks, true
	}
	return 0, false
}

// leaveDialog asks what to do with a changed card when another screen is
// asked for: save it and go, drop the changes and go, or stay.
func (a *App) leaveDialog(to screenID) *dialog {
	d := newConfirm(a.sh, txtAskLeave, func() tea.Cmd {
		a.card = nil
		return a.show(to)
	}).withOK(txtKeyDrop)
	d.onSave = func() tea.Cmd {
		a.pending = to
		c, cmd := a.card.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
		a.card = c
		if cmd == nil { // refused at once: the card shows why
			a.pending = -1
		}
		return cmd
	}
	return d
}

// show makes screen to the active one, reading what it shows if stale.
func (a *App) show(to screenID) tea.Cmd {
	a.active = to
	switch to {
	case scrLookup:
		return a.lookup.focus()
	case scrRegister:
		return a.showRegister()
	case scrSummary:
		return a.showSummary()
	case scrRisks:
		return a.showRisks()
	}
	return nil
}

// typing reports whether letters typed now are text (in a card, a filter,
// a search field) rather than keys.
func (a *App) typing() bool {
	if a.card != nil {
		return true
	}
	return a.screens[a.active].Typing()
}

// After a change elsewhere the Register list and the Summary are marked
// stale and re-read only while on screen, or when next shown: with many
// sessions, every save reaches every one of them.

// markStale marks the Register list and the Summary stale and re-reads
// whichever is on screen.
func (a *App) markStale() tea.Cmd {
	a.register.stale, a.summary.stale, a.risks.stale = true, true, true
	return tea.Batch(a.showRegister(), a.showSummary(), a.showRisks())
}

// showRegister re-reads the Register list if it is on screen and stale.
func (a *App) showRegister() tea.Cmd {
	if a.active != scrRegister || a.card != nil || !a.register.stale {
		return nil
	}
	a.register.stale = false
	return a.register.refresh()
}

// showRisks computes the risk indicators if they are on screen and missing
// or stale: a session that never opens the screen never pays for them.
func (a *App) showRisks() tea.Cmd {
	if a.active != scrRisks || a.card != nil {
		return nil
	}
	return a.risks.show()
}

// showSummary recomputes the Summary if it is on screen and stale.
func (a *App) showSummary() tea.Cmd {
	if a.active != scrSummary || a.card != nil || !a.summary.stale {
		return nil
	}
	return a.summary.refresh()
}

func (a *App) isAdmin() bool { return a.cfg.Actor.Role == store.RoleAdmin }

func (a *App) quit() {
	a.risks.close()
	if a.unsub != nil {
		a.unsub()
		a.unsub = nil
	}
}

// bodyHeight is what is left for a screen under the tabs and above the
// help and the status lines.
func (a *App) bodyHeight() int { return max(a.h-1-a.helpHeight()-a.statusHeight(), 3) }

// helpHeight is the lines the help takes: two for the short help (its
// second line only when needed), the full help's height when shown.
func (a *App) helpHeight() int {
	if a.help.ShowAll {
		return lipgloss.Height(a.help.View(a.helpKeys()))
	}
	return 2
}

// statusHeight is the lines of the status line: a message that does not
// fit beside the session's details takes lines of its own above it.
func (a *App) statusHeight() int { return len(a.statusLines()) }

// View draws tabs, the active screen or card, help and the status line.
func (a *App) View() tea.View {
	var b strings.Builder
	b.WriteString(a.tabs())
	b.WriteByte('\n')
	body := ""
	switch {
	case a.closing != "":
		body = "\n  " + a.sty.err.Render(a.closing)
	case a.dialog != nil:
		body = a.dialog.View(a.w)
	case a.card != nil:
		body = a.card.View()
	default:
		body = a.screens[a.active].View()
	}
	hk := a.helpKeys()
	helpView := a.helpView.get(helpCacheKey(hk, a.w, a.help.Width(), a.help.ShowAll), func() string {
		if a.help.ShowAll {
			v := a.help.View(hk)
			return fit(v, a.w, lipgloss.Height(v))
		}
		return shortHelp(a.help, hk, a.w, 2)
	})
	b.WriteString(fit(body, a.w, a.bodyHeight()))
	b.WriteByte('\n')
	b.WriteString(helpView)
	b.WriteByte('\n')
	b.WriteString(strings.Join(a.statusLines(), "\n"))
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "sout — " + txtApp
	return v
}

func (a *App) helpKeys() helpKeys {
	if a.dialog != nil {
		return a.dialog.Help()
	}
	k := a.keys
	global := []key.Binding{k.Journal, k.Register, k.Lookup, k.Summary}
	if a.isAdmin() {
		global = append(global, k.Users)
	}
	global = append(global, k.Risks) // F-keys in their order
	if a.card != nil {
		h := a.card.Help()
		h.extra = append(h.extra, append(global, k.HelpKey, k.Quit)...)
		return h
	}
	h := a.screens[a.active].Help()
	h.extra = append(h.extra, append(global, k.Help, k.Quit)...)
	return h
}

func (a *App) tabs() string {
	return a.tabsView.get(tabsKey{a.active, a.card != nil, a.isAdmin(), a.w}, a.renderTabs)
}

func (a *App) renderTabs() string {
	names := []string{txtJournal, txtRegister, txtLookup, txtSummary, txtUsers, txtRisks}
	var parts []string
	for i, n := range names {
		if screenID(i) == scrUsers && !a.isAdmin() {
			continue
		}
		label := fmt.Sprintf("F%d %s", i+1, n)
		if screenID(i) == a.active && a.card == nil {
			parts = append(parts, a.sty.tabActive.Render(label))
		} else {
			parts = append(parts, a.sty.tab.Render(label))
		}
	}
	return truncate(strings.Join(parts, ""), a.w)
}

// statusLeft is who works on which file, and the locked periods that
// matter: the current half-year's, and the one the Summary shows.
func (a *App) statusLeft() string {
	lock := txtOpenNow
	switch {
	case a.lock != nil && a.card == nil && a.active != scrSummary: // the current half-year itself
		lock = fmt.Sprintf(txtLockedNow, a.lock.Period.String())
	case a.active == scrSummary && a.card == nil: // the period shown
		lock = fmt.Sprintf(txtOpenP, a.summary.period.String())
		if a.summary.lock != nil {
			lock = fmt.Sprintf(txtLockedNow, a.summary.period.String())
		}
	case a.cardLock() != nil: // the card shown lies in a locked period
		lock = fmt.Sprintf(txtLockedNow, a.cardLock().Period.String())
	case len(a.locks) > 0: // the current half-year open, earlier ones blocked
		lock = txtOpenNow + "; " + fmt.Sprintf(txtLockedList, lockedList(a.locks))
		if full := a.statusWith(lock); width(full) > a.w { // shorter words before a cut
			lock = txtOpenNowShort + "; " + fmt.Sprintf(txtLockedListShort, lockedList(a.locks))
		}
	}
	return a.statusWith(lock)
}

// statusWith is the status line's details with lock, what it says of the
// locked periods.
func (a *App) statusWith(lock string) string {
	return fmt.Sprintf(" %s (%s) │ %s │ %s ", a.cfg.Actor.Name, a.cfg.Actor.Role.Title(),
		filepath.Base(a.cfg.DBPath), lock)
}

// cardLock is the lock of the open card's period, or nil.
func (a *App) cardLock() *store.Lock {
	if c, ok := a.card.(interface{ lockShown() *store.Lock }); ok {
		return c.lockShown()
	}
	return nil
}

// lockedList names the latest locked periods, newest first, three at most.
func lockedList(locks []store.Lock) string {
	ls := slices.Clone(locks)
	slices.SortFunc(ls, func(x, y store.Lock) int { return cmp.Compare(y.Period.From, x.Period.From) })
	var keys []string
	for i, l := range ls {
		if i == 3 {
			keys = append(keys, "…")
			break
		}
		keys = append(keys, l.Period.Key())
	}
	return strings.Join(keys, ", ")
}

// statusLines is the status line, with the message beside the details when
// it fits and otherwise wrapped on lines of its own above them.
func (a *App) statusLines() []string {
	style := a.sty.status
	left := a.statusLeft()
	msg := a.status
	if a.statusErr {
		style = a.sty.statusWarn
		msg = txtErrMark + msg
	}
	line := left
	if msg != "" {
		line += "│ " + msg
	}
	out := a.statusView.get(statusKey{line, a.statusErr, a.w}, func() string {
		if width(line) <= a.w || msg == "" {
			return style.Render(pad(truncate(line, a.w), a.w))
		}
		var ls []string
		for _, l := range strings.Split(wrap(" "+msg, a.w), "\n") {
			ls = append(ls, style.Render(pad(l, a.w)))
		}
		return strings.Join(append(ls, style.Render(pad(truncate(left, a.w), a.w))), "\n")
	})
	return strings.Split(out, "\n")
}
