package report_test

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"sout/report"
	"sout/store"
)

// TestAnnulledEntryLeavesTheForms: the forms of a period with an entry that
// was then annulled equal the forms of the same data without it, and the
// file stays sound.
func TestAnnulledEntryLeavesTheForms(t *testing.T) {
	ctx := context.Background()
	p, _ := store.ParsePeriod("2026H1")
	without := openStore(t)
	fill(t, without)
	with := openStore(t)
	fill(t, with)
	mistake := entry(store.NewDate(2026, 2, 10), "7707083893", "ООО «Волга»", "25.11", 40)
	mistake.SoutOrg.Name = "ООО «Ошибка»"
	e, err := with.SaveRegisterEntry(clerk, mistake)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := with.AnnulRegisterEntry(store.Actor{Name: "olga", Role: store.RoleHead}, e.ID, e.Version,
		"внесена по ошибке"); err != nil {
		t.Fatal(err)
	}
	forms := func(s *store.Store) (sum *report.Summary, register, risks []byte, orgs []report.OrgShare) {
		t.Helper()
		sum, err := report.BuildSummary(ctx, s, p)
		if err != nil {
			t.Fatal(err)
		}
		var reg, rk bytes.Buffer
		if err := report.WriteRegister(ctx, &reg, s, p, report.Format{}); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteRisks(ctx, &rk, s, p, report.Format{}); err != nil {
			t.Fatal(err)
		}
		orgs, err = report.BuildOrgShares(ctx, s, p)
		if err != nil {
			t.Fatal(err)
		}
		return sum, reg.Bytes(), rk.Bytes(), orgs
	}
	gotSum, gotReg, gotRisks, gotOrgs := forms(with)
	wantSum, wantReg, wantRisks, wantOrgs := forms(without)
	if !reflect.DeepEqual(gotSum, wantSum) {
		t.Errorf("Summary with the annulled entry differs:\n got %+v\nwant %+v", gotSum, wantSum)
	}
	if !bytes.Equal(gotReg, wantReg) {
		t.Errorf("register form with the annulled entry:\n%s\nwant:\n%s", gotReg, wantReg)
	}
	if !bytes.Equal(gotRisks, wantRisks) {
		t.Errorf("risks with the annulled entry:\n%s\nwant:\n%s", gotRisks, wantRisks)
	}
	if !reflect.DeepEqual(gotOrgs, wantOrgs) {
		t.Errorf("SOUT organisations with the annulled entry: %+v, want %+v", gotOrgs, wantOrgs)
	}
	if probs, err := with.Check(ctx); err != nil || len(probs) != 0 {
		t.Errorf("Check() = %v, %v; want no problems", probs, err)
	}
}
