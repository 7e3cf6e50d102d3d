package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// The internal tests' own small generator of valid register entries (the
// demo generator lives in store/demo, which imports store and so cannot
// serve the package's internal tests).

// testOrgs are organisations that carried out assessments, for test entries.
var testOrgs = []SoutOrg{{Name: "ООО «Центр охраны труда»", RegNo: "1"}, {Name: "ООО «Экостандарт»", RegNo: "12"}}

// testOKVED are valid OKVED2 codes of several sections, T among them.
var testOKVED = []string{"01.11", "10.71", "25.11", "41.20", "47.11", "62.01", "85.11", "86.10", "97.00"}

// testEmployer returns a valid employer, the i-th of a test, with an INN not
// in used (which it then marks used).
func testEmployer(rng *rand.Rand, i int, used map[string]bool) Employer {
	e := Employer{Name: fmt.Sprintf("ООО «Предприятие %d»", i), Address: fmt.Sprintf("г. Самара, ул. Мира, д. %d", i+1)}
	for e.INN == "" || used[e.INN] {
		e.INN = INNCheckDigits(fmt.Sprintf("63%08d", rng.IntN(100000000)))
	}
	used[e.INN] = true
	e.OGRN = OGRNCheckDigit(fmt.Sprintf("1%02d63%07d", 2+rng.IntN(22), rng.IntN(10000000)))
	e.OKVED = testOKVED[rng.IntN(len(testOKVED))]
	return e
}

// testGrid returns a consistent grid: every workplace assessed, all of one
// class (2 or 3.1), women among the workers.
func testGrid(rng *rand.Rand) Grid {
	var g Grid
	places := 1 + rng.IntN(40)
	workers := places + rng.IntN(places)
	row := [NumRows]int{}
	row[RowWorkplaces], row[RowWorkers], row[RowWomen] = places, workers, rng.IntN(workers+1)
	g[ColTotal], g[ColAssessed], g[ColClass2+rng.IntN(2)] = row, row, row
	return g
}

// testNow is the clock of the files of openTest.
var testNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// openTest opens a new file in t's temporary folder, its clock stopped at
// testNow; it is closed when t ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
