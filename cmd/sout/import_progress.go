package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"sout/report"
)

// importProgress draws the progress bar of an import on stderr: only on a
// terminal, and only once the import has run for a second.
type importProgress struct {
	w     io.Writer
	fd    uintptr
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
	return &importProgress{
		w:     f,
		fd:    f.Fd(),
		bar:   progress.New(progress.WithWidth(20), progress.WithoutPercentage()),
		start: time.Now(),
	}
}

// update redraws the bar, at most five times a second, within the
// terminal's width: percent, rows, rate and time left when the total is
// known, rows and rate when not.
func (p *importProgress) update(pr report.Progress) {
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	took := now.Sub(p.start).Seconds()
	line := fmt.Sprintf("строк %d · %.0f/с", pr.Rows, float64(pr.Rows)/took)
	if pr.Total > 0 && pr.Done > 0 {
		frac := min(0.99, float64(pr.Done)/float64(pr.Total)) // a workbook's total is estimated
		left := int(took*(1-frac)/frac + 0.5)
		line = fmt.Sprintf("%s %3.0f %% · %s · осталось %d:%02d", p.bar.ViewAs(frac), frac*100, line, left/60, left%60)
	}
	if w, _, err := term.GetSize(p.fd); err == nil && w > 1 {
		line = ansi.Truncate(line, w-1, "")
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
}

// done clears the bar's line; a nil bar does nothing.
func (p *importProgress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
