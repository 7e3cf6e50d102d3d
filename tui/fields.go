package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// fieldSet is the text fields of a card, in Tab order.
type fieldSet struct {
	labels  []string
	keys    []string // the data keys the checks name (store.Problem.Field)
	inputs  []textinput.Model
	initial []string
	// labelCache holds rendered labels by field, state and width.
	labelCache map[labelKey]string
	// views keeps the last drawing of each field not being edited: typing
	// changes one field, and the others need not be drawn again.
	views []lastRender[fieldViewKey, string]
}

type fieldViewKey struct {
	value string
	width int
}

type labelKey struct{ field, state, width int }

func newFieldSet(labels, keys, values []string) fieldSet {
	fs := fieldSet{labels: labels, keys: keys}
	for i := range labels {
		ti := newInput("", 2000)
		ti.SetWidth(40)
		if i < len(values) {
			ti.SetValue(values[i])
			ti.CursorStart() // a field not being edited shows its beginning
		}
		fs.inputs = append(fs.inputs, ti)
		fs.initial = append(fs.initial, ti.Value())
	}
	return fs
}

func (fs *fieldSet) value(i int) string { return strings.TrimSpace(fs.inputs[i].Value()) }

func (fs *fieldSet) set(i int, v string) {
	fs.inputs[i].SetValue(v)
	if !fs.inputs[i].Focused() {
		fs.inputs[i].CursorStart()
	}
}

// settle takes the fields' values as the ones the card opened with: what
// a card fills in itself (from the journal entry accepted, the employer's
// last card, the entry copied) is not a change of the clerk's.
func (fs *fieldSet) settle() {
	for i, in := range fs.inputs {
		fs.initial[i] = in.Value()
	}
}

func (fs *fieldSet) dirty() bool {
	for i, in := range fs.inputs {
		if in.Value() != fs.initial[i] {
			return true
		}
	}
	return false
}

// focus focuses field i (or none for -1).
func (fs *fieldSet) focus(i int) tea.Cmd {
	var cmd tea.Cmd
	for k := range fs.inputs {
		if k == i {
			cmd = fs.inputs[k].Focus()
			fs.inputs[k].CursorEnd()
		} else if fs.inputs[k].Focused() {
			fs.inputs[k].Blur()
			fs.inputs[k].CursorStart()
		}
	}
	return cmd
}

func (fs *fieldSet) update(i int, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	fs.inputs[i], cmd = fs.inputs[i].Update(msg)
	return cmd
}

func (fs *fieldSet) setWidths(w int) {
	for i := range fs.inputs {
		fs.setWidth(i, w)
	}
}

// setWidth sets the width of field i. The input scrolls its text only when
// the cursor moves, so the cursor is put back in place to redo that.
func (fs *fieldSet) setWidth(i, w int) {
	w = max(w, 8)
	in := &fs.inputs[i]
	if in.Width() == w {
		return
	}
	in.SetWidth(w)
	if in.Focused() {
		pos := in.Position()
		in.CursorStart()
		in.SetCursor(pos)
	} else {
		in.CursorEnd()
		in.CursorStart()
	}
}

// line draws field i as «label: value» with its mark.
func (fs *fieldSet) line(s styles, i, focus, labelW int, bad bool, note string) string {
	state := 0
	switch {
	case i == focus:
		state = 1
	case bad:
		state = 2
	}
	// Labels change only with focus and errors: render each once (every
	// frame of every session draws them).
	ck := labelKey{i, state, labelW}
	label, ok := fs.labelCache[ck]
	if !ok {
		label = pad(fs.labels[i], labelW)
		switch state {
		case 1:
			label = s.focus.Render("▸" + label)
		case 2:
			label = s.err.Render("✗" + label)
		default:
			label = " " + s.label.Render(label)
		}
		if fs.labelCache == nil {
			fs.labelCache = map[labelKey]string{}
		}
		fs.labelCache[ck] = label
	}
	in := &fs.inputs[i]
	var v string
	if in.Focused() {
		v = in.View()
	} else {
		if len(fs.views) != len(fs.inputs) {
			fs.views = make([]lastRender[fieldViewKey, string], len(fs.inputs))
		}
		v = fs.views[i].get(fieldViewKey{in.Value(), in.Width()}, in.View)
	}
	if note != "" {
		v += " " + note
	}
	return label + " " + v
}
