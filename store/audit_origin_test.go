package store_test

import (
	"context"
	"testing"
	"time"

	"sout/store"
)

// TestAudit_ImportStartsTheRecordsHistory: one record's history (by its id,
// or among an employer's ids) includes the import that added it, and no
// other import; --since and --user still filter it.
func TestAudit_ImportStartsTheRecordsHistory(t *testing.T) {
	s, _ := openStore(t)
	before, err := s.SaveRegisterEntry(clerk, validEntry()) // not imported
	if err != nil {
		t.Fatal(err)
	}
	im, err := s.BeginImport(context.Background(), clerk, "реестр.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	e := validEntry()
	e.EnteredOn = store.NewDate(2026, 4, 1)
	if err := im.AddRegister([]store.RegisterEntry{e}); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	imported := before.ID + 1
	count := func(f store.AuditFilter) (imports, all int) {
		err := s.AuditWhere(f, func(r *store.AuditRecord) error {
			all++
			if r.Kind == "import" {
				imports++
				if got := r.CreatedByImport(); got != "создана импортом: «реестр.xlsx»" {
					t.Errorf("CreatedByImport = %q", got)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return imports, all
	}
	if n, all := count(store.AuditFilter{Kind: "register", ID: imported}); n != 1 || all != 1 {
		t.Errorf("history of the imported entry: %d imports of %d records, want the import alone", n, all)
	}
	if n, all := count(store.AuditFilter{Kind: "register", IDs: []uint64{before.ID, imported}}); n != 1 || all != 2 {
		t.Errorf("the employer's entries: %d imports of %d records, want the import and the creation", n, all)
	}
	if n, _ := count(store.AuditFilter{Kind: "register", ID: before.ID}); n != 0 {
		t.Errorf("the entry saved by hand has %d imports in its history", n)
	}
	if n, _ := count(store.AuditFilter{Kind: "journal", ID: imported}); n != 0 {
		t.Errorf("a journal id the import did not add has %d imports", n)
	}
	if n, _ := count(store.AuditFilter{Kind: "register", ID: imported, User: "boris"}); n != 0 {
		t.Errorf("--user boris keeps %d imports", n)
	}
	if n, _ := count(store.AuditFilter{Kind: "register", ID: imported, Since: now.Add(time.Hour)}); n != 0 {
		t.Errorf("--since after the import keeps %d imports", n)
	}
}
