package store

import "testing"

// Every code the demo uses is a valid OKVED2 code of the section it is listed under.
func TestDemoOKVED(t *testing.T) {
	for letter, codes := range demoOKVED {
		for _, c := range codes {
			if err := CheckOKVED(c); err != nil {
				t.Errorf("%s: %v", c, err)
			} else if s := SectionOf(c); s == nil || s.Letter != letter {
				t.Errorf("%s is listed under %s but belongs to %v", c, letter, s)
			}
		}
	}
	if len(demoOKVED) != len(Sections) {
		t.Errorf("demo codes for %d sections, there are %d", len(demoOKVED), len(Sections))
	}
}
