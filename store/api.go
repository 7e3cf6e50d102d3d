package store

// NOTE: this file is the contract between the layers. The bodies here are
// placeholders to be replaced by the real implementation (store persistence
// work); the signatures and doc comments are fixed — change them only
// together with every caller.

import (
	"errors"
	"io"
	"time"
)

var errTODO = errors.New("not implemented yet")

// Role is what a user may do.
type Role string

// Roles: a clerk enters and edits in unlocked periods; a head also locks and
// unlocks periods; an admin also manages users.
const (
	RoleClerk Role = "clerk"
	RoleHead  Role = "head"
	RoleAdmin Role = "admin"
)

// Actor is who performs an operation: the OS user locally, the SSH user when served.
type Actor struct {
	Name string
	Role Role
}

// Options configure Open.
type Options struct {
	Timeout  time.Duration    // how long to wait for a file held by another process; default 1 s
	Now      func() time.Time // the clock; default time.Now (tests fix it)
	ReadOnly bool             // open with a shared lock, refuse writes
}

// Store is the open database. It is safe for concurrent use by many sessions.
type Store struct{}

// Open opens (creating if needed) the database file at path, checks its
// schema version (migrating an older file, refusing a newer one) and rolls
// back an import that a crash left unfinished. A file held by another process
// gives an *Error with CodeLocked within Options.Timeout.
func Open(path string, opt Options) (*Store, error) { return nil, errTODO }

// Close closes the file.
func (s *Store) Close() error { return errTODO }

// Path returns the file path.
func (s *Store) Path() string { return "" }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return time.Now() }

// Today returns the store's current date.
func (s *Store) Today() Date { return DateOf(s.Now()) }

// Settings are the inspectorate's details printed on the forms.
type Settings struct {
	Region       string // subject of the Russian Federation
	Inspectorate string // name of the State Labour Inspectorate
	Head         string // head of the inspectorate (Ф.И.О.)
	Compiler     string // official responsible for compiling the forms (Ф.И.О.)
	Phone        string // the compiler's contact phone
}

// Settings returns the saved settings (zero values when never set).
func (s *Store) Settings() (Settings, error) { return Settings{}, errTODO }

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(a Actor, st Settings) error { return errTODO }

// --- Journal ---

// CreateJournalEntry validates and saves a new journal entry, assigning its
// registration number (next in the year of receipt) when e.No is 0, or
// keeping e.No when given (refusing a number already used in that year).
// Status defaults to received.
func (s *Store) CreateJournalEntry(a Actor, e JournalEntry) (JournalEntry, error) {
	return e, errTODO
}

// UpdateJournalEntry saves changed fields of an existing entry. e.Version must
// be the version read; the number, year and status are not changed here.
func (s *Store) UpdateJournalEntry(a Actor, e JournalEntry) (JournalEntry, error) {
	return e, errTODO
}

// ReturnJournalEntry marks an entry returned for corrections with a reason and a deadline.
func (s *Store) ReturnJournalEntry(a Actor, id, version uint64, reason string, deadline Date) (JournalEntry, error) {
	return JournalEntry{}, errTODO
}

// ResubmitJournalEntry marks a returned entry received again (the corrected package came back).
func (s *Store) ResubmitJournalEntry(a Actor, id, version uint64) (JournalEntry, error) {
	return JournalEntry{}, errTODO
}

// AnnulJournalEntry marks an entry annulled with a reason.
func (s *Store) AnnulJournalEntry(a Actor, id, version uint64, reason string) (JournalEntry, error) {
	return JournalEntry{}, errTODO
}

// JournalEntry returns one entry by id.
func (s *Store) JournalEntry(id uint64) (JournalEntry, error) { return JournalEntry{}, errTODO }

// JournalByNo returns the entry with registration number no of year.
func (s *Store) JournalByNo(year, no int) (JournalEntry, error) { return JournalEntry{}, errTODO }

// JournalQuery selects journal entries for a list.
type JournalQuery struct {
	Period Period // by date of receipt; zero = all
	Text   string // INN prefix, registration number, or part of a name (employer or SOUT organisation), case-insensitive
	Status JournalStatus
}

// ListJournal returns the matching entries, newest first (year, number descending).
func (s *Store) ListJournal(q JournalQuery) ([]JournalEntry, error) { return nil, errTODO }

// EachJournal calls fn for every entry received in p (zero = all), in
// registration order (year, number ascending).
func (s *Store) EachJournal(p Period, fn func(*JournalEntry) error) error { return errTODO }

// --- Register ---

// CheckRegisterEntry returns every problem of e: Validate plus the checks that
// need other records (a duplicate INN + SOUT organisation + journal entry; a
// name or OKVED that differs from the last entry with the same INN; a locked
// period; a journal link that does not exist).
func (s *Store) CheckRegisterEntry(e RegisterEntry) (Problems, error) { return nil, errTODO }

// SaveRegisterEntry creates (e.ID == 0) or updates an entry. It refuses errors
// (not warnings), a stale version (CodeConflict with who changed it and when),
// and a date in a locked period, or a move into or out of one (CodeLocked).
// When e.JournalID names a received or returned journal entry, that entry
// becomes accepted and linked to e in the same transaction.
func (s *Store) SaveRegisterEntry(a Actor, e RegisterEntry) (RegisterEntry, error) {
	return e, errTODO
}

// RegisterEntry returns one entry by id.
func (s *Store) RegisterEntry(id uint64) (RegisterEntry, error) { return RegisterEntry{}, errTODO }

// Pos is a position in the register list (newest first: by date of entry, then id).
type Pos struct {
	Date Date
	ID   uint64
}

// RegisterQuery selects register entries for a list.
type RegisterQuery struct {
	Period Period // by date of entry; zero = all
	Text   string // INN prefix or part of the employer's name, case-insensitive
}

// ListRegister returns up to limit entries matching q, newest first,
// starting strictly after pos (the zero Pos starts at the newest). It reads
// only what it returns, so paging through a million entries stays fast.
func (s *Store) ListRegister(q RegisterQuery, after Pos, limit int) ([]RegisterEntry, error) {
	return nil, errTODO
}

// ListRegisterBefore returns up to limit entries matching q that come
// strictly before pos in the newest-first order, in that order.
func (s *Store) ListRegisterBefore(q RegisterQuery, before Pos, limit int) ([]RegisterEntry, error) {
	return nil, errTODO
}

// CountRegister returns how many entries match q.
func (s *Store) CountRegister(q RegisterQuery) (int, error) { return 0, errTODO }

// EachRegister calls fn for every entry dated in p (zero = all), oldest first.
func (s *Store) EachRegister(p Period, fn func(*RegisterEntry) error) error { return errTODO }

// Figures is what the Summary needs of one register entry.
type Figures struct {
	ID        uint64
	EnteredOn Date
	INN       string
	OKVED     string
	Grid      Grid
}

// EachFigures calls fn for every entry dated in p, oldest first, reading only
// the compact figures index (no names, no addresses). fn must not keep f.
func (s *Store) EachFigures(p Period, fn func(f *Figures) error) error { return errTODO }

// --- Look-up ---

// EmployerCard is everything known about one employer.
type EmployerCard struct {
	Employer Employer // from the latest register entry, else from the latest journal entry
	Journal  []JournalEntry
	Register []RegisterEntry // oldest first: the history of results
}

// FindByINN returns everything known about the employer with this INN
// (CodeNotFound when nothing is).
func (s *Store) FindByINN(inn string) (EmployerCard, error) { return EmployerCard{}, errTODO }

// LastEmployer returns the employer block of the latest entry with this INN.
func (s *Store) LastEmployer(inn string) (Employer, bool, error) { return Employer{}, false, errTODO }

// SearchEmployers returns up to limit employers whose INN starts with text or
// whose name contains it (case-insensitive), best matches first.
func (s *Store) SearchEmployers(text string, limit int) ([]Employer, error) { return nil, errTODO }

// --- Periods ---

// Lock is a locked period: no register entry dated in it may be created,
// changed, or moved in or out.
type Lock struct {
	Period Period
	Reason string
	By     string
	At     int64 // Unix seconds
}

// LockPeriod locks p (heads and admins only).
func (s *Store) LockPeriod(a Actor, p Period, reason string) error { return errTODO }

// UnlockPeriod removes the lock of exactly p (heads and admins only).
func (s *Store) UnlockPeriod(a Actor, p Period) error { return errTODO }

// Locks returns every lock.
func (s *Store) Locks() ([]Lock, error) { return nil, errTODO }

// LockAt returns the lock that covers d, if any.
func (s *Store) LockAt(d Date) (*Lock, error) { return nil, errTODO }

// --- Users ---

// User is a person allowed to connect over SSH.
type User struct {
	Name string
	Role Role
	Keys []string // public keys in authorized_keys form ("ssh-ed25519 AAAA… comment")
}

// AddUser adds a user (admins only). Names and keys are unique.
func (s *Store) AddUser(a Actor, u User) error { return errTODO }

// RemoveUser removes a user (admins only).
func (s *Store) RemoveUser(a Actor, name string) error { return errTODO }

// SetRole changes a user's role (admins only).
func (s *Store) SetRole(a Actor, name string, role Role) error { return errTODO }

// Users returns every user, by name.
func (s *Store) Users() ([]User, error) { return nil, errTODO }

// UserByKey returns the user one of whose keys has this type and base64 body
// (the first two fields of an authorized_keys line), or false.
func (s *Store) UserByKey(authorizedKey string) (User, bool, error) { return User{}, false, errTODO }

// --- Audit ---

// AuditRecord is one change: who, when, what, before and after.
type AuditRecord struct {
	Seq    uint64
	At     int64  // Unix seconds
	User   string
	Action string // create, update, return, resubmit, annul, accept, lock, unlock, import, user.add …
	Kind   string // journal, register, lock, user, settings, import
	ID     uint64 // the record's id, when there is one
	Before []byte // JSON of the record before, if any
	After  []byte // JSON of the record after, if any
	Note   string
}

// Audit calls fn for every audit record since (zero = all) by user ("" = anyone), oldest first.
func (s *Store) Audit(since time.Time, user string, fn func(*AuditRecord) error) error {
	return errTODO
}

// --- Changes ---

// Change tells subscribers that something was committed.
type Change struct {
	Kind string // journal, register, lock, user, settings, import
	ID   uint64
	User string
}

// Subscribe returns a channel that receives a Change after every committed
// write (dropping changes for a subscriber that does not keep up), and a
// function that ends the subscription.
func (s *Store) Subscribe() (<-chan Change, func()) { return nil, func() {} }

// --- Import ---

// Import is an all-or-nothing bulk load written in chunks: until Commit, a
// marker in the file says the import is unfinished, and Open (or Abort)
// removes everything it added, so a crash leaves no half-import behind.
type Import struct{}

// BeginImport starts an import by a; source names the file for the audit.
func (s *Store) BeginImport(a Actor, source string) (*Import, error) { return nil, errTODO }

// AddRegister validates and writes a chunk of register entries in one transaction.
func (im *Import) AddRegister(es []RegisterEntry) error { return errTODO }

// AddJournal validates and writes a chunk of journal entries in one transaction.
func (im *Import) AddJournal(es []JournalEntry) error { return errTODO }

// Commit ends the import and writes its audit record.
func (im *Import) Commit() error { return errTODO }

// Abort removes everything the import added.
func (im *Import) Abort() error { return errTODO }

// --- Maintenance ---

// Check verifies indexes, versions and links against the records and returns
// one Russian sentence per inconsistency (none when the file is sound).
func (s *Store) Check() ([]string, error) { return nil, errTODO }

// Backup writes a consistent copy of the file to w while others keep working.
func (s *Store) Backup(w io.Writer) (int64, error) { return 0, errTODO }
