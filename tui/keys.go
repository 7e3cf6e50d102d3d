package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// keyMap holds every binding; the help is generated from it. Letter keys are
// bound on the Latin and the Russian layout alike.
type keyMap struct {
	Journal, Register, Lookup, Summary, Users, Help, HelpKey, Quit key.Binding
	Risks, RiskNext, RiskPrev, RiskSection, RiskView               key.Binding

	Up, Down, PageUp, PageDown, Home, End                      key.Binding
	New, Open, Filter, Period, Return, Accept, Annul, Resubmit key.Binding

	Next, Prev, Save, Close, Left, Right, Confirm, Cancel   key.Binding
	WriteXLSX, WriteCSV, PrevPeriod, NextPeriod, LockPeriod key.Binding
	ColsRight, ColsLeft                                     key.Binding
	UserRole, UserRemove                                    key.Binding
	History, Copy, StatusFilter, Settings                   key.Binding
	Revoke                                                  key.Binding // the head undoes a wrong acceptance
	SectionFilter, OrgFilter, Sort, Jump                    key.Binding
}

func newKeyMap() keyMap {
	b := func(help string, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Journal:  b("F1", txtJournal, "f1", "alt+1"),
		Register: b("F2", txtRegister, "f2", "alt+2"),
		Lookup:   b("F3", txtLookup, "f3", "alt+3"),
		Summary:  b("F4", txtSummary, "f4", "alt+4"),
		Users:    b("F5", txtUsers, "f5", "alt+5"),
		Risks:    b("F6", txtRisks, "f6", "alt+6"),
		Help:     b("?", txtKeyHelp, "?", ","),
		HelpKey:  b("F12", txtKeyHelp, "f12"), // where ? is typed as text
		Quit:     b("F10", txtKeyQuit, "f10", "ctrl+c"),

		RiskNext:    b("Tab", txtKeyRiskNext, "tab"),
		RiskPrev:    b("Shift+Tab", txtKeyRiskPrev, "shift+tab"),
		RiskSection: b("s", txtKeyRiskSection, "s", "ы"),
		RiskView:    b("v", txtKeyRiskView, "v", "м"),

		Up:       b("↑", txtKeyUp, "up"),
		Down:     b("↓", txtKeyDown, "down"),
		PageUp:   b("PgUp", txtKeyPgUp, "pgup"),
		PageDown: b("PgDn", txtKeyPgDn, "pgdown"),
		Home:     b("Home", txtKeyHome, "home"),
		End:      b("End", txtKeyEnd, "end"),
		New:      b("n/Ins", txtKeyNew, "n", "т", "insert"),
		Open:     b("Enter", txtKeyOpen, "enter"),
		Filter:   b("/", txtKeyFilter, "/", "."),
		Period:   b("p", txtKeyPeriod, "p", "з"),
		Return:   b("r", txtKeyReturn, "r", "к"),
		Accept:   b("a", txtKeyAccept, "a", "ф"),
		Annul:    b("x", txtKeyAnnul, "x", "ч"),
		Resubmit: b("g", txtKeyResubmit, "g", "п"),

		Next:    b("Tab", txtKeyNext, "tab"),
		Prev:    b("Shift+Tab", txtKeyPrev, "shift+tab"),
		Save:    b("Ctrl+S", txtKeySave, "ctrl+s"),
		Close:   b("Esc", txtKeyClose, "esc"),
		Left:    b("←", txtKeyLeft, "left"),
		Right:   b("→", txtKeyRight, "right"),
		Confirm: b("Enter", txtKeyConfirm, "enter", "y", "н"),
		Cancel:  b("Esc", txtKeyCancel, "esc"),

		WriteXLSX:    b("x", txtKeyXLSX, "x", "ч"),
		WriteCSV:     b("c", txtKeyCSV, "c", "с"),
		PrevPeriod:   b("←", txtKeyPrevPeriod, "left"),
		NextPeriod:   b("→", txtKeyNextPeriod, "right"),
		LockPeriod:   b("l", txtKeyLock, "l", "д"),
		ColsRight:    b("Tab", txtKeyColsRight, "tab"),
		ColsLeft:     b("Shift+Tab", txtKeyColsLeft, "shift+tab"),
		UserRole:     b("e", txtKeyRole, "e", "у"),
		UserRemove:   b("Del", txtKeyRemove, "delete"),
		History:      b("F8", txtKeyHistory, "f8", "alt+h"),
		Settings:     b("o", txtKeySettings, "o", "щ"),
		Copy:         b("c", txtKeyCopyEntry, "c", "с"),
		StatusFilter: b("s", txtKeyStatusFilter, "s", "ы"),
		Revoke:       b("u", txtKeyRevoke, "u", "г"),

		SectionFilter: b("s", txtKeySection, "s", "ы"),
		OrgFilter:     b("o", txtKeyOrgFilter, "o", "щ"),
		Sort:          b("t", txtKeySort, "t", "е"),
		Jump:          b("d", txtKeyJump, "d", "в"),
	}
}

// The keys of a card's fields and grid the key map has no binding for:
// the help names them.
var (
	orgTakeKey      = key.NewBinding(key.WithKeys("tab"), key.WithHelp("Tab", txtKeyOrgTake))
	fieldEnterKey   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("Enter", txtKeyNext))
	fieldUpDownKey  = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑ ↓", txtKeyFieldUpDown))
	problemsDownKey = key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("PgDn", txtKeyProblemsDown))
	problemsUpKey   = key.NewBinding(key.WithKeys("pgup"), key.WithHelp("PgUp", txtKeyProblemsUp))
	clearFilterKey  = key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", txtKeyClearFilter))
	clearAllKey     = key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", txtKeyClearFilters))
	gridMoveKey     = key.NewBinding(key.WithKeys("left", "right", "up", "down"), key.WithHelp("← → ↑ ↓", txtKeyGridMove))
	gridTypeKey     = key.NewBinding(key.WithKeys("0", "backspace", "delete"),
		key.WithHelp("0–9 Bksp Del", txtKeyGridType))
	gridEndsKey = key.NewBinding(key.WithKeys("home", "end"), key.WithHelp("Home End", txtKeyGridEnds))
)

// helpKeys is a help.KeyMap over a fixed list of bindings.
type helpKeys struct{ short, extra []key.Binding }

// roleKey puts b among the main keys when the user may use it (may is
// nil), else first among the others: the head's keys on the head's help
// line, in ? for the rest.
func roleKey(may error, b key.Binding, short, extra []key.Binding) ([]key.Binding, []key.Binding) {
	if may == nil {
		return append(short, b), extra
	}
	return short, append([]key.Binding{b}, extra...)
}

func (h helpKeys) ShortHelp() []key.Binding { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{h.short, h.extra}
}

// helpCacheKey names what a help line shows: the bindings' keys,
// descriptions and states, the widths (the frame's and the help's) and the mode.
func helpCacheKey(h helpKeys, w, helpW int, all bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %d %t", w, helpW, all)
	for _, group := range [][]key.Binding{h.short, h.extra} {
		b.WriteByte('|')
		for _, k := range group {
			hp := k.Help()
			fmt.Fprintf(&b, "\x00%s\x01%s\x02%t", hp.Key, hp.Desc, k.Enabled())
		}
	}
	return b.String()
}

// shortHelp draws the short help in at most lines lines of w cells: the
// bindings in order (the screen's main keys first), wrapped between
// bindings; when the full descriptions leave out some of the screen's main
// keys (h.short), the shorter ones (shortDescs) are used if more fit; what does not fit still ends in «…» (all is in
// the full help).
func shortHelp(m help.Model, h helpKeys, w, lines int) string {
	var bs []key.Binding
	main := 0 // the screen's own bindings among bs (h.short)
	for i, b := range append(append([]key.Binding{}, h.short...), h.extra...) {
		if b.Enabled() && b.Help().Key != "" {
			bs = append(bs, b)
			if i < len(h.short) {
				main++
			}
		}
	}
	rows, more := helpRows(bs, w, lines, func(d string) string { return d })
	if n := placed(rows); n < main { // the screen's main keys left out: try the shorter words
		short := func(d string) string {
			if s, ok := shortDescs[d]; ok {
				return s
			}
			return d
		}
		if r, m := helpRows(bs, w, lines, short); placed(r) > n {
			rows, more = r, m
		}
	}
	sep := m.Styles.ShortSeparator.Render(" • ")
	out := make([]string, lines)
	for i, r := range rows {
		texts := make([]string, len(r))
		for k, b := range r {
			texts[k] = m.Styles.ShortKey.Render(b.key) + " " + m.Styles.ShortDesc.Render(b.desc)
		}
		out[i] = strings.Join(texts, sep)
		if more && i == len(rows)-1 {
			out[i] += " …"
		}
		out[i] = truncate(out[i], w)
	}
	return strings.Join(out, "\n")
}

// placed is how many bindings rows hold.
func placed(rows [][]helpItem) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

// helpItem is one binding of a help line: its key and description.
type helpItem struct{ key, desc string }

// helpRowWidth is the cells a help line of r takes (« • » between items).
func helpRowWidth(r []helpItem) int {
	n := 0
	for i, it := range r {
		n += width(it.key) + 1 + width(it.desc)
		if i > 0 {
			n += 3
		}
	}
	return n
}

// helpRows lays bs out in at most lines rows of w cells, descriptions
// through desc, in order: nothing after a binding left out (the order is
// the priority). more reports bindings left out; then the last row keeps
// room for « …», whole bindings dropped to make it: none is cut.
func helpRows(bs []key.Binding, w, lines int, desc func(string) string) (rows [][]helpItem, more bool) {
	for _, b := range bs {
		it := helpItem{b.Help().Key, desc(b.Help().Desc)}
		itW := width(it.key) + 1 + width(it.desc)
		switch {
		case len(rows) > 0 && helpRowWidth(rows[len(rows)-1])+3+itW <= w:
			rows[len(rows)-1] = append(rows[len(rows)-1], it)
		case len(rows) < lines:
			rows = append(rows, []helpItem{it})
		default:
			more = true
		}
		if more {
			break
		}
	}
	if more {
		last := rows[len(rows)-1]
		for len(last) > 1 && helpRowWidth(last)+2 > w {
			last = last[:len(last)-1]
		}
		rows[len(rows)-1] = last
	}
	return rows, more
}
