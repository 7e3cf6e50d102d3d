package report_test

import (
	"bytes"
	"testing"

	"sout/report"
)

// TestLookupOutput: the look-up's four outputs (a card as text and JSON, a
// search as text and JSON) equal their golden files; dates in text are
// dd.mm.yyyy and the returned journal entry is overdue on the store's today.
func TestLookupOutput(t *testing.T) {
	s := openStore(t)
	fill(t, s)
	card, err := s.FindByINN("7707083893")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteCard(&b, card, s.Today()); err != nil {
		t.Fatal(err)
	}
	golden(t, "lookup-card.txt", b.Bytes())
	b.Reset()
	if err := report.WriteCardJSON(&b, card); err != nil {
		t.Fatal(err)
	}
	golden(t, "lookup-card.json", b.Bytes())
	found, err := s.FindEmployers("ООО", 10)
	if err != nil {
		t.Fatal(err)
	}
	if found.Total == 0 {
		t.Fatal("FindEmployers(ООО) found nothing")
	}
	for _, asJSON := range []bool{false, true} {
		b.Reset()
		if err := report.WriteMatches(&b, found.Employers, asJSON); err != nil {
			t.Fatal(err)
		}
		name := "lookup-matches.txt"
		if asJSON {
			name = "lookup-matches.json"
		}
		golden(t, name, b.Bytes())
	}
}
