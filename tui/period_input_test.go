package tui

import (
	"testing"

	"sout/store"
)

// TestParsePeriodInput_Ranges: a range typed with a dash, as clerks write
// it, reads as one with «..» (QA: «1.7.26-31.12.26» and «01.07.2026 -
// 31.12.2026» were «не распознан»).
func TestParsePeriodInput_Ranges(t *testing.T) {
	h2 := store.Period{From: store.NewDate(2026, 7, 1), To: store.NewDate(2026, 12, 31)}
	for _, in := range []string{"01.07.2026..31.12.2026", "1.7.26-31.12.26", "01.07.2026 - 31.12.2026",
		"1.7.2026–31.12.2026", "01-07-2026 - 31-12-2026", "2026H2"} {
		p, err := parsePeriodInput(in)
		if err != nil || p != h2 {
			t.Errorf("parsePeriodInput(%q) = %v, %v; want the second half of 2026", in, p, err)
		}
	}
	if _, err := parsePeriodInput("01-07-2026-31-12-2026"); err == nil {
		t.Error("dashed dates joined by a dash without spaces were read as a period")
	}
}
