package tui

import (
	"fmt"
	"strings"

	"sout/store"
)

// statusHistoryLines is the journal entry's status history (reasons, deadlines,
// re-receipts) wrapped into the card's body under its title, at most three
// lines; "" for a new entry or one never changed in status.
func statusHistoryLines(s styles, e *store.JournalEntry, w int) string {
	if e == nil {
		return ""
	}
	note := e.HistoryNote()
	if note == "" {
		return ""
	}
	lines := strings.Split(wrap(fmt.Sprintf(txtHistoryNote, note), w), "\n")
	if len(lines) > 3 {
		lines = append(lines[:2], truncate(lines[2]+"…", w))
	}
	return s.dim.Render(strings.Join(lines, "\n")) + "\n"
}
