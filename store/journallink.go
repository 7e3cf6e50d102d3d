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
	case j.Status == StatusReturned:
		return j.AcceptRefusal()
	case j.EmployerINN != inn:
		return fmt.Sprintf("Запись журнала %s — пакет другого работодателя: в журнале ИНН %s, в записи реестра ИНН %s",
			j.Ref(), j.EmployerINN, inn)
	}
	return ""
}

// AcceptRefusal says why the entry cannot be accepted now, or "" when it
// can: only a received entry is accepted, and a returned one only after its
// re-receipt is marked. The journal screen asks it before opening the card.
func (e *JournalEntry) AcceptRefusal() string {
	switch e.Status {
	case StatusReceived:
		return ""
	case StatusReturned:
		return fmt.Sprintf("Запись журнала %s возвращена на доработку: сначала отметьте повторное поступление пакета"+
			" (клавиша g), затем принимайте", e.Ref())
	case StatusAccepted:
		return fmt.Sprintf("Запись журнала %s уже принята", e.Ref())
	}
	return fmt.Sprintf("Запись журнала %s аннулирована: сведения из неё не вносятся", e.Ref())
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
