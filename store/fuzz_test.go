package store_test

import (
	"regexp"
	"strings"
	"testing"

	"sout/store"
)

// The fuzzers below check the parsers of outside input: they never panic,
// and what they accept is well formed and reads back the same.

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "31.01.2026", "31.02.2026", "2026-02-29", "2024-02-29", "", " 01.01.2000 ",
		"0000-00-00", "99.99.9999", "2026-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := store.ParseDate(s)
		if err != nil {
			if d != 0 {
				t.Errorf("ParseDate(%q) = %v with error %v, want 0", s, d, err)
			}
			return
		}
		if d == 0 {
			if strings.TrimSpace(s) != "" {
				t.Errorf("ParseDate(%q) = zero date without error", s)
			}
			return
		}
		for _, again := range []string{d.String(), d.Ru()} {
			if back, err := store.ParseDate(again); err != nil || back != d {
				t.Errorf("ParseDate(%q) = %v, %v; want %v (from %q)", again, back, err, d, s)
			}
		}
		if d.Time().Day() != d.Day() || int(d.Time().Month()) != int(d.Month()) {
			t.Errorf("ParseDate(%q) = %v, which is not a real day", s, d)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026H1", "2026H2", "2026", "2026-01-01..2026-03-31", "01.01.2026..31.12.2026", "2026H3",
		"..", "2026-03-31..2026-01-01", "2026п2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := store.ParsePeriod(s)
		if err != nil {
			return
		}
		if p.From == 0 || p.To < p.From {
			t.Fatalf("ParsePeriod(%q) = %+v: not a period", s, p)
		}
		back, err := store.ParsePeriod(p.Key())
		if err != nil || back != p {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", p.Key(), back, err, p)
		}
	})
}

func FuzzCheckINN(f *testing.F) {
	for _, s := range []string{"7707083893", "7707083894", "500100732259", "500100732250", "", "77070838931", "abcdefghij",
		"７７０７０８３８９３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if store.CheckINN(s) != nil {
			return
		}
		if len(s) != 10 && len(s) != 12 {
			t.Errorf("CheckINN(%q) = nil for a value of %d bytes", s, len(s))
		}
		if got := store.INNCheckDigits(s[:len(s)-map[int]int{10: 1, 12: 2}[len(s)]]); got != s {
			t.Errorf("INNCheckDigits(prefix of %q) = %q", s, got)
		}
	})
}

func FuzzCheckOGRN(f *testing.F) {
	for _, s := range []string{"1027700132195", "1027700132196", "304500116000157", "", "12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if store.CheckOGRN(s) != nil {
			return
		}
		if got := store.OGRNCheckDigit(s[:len(s)-1]); got != s {
			t.Errorf("OGRNCheckDigit(prefix of %q) = %q", s, got)
		}
	})
}

var okvedRe = regexp.MustCompile(`^[0-9]{2}(\.[0-9]{1,2}|\.[0-9]{2}\.[0-9]{1,2})?$`)

func FuzzCheckOKVED(f *testing.F) {
	for _, s := range []string{"01", "01.1", "01.11", "01.11.1", "01.11.11", "40.10", "00", "97.00", "99", "1.11",
		"01.111", "01..1", "01.11.111"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := store.CheckOKVED(s)
		sec := store.SectionOf(s)
		if err == nil && sec == nil {
			t.Errorf("CheckOKVED(%q) = nil but SectionOf is nil", s)
		}
		if err == nil && (len(s) < 2 || len(s) > 8) {
			t.Errorf("CheckOKVED(%q) = nil for a code of %d bytes", s, len(s))
		}
		// The hand-written shape check agrees with the plain regular expression.
		want := okvedRe.MatchString(s) && store.SectionIndex(s) >= 0
		if (err == nil) != want {
			t.Errorf("CheckOKVED(%q) = %v, the regular expression says valid=%v", s, err, want)
		}
	})
}
