// Package tui holds the screens of sout (Bubble Tea v2) — Journal, Register
// with its card and figure grid, INN look-up, Summary — and serves them over
// SSH (wish v2).
//
// One root model (app.go) routes between screens; every screen has Update,
// View and SetSize; keys live in keys.go with their help, styles in styles.go,
// and every Russian string the clerk reads in text.go. Store calls run in
// tea.Cmds, never in View. There is no package-level mutable state: every
// session builds its own model. Libraries: charm.land/bubbletea/v2,
// charm.land/bubbles/v2 (textinput, viewport, help, key),
// charm.land/lipgloss/v2, charm.land/wish/v2.
package tui
