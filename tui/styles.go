package tui

import "charm.land/lipgloss/v2"

// styles are built per session. Colours are the 16 basic ANSI ones, so they
// degrade cleanly; selection uses reverse video and errors carry a symbol, so
// a monochrome terminal loses nothing.
type styles struct {
	title, tab, tabActive, status, statusWarn, header, selected, dim lipgloss.Style
	err, warn, ok, overdue, label, focus, cell, cellFocus, cellBad   lipgloss.Style
	box                                                              lipgloss.Style
}

func newStyles() styles {
	return styles{
		title:      lipgloss.NewStyle().Bold(true),
		tab:        lipgloss.NewStyle().Padding(0, 1),
		tabActive:  lipgloss.NewStyle().Padding(0, 1).Bold(true).Reverse(true),
		status:     lipgloss.NewStyle().Reverse(true),
		statusWarn: lipgloss.NewStyle().Reverse(true).Bold(true),
		header:     lipgloss.NewStyle().Bold(true),
		selected:   lipgloss.NewStyle().Reverse(true),
		dim:        lipgloss.NewStyle().Faint(true),
		err:        lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
		warn:       lipgloss.NewStyle().Foreground(lipgloss.Yellow),
		ok:         lipgloss.NewStyle().Foreground(lipgloss.Green),
		overdue:    lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
		label:      lipgloss.NewStyle().Faint(true),
		focus:      lipgloss.NewStyle().Bold(true),
		cell:       lipgloss.NewStyle(),
		cellFocus:  lipgloss.NewStyle().Reverse(true),
		cellBad:    lipgloss.NewStyle().Foreground(lipgloss.Red).Underline(true),
		box:        lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Padding(0, 1),
	}
}
