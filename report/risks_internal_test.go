package report

import (
	"cmp"
	"math/rand/v2"
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

// TestRiskParts: dealt into partitions and gathered, every employer's record
// is its last entry with the share of the one before, as a map in the order
// of the entries gives them; marks set the overdue returns only.
func TestRiskParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type want struct{ last, prev entryFigures }
	wants := map[uint64]*want{}
	var rp riskParts
	for i := range 50000 {
		key := 6300000000 + rng.Uint64N(9000)
		if i%3 == 0 {
			key = 1<<63 | 630000000000 + rng.Uint64N(4000)
		}
		e := entryFigures{id: uint64(i + 1), on: store.NewDate(2020, 1, 1) + store.Date(i%28), harm: int32(i % 7),
			workers: int32(i%11 + 1)}
		rp.deal(riskLine{key: key, entryFigures: e})
		w := wants[key]
		if w == nil {
			w = &want{}
			wants[key] = w
		}
		w.prev, w.last = w.last, e
	}
	rp.deal(riskLine{key: 42, overdue: 3}) // known from the journal only
	got := rp.gather()
	if len(got) != len(wants)+1 {
		t.Fatalf("gather: %d employers, want %d", len(got), len(wants)+1)
	}
	for i := range got {
		l := &got[i]
		if l.key == 42 {
			if l.overdue != 3 || l.id != 0 {
				t.Errorf("the mark: %+v", *l)
			}
			continue
		}
		w := wants[l.key]
		if w == nil || l.entryFigures != w.last || l.pHarm != w.prev.harm || l.pWorkers != w.prev.workers || l.overdue != 0 {
			t.Fatalf("employer %d: %+v, want %+v", l.key, *l, w)
		}
	}
}
