package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// historyLoadedMsg carries a record's audit history and, for a journal
// entry, its status events.
type historyLoadedMsg struct {
	kind   string
	id     uint64
	recs   []store.AuditRecord
	events []store.StatusEvent
	err    error
}

// loadHistory reads the history of a record in a command: the field changes
// from the audit, and a journal entry's status history from the entry's own
// events (its one source, the one the cards and the printed journal show).
func loadHistory(st *store.Store, kind string, id uint64) tea.Cmd {
	return func() tea.Msg {
		recs, err := st.History(kind, id)
		if err != nil || kind != "journal" {
			return historyLoadedMsg{kind: kind, id: id, recs: recs, err: err}
		}
		e, err := st.JournalEntry(id)
		return historyLoadedMsg{kind, id, recs, e.Events, err}
	}
}

// historyCard shows who changed a record, when, and each field from → to.
// Esc goes back to the card it was opened from.
type historyCard struct {
	sh    *shared
	title string
	kind  string
	id    uint64
	back  card
	lines []string
	top   int
	w, h  int
}

func newHistoryCard(sh *shared, title, kind string, id uint64, back card) *historyCard {
	return &historyCard{sh: sh, title: title, kind: kind, id: id, back: back, lines: []string{txtLoading}}
}

// Init reads the history.
func (c *historyCard) Init() tea.Cmd { return loadHistory(c.sh.st, c.kind, c.id) }

// Dirty is the card's underneath: the history itself changes nothing.
func (c *historyCard) Dirty() bool { return c.back.Dirty() }

// SetSize sets the area the history draws in.
func (c *historyCard) SetSize(w, h int) { c.w, c.h = w, h }

// Update handles the history's keys.
func (c *historyCard) Update(msg tea.Msg) (card, tea.Cmd) {
	k := c.sh.keys
	switch msg := msg.(type) {
	case historyLoadedMsg:
		if msg.kind == c.kind && msg.id == c.id {
			if msg.err != nil {
				return c, status(store.ErrorMessage(msg.err), true)
			}
			c.lines = append(statusEventLines(msg.events), historyLines(msg.recs, msg.kind == "journal")...)
		}
	case tea.KeyPressMsg:
		room := max(c.h-2, 1)
		switch {
		case key.Matches(msg, k.Close), key.Matches(msg, k.History):
			back := c.back
			return c, func() tea.Msg { return openCardMsg{back} }
		case key.Matches(msg, k.Down):
			c.top++
		case key.Matches(msg, k.Up):
			c.top--
		case key.Matches(msg, k.PageDown):
			c.top += room
		case key.Matches(msg, k.PageUp):
			c.top -= room
		case key.Matches(msg, k.Home):
			c.top = 0
		case key.Matches(msg, k.End):
			c.top = len(c.lines)
		}
		c.top = max(min(c.top, len(c.lines)-room), 0)
	}
	return c, nil
}

// View draws the history from its scrolled line.
func (c *historyCard) View() string {
	s := c.sh.sty
	var b strings.Builder
	b.WriteString(s.title.Render(truncate(fmt.Sprintf(txtHistoryOf, c.title), c.w)) + "\n\n")
	room := max(c.h-2, 1)
	for _, l := range c.lines[min(c.top, len(c.lines)):] { // a long line wraps, under its indent
		indent := len(l) - len(strings.TrimLeft(l, " ")) + 4
		for i, part := range strings.Split(wrap(l, max(c.w-indent, 20)), "\n") {
			if room == 0 {
				return b.String()
			}
			if i > 0 {
				part = strings.Repeat(" ", indent) + part
			}
			b.WriteString(part + "\n")
			room--
		}
	}
	return b.String()
}

// Help lists the history's keys.
func (c *historyCard) Help() helpKeys {
	k := c.sh.keys
	back := key.NewBinding(key.WithKeys("f8"), key.WithHelp("F8", txtKeyBackToCard))
	return helpKeys{
		short: []key.Binding{k.Close, k.Down, k.Up, k.PageDown, k.PageUp, k.Home, k.End},
		extra: []key.Binding{back},
	}
}

// statusEventLines draws a journal entry's status events under their
// heading, newest first: when, who, the status, a return's reason and
// deadline, an annulment's reason; none when the status never changed.
func statusEventLines(events []store.StatusEvent) []string {
	if len(events) == 0 {
		return nil
	}
	out := []string{txtStatusHistory + ":"}
	for i := len(events) - 1; i >= 0; i-- {
		ev := &events[i]
		out = append(out, fmt.Sprintf("%s  %s  %s", orDash(ev.On.Ru()), ev.By, ev.Title()))
		if ev.Reason != "" {
			out = append(out, fmt.Sprintf("    %s: %s", fieldTitle("StatusReason"), ev.Reason))
		}
		if ev.Deadline != 0 {
			out = append(out, fmt.Sprintf("    %s: %s", fieldTitle("ReturnDeadline"), ev.Deadline.Ru()))
		}
	}
	return append(out, "", txtHistoryChanges+":")
}

// historyLines draws each audited action: when, who, what, and each
// field's change, in Russian. For a journal entry (journal set) the status
// fields are left out, the status history being the entry's events
// (statusEventLines), and so is a status change that changed nothing else.
func historyLines(recs []store.AuditRecord, journal bool) []string {
	var out []string
	for i := len(recs) - 1; i >= 0; i-- { // newest first
		r := &recs[i]
		changes := orderedChanges(r, journal)
		if journal && len(changes) == 0 && r.Action != "create" && r.Action != "update" && r.Action != "import" {
			continue
		}
		at := time.Unix(r.At, 0).Local().Format("02.01.2006 15:04")
		if r.Kind == "import" { // the import that created the record: its file, not its counts
			out = append(out, fmt.Sprintf("%s  %s  %s", at, r.User, r.CreatedByImport()))
			continue
		}
		out = append(out, fmt.Sprintf("%s  %s  %s", at, r.User, actionTitle(r.Action)))
		for _, ch := range changes {
			title := fieldTitle(ch.Field)
			if r.Action == "create" {
				out = append(out, fmt.Sprintf("    %s: %s", title, fieldValue(ch.Field, ch.After)))
				continue
			}
			before, after := orDash(fieldValue(ch.Field, ch.Before)), orDash(fieldValue(ch.Field, ch.After))
			out = append(out, fmt.Sprintf("    %s: %s → %s", title, before, after))
		}
	}
	if len(out) == 0 && journal {
		return []string{txtHistoryNoFields} // the status changes are listed above
	}
	if len(out) == 0 {
		return []string{txtHistoryNone}
	}
	return out
}

// orderedChanges is r's changes in the order the cards show the fields,
// without internal ids, and without the status fields (statusFields) when
// dropStatus is set.
func orderedChanges(r *store.AuditRecord, dropStatus bool) []store.FieldChange {
	var out []store.FieldChange
	changes := r.Changes()
	for _, f := range auditFieldOrder {
		if dropStatus && statusFields[f] {
			continue
		}
		for _, ch := range changes {
			if ch.Field == f {
				out = append(out, ch)
			}
		}
	}
	for c := 0; c < store.NumCols; c++ { // the figures, column by column
		for row := 0; row < store.NumRows; row++ {
			for _, ch := range changes {
				if ch.Field == store.FieldKey(c, row) {
					out = append(out, ch)
				}
			}
		}
	}
	return out
}

// statusFields are the journal fields a status change sets: the entry's
// events tell them (statusEventLines), not its audit.
var statusFields = map[string]bool{"Status": true, "StatusReason": true, "ReturnDeadline": true}

// orDash returns s, or «—» when s is empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func actionTitle(a string) string {
	if t, ok := auditActions[a]; ok {
		return t
	}
	return a
}

func fieldTitle(f string) string {
	if t, ok := auditFields[f]; ok {
		return t
	}
	for c := 0; c < store.NumCols; c++ {
		for row := 0; row < store.NumRows; row++ {
			if f == store.FieldKey(c, row) {
				return fmt.Sprintf(txtHistoryFigure, store.RowTitles[row], store.ColNames[c])
			}
		}
	}
	return f
}

// fieldValue shows a field's value as the screens do: dates as
// dd.mm.yyyy, statuses by name, the grid as «изменены».
func fieldValue(field, v string) string {
	switch field {
	case "ReceivedOn", "LetterDate", "ReturnDeadline", "EnteredOn":
		if n, err := strconv.Atoi(v); err == nil {
			return store.Date(n).Ru()
		}
	case "Status":
		return store.JournalStatus(v).Title()
	case "Grid":
		if v != "" {
			return txtHistoryGrid
		}
	}
	return v
}
