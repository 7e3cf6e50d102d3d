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
//	reg_by_date   date (uint32 BE, YYYYMMDD) + id → summary projection (section, INN, 45 figures),
//	              or one zero byte for an annulled entry (listed, out of the forms)
//	inn           INN + '|' + kind ('j' or 'r') + id → date of the record (uint32 BE)
//	reg_by_org    SOUT organisation's name (lower case, spaces folded) + 0 + date + id → OKVED code;
//	              every entry, annulled ones too: the register list's organisation filter (schema 2)
//	employers     INN → last known employer card (name, address, OGRN, OKVED)
//	audit         seq (uint64 BE)           → audit record (JSON)
//	locks         from (uint32 BE) + to (uint32 BE) → period lock (JSON)
//	users         name → user (JSON)
//	import_runs   while an import is unfinished: one nested bucket per chunk of
//	              sorted index keys ('a' journal to accept, 'd' date key, 'i' INN key,
//	              'n' journal number, 'o' organisation key)
//	import_undo   while an import is unfinished: journal id → its state before it
//
// The employer index of FindEmployers and the list filters is not in the
// file: it is built in memory from the employers bucket at the first search
// and follows every committed write of a card (search.go).
//
// Every write of Store runs in one transaction. Secondary indexes and the
// audit record are written in the same transaction as the record. No
// transaction runs the caller's code or opens another one.
//
// Long reads (EachRegister, EachJournal, EachFigures, Audit, Check, the lists
// and searches) go in bounded transactions of a few thousand keys or a few
// milliseconds each, and resume from the next key (reads.go): the caller's
// code runs between them, so a slow reader never blocks a writer for longer
// than one batch. What a caller needs of a linked record comes with the
// record (RegisterRecord.JournalRef). Backup copies the file in one read
// transaction to a temporary file beside it, then streams that copy.
//
// Bulk imports (Import) write in chunks, for speed: each chunk appends its
// records (register or journal) and leaves their index keys sorted in a run;
// Commit merges the runs into the indexes in key order, a bounded number of
// keys per transaction, so that every index page is written about once
// (importruns.go). Until Commit a
// marker in meta says the import is unfinished, and the next Open, or Abort,
// removes everything it added: a crash never leaves half an import, and the
// journal's numbering continues from the last entry kept. Every chunk is a
// synced transaction like any other (never NoSync: a lost page cache must not
// lose the file).
//
// # Records and new fields
//
// Records are encoded by hand (codec.go): uvarints and length-prefixed strings
// in a fixed order after a format byte, decoded without reflection, which keeps
// the INN look-up and the Summary scan fast: a typical register record is 413
// bytes against 732 as JSON and decodes over ten times faster
// (BenchmarkDecodeRegister, BenchmarkDecodeRegisterJSON). The codec stays,
// with one rule that makes a new field need no migration: a field is only
// ever appended at the end of its record, and its decoder reads it only when bytes remain (`len(d.b) > 0`), so
// a record written before the field existed decodes with the zero value.
// Fields are never removed or reordered; a change that cannot follow this rule
// bumps recordFormat and SchemaVersion and migrates in prepare.
// A new index is a new bucket in allBuckets and a step of prepare that fills
// it from the records, in the transaction that writes the new SchemaVersion
// (schema 1 → 2 built reg_by_org): an older program then refuses the file
// rather than write records without the index.
// TestStore_OpensSchema1File keeps a file written by schema 1
// (testdata/schema1.db) and checks that it reads the same as the same data
// written by the current code.
package store
