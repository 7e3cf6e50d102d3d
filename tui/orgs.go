package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// soutOrgsMsg carries the SOUT organisations the records name.
type soutOrgsMsg struct{ orgs []store.KnownOrg }

// loadOrgs reads the known SOUT organisations for a card's suggestions.
func loadOrgs(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		orgs, _ := st.SoutOrgs(context.Background()) // no suggestions on a failed read: the field still takes any name
		return soutOrgsMsg{orgs}
	}
}

// The keys that choose among the suggested organisations.
var (
	orgNextKey = key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("Ctrl+N", txtKeyOrgNext))
	orgPrevKey = key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("Ctrl+P", txtKeyOrgPrev))
)

// orgSuggest offers the known SOUT organisations on a card's name field:
// those whose name contains what was typed (any case), the most used first;
// Tab takes the one shown and fills its registry number. bubbles' own
// suggestions match only a prefix, and the legal form («ООО», «АО») begins
// nearly every name, so the clerk typing «центр» would be offered nothing.
type orgSuggest struct {
	orgs    []store.KnownOrg
	pick    int    // the shown one among the matches
	forText string // the typed text the matches are for
	hits    []int  // indexes into orgs
	// filled is the name and registry number a suggestion or a known name
	// put on the card: once the name is changed, a number still equal to
	// the filled one belongs to another organisation and goes.
	filled struct{ name, no string }
}

// set keeps the loaded organisations.
func (o *orgSuggest) set(msg soutOrgsMsg) { o.orgs, o.forText, o.hits = msg.orgs, "", nil }

// matches returns the organisations matching typed.
func (o *orgSuggest) matches(typed string) []int {
	typed = strings.ToLower(strings.Join(strings.Fields(typed), " "))
	if typed == o.forText && o.hits != nil {
		return o.hits
	}
	o.forText, o.hits, o.pick = typed, []int{}, 0
	if typed == "" {
		return o.hits
	}
	for i := range o.orgs {
		name := strings.ToLower(o.orgs[i].Name)
		if strings.Contains(name, typed) && name != typed {
			o.hits = append(o.hits, i)
		}
	}
	return o.hits
}

// current is the suggestion shown for the field's text, if any.
func (o *orgSuggest) current(fs *fieldSet, name int) *store.KnownOrg {
	hits := o.matches(fs.value(name))
	if len(hits) == 0 {
		return nil
	}
	return &o.orgs[hits[o.pick%len(hits)]]
}

// known is the organisation named exactly as typed, if any.
func (o *orgSuggest) known(typed string) *store.KnownOrg {
	typed = strings.Join(strings.Fields(typed), " ")
	for i := range o.orgs {
		if strings.EqualFold(o.orgs[i].Name, typed) {
			return &o.orgs[i]
		}
	}
	return nil
}

// key handles a key on the focused name field: Tab takes the suggestion
// (and its number), Ctrl+N / Ctrl+P show another. Leaving the field with a
// known name fills an empty number. It reports whether the key was used.
func (o *orgSuggest) key(k keyMap, msg tea.KeyPressMsg, fs *fieldSet, name, no int) bool {
	if o.filled.no != "" && !strings.EqualFold(strings.Join(strings.Fields(fs.value(name)), " "), o.filled.name) {
		if fs.value(no) == o.filled.no {
			fs.set(no, "")
		}
		o.filled.name, o.filled.no = "", ""
	}
	hits := o.matches(fs.value(name))
	switch {
	case key.Matches(msg, orgNextKey) && len(hits) > 0:
		o.pick = (o.pick + 1) % len(hits)
		return true
	case key.Matches(msg, orgPrevKey) && len(hits) > 0:
		o.pick = (o.pick + len(hits) - 1) % len(hits)
		return true
	case key.Matches(msg, k.Next) && len(hits) > 0:
		org := o.orgs[hits[o.pick%len(hits)]]
		fs.set(name, org.Name)
		fs.inputs[name].CursorEnd()
		if org.RegNo != "" {
			fs.set(no, org.RegNo)
			o.filled.name, o.filled.no = org.Name, org.RegNo
		}
		return true
	}
	if org := o.known(fs.value(name)); org != nil && org.RegNo != "" && fs.value(no) == "" {
		fs.set(no, org.RegNo) // the key goes on to the card: it leaves the field or types
		o.filled.name, o.filled.no = org.Name, org.RegNo
	}
	return false
}

// view is the line offering the suggestion, "" when there is none.
func (o *orgSuggest) view(s styles, fs *fieldSet, name, focus int) string {
	if focus != name {
		return ""
	}
	org := o.current(fs, name)
	if org == nil {
		return ""
	}
	no := ""
	if org.RegNo != "" {
		no = fmt.Sprintf(txtOrgSuggestNo, org.RegNo)
	}
	if len(o.hits) == 1 {
		return s.dim.Render(fmt.Sprintf(txtOrgSuggestOne, org.Name, no))
	}
	return s.dim.Render(fmt.Sprintf(txtOrgSuggest, org.Name, no, o.pick%len(o.hits)+1, len(o.hits)))
}
