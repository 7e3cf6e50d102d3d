package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sout/store"
)

// dialogOpenedMsg opens a dialog over the current screen or card.
type dialogOpenedMsg struct{ d *dialog }

// dialogDoneMsg closes the dialog and runs its command.
type dialogDoneMsg struct{ cmd tea.Cmd }

// dialogFailedMsg keeps the dialog open and shows why its operation failed.
type dialogFailedMsg struct{ text string }

// dialog is a small modal: a question (Enter/Esc) or a few fields. It
// changes nothing itself: what Enter does runs as a command, which answers
// with dialogDoneMsg (close) or dialogFailedMsg (stay, with the reason).
type dialog struct {
	sh     *shared
	title  string
	labels []string
	inputs []textinput.Model
	focus  int
	err    string
	busy   bool                                 // its command runs
	okDesc string                               // what Enter does, for the help
	onYes  func() tea.Cmd                       // a question
	onOK   func(vals []string) (tea.Cmd, error) // fields: an error is the input's, shown at once
	onSave func() tea.Cmd                       // a question that Ctrl+S also answers
	raw    string                               // a line shown whole under the box (a command to copy)
	needed map[int]string                       // input → its message when left empty (withRequired)
}

func newConfirm(sh *shared, question string, onYes func() tea.Cmd) *dialog {
	return &dialog{sh: sh, title: question, onYes: onYes, okDesc: txtKeyConfirm}
}

func newInputDialog(sh *shared, title string, labels, values []string, onOK func([]string) (tea.Cmd, error)) *dialog {
	d := &dialog{sh: sh, title: title, labels: labels, onOK: onOK, okDesc: txtKeySave}
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

// withOK names what Enter does in the dialog's help.
func (d *dialog) withOK(desc string) *dialog { d.okDesc = desc; return d }

func openDialog(d *dialog) tea.Cmd { return func() tea.Msg { return dialogOpenedMsg{d} } }

func done(cmd tea.Cmd) tea.Cmd { return func() tea.Msg { return dialogDoneMsg{cmd} } }

// dialogOp runs op as a command: a failure keeps the dialog open with the
// store's message, success closes it and shows ok in the status line.
func dialogOp(op func() error, ok string) tea.Cmd {
	return func() tea.Msg {
		if err := op(); err != nil {
			return dialogFailedMsg{store.ErrorMessage(err)}
		}
		return dialogDoneMsg{status(ok, false)}
	}
}

// Update handles a key or a blink; it returns the command to run.
func (d *dialog) Update(msg tea.Msg) tea.Cmd {
	k := d.sh.keys
	if f, ok := msg.(dialogFailedMsg); ok {
		d.busy, d.err = false, f.text
		return nil
	}
	if m, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(m, k.Cancel):
			return done(nil)
		case d.busy:
			return nil
		case d.onYes != nil && key.Matches(m, k.Confirm):
			return done(d.onYes())
		case d.onSave != nil && key.Matches(m, k.Save):
			return done(d.onSave())
		case d.onYes != nil:
			return nil
		case (m.String() == "enter" || key.Matches(m, k.Save)) && d.refuseEmpty():
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
			d.busy, d.err = true, ""
			return cmd
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

// View draws the dialog in w cells; long lines wrap.
func (d *dialog) View(w int) string {
	s := d.sh.sty
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
	// Wide enough for the longest line (a command to copy), within the screen.
	bw := 90
	for _, l := range strings.Split(d.title, "\n") {
		bw = max(bw, lipgloss.Width(l)+4)
	}
	if d.err != "" { // wrapped at spaces: a date range or a file name stays whole
		inner := min(w, bw) - s.box.GetHorizontalFrameSize()
		b.WriteString("\n\n" + s.err.Render(wrap(txtErrMark+d.err, inner, atSpacesOnly)))
	}
	box := s.box.Width(min(w, bw)).Render(b.String())
	if d.raw != "" { // whole, never cut: wrapped at spaces when wider than the screen
		raw := wrap(d.raw, w, atSpacesOnly) // a file name keeps its dashes
		if strings.Contains(raw, "\n") {
			raw += "\n" + s.dim.Render(txtRawOneLine)
		}
		box += "\n\n" + raw
	}
	return box
}

// Help lists the dialog's keys, Enter named for what it does in the focused
// field: the next field, or on the last one what the dialog does, which
// Ctrl+S does from any field (named where Enter does something else).
func (d *dialog) Help() helpKeys {
	k := d.sh.keys
	ok := key.NewBinding(key.WithKeys("enter"), key.WithHelp("Enter", d.okDesc))
	if d.onYes != nil {
		if d.onSave != nil {
			return helpKeys{short: []key.Binding{k.Save, ok, k.Cancel}}
		}
		return helpKeys{short: []key.Binding{ok, k.Cancel}}
	}
	save := key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("Ctrl+S", d.okDesc))
	if len(d.inputs) < 2 { // Ctrl+S does what Enter does
		return helpKeys{short: []key.Binding{ok, k.Cancel}}
	}
	if d.focus < len(d.inputs)-1 {
		next := key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("Enter/Tab", txtKeyNext))
		return helpKeys{short: []key.Binding{next, save, k.Cancel, k.Prev, fieldUpDownKey}}
	}
	return helpKeys{short: []key.Binding{ok, k.Cancel, k.Next, k.Prev, fieldUpDownKey}}
}

// rangeDots writes a range as clerks type it, «01.07.2026 - 31.12.2026»,
// «1.7.26–31.12.26» or «1.7.26-31.12.26», with the «..» ParsePeriod takes.
// A single «-» between dotted dates is the range's; dates written with
// dashes (01-07-2026) need spaces around it.
func rangeDots(s string) string {
	if strings.Contains(s, "..") {
		return s
	}
	for _, sep := range []string{" - ", " – ", " — ", "–", "—"} {
		if strings.Contains(s, sep) {
			return strings.Replace(s, sep, "..", 1)
		}
	}
	if strings.Count(s, "-") == 1 && strings.Contains(s, ".") {
		return strings.Replace(s, "-", "..", 1)
	}
	return s
}

// parsePeriodInput reads a period as a dialog takes it (store.ParsePeriod)
// and names what is wrong the way the clerk typed it: «Период: …», dates as
// dd.mm.yyyy, never the file's ISO form.
func parsePeriodInput(s string) (store.Period, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(rangeDots(s), ".."); ok {
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if from == "" || to == "" {
			return store.Period{}, inputError(fmt.Sprintf(txtPeriodBothDates, s))
		}
		f, err := dateInput(txtPeriodStart, from)
		if err != nil {
			return store.Period{}, err
		}
		t, err := dateInput(txtPeriodEnd, to)
		if err != nil {
			return store.Period{}, err
		}
		if t < f {
			return store.Period{}, inputError(fmt.Sprintf(txtPeriodBackwards, t.Ru(), f.Ru()))
		}
		return store.Period{From: f, To: t}, nil
	}
	p, err := store.ParsePeriod(s)
	if err != nil {
		return p, inputError(fmt.Sprintf(txtPeriodUnknown, s))
	}
	return p, nil
}

// dateInput reads the date typed in a dialog's field named label; what is
// wrong is said of that field, as typed (store.DateProblem).
func dateInput(label, s string) (store.Date, error) {
	d, err := store.ParseDate(s)
	if err != nil {
		return 0, inputError(store.DateProblem(label, err))
	}
	return d, nil
}

// inputError is a message on what the user typed, shown as it is (in
// Russian, capitalised, in the style «Поле: что не так»).
type inputError string

func (e inputError) Error() string { return string(e) }
