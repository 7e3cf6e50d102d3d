package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The light reads of the risks give what the whole-record reads give.
func TestRiskReadsMatchWholeReads(t *testing.T) {
	s := openTest(t)
	if err := importRegisterEntries(s, 3, 5000); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := Period{From: NewDate(2026, 3, 1), To: NewDate(2026, 6, 30)}
	var want, got []OrgFigures
	err := s.EachRegister(ctx, p, func(r *RegisterRecord) error {
		want = append(want, OrgFigures{OKVED: r.Employer.OKVED, SoutOrg: r.SoutOrg, Grid: r.Grid})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EachOrgFigures(ctx, p, func(f *OrgFigures) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	key := func(f OrgFigures) string { return f.OKVED + "|" + f.SoutOrg.Name + "|" + f.SoutOrg.RegNo }
	sortBy := func(a, b OrgFigures) int { return cmpStrings(key(a), key(b)) }
	slices.SortStableFunc(want, sortBy)
	slices.SortStableFunc(got, sortBy)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("EachOrgFigures: %d entries, EachRegister: %d", len(got), len(want))
	}
	sum := func(fs []OrgFigures) (n int) {
		for _, f := range fs {
			n += f.Grid[ColAssessed][RowWorkers] + f.Grid[ColClass4][RowWorkplaces]
		}
		return n
	}
	if sum(got) != sum(want) {
		t.Fatalf("EachOrgFigures: %d workers, EachRegister: %d", sum(got), sum(want))
	}
	var inns []string
	err = s.EachRegister(ctx, Period{}, func(r *RegisterRecord) error { inns = append(inns, r.Employer.INN); return nil })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(inns)
	inns = slices.Compact(inns)[:len(inns)/3]
	names, err := s.EmployerNames(ctx, append([]string{"0000000000"}, inns...)) // the first is unknown
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(inns) {
		t.Fatalf("EmployerNames: %d names of %d INNs", len(names), len(inns))
	}
	for _, n := range names {
		emp, ok, err := s.LastEmployer(n.INN)
		if err != nil || !ok || emp.Name != n.Name {
			t.Fatalf("EmployerNames %s: %q, LastEmployer: %q %v %v", n.INN, n.Name, emp.Name, ok, err)
		}
	}
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// returnedJournal imports 5,000 journal entries received from 01.05.2026
// over 97 days: half returned with deadlines 0 to 60 days on, a quarter
// annulled, a quarter received.
func returnedJournal(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	es := make([]JournalEntry, 5000)
	for i := range es {
		es[i] = JournalEntry{ReceivedOn: NewDate(2026, 5, 1).AddDays(i % 97), EmployerName: "ООО «Волга»",
			EmployerINN: "7707083893", SoutOrgName: "ООО «Охрана труда»"}
		switch i % 4 {
		case 1, 2:
			es[i].Status, es[i].StatusReason = StatusReturned, "нет карт СОУТ"
			es[i].ReturnDeadline = es[i].ReceivedOn.AddDays(i % 7 * 10)
		case 3:
			es[i].Status, es[i].StatusReason = StatusAnnulled, "отозвано"
		}
	}
	im, err := s.BeginImport(context.Background(), Actor{Name: "admin", Role: RoleAdmin}, "journal.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddJournal(es); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEachReturnedJournal: the entries still returned for corrections and
// received on or before upTo (that day included, the next not), in id order
// and whole, read in bounded transactions: fn runs with none open, and 5,000
// entries take several. An entry returned and then brought back, or annulled,
// is not returned any more. The deadline rule the indicator applies to them
// is JournalEntry.Overdue: a deadline before the period's last day counts,
// one on that day does not.
func TestEachReturnedJournal(t *testing.T) {
	s := returnedJournal(t)
	upTo := NewDate(2026, 6, 30)
	clerk := Actor{Name: "anna", Role: RoleClerk}
	var last JournalEntry // the last returned one on upTo, brought back below
	var want []uint64
	ctx := context.Background()
	err := s.EachJournal(ctx, Period{}, func(e *JournalEntry) error {
		if e.Status == StatusReturned && e.ReceivedOn <= upTo {
			want = append(want, e.ID)
			if e.ReceivedOn == upTo {
				last = *e
			}
		}
		return nil
	})
	if err != nil || last.ID == 0 {
		t.Fatalf("EachJournal: %v, none returned on %s", err, upTo)
	}
	if _, err := s.ResubmitJournalEntry(clerk, last.ID, last.Version, s.Today()); err != nil {
		t.Fatal(err)
	}
	want = slices.DeleteFunc(want, func(id uint64) bool { return id == last.ID })
	slices.Sort(want)
	before := s.db.Stats().TxN
	var got []uint64
	overdue, onTheDay := 0, 0
	err = s.EachReturnedJournal(ctx, upTo, func(e *JournalEntry) error {
		if n := s.db.Stats().OpenTxN; n != 0 {
			t.Fatalf("fn runs with %d read transactions open", n)
		}
		if e.StatusReason != "нет карт СОУТ" || e.EmployerINN != "7707083893" || e.ReceivedOn > upTo {
			t.Fatalf("entry %d: %+v", e.ID, *e)
		}
		switch {
		case e.Overdue(upTo):
			overdue++
		case e.ReturnDeadline == upTo:
			onTheDay++
		}
		got = append(got, e.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || len(got) < 1000 {
		t.Errorf("EachReturnedJournal: %d entries, want %d (equal: %v)", len(got), len(want), slices.Equal(got, want))
	}
	if txs := s.db.Stats().TxN - before; txs < 3 {
		t.Errorf("5,000 entries read in %d transactions, want at least 3 of at most %d keys", txs, readBatch)
	}
	if overdue == 0 || onTheDay == 0 {
		t.Errorf("overdue %d, deadline on the day %d: the data set misses a case", overdue, onTheDay)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	err = s.EachReturnedJournal(cancelled, upTo, func(*JournalEntry) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("EachReturnedJournal with a cancelled context: %v", err)
	}
}

// TestEachRiskFigures: the risks' read of the figures index gives what
// EachFigures gives, up to upTo and in the same order, across batches.
func TestEachRiskFigures(t *testing.T) {
	s := openTest(t)
	if err := importRegisterEntries(s, 5, 6000); err != nil {
		t.Fatal(err)
	}
	ctx, upTo := context.Background(), NewDate(2026, 9, 1)
	var want []string
	err := s.EachFigures(ctx, Period{To: upTo}, func(f *Figures) error {
		var wp, w, u [NumCols]int32
		for c := range f.Grid {
			wp[c], w[c], u[c] = int32(f.Grid[c][RowWorkplaces]), int32(f.Grid[c][RowWorkers]), int32(f.Grid[c][RowUnder18])
		}
		want = append(want, fmt.Sprint(f.ID, f.EnteredOn, f.INN, f.OKVED, wp, w, u))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.EachRiskFigures(ctx, upTo, func(f *RiskFigures) error {
		got = append(got, fmt.Sprint(f.ID, f.EnteredOn, string(f.INN), string(f.OKVED), f.Workplaces, f.Workers, f.Under18))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 4000 || !slices.Equal(got, want) {
		t.Fatalf("EachRiskFigures: %d entries, EachFigures: %d (equal: %v)", len(got), len(want), slices.Equal(got, want))
	}
}

// TestRiskReads_LeaveOutWhatTheIndexLacks: an entry taken out of the figures
// index (as an annulled one is) is read neither for the indicators nor for
// the organisations, though its record stays in the register.
func TestRiskReads_LeaveOutWhatTheIndexLacks(t *testing.T) {
	s := openTest(t)
	if err := importRegisterEntries(s, 7, 3000); err != nil {
		t.Fatal(err)
	}
	ctx, p := context.Background(), Period{From: NewDate(2026, 3, 1), To: NewDate(2026, 6, 30)}
	count := func() (orgs int, ids map[uint64]bool) {
		if err := s.EachOrgFigures(ctx, p, func(*OrgFigures) error { orgs++; return nil }); err != nil {
			t.Fatal(err)
		}
		ids = map[uint64]bool{}
		if err := s.EachRiskFigures(ctx, p.To, func(f *RiskFigures) error { ids[f.ID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		return orgs, ids
	}
	orgs, _ := count()
	var gone Figures
	err := s.EachFigures(ctx, p, func(f *Figures) error {
		if gone.ID == 0 && f.EnteredOn > p.From {
			gone = *f
		}
		return nil
	})
	if err != nil || gone.ID == 0 {
		t.Fatalf("no entry in %v: %v", p, err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRegByDate).Delete(dateKey(gone.EnteredOn, gone.ID))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterEntry(gone.ID); err != nil {
		t.Fatalf("the record went too: %v", err)
	}
	after, ids := count()
	if after != orgs-1 || ids[gone.ID] || len(ids) == 0 {
		t.Errorf("without entry %d in the index: %d entries for the organisations (was %d), for the indicators: %v",
			gone.ID, after, orgs, ids[gone.ID])
	}
}

// TestEachReturnedJournal_MidMonth: upTo within a month takes that day and
// not the next (dates compare as YYYYMMDD numbers: past a month's end there
// is no next day to tell).
func TestEachReturnedJournal_MidMonth(t *testing.T) {
	s := returnedJournal(t)
	ctx := context.Background()
	for _, upTo := range []Date{NewDate(2026, 6, 14), NewDate(2026, 6, 15)} {
		want, got := 0, 0
		err := s.EachJournal(ctx, Period{}, func(e *JournalEntry) error {
			if e.Status == StatusReturned && e.ReceivedOn <= upTo {
				want++
			}
			return nil
		})
		if err == nil {
			err = s.EachReturnedJournal(ctx, upTo, func(*JournalEntry) error { got++; return nil })
		}
		if err != nil || got != want || want == 0 {
			t.Errorf("EachReturnedJournal(%s) = %d entries, %v; want %d", upTo.Ru(), got, err, want)
		}
	}
}

// TestDecodeOrgFigures_Annulled: an entry annulled after the period's ids
// were read is still left out when its record is decoded.
func TestDecodeOrgFigures_Annulled(t *testing.T) {
	e := RegisterEntry{ID: 1, EnteredOn: NewDate(2026, 3, 1), Employer: Employer{Name: "ООО «Волга»",
		INN: "7707083893", OKVED: "25.11"}, SoutOrg: testOrgs[0], Stamp: Stamp{Version: 1}}
	var f OrgFigures
	if in, err := decodeOrgFigures(encodeRegister(&e), Period{}, &f); !in || err != nil || f.OKVED != "25.11" {
		t.Fatalf("an entry in force: %v, %v, %+v", in, err, f)
	}
	e.Annulled = Annulment{By: "olga", At: 1, Reason: "ошибочно"}
	if in, err := decodeOrgFigures(encodeRegister(&e), Period{}, &f); in || err != nil {
		t.Errorf("an annulled entry: in %v, %v", in, err)
	}
}
