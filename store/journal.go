package store

import (
	"fmt"
	"strconv"
	"strings"
)

// JournalStatus is the state of a journal entry (FORMS.md §1).
type JournalStatus string

// Journal statuses. An entry is never deleted: a legal journal only grows.
const (
	StatusReceived JournalStatus = "received" // поступило
	StatusReturned JournalStatus = "returned" // возвращено на доработку (reason + deadline)
	StatusAccepted JournalStatus = "accepted" // принято (linked to the register entry made from it)
	StatusAnnulled JournalStatus = "annulled" // аннулировано (reason)
)

// Statuses lists the journal statuses in the order the screens offer them.
var Statuses = []JournalStatus{StatusReceived, StatusReturned, StatusAccepted, StatusAnnulled}

// Title returns the Russian name of the status.
func (s JournalStatus) Title() string {
	switch s {
	case StatusReceived:
		return "поступило"
	case StatusReturned:
		return "возвращено на доработку"
	case StatusAccepted:
		return "принято"
	case StatusAnnulled:
		return "аннулировано"
	}
	return string(s)
}

// ParseStatus reads a status key as written in data files ("received" …);
// the Russian titles are accepted too.
func ParseStatus(s string) (JournalStatus, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return StatusReceived, nil
	}
	for _, st := range Statuses {
		if strings.EqualFold(s, string(st)) || strings.EqualFold(s, st.Title()) {
			return st, nil
		}
	}
	return "", fmt.Errorf("статус «%s» не распознан: нужен received, returned, accepted или annulled", s)
}

// Stamp is the bookkeeping every stored record carries.
type Stamp struct {
	Version   uint64 // incremented on every change; an update with a stale version fails
	CreatedBy string
	CreatedAt int64 // Unix seconds
	UpdatedBy string
	UpdatedAt int64 // Unix seconds
}

// JournalEntry is one line of the Journal (FORMS.md §1, Appendix 4).
type JournalEntry struct {
	ID             uint64 // internal id; 0 for a new entry
	Year           int    // year of receipt; with No, the registration number
	No             int    // registration number within Year; assigned by the store, never edited
	ReceivedOn     Date   // col 2
	EmployerName   string // col 3
	EmployerINN    string // kept for look-ups; not printed
	SoutOrgName    string // col 4
	SoutOrgRegNo   string // col 4: number in the registry of SOUT organisations (optional)
	LetterDate     Date   // col 5
	LetterNo       string // col 5
	Notes          string // col 6
	Status         JournalStatus
	StatusReason   string // reason of a return or an annulment
	ReturnDeadline Date   // deadline of a return
	RegisterID     uint64 // the register entry made from it, when accepted
	Stamp
	// Events are its status changes, oldest first (kept in the record; an
	// older record gets them derived from its status, see deriveEvents).
	Events []StatusEvent `json:"-"`
}

// Ref returns the registration number as printed with its year: «15/2026».
// This is the form of register data column journal_no.
func (e *JournalEntry) Ref() string {
	if e.No == 0 {
		return ""
	}
	return strconv.Itoa(e.No) + "/" + strconv.Itoa(e.Year)
}

// Letter returns column 5 as printed: «dd.mm.yyyy № N».
func (e *JournalEntry) Letter() string {
	switch {
	case e.LetterDate == 0 && e.LetterNo == "":
		return ""
	case e.LetterNo == "":
		return e.LetterDate.Ru()
	case e.LetterDate == 0:
		return "№ " + e.LetterNo
	}
	return e.LetterDate.Ru() + " № " + e.LetterNo
}

// Overdue reports whether the entry was returned and its deadline has passed by today.
func (e *JournalEntry) Overdue(today Date) bool { return overdue(e.Status, e.ReturnDeadline, today) }

// overdue is the rule of an overdue return, for an entry and for its key:
// returned for corrections, and its deadline passed by today.
func overdue(st JournalStatus, deadline, today Date) bool {
	return st == StatusReturned && deadline != 0 && deadline < today
}

// ParseJournalRef reads «15/2026» (or «15» with defaultYear) into a year and a number.
func ParseJournalRef(s string, defaultYear int) (year, no int, err error) {
	s = strings.TrimSpace(s)
	num, yr, hasYear := strings.Cut(s, "/")
	no, err = strconv.Atoi(strings.TrimSpace(num))
	if err != nil || no <= 0 {
		return 0, 0, fmt.Errorf("номер журнала «%s» не распознан: нужен вид 15/2026", s)
	}
	if no > MaxJournalNo {
		return 0, 0, fmt.Errorf("номер журнала «%s» слишком велик (не больше %d в году)", s, MaxJournalNo)
	}
	year = defaultYear
	if hasYear {
		year, err = strconv.Atoi(strings.TrimSpace(yr))
		if err != nil || year < 1900 || year > 2999 {
			return 0, 0, fmt.Errorf("номер журнала «%s»: год не распознан", s)
		}
	}
	return year, no, nil
}

// Journal field keys, as in the journal data files (FORMS.md §5).
const (
	FieldRegNo          = "reg_no"
	FieldReceivedOn     = "received_on"
	FieldEmployerName   = "employer_name"
	FieldEmployerINN    = "employer_inn"
	FieldSoutOrgName    = "sout_org_name"
	FieldSoutOrgRegNo   = "sout_org_reg_no"
	FieldLetterDate     = "letter_date"
	FieldLetterNo       = "letter_no"
	FieldNotes          = "notes"
	FieldStatus         = "status"
	FieldStatusReason   = "status_reason"
	FieldReturnDeadline = "return_deadline"
)

// MaxJournalNo is the largest registration number within a year; the
// number index keeps numbers in 32 bits.
const MaxJournalNo = 9_999_999

// maxText is the longest text any field may hold, in bytes.
const maxText = 2000

// KnownEmployer checks the employer's name against known, the name the
// records hold for its INN ("" when none): a different name is a warning,
// the one the register card gives, so that a package is not registered under
// one employer's name and another's INN without a word.
func (e *JournalEntry) KnownEmployer(known string) Problems {
	var ps Problems
	if known != "" && e.EmployerName != "" && !SameName(e.EmployerName, known) {
		ps.warnf(FieldEmployerName, "Наименование: «%s» отличается от известного по ИНН %s («%s»)",
			e.EmployerName, e.EmployerINN, known)
	}
	return ps
}

// SameName reports whether two names of an employer are the same name:
// case and the spaces around them do not count.
func SameName(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

// Validate checks the entry on its own (no other records) as of today and
// returns every failed check. The store calls it again inside the write transaction.
func (e *JournalEntry) Validate(today Date) Problems {
	var ps Problems
	switch {
	case e.ReceivedOn == 0:
		ps.errorf(FieldReceivedOn, "Дата поступления: не указана")
	case e.ReceivedOn > today:
		ps.errorf(FieldReceivedOn, "Дата поступления: %s ещё не наступила", e.ReceivedOn.Ru())
	}
	if e.No < 0 {
		ps.errorf(FieldRegNo, "Регистрационный номер %d должен быть положительным", e.No)
	} else if e.No > MaxJournalNo {
		ps.errorf(FieldRegNo, "Регистрационный номер %d слишком велик (не больше %d в году)", e.No, MaxJournalNo)
	}
	if e.No > 0 && e.ReceivedOn != 0 && e.Year != 0 && e.Year != e.ReceivedOn.Year() {
		ps.errorf(FieldRegNo, "Регистрационный номер %s не относится к году поступления %d", e.Ref(), e.ReceivedOn.Year())
	}
	checkText(&ps, FieldEmployerName, "Наименование работодателя", e.EmployerName, true)
	if e.EmployerINN != "" {
		if err := CheckINN(e.EmployerINN); err != nil {
			ps.errorf(FieldEmployerINN, "%v", err)
		}
	} else {
		ps.errorf(FieldEmployerINN, "ИНН работодателя: не указан")
	}
	checkText(&ps, FieldSoutOrgName, "Организация, проводившая СОУТ", e.SoutOrgName, true)
	checkText(&ps, FieldSoutOrgRegNo, "№ в реестре организаций", e.SoutOrgRegNo, false)
	checkText(&ps, FieldLetterNo, "№ письма", e.LetterNo, false)
	checkText(&ps, FieldNotes, "Примечания", e.Notes, false)
	if e.LetterDate != 0 && e.ReceivedOn != 0 && e.LetterDate > e.ReceivedOn {
		ps.errorf(FieldLetterDate, "Дата письма %s позже даты поступления %s", e.LetterDate.Ru(), e.ReceivedOn.Ru())
	}
	switch e.Status {
	case StatusReturned:
		checkReason(&ps, "Причина возврата на доработку", e.StatusReason)
		if e.ReturnDeadline == 0 {
			ps.errorf(FieldReturnDeadline, "Срок доработки: не указан")
		} else if e.ReceivedOn != 0 && e.ReturnDeadline < e.ReceivedOn {
			ps.errorf(FieldReturnDeadline, "Срок доработки: %s раньше даты поступления %s", e.ReturnDeadline.Ru(),
				e.ReceivedOn.Ru())
		}
	case StatusAnnulled:
		checkReason(&ps, "Причина аннулирования", e.StatusReason)
	default:
		checkText(&ps, FieldStatusReason, "Причина", e.StatusReason, false)
		if e.Status != StatusReceived && e.Status != StatusAccepted {
			ps.errorf(FieldStatus, "Статус «%s» неизвестен", e.Status)
		}
	}
	return ps
}

// checkReason adds to ps the problems of the reason text of a status change
// (a return, an annulment, a revoked acceptance) named label: it is required
// («… не указана») and is checked as any text.
func checkReason(ps *Problems, label, text string) {
	if strings.TrimSpace(text) == "" {
		ps.errorf(FieldStatusReason, "%s: не указана", label)
		return
	}
	checkText(ps, FieldStatusReason, label, text, true)
}

// checkText refuses control characters, invalid UTF-8 and over-long text;
// required fields must not be blank.
func checkText(ps *Problems, field, title, s string, required bool) {
	if required && strings.TrimSpace(s) == "" {
		ps.errorf(field, "%s: не заполнено", title)
		return
	}
	if len(s) > maxText {
		ps.errorf(field, "%s: слишком длинный текст (%d байт, допустимо %d)", title, len(s), maxText)
		return
	}
	if msg := TextError(title, s); msg != "" {
		ps.errorf(field, "%s", msg)
	}
}
