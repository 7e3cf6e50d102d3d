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
//	inn           INN + kind byte ('j' or 'r') + id → empty
//	employers     INN → last known employer card (name, address, OGRN, OKVED)
//	audit         seq (uint64 BE)           → audit record (JSON)
//	locks         from (uint32 BE) + to (uint32 BE) → period lock (JSON)
//	users         name → user (JSON)
//
// Every exported method of Store runs in one transaction. Secondary indexes
// and the audit record are written in the same transaction as the record.
package store
