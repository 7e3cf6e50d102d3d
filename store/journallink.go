package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// JournalLinkProblem is the one rule for a register entry's journal link
// (FORMS.md §5): the journal entry must be of the same INN and not annulled.
// It returns the Russian message naming both INNs, or "" when the link holds.
// The card (through SaveRegisterEntry and CheckRegisterEntry) and the import
// both apply it.
func JournalLinkProblem(j *JournalEntry, inn string) string {
	switch {
	case j.Status == StatusAnnulled:
		return fmt.Sprintf("Запись журнала %s аннулирована: сведения из неё не вносятся", j.Ref())
	case j.EmployerINN != inn:
		return fmt.Sprintf("Запись журнала %s — пакет другого работодателя: в журнале ИНН %s, в записи реестра ИНН %s",
			j.Ref(), j.EmployerINN, inn)
	}
	return ""
}

// checkJournalLink adds the problem of e's journal link, if any, to ps.
func checkJournalLink(tx *bolt.Tx, e *RegisterEntry, ps *Problems) error {
	if e.JournalID == 0 {
		return nil
	}
	j, err := getJournal(tx, e.JournalID)
	switch {
	case ErrorCode(err) == CodeNotFound:
		ps.errorf(FieldJournalNo, "Запись журнала, из которой взяты сведения, не найдена")
	case err != nil:
		return err
	default:
		if msg := JournalLinkProblem(&j, e.Employer.INN); msg != "" {
			ps.errorf(FieldJournalNo, "%s", msg)
		}
	}
	return nil
}
