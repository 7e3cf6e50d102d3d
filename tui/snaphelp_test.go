package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sout/store"
)

// snapCase is one golden frame at 80×24: what is done after the app of
// actor (testClerk when zero) starts.
type snapCase struct {
	name  string
	actor store.Actor
	act   func(t *testing.T, a *App)
}

// runSnapshots runs each case as a sub-test on a new app over s at 80×24
// (sized before it loads, as a terminal starts) and compares its frame with
// the case's golden file.
func runSnapshots(t *testing.T, s *store.Store, cases []snapCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			actor := c.actor
			if actor.Name == "" {
				actor = testClerk
			}
			a := New(s, Config{Actor: actor, DBPath: "/srv/sout.db"}).(*App)
			a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			run(a, a.Init())
			if c.act != nil {
				c.act(t, a)
			}
			teatest.RequireEqualOutput(t, []byte(frame(a)))
		})
	}
}
