package report

import (
	"testing"

	"sout/store"
)

// TestCellCount_Bounds: a figure written as a float is read up to 1e9 and
// refused above it (an int conversion of a huge float is undefined).
func TestCellCount_Bounds(t *testing.T) {
	for in, want := range map[string]int{"1000000000.0": 1000000000, "7.0": 7, "1 000": 1000, "—": 0} {
		if got, err := cellCount(in); err != nil || got != want {
			t.Errorf("cellCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1000000001.0", "1e300", "-1", "-1.0", "7.5"} {
		if got, err := cellCount(in); err == nil {
			t.Errorf("cellCount(%q) = %d, want an error", in, got)
		}
	}
}

// TestCellDate_SerialBounds: a number is an Excel serial date between 20000
// (1954) and 80000 (2119) only; outside, it is text that is not a date.
func TestCellDate_SerialBounds(t *testing.T) {
	if got, err := cellDate("46037"); err != nil || got != store.NewDate(2026, 1, 15) {
		t.Errorf("cellDate(46037) = %v, %v; want 15.01.2026", got, err)
	}
	for _, in := range []string{"20000", "80000", "100000"} {
		want := "дата «" + in + "» не распознана: нужна ДД.ММ.ГГГГ (или ДД.ММ.ГГ)"
		if got, err := cellDate(in); err == nil || err.Error() != want {
			t.Errorf("cellDate(%q) = %v, %v; want %q", in, got, err, want)
		}
	}
}

// TestCellDate_TwoDigitYears: two-digit years as Excel reads them, 00–29
// in this century and 30–99 in the last, at both sides of the turn.
func TestCellDate_TwoDigitYears(t *testing.T) {
	for in, want := range map[string]store.Date{
		"01.01.29": store.NewDate(2029, 1, 1), "1.1.30": store.NewDate(1930, 1, 1),
		"31.12.00": store.NewDate(2000, 12, 31), "31.12.99": store.NewDate(1999, 12, 31),
	} {
		if got, err := cellDate(in); err != nil || got != want {
			t.Errorf("cellDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestRegisterSink_WarningsCapped: an import keeps the first 50 warnings,
// as it shows the first 50 errors.
func TestRegisterSink_WarningsCapped(t *testing.T) {
	k := &registerSink{res: &ImportResult{}}
	for i := 0; i < maxErrorsShow+1; i++ {
		k.warn("предупреждение %d", i+1)
	}
	if n := len(k.res.Warnings); n != maxErrorsShow || k.res.Warnings[n-1] != "предупреждение 50" {
		t.Errorf("%d warnings kept, the last %q; want 50, the 50th", n, k.res.Warnings[n-1])
	}
}
