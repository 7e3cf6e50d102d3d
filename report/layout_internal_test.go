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

// TestRollUpLine: the roll-up's header puts «субъект» in the number Russian
// needs after «по»: singular for 1, 21, 101, plural for 11, 111 and the rest.
func TestRollUpLine(t *testing.T) {
	for n, want := range map[int]string{
		1:   "Свод по 1 субъекту Российской Федерации",
		2:   "Свод по 2 субъектам Российской Федерации",
		11:  "Свод по 11 субъектам Российской Федерации",
		21:  "Свод по 21 субъекту Российской Федерации",
		85:  "Свод по 85 субъектам Российской Федерации",
		101: "Свод по 101 субъекту Российской Федерации",
		111: "Свод по 111 субъектам Российской Федерации",
	} {
		if got := rollUpLine(n); got != want {
			t.Errorf("rollUpLine(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSubjectMissing: Merge takes no subject from a header left blank, left
// with the line to fill in by hand, or with an older version's hint.
func TestSubjectMissing(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, fillInLine: true, "___": true, "(укажите регион: sout init --region)": true,
		"Самарская область": false, "Республика Марий Эл": false,
	} {
		if got := subjectMissing(s); got != want {
			t.Errorf("subjectMissing(%q) = %v, want %v", s, got, want)
		}
	}
}
