package tui

import (
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// runScreen runs cmd and what follows from it on the screen s alone, as the
// program would: every message goes to s.Update.
func runScreen(s screen, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch m := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			runScreen(s, c)
		}
	default:
		runScreen(s, s.Update(m))
	}
}

// BenchmarkJournalScreenLoad opens the Journal screen on the current year of
// the shared demo file (about 150,000 entries) and draws its first frame: the
// time and the allocations of one opening, and the heap the open screen
// keeps (retained-B: live heap with the screen, less the heap without it,
// after a collection).
func BenchmarkJournalScreenLoad(b *testing.B) {
	a := benchNewApp(b)
	sh := a.journal.sh
	open := func() *journalScreen {
		j := newJournalScreen(sh)
		j.SetSize(100, 28)
		runScreen(j, j.Init())
		_ = j.View()
		return j
	}
	var j *journalScreen
	for b.Loop() {
		j = open()
	}
	if j.selected() == nil {
		b.Fatal("the journal list is empty")
	}
	j = nil
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	j = open()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)), "retained-B")
	b.ReportMetric(float64(journalCount(j)), "entries")
	runtime.KeepAlive(j)
}

// journalCount is the number of entries the Journal list shows.
func journalCount(j *journalScreen) int { return len(j.keys) }
