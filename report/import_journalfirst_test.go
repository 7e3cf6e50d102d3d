package report_test

import (
	"strings"
	"testing"

	"sout/report"
	"sout/store"
)

// TestImport_JournalFirst: a register whose journal numbers are not in the
// store (its journal not loaded yet) is refused row by row, and the message
// says once, after the rows, to load the journal first (QA: 339 errors, no
// word of why).
func TestImport_JournalFirst(t *testing.T) {
	s := openStore(t)
	rows := csvFile(goodRow(map[string]string{"journal_no": "1/2026"}), goodRow(map[string]string{"journal_no": "2/2026"}))
	_, err := importBytes(t, s, "in.csv", rows, report.ImportOptions{})
	msg := store.ErrorMessage(err)
	if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(msg, "В журнале 2026 года нет записи с номером 2") {
		t.Fatalf("import = %v", err)
	}
	if n := strings.Count(msg, "загрузите сначала его (sout import journal ФАЙЛ)"); n != 1 {
		t.Errorf("the hint is said %d times:\n%s", n, msg)
	}
}
