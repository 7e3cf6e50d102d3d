package tui

import (
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
)

// card is a record form shown over a screen.
type card interface {
	Update(msg tea.Msg) (card, tea.Cmd)
	View(w, h int) string
	Dirty() bool
	Help() helpKeys
}

// App is the root model: it routes keys to the active screen or card and
// draws the tabs and the status line.
type App struct {
	st   *store.Store
	cfg  Config
	keys keyMap
	sty  styles
	help help.Model
	w, h int

	active   screenID
	journal  *journalScreen
	register *registerScreen
	lookup   *lookupScreen
	summary  *summaryScreen
	users    *usersScreen
	card     card
	dialog   *dialog

	status    string
	statusErr bool
	lock      *store.Lock // lock of the current half-year, if any

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
	a := &App{st: st, cfg: cfg, keys: newKeyMap(), sty: newStyles(), help: help.New(), w: 80, h: 24}
	a.journal = newJournalScreen(a)
	a.register = newRegisterScreen(a)
	a.lookup = newLookupScreen(a)
	a.summary = newSummaryScreen(a)
	a.users = newUsersScreen(a)
	a.changes, a.unsub = st.Subscribe()
	return a
}

// Init loads the lists and starts listening for changes.
func (a *App) Init() tea.Cmd {
	return tea.Batch(a.journal.load(), a.register.reload(), a.summary.load(), a.users.load(), a.waitChange(), a.loadLock())
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
		if c.User != a.cfg.Actor.Name && (c.Kind == "journal" || c.Kind == "register") {
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

type lockLoadedMsg struct{ l *store.Lock }

func (a *App) loadLock() tea.Cmd {
	st, today := a.st, a.st.Today()
	return func() tea.Msg {
		l, _ := st.LockAt(today)
		return lockLoadedMsg{l}
	}
}

func (a *App) setStatus(text string, isErr bool) { a.status, a.statusErr = text, isErr }

// errStatus shows err in the status line.
func (a *App) errStatus(err error) { a.setStatus(store.ErrorMessage(err), true) }

// Update routes messages.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// A client may claim any size; beyond these a frame only costs memory.
		a.w, a.h = min(max(msg.Width, 20), 500), min(max(msg.Height, 8), 300)
		a.help.SetWidth(a.w - 2)
		a.journal.SetSize(a.w, a.bodyHeight())
		a.register.SetSize(a.w, a.bodyHeight())
		a.lookup.SetSize(a.w, a.bodyHeight())
		a.summary.SetSize(a.w, a.bodyHeight())
		a.users.SetSize(a.w, a.bodyHeight())
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
		a.cfg.Actor.Role = msg.Role
		return a, a.users.load()
	case lockLoadedMsg:
		a.lock = msg.l
		return a, nil
	case statusMsg:
		a.setStatus(msg.text, msg.err)
		if msg.err && a.dialog == nil && lipgloss.Width(a.statusLine()) >= a.w && lipgloss.Width(msg.text)+lipgloss.Width(a.statusLeft())+4 > a.w {
			// An error the status line would cut is shown whole.
			a.dialog = newConfirm(a, txtErrMark+msg.text+"\n\n"+txtCloseHint, func() tea.Cmd { return nil })
		}
		return a, nil
	case openCardMsg:
		a.card = msg.c
		return a, nil
	case switchMsg:
		a.active = msg.to
		return a, nil
	case cardClosedMsg:
		a.card = nil
		switch msg.kind {
		case "journal":
			a.active = scrJournal
			a.journal.selectID = msg.id
			if !a.journal.loaded {
				return a, nil // the load under way selects it
			}
			// The one entry saved, not the year's list read again.
			return a, a.journal.refreshEntries([]uint64{msg.id})
		case "register":
			a.active = scrRegister
			return a, a.register.reloadAt(msg.id)
		}
		return a, nil
	case dialogDoneMsg:
		a.dialog = nil
		return a, msg.cmd
	case tea.KeyPressMsg:
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
	cmds = append(cmds, a.journal.Update(msg), a.register.Update(msg), a.lookup.Update(msg), a.summary.Update(msg), a.users.Update(msg))
	return a, tea.Batch(cmds...)
}

func (a *App) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := a.keys
	if a.closing != "" {
		return a, nil
	}
	if key.Matches(msg, k.Quit) && a.dialog == nil {
		if a.card != nil && a.card.Dirty() {
			a.dialog = newConfirm(a, txtConfirmQuit, func() tea.Cmd { a.quit(); return tea.Quit })
			return a, nil
		}
		a.quit()
		return a, tea.Quit
	}
	if a.dialog != nil {
		return a, a.dialog.Update(msg)
	}
	if a.card == nil || !a.card.Dirty() {
		to := -1
		switch {
		case key.Matches(msg, k.Journal):
			to = int(scrJournal)
		case key.Matches(msg, k.Register):
			to = int(scrRegister)
		case key.Matches(msg, k.Lookup):
			to = int(scrLookup)
		case key.Matches(msg, k.Summary):
			to = int(scrSummary)
		case key.Matches(msg, k.Users) && a.isAdmin():
			to = int(scrUsers)
		}
		if to >= 0 {
			a.card, a.active = nil, screenID(to)
			switch a.active {
			case scrLookup:
				return a, a.lookup.focus()
			case scrRegister:
				return a, a.showRegister()
			case scrSummary:
				return a, a.showSummary()
			}
			return a, nil
		}
	}
	if a.card != nil {
		c, cmd := a.card.Update(msg)
		a.card = c
		return a, cmd
	}
	if key.Matches(msg, k.Help) && !a.typing() {
		a.help.ShowAll = !a.help.ShowAll
		return a, nil
	}
	switch a.active {
	case scrJournal:
		return a, a.journal.Update(msg)
	case scrRegister:
		return a, a.register.Update(msg)
	case scrLookup:
		return a, a.lookup.Update(msg)
	case scrUsers:
		return a, a.users.Update(msg)
	default:
		return a, a.summary.Update(msg)
	}
}

// typing reports whether the active screen takes letters as text.
func (a *App) typing() bool {
	switch a.active {
	case scrJournal:
		return a.journal.filtering
	case scrRegister:
		return a.register.filtering
	case scrLookup:
		return true
	case scrSummary:
		return a.summary.dialogOpen()
	}
	return false
}

// After a change elsewhere the Register list and the Summary are marked
// stale and re-read only while on screen, or when next shown: with many
// sessions, every save reaches every one of them.

// markStale marks the Register list and the Summary stale and re-reads
// whichever is on screen.
func (a *App) markStale() tea.Cmd {
	a.register.stale, a.summary.stale = true, true
	return tea.Batch(a.showRegister(), a.showSummary())
}

// showRegister re-reads the Register list if it is on screen and stale.
func (a *App) showRegister() tea.Cmd {
	if a.active != scrRegister || a.card != nil || !a.register.stale {
		return nil
	}
	a.register.stale = false
	return a.register.refresh()
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
	if a.unsub != nil {
		a.unsub()
		a.unsub = nil
	}
}

func (a *App) bodyHeight() int { return max(a.h-3, 3) }

// View draws tabs, the active screen or card, help and the status line.
func (a *App) View() tea.View {
	var b strings.Builder
	b.WriteString(a.tabs())
	b.WriteByte('\n')
	body := ""
	switch {
	case a.closing != "":
		body = "\n  " + a.sty.err.Render(a.closing)
	case a.card != nil:
		body = a.card.View(a.w, a.bodyHeight())
	default:
		switch a.active {
		case scrJournal:
			body = a.journal.View()
		case scrRegister:
			body = a.register.View()
		case scrLookup:
			body = a.lookup.View()
		case scrUsers:
			body = a.users.View()
		default:
			body = a.summary.View()
		}
	}
	if a.dialog != nil {
		body = a.dialog.View(a.w)
	}
	// help.ShortHelpView overflows when the last fitting item leaves no room
	// for its ellipsis, so every line is cut to the width here.
	hk := a.helpKeys()
	helpView := a.helpView.get(helpCacheKey(hk, a.w, a.help.Width(), a.help.ShowAll), func() string {
		v := a.help.View(hk)
		return fit(v, a.w, lipgloss.Height(v))
	})
	bh := a.h - 2 - lipgloss.Height(helpView)
	b.WriteString(fit(body, a.w, bh))
	b.WriteByte('\n')
	b.WriteString(helpView)
	b.WriteByte('\n')
	b.WriteString(a.statusLine())
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "sout — " + txtApp
	return v
}

func (a *App) helpKeys() helpKeys {
	if a.dialog != nil {
		return a.dialog.help()
	}
	if a.card != nil {
		return a.card.Help()
	}
	k := a.keys
	global := []key.Binding{k.Journal, k.Register, k.Lookup, k.Summary, k.Help, k.Quit}
	if a.isAdmin() {
		global = append(global, k.Users)
	}
	var h helpKeys
	switch a.active {
	case scrJournal:
		h = a.journal.help()
	case scrRegister:
		h = a.register.help()
	case scrLookup:
		h = a.lookup.help()
	case scrUsers:
		h = a.users.help()
	default:
		h = a.summary.help()
	}
	h.extra = append(h.extra, global...)
	return h
}

func (a *App) tabs() string {
	return a.tabsView.get(tabsKey{a.active, a.card != nil, a.isAdmin(), a.w}, a.renderTabs)
}

func (a *App) renderTabs() string {
	names := []string{txtJournal, txtRegister, txtLookup, txtSummary}
	if a.isAdmin() {
		names = append(names, txtUsers)
	}
	var parts []string
	for i, n := range names {
		label := fmt.Sprintf("F%d %s", i+1, n)
		if screenID(i) == a.active && a.card == nil {
			parts = append(parts, a.sty.tabActive.Render(label))
		} else {
			parts = append(parts, a.sty.tab.Render(label))
		}
	}
	return truncate(strings.Join(parts, ""), a.w)
}

func (a *App) statusLeft() string {
	lock := txtOpen
	if a.lock != nil {
		lock = txtLocked + " (" + a.lock.Period.Key() + ")"
	}
	return fmt.Sprintf(" %s (%s) │ %s %s │ %s ", a.cfg.Actor.Name, a.cfg.Actor.Role.Title(), txtDB, filepath.Base(a.cfg.DBPath), lock)
}

func (a *App) statusLine() string {
	style := a.sty.status
	left := a.statusLeft()
	msg := a.status
	if a.statusErr {
		style = a.sty.statusWarn
		msg = txtErrMark + msg
	}
	line := left + "│ " + msg
	return a.statusView.get(statusKey{line, a.statusErr, a.w}, func() string {
		return style.Render(pad(truncate(line, a.w), a.w))
	})
}
