package demo

import (
	"testing"

	"sout/store"
)

// TestDemoOKVED: every code the demo uses is a valid OKVED2 code of the section it is listed under.
func TestDemoOKVED(t *testing.T) {
	for letter, codes := range demoOKVED {
		for _, c := range codes {
			if err := store.CheckOKVED(c); err != nil {
				t.Errorf("%s: %v", c, err)
			} else if s := store.SectionOf(c); s == nil || s.Letter != letter {
				t.Errorf("%s is listed under %s but belongs to %v", c, letter, s)
			}
		}
	}
	if len(demoOKVED) != len(store.Sections) {
		t.Errorf("demo codes for %d sections, there are %d", len(demoOKVED), len(store.Sections))
	}
}
