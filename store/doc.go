// Package store holds the domain of sout — journal entries, register entries,
// their figures and every check of FORMS.md §2 — and keeps them in one bbolt file.
//
// Validation lives here once: the screens call Validate for live feedback and
// the store calls it again inside the write transaction, so a rule is never
// written twice.
//
// # Buckets
//
//	meta          schema version, settings, pending import marker
//	journal       id (uint64 BE)            → journal entry (binary)
//	journal_no    year (uint16 BE) + no (uint32 BE) → id
//	register      id (uint64 BE)            → register entry (binary)
//	reg_by_date   date (uint32 BE, YYYYMMDD) + id → summary projection (section, INN, 45 figures)
//	inn           INN + '|' + kind ('j' or 'r') + id → date of the record (uint32 BE)
//	employers     INN → last known employer card (name, address, OGRN, OKVED)
//	audit         seq (uint64 BE)           → audit record (JSON)
//	locks         from (uint32 BE) + to (uint32 BE) → period lock (JSON)
//	users         name → user (JSON)
//	import_runs   while an import is unfinished: one nested bucket per chunk of
//	              sorted index keys ('a' journal to accept, 'd' date key, 'i' INN key,
//	              'n' journal number)
//	import_undo   while an import is unfinished: journal id → its state before it
//
// The employer index of FindEmployers and the list filters is not in the
// file: it is built in memory from the employers bucket at the first search
// and follows every committed write of a card (search.go).
//
// Every exported method of Store runs in one transaction. Secondary indexes
// and the audit record are written in the same transaction as the record.
//
// Bulk imports (Import) are the exception, for speed: each chunk appends its
// records (register or journal) and leaves their index keys sorted in a run;
// Commit merges the runs into the indexes in key order, a bounded number of
// keys per transaction, so that every index page is written about once
// (importruns.go). Until Commit a
// marker in meta says the import is unfinished, and the next Open, or Abort,
// removes everything it added: a crash never leaves half an import.
package store
