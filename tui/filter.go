package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// filterPausedMsg comes filterPause after a change of the filter named id.
type filterPausedMsg struct {
	id  string
	seq int
}

// filterPause is how long typing in a filter must pause before the list is read.
const filterPause = 120 * time.Millisecond

// filterBox is the filter line of a list: always shown with the list's
// counts, `/` puts the cursor in it (its text kept, to be edited), Enter or
// an arrow leaves it, Esc clears it (typing or not). The list is read once
// typing pauses: a year can hold 150,000 entries.
type filterBox struct {
	id     string
	input  textinput.Model
	active bool
	seq    int
	// pending: typed since the list was last asked for; the rows shown are
	// of the text before.
	pending bool
}

func newFilterBox(id string) filterBox {
	in := newInput(txtFilter, 100)
	in.Placeholder = txtFilterHint
	return filterBox{id: id, input: in}
}

// Value is the filter's text.
func (f *filterBox) Value() string { return f.input.Value() }

// SetWidth sets the input's width.
func (f *filterBox) SetWidth(w int) { f.input.SetWidth(w) }

// Key handles a key for the list. It reports whether the key was the
// filter's, and whether the list must be read again at once (cleared).
// A change typed comes back later as a filterPausedMsg.
func (f *filterBox) Key(k keyMap, msg tea.KeyPressMsg) (used, reload bool, cmd tea.Cmd) {
	if !f.active {
		switch {
		case key.Matches(msg, k.Filter):
			f.active = true
			f.input.CursorEnd()
			return true, false, f.input.Focus()
		case key.Matches(msg, k.Close) && f.input.Value() != "":
			f.input.SetValue("")
			return true, true, nil
		}
		return false, false, nil
	}
	switch {
	case key.Matches(msg, k.Close):
		f.active = false
		f.input.Blur()
		if f.input.Value() == "" {
			return true, false, nil
		}
		f.input.SetValue("")
		return true, true, nil
	case key.Matches(msg, k.Open), key.Matches(msg, k.Up), key.Matches(msg, k.Down):
		f.active = false
		f.input.Blur()
		if f.pending { // read now: the next key acts on the list filtered
			f.pending = false
			f.seq++ // the pause's tick is void
			return true, true, nil
		}
		return true, false, nil
	}
	before := f.input.Value()
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() == before {
		return true, false, cmd
	}
	f.seq++
	f.pending = true
	id, seq := f.id, f.seq
	return true, false, tea.Batch(cmd, tea.Tick(filterPause, func(time.Time) tea.Msg { return filterPausedMsg{id, seq} }))
}

// Paused reports whether msg is this filter's latest pause: read the list.
func (f *filterBox) Paused(msg filterPausedMsg) bool {
	if msg.id != f.id || msg.seq != f.seq {
		return false
	}
	f.pending = false
	return true
}

// Pending reports whether text was typed that the list has not been asked
// to read yet.
func (f *filterBox) Pending() bool { return f.pending }

// Update passes other messages (the cursor's blink) to the input.
func (f *filterBox) Update(msg tea.Msg) tea.Cmd {
	if !f.active {
		return nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

// View draws the filter line: the input while typing, else its text alone
// (the list's counts follow it).
func (f *filterBox) View() string {
	switch {
	case f.active:
		return f.input.View()
	case f.input.Value() == "":
		return txtFilter + txtFilterHint
	}
	return txtFilter + f.input.Value()
}
