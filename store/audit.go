package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AuditRecord is one change or access: who, when, what, before and after.
type AuditRecord struct {
	Seq    uint64
	At     int64 // Unix seconds
	User   string
	Action string // create, update, return, resubmit, annul, accept, lock, unlock, import, user.add, login, report …
	Kind   string // journal, register, lock, user, settings, import; access for reads and logins
	ID     uint64 // the record's id, when there is one
	Before []byte // JSON of the record before, if any
	After  []byte // JSON of the record after, if any
	Note   string
}

// KindAccess is the Kind of an audit record that changed nothing: a login,
// or a read over SSH (report, export, lookup, backup, audit).
const KindAccess = "access"

// FieldChange is one field of a record that a change set, changed or cleared.
type FieldChange struct {
	Field         string // the data-file key for figures (c3_1_workers), else the field's path (Employer.INN)
	Before, After string // "" when the field was absent
}

// stampFields are bookkeeping, not the record's content: left out of Changes
// (the internal id too: no screen shows it; Ref names the record instead).
var stampFields = map[string]bool{
	"ID": true, "Version": true, "CreatedBy": true, "CreatedAt": true, "UpdatedBy": true, "UpdatedAt": true,
}

// Changes returns, field by field and in order of field name, the values
// that differ between Before and After (all of them for a creation or a
// removal).
func (r *AuditRecord) Changes() []FieldChange {
	before, after := map[string]string{}, map[string]string{}
	flattenJSON(r.Before, before)
	flattenJSON(r.After, after)
	names := map[string]bool{}
	for k := range before {
		names[k] = true
	}
	for k := range after {
		names[k] = true
	}
	var out []FieldChange
	for k := range names {
		if b, a := before[k], after[k]; b != a {
			out = append(out, FieldChange{Field: k, Before: b, After: a})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// flattenJSON puts every scalar of the JSON object raw into m, keyed by path.
func flattenJSON(raw []byte, m map[string]string) {
	if len(raw) == 0 {
		return
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		m["value"] = fmt.Sprint(v)
		return
	}
	for k, x := range obj {
		if stampFields[k] {
			continue
		}
		flattenValue(k, x, m)
	}
}

func flattenValue(path string, v any, m map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			flattenValue(path+"."+k, y, m)
		}
	case []any:
		for i, y := range x {
			flattenValue(path+"["+strconv.Itoa(i)+"]", y, m)
		}
	case nil:
	case string:
		if x != "" {
			m[gridKey(path)] = x
		}
	default:
		if s := fmt.Sprint(x); s != "0" && s != "false" {
			m[gridKey(path)] = s
		}
	}
}

// gridKey names a figure of a register entry's Grid by its data-file key.
func gridKey(path string) string {
	var c, r int
	if n, _ := fmt.Sscanf(path, "Grid[%d][%d]", &c, &r); n == 2 && c >= 0 && c < NumCols && r >= 0 && r < NumRows {
		return FieldKey(c, r)
	}
	return path
}

// audit writes one audit record inside tx.
func (s *Store) audit(tx *bolt.Tx, a Actor, action, kind string, id uint64, before, after []byte, note string) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	r := AuditRecord{Seq: seq, At: s.now().Unix(), User: a.Name, Action: action, Kind: kind, ID: id,
		Before: before, After: after, Note: note}
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	return b.Put(u64key(seq), v)
}

// RecordAccess writes an access event (KindAccess): a logs in, or reads
// something over SSH; action is login, report, export, lookup, backup or
// audit, note what was read.
func (s *Store) RecordAccess(a Actor, action, note string) error {
	return s.update(func(tx *bolt.Tx) (Change, error) {
		return Change{}, s.audit(tx, a, action, KindAccess, 0, nil, nil, note)
	})
}

// ActionRefused is the action of an access record of a command line the
// server refused over SSH (a flag naming a server file, a command the role
// may not run there): it read nothing, and the attempt is kept.
const ActionRefused = "refused"

// AuditFilter selects audit records; zero fields select everything.
type AuditFilter struct {
	Since time.Time
	User  string
	Kind  string // with ID: one record's history ("register", 31), the import that added it included
	ID    uint64
	IDs   []uint64 // with Kind: any of these records (an employer's register entries)
	Name  string   // with Kind user or lock: the user's name, the period ("2026H2")
}

func (f AuditFilter) match(r *AuditRecord) bool {
	if r.Kind == "import" && (f.Kind == "journal" || f.Kind == "register") && (f.ID != 0 || len(f.IDs) > 0) {
		// One record's history starts with the import that created it.
		return (f.Since.IsZero() || r.At >= f.Since.Unix()) && (f.User == "" || r.User == f.User) &&
			(importCovers(r, f.Kind, f.ID) ||
				slices.ContainsFunc(f.IDs, func(id uint64) bool { return importCovers(r, f.Kind, id) }))
	}
	switch {
	case !f.Since.IsZero() && r.At < f.Since.Unix(), f.User != "" && r.User != f.User:
		return false
	case f.Kind != "" && r.Kind != f.Kind, f.ID != 0 && r.ID != f.ID, f.Name != "" && r.Note != f.Name:
		return false
	case len(f.IDs) > 0 && !slices.Contains(f.IDs, r.ID):
		return false
	}
	return true
}

// auditChunk is how many audit records one read transaction decodes.
const auditChunk = 512

// AuditWhere calls fn for every audit record f selects, oldest first. It
// reads in bounded transactions and calls fn outside them, so a slow reader
// never holds the file.
func (s *Store) AuditWhere(f AuditFilter, fn func(*AuditRecord) error) error {
	from, done := uint64(1), false
	for !done {
		var batch []AuditRecord
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketAudit).Cursor()
			k, v := c.Seek(u64key(from))
			for n := 0; k != nil && n < auditChunk; k, v = c.Next() {
				n++
				var r AuditRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("audit record %x: %w", k, err)
				}
				from = r.Seq + 1
				if f.match(&r) {
					batch = append(batch, r)
				}
			}
			done = k == nil
			return nil
		})
		if err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Audit calls fn for every audit record since (zero = all) by user ("" = anyone), oldest first.
func (s *Store) Audit(since time.Time, user string, fn func(*AuditRecord) error) error {
	return s.AuditWhere(AuditFilter{Since: since, User: user}, fn)
}

// ImportAudit is the After of an import's audit record: the file, its counts
// and the records it added (ids First..Last of each, consecutive: an import
// holds the file's writers until it ends) or accepted.
type ImportAudit struct {
	File            string
	Records         int       // records read from the file
	RegisterAdded   [2]uint64 `json:",omitempty"` // first and last id; zero when none
	JournalAdded    [2]uint64 `json:",omitempty"`
	JournalAccepted []uint64  `json:",omitempty"` // journal entries the import accepted
}

// importSummary builds the ImportAudit of the import that started after
// register id regSeq and journal id journalSeq, before its undo records go.
func importSummary(tx *bolt.Tx, file string, records int, regSeq, journalSeq uint64) []byte {
	ia := ImportAudit{File: file, Records: records}
	if last := tx.Bucket(bucketRegister).Sequence(); last > regSeq {
		ia.RegisterAdded = [2]uint64{regSeq + 1, last}
	}
	if last := tx.Bucket(bucketJournal).Sequence(); last > journalSeq {
		ia.JournalAdded = [2]uint64{journalSeq + 1, last}
	}
	if b := tx.Bucket(bucketImportUndo); b != nil {
		_ = b.ForEach(func(k, _ []byte) error {
			ia.JournalAccepted = append(ia.JournalAccepted, binary.BigEndian.Uint64(k))
			return nil
		})
	}
	v, _ := json.Marshal(ia)
	return v
}

// auditFieldLabels are the Russian names of the fields an audit record holds,
// by their path in the record (figures are named by fieldLabel).
var auditFieldLabels = map[string]string{
	"EnteredOn": "Дата внесения", "ID": "Номер", "JournalID": "Запись журнала", "RegisterID": "Запись реестра",
	"Employer.Name": "Наименование работодателя", "Employer.Address": "Адрес работодателя",
	"Employer.INN": "ИНН работодателя", "Employer.OGRN": "ОГРН работодателя", "Employer.OKVED": "ОКВЭД",
	"SoutOrg.Name": "Организация, проводившая СОУТ", "SoutOrg.RegNo": "Регистрационный номер организации",
	"EmployerName": "Наименование работодателя", "EmployerINN": "ИНН работодателя",
	"SoutOrgName": "Организация, проводившая СОУТ", "SoutOrgRegNo": "Регистрационный номер организации",
	"No": "Номер в журнале", "Year": "Год", "ReceivedOn": "Дата поступления", "LetterDate": "Дата письма",
	"LetterNo": "Номер письма", "Notes": "Примечание", "Status": "Статус", "StatusReason": "Причина",
	"ReturnDeadline": "Срок доработки",
	"Region":         "Регион", "Inspectorate": "Инспекция", "Head": "Руководитель", "Compiler": "Исполнитель",
	"Phone": "Телефон",
	"Name":  "Имя", "Role": "Роль",
	"Period.From": "Начало периода", "Period.To": "Конец периода", "Reason": "Причина", "By": "Кто заблокировал",
	"At":   "Когда",
	"File": "Файл", "Records": "Записей в файле", "RegisterAdded[0]": "Первая добавленная запись реестра",
	"RegisterAdded[1]": "Последняя добавленная запись реестра",
	"JournalAdded[0]":  "Первая добавленная запись журнала", "JournalAdded[1]": "Последняя добавленная запись журнала",
	"value":       "Значение",
	"Annulled.By": "Кто аннулировал", "Annulled.At": "Когда аннулирована", "Annulled.Reason": "Причина аннулирования",
}

// dateFields are the fields whose values are Dates.
var dateFields = map[string]bool{
	"EnteredOn": true, "ReceivedOn": true, "LetterDate": true, "ReturnDeadline": true,
	"Period.From": true, "Period.To": true,
}

// Label returns the Russian name of the change's field (FieldLabel).
func (c FieldChange) Label() string { return FieldLabel(c.Field) }

// Shown returns the change's values before and after as people read them (AuditValue).
func (c FieldChange) Shown() (before, after string) {
	return AuditValue(c.Field, c.Before), AuditValue(c.Field, c.After)
}

// ShowChange returns c's values as Shown does, with a linked record's
// internal id (a register entry's JournalID, a journal entry's RegisterID)
// named as the screens name it: «№ 15/2026», «ИНН 7707083893, внесена
// 12.03.2026». An id no longer found stays a number. Each name is one
// read; call it outside any transaction.
func (s *Store) ShowChange(c FieldChange) (before, after string) {
	before, after = c.Shown()
	name := func(v string) string {
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil || id == 0 {
			return v
		}
		switch c.Field {
		case "JournalID":
			if j, err := s.JournalEntry(id); err == nil {
				return "№ " + j.Ref()
			}
		case "RegisterID":
			if e, err := s.RegisterEntry(id); err == nil {
				return fmt.Sprintf("ИНН %s, внесена %s", e.Employer.INN, e.EnteredOn.Ru())
			}
		}
		return v
	}
	if c.Field == "JournalID" || c.Field == "RegisterID" {
		before, after = name(before), name(after)
	}
	return before, after
}

// FieldLabel returns the Russian name of a field of an audit record by its
// path (Employer.INN) or, for a figure, its data-file key (c3_1_workers):
// «класс 3.1, работники». A path it does not know is returned as it is.
func FieldLabel(path string) string {
	if l, ok := auditFieldLabels[path]; ok {
		return l
	}
	for c := range NumCols {
		for r := range NumRows {
			if FieldKey(c, r) == path {
				return ColNames[c] + ", " + RowTitles[r]
			}
		}
	}
	var i int
	if n, _ := fmt.Sscanf(path, "Keys[%d]", &i); n == 1 {
		return fmt.Sprintf("Ключ %d", i+1)
	}
	if n, _ := fmt.Sscanf(path, "JournalAccepted[%d]", &i); n == 1 {
		return fmt.Sprintf("Принятая запись журнала %d", i+1)
	}
	return path
}

// AuditValue is the value v of the field at path as people read it: a date as a date, a
// role and a journal status by their Russian names.
func AuditValue(path, v string) string {
	if v == "" {
		return v
	}
	switch {
	case dateFields[path]:
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			return Date(n).Ru()
		}
	case path == "At" || path == "Annulled.At": // Unix seconds
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			return time.Unix(n, 0).Local().Format("02.01.2006 15:04")
		}
	case path == "Role":
		return Role(v).Title()
	case path == "Status":
		return JournalStatus(v).Title()
	}
	return v
}

// auditActions are the Russian names of the audit's actions.
var auditActions = map[string]string{
	"create": "создание", "update": "изменение", "return": "возврат на доработку",
	"resubmit": "повторное поступление", "annul": "аннулирование", "accept": "принятие", "revoke": "отмена принятия",
	"lock": "блокировка периода", "unlock": "разблокировка периода", "import": "импорт",
	"user.add": "добавление пользователя", "user.remove": "удаление пользователя", "user.role": "смена роли",
	ActionRefused: "отказ в команде через SSH", "login": "вход", "report": "отчёт", "export": "выгрузка",
	"lookup": "поиск", "backup": "резервная копия",
	"audit": "просмотр журнала изменений",
}

// auditKinds are the Russian names of what an audit record is about.
var auditKinds = map[string]string{
	"journal": "запись журнала", "register": "запись реестра", "lock": "период", "user": "пользователь",
	"settings": "настройки", "import": "", KindAccess: "",
}

// ActionTitle returns the Russian name of the record's action.
func (r *AuditRecord) ActionTitle() string {
	if t, ok := auditActions[r.Action]; ok {
		return t
	}
	return r.Action
}

// Ref names the record an audit record is about the way the screens and
// forms name it: a journal entry by «№ 15/2026», a register entry by its
// employer's INN and date of entry; "" when the record holds neither.
// Internal ids, which no screen shows, are never the name.
func (r *AuditRecord) Ref() string {
	body := r.After
	if len(body) == 0 {
		body = r.Before
	}
	switch r.Kind {
	case "journal":
		var j struct{ Year, No int }
		if json.Unmarshal(body, &j) == nil && j.No > 0 {
			return fmt.Sprintf("№ %d/%d", j.No, j.Year)
		}
	case "register":
		var e struct {
			EnteredOn Date
			Employer  struct{ INN string }
		}
		if json.Unmarshal(body, &e) == nil && e.Employer.INN != "" {
			return fmt.Sprintf("ИНН %s, внесена %s", e.Employer.INN, e.EnteredOn.Ru())
		}
	}
	return ""
}

// KindTitle returns the Russian name of what the record is about ("" for an
// import or an access, whose action says it all).
func (r *AuditRecord) KindTitle() string {
	if t, ok := auditKinds[r.Kind]; ok {
		return t
	}
	return r.Kind
}

// journalAuditNote is the note of a change of journal entry e by action:
// its «15/2026», and for a re-receipt the day the package came back
// («15/2026: повторно поступило 20.03.2026»), which the audited record does
// not hold (its events are kept apart).
func journalAuditNote(action string, e *JournalEntry) string {
	if ev := lastEvent(e, StatusReceived); action == "resubmit" && ev != nil {
		return e.Ref() + ": повторно поступило " + ev.On.Ru()
	}
	return e.Ref()
}

// importCovers reports whether import audit record r added record id of
// kind ("register" or "journal"): its ImportAudit lists the id ranges.
func importCovers(r *AuditRecord, kind string, id uint64) bool {
	if r.Kind != "import" || id == 0 {
		return false
	}
	var ia ImportAudit
	if json.Unmarshal(r.After, &ia) != nil {
		return false
	}
	span := ia.RegisterAdded
	if kind == "journal" {
		span = ia.JournalAdded
	}
	return span[0] != 0 && id >= span[0] && id <= span[1]
}

// ImportedFile is the file an import audit record loaded («» for another
// record).
func (r *AuditRecord) ImportedFile() string {
	var ia ImportAudit
	if r.Kind != "import" || json.Unmarshal(r.After, &ia) != nil {
		return ""
	}
	return ia.File
}

// CreatedByImport is how a record's history names the import that added it
// (one that importCovers): «создана импортом: «register.xlsx»».
func (r *AuditRecord) CreatedByImport() string {
	return "создана импортом: «" + r.ImportedFile() + "»"
}
