package tui

import "strings"

// withRequired makes input i of the dialog required: Enter (or Ctrl+S) with
// it empty shows msg and stays, instead of moving on silently.
func (d *dialog) withRequired(i int, msg string) *dialog {
	if d.needed == nil {
		d.needed = map[int]string{}
	}
	d.needed[i] = msg
	return d
}

// refuseEmpty reports whether a required input that Enter would pass is
// empty; it then focuses that input and shows its message. Once they are
// filled, the message shown for one goes.
func (d *dialog) refuseEmpty() bool {
	for i := 0; i <= d.focus && i < len(d.inputs); i++ {
		msg, ok := d.needed[i]
		if !ok || strings.TrimSpace(d.inputs[i].Value()) != "" {
			continue
		}
		if i != d.focus {
			d.move(i - d.focus)
		}
		d.err = msg
		return true
	}
	for _, msg := range d.needed { // filled in since: its message goes
		if d.err == msg {
			d.err = ""
		}
	}
	return false
}
