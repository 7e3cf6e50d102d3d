package tui

import (
	"strings"
	"testing"
)

// TestList_CursorStaysInViewWhenLinesShrink: a status message of two lines
// takes lines from the list while the cursor is on its last row shown; the
// row stays on screen (QA: no row was marked and Enter opened one the
// clerk could not see).
func TestList_CursorStaysInViewWhenLinesShrink(t *testing.T) {
	s := testStore(t)
	bigJournal(t, s, 120)
	a := testApp(t, s)
	pressKeys(a, a.keys.Home, a.keys.PageDown)
	sel := a.journal.selected()
	if sel == nil {
		t.Fatal("nothing selected")
	}
	if !strings.Contains(frame(a), sel.Ref()+" ") {
		t.Fatalf("the selected %s is not on screen before the message:\n%s", sel.Ref(), frame(a))
	}
	a.Update(statusMsg{text: strings.Repeat("длинное сообщение ", 12), err: true})
	if f := frame(a); !strings.Contains(f, sel.Ref()+" ") {
		t.Errorf("the selected %s left the screen under a two-line message:\n%s", sel.Ref(), f)
	}
}
