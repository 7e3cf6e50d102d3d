package store

import "strings"

// Employer is the employer block of a register entry (register columns 3–5, plus OGRN).
type Employer struct {
	Name    string // full name
	Address string // место нахождения и место осуществления деятельности
	INN     string
	OGRN    string // optional
	OKVED   string // main activity, OKVED2
}

// SoutOrg is the organisation that carried out the assessment (register column 6).
type SoutOrg struct {
	Name  string
	RegNo string // number in the registry of SOUT organisations
}

// RegisterEntry is one employer's entry in the Register (FORMS.md §2, Appendix 2).
type RegisterEntry struct {
	ID        uint64 // internal id; 0 for a new entry
	EnteredOn Date   // col 2: decides the reporting period
	Employer  Employer
	SoutOrg   SoutOrg
	JournalID uint64 // the journal entry the data came from; 0 when none
	Grid      Grid   // cols 7–15
	Stamp
	// Annulled is set when the head annulled the entry as made by mistake: it
	// stays in the file and in the register list, and leaves the forms.
	Annulled Annulment
}

// Annulment is who annulled a record, when and why; the zero value means the
// record is in force.
type Annulment struct {
	By     string
	At     int64 // Unix seconds
	Reason string
}

// IsAnnulled reports whether the entry was annulled (AnnulRegisterEntry).
func (e *RegisterEntry) IsAnnulled() bool { return e.Annulled.At != 0 }

// Register field keys, as in the register data files (FORMS.md §5).
// Figures use FieldKey(col, row).
const (
	FieldEnteredOn       = "entered_on"
	FieldEmployerAddress = "employer_address"
	FieldINN             = "inn"
	FieldOGRN            = "ogrn"
	FieldOKVED           = "okved"
	FieldJournalNo       = "journal_no"
)

// Section returns the entry's OKVED2 section, or nil when the code is not valid.
func (e *RegisterEntry) Section() *Section {
	if CheckOKVED(e.Employer.OKVED) != nil {
		return nil
	}
	return SectionOf(e.Employer.OKVED)
}

// Validate checks the entry on its own (no other records) as of today and
// returns every failed check: errors block saving, warnings need a confirmation.
// Checks that need other records (duplicates, a changed name) are added by
// Store.CheckRegisterEntry.
func (e *RegisterEntry) Validate(today Date) Problems {
	var ps Problems
	switch {
	case e.EnteredOn == 0:
		ps.errorf(FieldEnteredOn, "Дата внесения: не указана")
	case e.EnteredOn > today:
		ps.errorf(FieldEnteredOn, "Дата внесения %s ещё не наступила", e.EnteredOn.Ru())
	}
	if err := CheckINN(e.Employer.INN); err != nil {
		ps.errorf(FieldINN, "%v", err)
	}
	checkText(&ps, FieldEmployerName, "Наименование работодателя", e.Employer.Name, true)
	checkText(&ps, FieldEmployerAddress, "Адрес работодателя", e.Employer.Address, false)
	if e.Employer.OGRN != "" {
		if err := CheckOGRN(e.Employer.OGRN); err != nil {
			ps.errorf(FieldOGRN, "%v", err)
		}
	}
	if err := CheckOKVED(e.Employer.OKVED); err != nil {
		ps.errorf(FieldOKVED, "%v", err)
	} else if s := SectionOf(e.Employer.OKVED); s.Row == 0 {
		ps.warnf(FieldOKVED, "ОКВЭД %s относится к разделу %s, для которого в сводной ведомости нет строки: запись не "+
			"войдёт в сводную", e.Employer.OKVED, s.Letter)
	}
	checkText(&ps, FieldSoutOrgName, "Организация, проводившая СОУТ", e.SoutOrg.Name, true)
	checkText(&ps, FieldSoutOrgRegNo, "№ в реестре организаций", e.SoutOrg.RegNo, false)
	e.Grid.validate(&ps)
	return ps
}

// Normalize trims spaces around the text fields; the store calls it before
// validating and saving, and so should any reader of outside input.
func (e *RegisterEntry) Normalize() {
	for _, p := range []*string{&e.Employer.Name, &e.Employer.Address, &e.Employer.INN, &e.Employer.OGRN,
		&e.Employer.OKVED, &e.SoutOrg.Name, &e.SoutOrg.RegNo} {
		*p = strings.TrimSpace(*p)
	}
	e.Employer.INN, e.Employer.OGRN = CleanDigits(e.Employer.INN), CleanDigits(e.Employer.OGRN)
}

// Normalize trims spaces around the text fields of a journal entry and
// takes spaces and dashes out of its INN.
func (e *JournalEntry) Normalize() {
	for _, p := range []*string{&e.EmployerName, &e.EmployerINN, &e.SoutOrgName, &e.SoutOrgRegNo, &e.LetterNo, &e.Notes,
		&e.StatusReason} {
		*p = strings.TrimSpace(*p)
	}
	e.EmployerINN = CleanDigits(e.EmployerINN)
}
