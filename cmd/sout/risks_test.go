package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun_ReportRisks: sout report risks writes the CSV and the workbook; the thresholds are
// kept by init and refused out of range with a Russian message.
func TestRun_ReportRisks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	mustSout(t, db, "demo", "--employers", "300", "--seed", "3")
	out := mustSout(t, db, "report", "risks", "--period", "2025", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\r\n")
	if lines[0] != "inn,employer_name,okved,indicator,value,entered_on" || len(lines) < 10 {
		t.Fatalf("risks CSV: %d lines, first %q", len(lines), lines[0])
	}
	xlsx := filepath.Join(dir, "r.xlsx")
	mustSout(t, db, "report", "risks", "--period", "2025", "--format", "xlsx", "-o", xlsx)
	if b, err := os.ReadFile(xlsx); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Fatalf("risks XLSX: %v", err)
	}
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ", "--risk-drop", "20")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ", "--risk-years", "4")
	code, _, errs := sout(t, db, "init", "--region", "Р", "--inspectorate", "Г", "--risk-drop", "150")
	if code != 1 || !strings.Contains(errs, "Порог снижения доли вредных условий 150: нужно от 1 до 100 п. п.") {
		t.Errorf("--risk-drop 150: exit %d, stderr %q", code, errs)
	}
	out2 := mustSout(t, db, "report", "risks", "--period", "2025", "--format", "csv")
	if strings.Count(out2, "harmful_share_drop") <= strings.Count(out, "harmful_share_drop") ||
		strings.Count(out2, "sout_due") < strings.Count(out, "sout_due") {
		t.Errorf("thresholds 20 points / 4 years kept by init did not widen the indicators")
	}
}
