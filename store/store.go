package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"sout/store/safefile"
)

// SchemaVersion is the version of the file layout this code writes.
const SchemaVersion = 2

var (
	bucketMeta      = []byte("meta")
	bucketJournal   = []byte("journal")
	bucketJournalNo = []byte("journal_no")
	bucketRegister  = []byte("register")
	bucketRegByDate = []byte("reg_by_date")
	bucketINN       = []byte("inn")
	bucketEmployers = []byte("employers")
	bucketAudit     = []byte("audit")
	bucketLocks     = []byte("locks")
	bucketUsers     = []byte("users")

	allBuckets = [][]byte{bucketMeta, bucketJournal, bucketJournalNo, bucketRegister, bucketRegByDate,
		bucketINN, bucketEmployers, bucketAudit, bucketLocks, bucketUsers, bucketRegByOrg}

	keySchema   = []byte("schema")
	keySettings = []byte("settings")
	keyImport   = []byte("import")
	keyRegCount = []byte("register_count")
)

// Role is what a user may do.
type Role string

// Roles: a clerk enters and edits in unlocked periods; a head also locks and
// unlocks periods; an admin also manages users.
const (
	RoleClerk Role = "clerk"
	RoleHead  Role = "head"
	RoleAdmin Role = "admin"
)

// Title returns the Russian name of the role.
func (r Role) Title() string {
	switch r {
	case RoleClerk:
		return "специалист"
	case RoleHead:
		return "руководитель"
	case RoleAdmin:
		return "администратор"
	}
	return string(r)
}

// Actor is who performs an operation: the OS user locally, the SSH user when served.
type Actor struct {
	Name string
	Role Role
	// Remote marks a user of the database (an SSH session): each write checks
	// the role stored for Name at that moment (see authorize), not Role.
	Remote bool
}

// can reports whether a may act with one of roles (any role when none given).
func (a Actor) can(roles ...Role) bool {
	switch a.Role {
	case RoleClerk, RoleHead, RoleAdmin:
	default:
		return false
	}
	if len(roles) == 0 {
		return true
	}
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// forbidden is the early check of a's rights before a transaction; a remote
// actor is checked in the transaction itself, by authorize.
func forbidden(a Actor, what string, roles ...Role) error {
	if a.Remote {
		return nil
	}
	return roleError(a, what, roles...)
}

// roleError refuses a unless its role is one of roles (any role when none given).
func roleError(a Actor, what string, roles ...Role) error {
	if a.can(roles...) {
		return nil
	}
	need := "«специалист», «руководитель» или «администратор»"
	if len(roles) > 0 {
		need = "«" + roles[0].Title() + "»"
		if len(roles) > 1 {
			need += " или «" + roles[1].Title() + "»"
		}
	}
	return Errorf(CodeForbidden, "%s: недостаточно прав (пользователь %s, роль «%s»; нужна роль %s)", what, a.Name,
		a.Role.Title(), need)
}

// Options configure Open.
type Options struct {
	Timeout time.Duration    // how long to wait for a file held by another process; default 1 s
	Now     func() time.Time // the clock; default time.Now (tests fix it)
	// ReadOnly opens with a shared lock and refuses writes. A file that needs
	// writing first (an unfinished import to roll back, an older schema) is
	// opened for writing once to do that, unless AsIs is set.
	ReadOnly bool
	// AsIs, with ReadOnly, shows the file exactly as it is, an unfinished
	// import included: for inspecting what a crash left.
	AsIs bool
	// NoCreate refuses a missing file (CodeNotFound) instead of creating
	// it; a ReadOnly open never creates one.
	NoCreate bool
}

// defaultTimeout is how long Open waits for a file another process holds.
const defaultTimeout = time.Second

// Store is the open database. It is safe for concurrent use by many sessions.
type Store struct {
	db      guardedDB
	path    string
	now     func() time.Time
	created bool // Open made a new file

	mu   sync.Mutex
	subs map[chan Change]struct{}

	orgs   orgsCache    // the last SoutOrgs, kept as orgsCache says (orgs.go)
	orgPos orgPosCache  // the last register list by organisation (register_org.go)
	search *searchIndex // the employer index (search.go)
}

// Open opens the database file at path, creating it unless opt.ReadOnly or
// opt.NoCreate (a missing file is then a CodeNotFound *Error), checks its
// schema version (migrating an older file, refusing a newer one) and rolls
// back an import that a crash left unfinished. A file held by another process
// gives an *Error with CodeBusy within Options.Timeout; a damaged file
// (truncated, not a database, its pages broken) one with CodeDamaged.
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = defaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	exists, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	if !exists && (opt.ReadOnly || opt.NoCreate) {
		return nil, notFound(path)
	}
	db, err := openBolt(path, &bolt.Options{Timeout: opt.Timeout, FreelistType: bolt.FreelistMapType,
		ReadOnly: opt.ReadOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &Error{Code: CodeBusy, Err: err,
			Message: fmt.Sprintf("Файл базы данных %s занят другим процессом (например, запущен sout serve)", path)}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, err
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) ||
			errors.Is(err, berrors.ErrVersionMismatch) {
			return nil, damaged(path, "это не база данных sout, или её заголовок разрушен", err)
		}
		return nil, &Error{Code: CodeInvalid, Err: err,
			Message: fmt.Sprintf("Не удалось открыть файл базы данных %s: %s", path, safefile.Reason(err))}
	}
	s := &Store{db: guardedDB{DB: db, path: path}, path: path, now: opt.Now, created: !exists,
		subs: map[chan Change]struct{}{}}
	s.search = newSearchIndex(s)
	if !opt.ReadOnly {
		removeCompactLeftover(path) // the file is ours alone now: no compact runs on it
	}
	if err := s.prepare(opt.ReadOnly); err != nil {
		if errors.Is(err, errNeedsWrite) && opt.AsIs {
			return s, nil
		}
		s.search.close()
		db.Close()
		if errors.Is(err, errNeedsWrite) {
			// An unfinished import or an older schema: open for writing once
			// to roll back or migrate, then read-only as asked.
			rw := opt
			rw.ReadOnly = false
			w, err := Open(path, rw)
			if err != nil {
				return nil, err
			}
			if err := w.Close(); err != nil {
				return nil, err
			}
			return Open(path, opt)
		}
		return nil, err
	}
	return s, nil
}

// Created reports whether Open made a new, empty file.
func (s *Store) Created() bool { return s.created }

// errNeedsWrite: a read-only open found work that needs writing first.
var errNeedsWrite = errors.New("the file needs writing before it can be read")

// prepare creates the buckets of a new file, checks the schema version, and
// rolls back an unfinished import.
func (s *Store) prepare(readOnly bool) error {
	var schema uint64
	var ready, pending bool
	err := s.db.View(func(tx *bolt.Tx) error {
		ready = true
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				ready = false
			}
		}
		if m := tx.Bucket(bucketMeta); m != nil {
			if v := m.Get(keySchema); len(v) == 8 {
				schema = binary.BigEndian.Uint64(v)
			}
			pending = m.Get(keyImport) != nil
		}
		return nil
	})
	if err != nil {
		return err
	}
	if schema > SchemaVersion {
		return Errorf(CodeInvalid, "Файл %s создан более новой версией sout (схема %d, эта программа понимает до %d): "+
			"обновите программу", s.path, schema, SchemaVersion)
	}
	if ready && schema == SchemaVersion && !pending {
		return nil
	}
	if readOnly {
		if !ready && schema == 0 && !pending {
			return Errorf(CodeInvalid, "Файл %s не является базой sout или пуст", s.path)
		}
		return errNeedsWrite
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if pending {
			if err := rollbackImport(tx); err != nil {
				return err
			}
		}
		// Schema 0: a new file. 1 → 2: the organisation index is built. Future
		// migrations go here, one step per version.
		if schema == 1 {
			if err := buildOrgIndex(tx); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64key(SchemaVersion))
	})
}

// Close closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	for ch := range s.subs {
		close(ch)
		delete(s.subs, ch)
	}
	s.mu.Unlock()
	s.search.close()
	return s.db.Close()
}

// Path returns the file path.
func (s *Store) Path() string { return s.path }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// Today returns the store's current date.
func (s *Store) Today() Date { return DateOf(s.Now()) }

// update runs fn in one write transaction and, after it commits, tells subscribers.
func (s *Store) update(fn func(tx *bolt.Tx) (Change, error)) error {
	var ch Change
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		ch, err = fn(tx)
		return err
	})
	if err != nil {
		if errors.Is(err, berrors.ErrDatabaseReadOnly) {
			return Errorf(CodeForbidden, "База данных открыта только для чтения")
		}
		return err
	}
	if ch.Kind != "" {
		s.notify(ch)
	}
	return nil
}

// Settings are the inspectorate's details printed on the forms.
type Settings struct {
	Region       string // subject of the Russian Federation
	Inspectorate string // name of the State Labour Inspectorate
	Head         string // head of the inspectorate (Ф.И.О.)
	Compiler     string // official responsible for compiling the forms (Ф.И.О.)
	Phone        string // the compiler's contact phone
	// Thresholds of the risk indicators (FORMS.md §6); 0 means the default.
	RiskDropPoints int `json:",omitempty"` // harmful_share_drop: percentage points (30)
	RiskSoutYears  int `json:",omitempty"` // sout_due: years (5)
}

// MaySettings refuses an actor who may not change the settings (heads and
// admins may), with the refusal the store gives.
func MaySettings(a Actor) error {
	return roleError(a, "Изменение настроек", lockRoles...)
}

// Settings returns the saved settings (zero values when never set).
func (s *Store) Settings() (Settings, error) {
	var st Settings
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySettings); v != nil {
			return json.Unmarshal(v, &st)
		}
		return nil
	})
	return st, err
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(a Actor, st Settings) error {
	if err := MaySettings(a); err != nil && !a.Remote {
		return err
	}
	var ps Problems
	checkText(&ps, "region", "Субъект РФ", st.Region, false)
	checkText(&ps, "inspectorate", "Инспекция", st.Inspectorate, false)
	checkText(&ps, "head", "Руководитель", st.Head, false)
	checkText(&ps, "compiler", "Составитель", st.Compiler, false)
	checkText(&ps, "phone", "Телефон", st.Phone, false)
	if st.RiskDropPoints < 0 || st.RiskDropPoints > 100 {
		ps.errorf("risk_drop", "Порог снижения доли вредных условий %d: нужно от 1 до 100 п. п. (0 — по умолчанию, 30)",
			st.RiskDropPoints)
	}
	if st.RiskSoutYears < 0 || st.RiskSoutYears > 50 {
		ps.errorf("risk_years", "Срок СОУТ для индикатора риска %d: нужно от 1 до 50 лет (0 — по умолчанию, 5)",
			st.RiskSoutYears)
	}
	if ps.HasErrors() {
		return invalid(ps)
	}
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Изменение настроек", lockRoles...); err != nil {
			return Change{}, err
		}
		m := tx.Bucket(bucketMeta)
		before := m.Get(keySettings)
		after, _ := json.Marshal(st)
		if err := m.Put(keySettings, after); err != nil {
			return Change{}, err
		}
		return Change{Kind: "settings", User: a.Name}, s.audit(tx, a, "update", "settings", 0, cloneBytes(before), after, "")
	})
}

// Backup writes a consistent copy of the file to w while others keep
// working, and returns its size. The copy is taken first into a temporary
// file beside the database (or in the system's temporary folder when that
// folder is not writable), in one read transaction at the speed of the local
// disk; the transaction is closed before the copy goes to w, so a slow w (an
// SSH client) holds up no writer. The temporary file is removed as soon as
// it is open, so not even a killed copy leaves it behind. Backup stops with
// ctx's error once ctx ends.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(s.path), "."+filepath.Base(s.path)+".backup-*")
	if err != nil {
		if f, err = os.CreateTemp("", "sout-backup-*"); err != nil {
			return 0, fmt.Errorf("backup: %w", err)
		}
	}
	removed := os.Remove(f.Name()) == nil
	defer func() {
		f.Close()
		if !removed { // a system that keeps open files: removed once closed
			os.Remove(f.Name())
		}
	}()
	err = s.db.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(ctxWriter{ctx, f})
		return err
	})
	if safefile.NoSpace(err) {
		return 0, &Error{Code: CodeNoSpace, Err: err, Message: fmt.Sprintf(
			"на диске нет места для временной копии базы в папке %s: резервная копия не записана; освободите место и повторите",
			filepath.Dir(f.Name()))}
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return io.Copy(ctxWriter{ctx, w}, f)
}

// ctxWriter fails every write once ctx has ended.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// --- Changes ---

// Change tells subscribers that something was committed.
type Change struct {
	Kind    string // journal, register, lock, user, settings, import; "resync" after lost changes
	ID      uint64
	Journal uint64 // a journal entry the change also touched (accepting into the register)
	User    string
}

// ChangeResync is delivered to a subscriber that fell behind and lost
// changes: everything it shows must be read again.
const ChangeResync = "resync"

// Subscribe returns a channel that receives a Change after every committed
// write (dropping changes for a subscriber that does not keep up), and a
// function that ends the subscription.
func (s *Store) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, 16)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.mu.Lock()
			if _, ok := s.subs[ch]; ok {
				delete(s.subs, ch)
				close(ch)
			}
			s.mu.Unlock()
		})
	}
}

func (s *Store) notify(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- c:
		default:
			// The subscriber fell behind: make room and tell it to read
			// everything again rather than lose a change silently.
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- Change{Kind: ChangeResync}:
			default:
			}
		}
	}
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// conflict is the error of an update with a stale version.
func conflict(st Stamp) error {
	at := time.Unix(st.UpdatedAt, 0).Local()
	return Errorf(CodeConflict, "Запись изменена пользователем %s в %s: ваши изменения не сохранены и остались "+
		"в карточке — перепишите их, закройте карточку (Esc) и откройте запись заново",
		st.UpdatedBy, at.Format("15:04"))
}

// stampNew fills the stamp of a new record.
func stampNew(st *Stamp, a Actor, now time.Time) {
	*st = Stamp{Version: 1, CreatedBy: a.Name, CreatedAt: now.Unix(), UpdatedBy: a.Name, UpdatedAt: now.Unix()}
}

// stampNext fills the stamp of a changed record from the stored one.
func stampNext(st *Stamp, old Stamp, a Actor, now time.Time) {
	*st = old
	st.Version = old.Version + 1
	st.UpdatedBy = a.Name
	st.UpdatedAt = now.Unix()
}
