package tui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// width agrees with ansi.StringWidth on the screens' kinds of text.
func TestWidth(t *testing.T) {
	for _, s := range []string{
		"", "abc", "ООО «Волга»", "№ 1/2026 — принято", "\x1b[1;7mF3 Поиск\x1b[m", "✓ Проверки пройдены ✗ ≠",
		"│ ┌─┐ ▸ • … ←→↑↓", "漢字", "e\u0301", "👍", "tab\there", "\x1b]8;;http://x\x07link\x1b]8;;\x07",
	} {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

func FuzzWidth(f *testing.F) {
	f.Add("ООО «Волга» \x1b[31m✗\x1b[m")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	})
}
