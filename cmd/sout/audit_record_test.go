package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAudit_RecordNotFound: --record with a register number no entry has
// says so and exits 1, instead of «no audit records» and 0 (QA).
func TestAudit_RecordNotFound(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	code, out, errs := sout(t, db, "audit", "--record", "register:9999999")
	if code != 1 || out != "" || !strings.Contains(errs, "в реестре нет записи с номером 9999999 (и это не ИНН)") {
		t.Errorf("audit --record register:9999999: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestAudit_ImportReadsAsOneLine: an import's audit record is one line with
// its note, without its bookkeeping fields (QA: 341 lines of «Принятая
// запись журнала 101: «» → «101»», internal numbers sorted as text).
func TestAudit_ImportReadsAsOneLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "demo", "--employers", "20")
	out := mustSout(t, db, "audit")
	if strings.Contains(out, "Принятая запись журнала") || strings.Contains(out, "добавленная запись") ||
		!strings.Contains(out, "демо-данные") {
		t.Errorf("audit after a demo import:\n%s", out)
	}
}
