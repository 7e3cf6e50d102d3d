package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/term"

	"sout/report"
)

// importProgress draws the progress bar of an import on stderr: only on a
// terminal, and only once the import has run for a second.
type importProgress struct {
	w     io.Writer
	bar   progress.Model
	start time.Time
	last  time.Time
	shown bool
}

// newImportProgress returns the progress bar for e's stderr, or nil when
// stderr is not a terminal.
func newImportProgress(e *env) *importProgress {
	f, ok := e.stderr.(*os.File)
	if !ok || e.remote || !term.IsTerminal(f.Fd()) {
		return nil
	}
	return &importProgress{w: f, bar: progress.New(progress.WithWidth(30), progress.WithoutPercentage()), start: time.Now()}
}

// update redraws the bar, at most five times a second.
func (p *importProgress) update(pr report.Progress) {
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	took := now.Sub(p.start).Seconds()
	rate := float64(pr.Rows) / took
	line := fmt.Sprintf("строк: %d, %.0f в секунду", pr.Rows, rate)
	if pr.Total > 0 && pr.Done > 0 {
		frac := min(1, float64(pr.Done)/float64(pr.Total))
		left := time.Duration(took*(1-frac)/frac) * time.Second
		line = fmt.Sprintf("%s %3.0f %% %s, осталось около %s", p.bar.ViewAs(frac), frac*100, line, left.Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
}

// done clears the bar's line; a nil bar does nothing.
func (p *importProgress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
