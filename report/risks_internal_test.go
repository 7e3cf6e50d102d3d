package report

import (
	"cmp"
	"slices"
	"testing"

	"sout/store"
)

// TestInnOrder: packed INNs sort as their text does, 10- and 12-digit ones mixed.
func TestInnOrder(t *testing.T) {
	inns := []string{"7707083893", "500100732259", "770708389312", "0100000005", "7707083894", "500100732"}
	want := slices.Clone(inns)
	slices.Sort(want)
	keys := make([]uint64, len(inns))
	for i, s := range inns {
		keys[i] = innKey(s)
	}
	slices.SortFunc(keys, func(a, b uint64) int { return cmp.Compare(innOrder(a), innOrder(b)) })
	var got []string
	for _, k := range keys {
		if s := innOfKey(k); s != "?" {
			got = append(got, s)
		}
	}
	want = slices.DeleteFunc(want, func(s string) bool { return len(s) != 10 && len(s) != 12 })
	if !slices.Equal(got, want) {
		t.Errorf("sorted %q, want %q", got, want)
	}
}

// TestAddYears: the term of a SOUT entered on 29 February ends on 28 February of a
// year that has no 29th.
func TestAddYears(t *testing.T) {
	for _, c := range []struct{ in, want store.Date }{
		{store.NewDate(2020, 2, 29), store.NewDate(2025, 2, 28)},
		{store.NewDate(2019, 2, 28), store.NewDate(2024, 2, 28)},
		{store.NewDate(2021, 6, 30), store.NewDate(2026, 6, 30)},
	} {
		if got := addYears(c.in, 5); got != c.want {
			t.Errorf("addYears(%s, 5) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := addYears(store.NewDate(2020, 2, 29), 4); got != store.NewDate(2024, 2, 29) {
		t.Errorf("addYears(2020-02-29, 4) = %s", got)
	}
}
