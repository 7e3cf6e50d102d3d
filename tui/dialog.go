package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// dialogDoneMsg closes the dialog and runs its command.
type dialogDoneMsg struct{ cmd tea.Cmd }

// dialog is a small modal: a question (Enter/Esc) or a few fields.
type dialog struct {
	a      *App
	title  string
	labels []string
	inputs []textinput.Model
	focus  int
	err    string
	onYes  func() tea.Cmd                       // a question
	onOK   func(vals []string) (tea.Cmd, error) // fields
}

func newConfirm(a *App, question string, onYes func() tea.Cmd) *dialog {
	return &dialog{a: a, title: question, onYes: onYes}
}

func newInputDialog(a *App, title string, labels, values []string, onOK func([]string) (tea.Cmd, error)) *dialog {
	d := &dialog{a: a, title: title, labels: labels, onOK: onOK}
	for i := range labels {
		ti := newInput("", 500)
		ti.SetWidth(50)
		if i < len(values) {
			ti.SetValue(values[i])
		}
		d.inputs = append(d.inputs, ti)
	}
	if len(d.inputs) > 0 {
		d.inputs[0].Focus()
	}
	return d
}

func done(cmd tea.Cmd) tea.Cmd { return func() tea.Msg { return dialogDoneMsg{cmd} } }

// Update handles a key or a blink; it returns the command to run.
func (d *dialog) Update(msg tea.Msg) tea.Cmd {
	k := d.a.keys
	if m, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(m, k.Cancel):
			return done(nil)
		case d.onYes != nil && key.Matches(m, k.Confirm):
			return done(d.onYes())
		case d.onYes != nil:
			return nil
		case m.String() == "enter" && d.focus < len(d.inputs)-1:
			d.move(1)
			return nil
		case m.String() == "enter" || key.Matches(m, k.Save):
			vals := make([]string, len(d.inputs))
			for i, in := range d.inputs {
				vals[i] = strings.TrimSpace(in.Value())
			}
			cmd, err := d.onOK(vals)
			if err != nil {
				d.err = err.Error()
				return nil
			}
			return done(cmd)
		case key.Matches(m, k.Next), key.Matches(m, k.Down):
			d.move(1)
			return nil
		case key.Matches(m, k.Prev), key.Matches(m, k.Up):
			d.move(-1)
			return nil
		}
	}
	if len(d.inputs) == 0 {
		return nil
	}
	var cmd tea.Cmd
	d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
	return cmd
}

func (d *dialog) move(n int) {
	d.inputs[d.focus].Blur()
	d.focus = (d.focus + n + len(d.inputs)) % len(d.inputs)
	d.inputs[d.focus].Focus()
}

// View draws the dialog.
func (d *dialog) View(w int) string {
	s := d.a.sty
	var b strings.Builder
	b.WriteString(s.title.Render(d.title))
	for i, in := range d.inputs {
		b.WriteString("\n\n")
		label := d.labels[i] + ": "
		if i == d.focus {
			b.WriteString(s.focus.Render("▸ " + label))
		} else {
			b.WriteString("  " + s.label.Render(label))
		}
		b.WriteString(in.View())
	}
	if d.err != "" {
		b.WriteString("\n\n" + s.err.Render(txtErrMark+d.err))
	}
	// Wide enough for the longest line (a command to copy), within the screen.
	bw := 90
	for _, l := range strings.Split(d.title, "\n") {
		bw = max(bw, lipgloss.Width(l)+4)
	}
	return s.box.Width(min(w, bw)).Render(b.String())
}

func (d *dialog) help() helpKeys {
	k := d.a.keys
	if d.onYes != nil {
		return helpKeys{short: []key.Binding{k.Confirm, k.Cancel}}
	}
	return helpKeys{short: []key.Binding{k.Open, k.Next, k.Cancel}}
}
