package store

import (
	"cmp"
	"context"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// ScanEmployers returns what FindEmployers(text, limit) returns, found by
// one pass over the cards instead of the index: for a one-shot command
// (`sout lookup`), which would otherwise build the whole index for one
// query. The same rules decide a match and its rank (textMatcher asks
// searchWord, the index's own; rankKey), so the two agree.
func (s *Store) ScanEmployers(ctx context.Context, text string, limit int) (EmployerMatches, error) {
	var out EmployerMatches
	m := newTextMatcher(text)
	if m == nil || limit <= 0 {
		return out, nil
	}
	type hit struct {
		key  uint64
		card employerCard
	}
	var hits []hit
	var top topKeys
	rank := uint32(0) // the place of the card in INN order, as the index ranks ties
	sc := scan[hit]{bucket: bucketEmployers, load: func(_ *bolt.Tx, _, v []byte, out []hit) ([]hit, bool, error) {
		ev, err := viewEmployer(v)
		if err != nil {
			return out, false, err
		}
		rank++
		score, ok := m.score(ev.field(viewName), ev.field(viewINN), ev.field(viewOGRN))
		if !ok {
			return out, false, nil
		}
		k := rankKey(score, ev.last, rank-1)
		out = append(out, hit{key: k})
		return out, false, decodeEmployer(v, &out[len(out)-1].card)
	}}
	err := each(ctx, s, sc, func(h *hit) error {
		out.Total++
		if top.add(h.key, limit) {
			hits = append(hits, *h)
		}
		if len(hits) > 2*limit && len(hits) > 1024 { // the ones no longer among the best go
			hits = slices.DeleteFunc(hits, func(h hit) bool { return h.key > top.h[0] })
		}
		return nil
	})
	if err != nil {
		return EmployerMatches{}, err
	}
	hits = slices.DeleteFunc(hits, func(h hit) bool { return len(top.h) == limit && h.key > top.h[0] })
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.key, b.key) })
	out.Employers = make([]EmployerMatch, len(hits))
	for i := range hits {
		out.Employers[i] = EmployerMatch{Employer: hits[i].card.Employer, LastDate: hits[i].card.LastDate}
	}
	return out, nil
}
