package report

import (
	"strings"
	"testing"

	"sout/store"
)

// TestHeaderBlock_NoRegionLeavesALine: a form printed before the region is
// set has a line to fill in by hand, not a hint about the program.
func TestHeaderBlock_NoRegionLeavesALine(t *testing.T) {
	got := headerBlock(store.Settings{}, store.Period{})
	if len(got) != 1 || got[0] != subjectLine+strings.Repeat("_", 40) {
		t.Errorf("headerBlock without settings = %q", got)
	}
	got = headerBlock(store.Settings{Region: "Самарская область"}, store.Period{})
	if len(got) != 1 || got[0] != "Субъект Российской Федерации: Самарская область" {
		t.Errorf("headerBlock with the region = %q", got)
	}
}
