package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sout/report"
	"sout/store"
)

// riskGrid is a valid grid: wp workplaces in total, of them the classes'
// workplaces assessed; each class col gets {workplaces, workers}; under18
// puts under-18 workers in classes (within their workers).
func riskGrid(wp int, classes map[int][2]int, under18 map[int]int) store.Grid {
	var g store.Grid
	for col, v := range classes {
		g[col][store.RowWorkplaces], g[col][store.RowWorkers] = v[0], v[1]
		g[col][store.RowUnder18] = under18[col]
		for r := range store.NumRows {
			g[store.ColAssessed][r] += g[col][r]
		}
	}
	g[store.ColTotal] = g[store.ColAssessed]
	extra := wp - g[store.ColAssessed][store.RowWorkplaces]
	g[store.ColTotal][store.RowWorkplaces] += extra
	g[store.ColTotal][store.RowWorkers] += extra
	return g
}

func riskEntry(on store.Date, inn, name, okved, org string, g store.Grid) store.RegisterEntry {
	regNo := map[string]string{"ООО «Аттестат»": "101", "АО «Строгий контроль»": "202", "ООО «Лёгкая рука»": "303"}
	return store.RegisterEntry{EnteredOn: on, Employer: store.Employer{Name: name, Address: "г. Самара", INN: inn,
		OKVED: okved}, SoutOrg: store.SoutOrg{Name: org, RegNo: regNo[org]}, Grid: g}
}

// riskINN returns a valid 10-digit INN ending the prefix 77000000 with n.
func riskINN(n int) string {
	return store.INNCheckDigits("7700000" + string(rune('0'+n/10)) + string(rune('0'+n%10)))
}

// fillRisks plants every indicator and its near misses (FORMS.md §6) for 2026H1.
func fillRisks(t testing.TB, s *store.Store) {
	t.Helper()
	d := store.NewDate
	clean := func(wp int) store.Grid { return riskGrid(wp, map[int][2]int{store.ColClass2: {wp, 2 * wp}}, nil) }
	harm := func(workers, harmful int) store.Grid {
		return riskGrid(10, map[int][2]int{store.ColClass2: {5, workers - harmful}, store.ColClass31: {5, harmful}}, nil)
	}
	a, b := "ООО «Аттестат»", "АО «Строгий контроль»"
	entries := []store.RegisterEntry{
		// minors_harmful: two under-18s in class 3.2; the near miss has one in class 2.
		riskEntry(d(2026, 3, 1), riskINN(1), "ООО «Юность»", "25.11", a,
			riskGrid(4, map[int][2]int{store.ColClass2: {2, 4}, store.ColClass32: {2, 4}}, map[int]int{store.ColClass32: 2})),
		riskEntry(d(2026, 3, 2), riskINN(2), "ООО «Школа»", "85.11", a,
			riskGrid(4, map[int][2]int{store.ColClass2: {4, 8}}, map[int]int{store.ColClass2: 1})),
		// class4: three class-4 workplaces; an old class-4 entry superseded by
		// a clean one; a clean entry followed by a class-4 one after the period.
		riskEntry(d(2026, 4, 1), riskINN(3), "АО «Рудник»", "07.10", b,
			riskGrid(6, map[int][2]int{store.ColClass2: {3, 6}, store.ColClass4: {3, 6}}, nil)),
		riskEntry(d(2025, 5, 1), riskINN(4), "ООО «Литейщик»", "24.51", b,
			riskGrid(6, map[int][2]int{store.ColClass2: {5, 11}, store.ColClass4: {1, 1}}, nil)),
		riskEntry(d(2026, 2, 1), riskINN(4), "ООО «Литейщик»", "24.51", a, clean(6)),
		riskEntry(d(2026, 1, 10), riskINN(5), "ООО «Позже»", "41.20", a, clean(6)),
		riskEntry(d(2026, 7, 15), riskINN(5), "ООО «Позже»", "41.20", a,
			riskGrid(6, map[int][2]int{store.ColClass2: {3, 6}, store.ColClass4: {3, 6}}, nil)),
		// not_all_assessed: 12 workplaces, 10 assessed.
		riskEntry(d(2026, 5, 5), riskINN(6), "ООО «Склад»", "52.10", a, clean(10)),
		// harmful_share_drop: 60 % → 20 %; exactly 30 points (50 % → 20 %);
		// the near miss falls 29 points (59 % → 30 %).
		riskEntry(d(2025, 9, 1), riskINN(7), "ООО «Химик»", "20.14", b, harm(10, 6)),
		riskEntry(d(2026, 4, 1), riskINN(7), "ООО «Химик»", "20.14", a, harm(10, 2)),
		riskEntry(d(2025, 9, 2), riskINN(8), "ООО «Ровно тридцать»", "20.15", b, harm(10, 5)),
		riskEntry(d(2026, 4, 2), riskINN(8), "ООО «Ровно тридцать»", "20.15", a, harm(10, 2)),
		riskEntry(d(2025, 9, 3), riskINN(9), "ООО «Почти»", "20.16", b, harm(100, 59)),
		riskEntry(d(2026, 4, 3), riskINN(9), "ООО «Почти»", "20.16", "ООО «Лёгкая рука»", harm(100, 30)),
		// sout_due: fifth anniversary on the period's last day; the near miss
		// has it the day after.
		riskEntry(d(2021, 6, 30), riskINN(10), "ООО «Старожил»", "47.11", b, clean(5)),
		riskEntry(d(2021, 7, 1), riskINN(11), "ООО «Вовремя»", "47.19", b, clean(5)),
		// Near misses of the drop and of the period's end: 60 % → 40 % → 20 %
		// falls 40 points in all but 20 against the previous entry; an
		// employer whose only entry, with class 4, comes after the period.
		riskEntry(d(2025, 3, 1), riskINN(16), "ООО «Постепенно»", "20.17", b, harm(10, 6)),
		riskEntry(d(2025, 9, 5), riskINN(16), "ООО «Постепенно»", "20.17", b, harm(10, 4)),
		riskEntry(d(2026, 4, 5), riskINN(16), "ООО «Постепенно»", "20.17", b, harm(10, 2)),
		riskEntry(d(2026, 7, 1), riskINN(15), "ООО «Новое»", "41.20", a,
			riskGrid(6, map[int][2]int{store.ColClass2: {3, 6}, store.ColClass4: {3, 6}}, nil)),
	}
	entries[7].Grid[store.ColTotal][store.RowWorkplaces] += 2
	entries[7].Grid[store.ColTotal][store.RowWorkers] += 2
	for _, e := range entries {
		if _, err := s.SaveRegisterEntry(clerk, e); err != nil {
			t.Fatalf("%s %s: %v", e.Employer.Name, e.EnteredOn, err)
		}
	}
	// overdue_return: deadline before the period's last day; the near miss
	// has its deadline on that day; an annulled one does not count.
	for _, j := range []struct {
		inn, name string
		deadline  store.Date
		annul     bool
	}{
		{riskINN(12), "ООО «Должник»", d(2026, 6, 1), false},
		{riskINN(12), "ООО «Должник»", d(2026, 6, 10), false},
		{riskINN(13), "ООО «Успеет»", d(2026, 6, 30), false},
		{riskINN(14), "ООО «Аннулировано»", d(2026, 6, 1), true},
	} {
		e, err := s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: d(2026, 5, 20), EmployerName: j.name,
			EmployerINN: j.inn, SoutOrgName: a})
		if err != nil {
			t.Fatal(err)
		}
		if e, err = returnBack(s, e.ID, e.Version, "нет карт СОУТ", j.deadline); err != nil {
			t.Fatal(err)
		}
		if j.annul {
			if _, err := s.AnnulJournalEntry(clerk, e.ID, e.Version, "отозвано"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestComputeRisks(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	r, err := report.BuildRisks(context.Background(), s, store.HalfYear(2026, 1))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Flags {
		got = append(got, strings.Join([]string{f.INN, f.Employer, f.OKVED, f.Key, f.Value, f.EnteredOn.String()}, " | "))
	}
	want := []string{
		riskINN(1) + " | ООО «Юность» | 25.11 | minors_harmful | 2 | 2026-03-01",
		riskINN(3) + " | АО «Рудник» | 07.10 | class4 | 3 | 2026-04-01",
		riskINN(6) + " | ООО «Склад» | 52.10 | not_all_assessed | 2 | 2026-05-05",
		riskINN(7) + " | ООО «Химик» | 20.14 | harmful_share_drop | 60 % → 20 % | 2026-04-01",
		riskINN(8) + " | ООО «Ровно тридцать» | 20.15 | harmful_share_drop | 50 % → 20 % | 2026-04-02",
		riskINN(10) + " | ООО «Старожил» | 47.11 | sout_due | 30.06.2021 | 2021-06-30",
		riskINN(12) + " | ООО «Должник» |  | overdue_return | № 1/2026 до 01.06.2026; № 2/2026 до 10.06.2026 | 2026-05-20",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Employers != 12 {
		t.Errorf("Employers = %d, want 12 (in the register by 30.06.2026)", r.Employers)
	}
	last := r.Trend[len(r.Trend)-1]
	if last.Period != store.HalfYear(2026, 1) || r.Trend[0].Period != store.HalfYear(2021, 2) {
		t.Errorf("trend from %v to %v, want 2021H2 … 2026H1", r.Trend[0].Period, last.Period)
	}
	// 2026H1: Юность 8, Школа 8, Рудник 12, Литейщик 12, Позже 12, Склад 20, Химик, Ровно, Почти,
	// Постепенно 10+10+100+10.
	if last.Workers != 8+8+12+12+12+20+10+10+100+10 {
		t.Errorf("2026H1 workers = %d", last.Workers)
	}
	if got := report.Percent1(last.Share[0]); got != "0,0" {
		t.Errorf("class 1 share = %s", got)
	}
}

func TestComputeRisks_thresholds(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	root := store.Actor{Name: "root", Role: store.RoleAdmin}
	if err := s.SaveSettings(root, store.Settings{RiskDropPoints: 29, RiskSoutYears: 4}); err != nil {
		t.Fatal(err)
	}
	r, err := report.BuildRisks(context.Background(), s, store.HalfYear(2026, 1))
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Count(report.RiskShareDrop); n != 3 {
		t.Errorf("drops at 29 points: %d, want 3", n)
	}
	if n := r.Count(report.RiskSoutDue); n != 2 {
		t.Errorf("due after 4 years: %d, want 2", n)
	}
	got := report.RiskIndicatorByKey(report.RiskSoutDue).BasisFor(r.Thresholds)
	if !strings.Contains(got, "прошло 4 года") {
		t.Errorf("basis = %q", got)
	}
}

func TestCompareOrgs(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	orgs, err := report.BuildOrgShares(context.Background(), s, store.HalfYear(2026, 1))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range orgs {
		got = append(got, o.Name+" "+o.RegNo+" "+report.Percent1(o.Share())+" "+report.Percent1(o.Expected))
	}
	// 2026H1, section C: the region 40 of 150 workers harmful (26.7 %).
	// «Аттестат»: C 8 of 40, and P, F, H with none of 40 (the region's
	// share there is 0): 10 % against 40 × 26.67 / 80 = 13.3 %. «Строгий
	// контроль»: the mine (section B, all its own) 6 of 12 and C 2 of 10:
	// 36.4 % against (12 × 50 + 10 × 26.67) / 22 = 39.4 %; «Лёгкая рука» 30
	// of 100 in C.
	want := []string{"ООО «Аттестат» 101 10,0 13,3", "АО «Строгий контроль» 202 36,4 39,4",
		"ООО «Лёгкая рука» 303 30,0 26,7"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("orgs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWriteRisks_CSV(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	var b bytes.Buffer
	if err := report.WriteRisks(context.Background(), &b, s, store.HalfYear(2026, 1), report.Format{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "risks-2026H1.csv", b.Bytes())
	// For Russian Excel the INN and the OKVED code stay text (="…"), so an
	// INN keeps its leading zero; counts stay numbers.
	b.Reset()
	if err := report.WriteRisks(context.Background(), &b, s, store.HalfYear(2026, 1),
		report.Format{Excel: true}); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) < 2 || recs[1][0] != `="7700000016"` || recs[1][2] != `="25.11"` || recs[1][4] != "2" {
		t.Errorf("--excel risks CSV: INN and OKVED not kept as text, or the value not a number: %q, %v",
			recs[:min(len(recs), 2)], err)
	}
}

func TestWriteRisks_XLSX(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	var b bytes.Buffer
	err := report.WriteRisks(context.Background(), &b, s, store.HalfYear(2026, 1), report.Format{XLSX: true})
	if err != nil {
		t.Fatal(err)
	}
	raw := bytes.Clone(b.Bytes())
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	wantSheets := []string{"Индикаторы риска", "Несовершеннолетние", "Класс 4", "Не все рабочие места",
		"Снижение доли вредных", "Срок СОУТ истёк", "Замечания не устранены", "Организации СОУТ", "Динамика"}
	if got := x.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets = %q", got)
	}
	rows, err := x.GetRows("Индикаторы риска")
	if err != nil {
		t.Fatal(err)
	}
	find := func(rows [][]string, first string) []string {
		for _, r := range rows {
			if len(r) > 1 && r[1] == first {
				return r
			}
		}
		t.Fatalf("no row %q", first)
		return nil
	}
	// № 4, the drop: two employers, both in section C (column 5 + 2 = C).
	drop := find(rows, "Резкое снижение доли вредных условий")
	if drop[0] != "4" || drop[3] != "2" || drop[4+2] != "2" || !strings.Contains(drop[2], "30 п. п.") {
		t.Errorf("drop row = %q", drop)
	}
	rows, _ = x.GetRows("Снижение доли вредных")
	if r := find(rows, riskINN(7)); r[2] != "ООО «Химик»" || r[5] != "60 % → 20 %" || r[6] != "01.04.2026" {
		t.Errorf("drop line = %q", r)
	}
	rows, _ = x.GetRows("Организации СОУТ")
	// Shares are numbers with one decimal (format 0.0; the reader's locale gives the comma), not text.
	if r := find(rows, "ООО «Аттестат»"); r[0] != "1" || r[6] != "10.0" || r[7] != "13.3" || r[8] != "-3.3" {
		t.Errorf("org line = %q", r)
	}
	// The chart's drawing must be referenced by the trend sheet itself, or
	// a spreadsheet shows no chart.
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet []byte
	for _, zf := range zr.File {
		if zf.Name == fmt.Sprintf("xl/worksheets/sheet%d.xml", len(wantSheets)) {
			rc, _ := zf.Open()
			sheet, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	if !bytes.Contains(sheet, []byte("<drawing")) || !bytes.Contains(raw, []byte("xl/charts/chart1.xml")) {
		t.Error("the trend sheet has no chart")
	}
	rows, _ = x.GetRows("Динамика")
	if r := rows[len(rows)-1]; r[0] != "1-е полугодие 2026 г." || r[1] != "202" {
		t.Errorf("last trend row = %q", r)
	}
}

// TestWriteRisks_XLSXEmpty: an indicator no employer raises has its sheet
// with the headings and a note that says so, not a bare table.
func TestWriteRisks_XLSXEmpty(t *testing.T) {
	s := openStore(t)
	fillRisks(t, s)
	var b bytes.Buffer
	err := report.WriteRisks(context.Background(), &b, s, store.HalfYear(2020, 1), report.Format{XLSX: true})
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Класс 4")
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; len(last) == 0 || last[0] != "Работодателей с этим индикатором риска в периоде нет." {
		t.Errorf("the last row of an empty indicator's sheet: %q", last)
	}
}
