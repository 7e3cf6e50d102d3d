package tui

import (
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sout/store"
	"sout/store/demo/demotest"
)

// benchApp opens the shared 1,000,000-entry demo file read-only and returns
// the screens at 100×30 with their first data loaded.
func benchApp(b *testing.B) *App {
	b.Helper()
	a := benchNewApp(b)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(a, a.Init())
	// The year's journal takes longer than run waits for a command: load it
	// here, and give the load Init started (its result is now ignored) time
	// to end, so that it does not run during the measurements.
	a.Update(a.journal.load()())
	if len(a.journal.rows) == 0 {
		b.Fatal("the benchmark file has no journal entries this year")
	}
	time.Sleep(time.Second)
	runtime.GC()
	return a
}

// benchNewApp opens the shared demo file read-only in an App not yet
// started: nothing is read.
func benchNewApp(b *testing.B) *App {
	b.Helper()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	path := demotest.FilePath(demotest.BenchEmployers())
	if err := demotest.EnsureFile(path, demotest.BenchEmployers(), now); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(path, store.Options{Now: func() time.Time { return now }, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return New(s, Config{Actor: testClerk, DBPath: path}).(*App)
}

// benchKeys measures one key through Update, the commands it starts (store
// reads for the next page included), and the frame.
func benchKeys(b *testing.B, a *App, keys ...tea.KeyPressMsg) {
	b.Helper()
	i := 0
	for b.Loop() {
		press(a, keys[i%len(keys)])
		_ = a.View()
		i++
	}
}

// BenchmarkRegisterScroll walks the Register list of 1,000,000 entries down,
// a row and a page at a time, with End and Home between.
func BenchmarkRegisterScroll(b *testing.B) {
	a := benchApp(b)
	press(a, kF2)
	if len(a.register.rows) == 0 {
		b.Fatal("the register list did not load")
	}
	b.Logf("register rows in the window: %d", len(a.register.rows))
	b.Run("down", func(b *testing.B) { benchKeys(b, a, tea.KeyPressMsg{Code: tea.KeyDown}) })
	b.Run("pgdown", func(b *testing.B) { benchKeys(b, a, tea.KeyPressMsg{Code: tea.KeyPgDown}) })
	b.Run("end-home", func(b *testing.B) {
		benchKeys(b, a, tea.KeyPressMsg{Code: tea.KeyEnd}, tea.KeyPressMsg{Code: tea.KeyHome})
	})
}

// BenchmarkJournalScroll walks the Journal list of the current year.
func BenchmarkJournalScroll(b *testing.B) {
	a := benchApp(b)
	press(a, kF1)
	b.Logf("journal rows: %d", len(a.journal.rows))
	b.Run("down", func(b *testing.B) { benchKeys(b, a, tea.KeyPressMsg{Code: tea.KeyDown}) })
	b.Run("pgdown", func(b *testing.B) { benchKeys(b, a, tea.KeyPressMsg{Code: tea.KeyPgDown}) })
}

// BenchmarkFrame is the View of the Register list alone.
func BenchmarkFrame(b *testing.B) {
	a := benchApp(b)
	press(a, kF2)
	for b.Loop() {
		_ = a.View()
	}
}

// BenchmarkJournalCardTyping types into a journal card: the frame a clerk
// waits for on every key.
func BenchmarkJournalCardTyping(b *testing.B) {
	a := testApp(b, testStore(b))
	press(a, kF1, kN)
	keys := []tea.KeyPressMsg{{Code: 'а', Text: "а"}, {Code: tea.KeyBackspace}}
	benchKeys(b, a, keys...)
}

// BenchmarkJournalLoad is what the Journal screen does before its list
// appears: read the current year's entries and order them.
func BenchmarkJournalLoad(b *testing.B) {
	a := benchApp(b)
	var n int
	for b.Loop() {
		msg := a.journal.load()().(journalLoadedMsg)
		if msg.page.err != nil {
			b.Fatal(msg.page.err)
		}
		n = len(msg.keys)
	}
	b.ReportMetric(float64(n), "entries")
}
