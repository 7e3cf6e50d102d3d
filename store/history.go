package store

import (
	"fmt"
	"strings"
	"time"
)

// History returns the audit records of one record (kind "journal" or
// "register" and its id), oldest first. It reads the audit in bounded
// transactions (AuditWhere).
func (s *Store) History(kind string, id uint64) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.AuditWhere(AuditFilter{Kind: kind, ID: id}, func(r *AuditRecord) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}

// StatusEvent is one status change of a journal entry: returned (with its
// reason and deadline), received again, accepted, annulled or revoked.
type StatusEvent struct {
	Status   JournalStatus // the status the entry got
	On       Date          // the day of the change (of the re-receipt, for a received-again one)
	By       string        // the user
	Reason   string        // of a return or an annulment
	Deadline Date          // of a return
}

// deriveEvents is the history of a record written before events were kept:
// its present status, dated by its last change.
func deriveEvents(e *JournalEntry) []StatusEvent {
	if e.Status == StatusReceived || e.Status == "" {
		return nil
	}
	on := DateOf(time.Unix(e.UpdatedAt, 0))
	return []StatusEvent{{Status: e.Status, On: on, By: e.UpdatedBy, Reason: e.StatusReason, Deadline: e.ReturnDeadline}}
}

// noteStatusChange appends an event to e when its status differs from old's.
// An event the change noted itself (a re-receipt with its date) is kept.
func noteStatusChange(old, e *JournalEntry, a Actor, now time.Time) {
	if old.Status == e.Status || len(e.Events) > len(old.Events) {
		return
	}
	ev := StatusEvent{Status: e.Status, On: DateOf(now), By: a.Name}
	if e.Status == StatusReturned || e.Status == StatusAnnulled {
		ev.Reason = e.StatusReason
	}
	if e.Status == StatusReturned {
		ev.Deadline = e.ReturnDeadline
	}
	e.Events = append(append([]StatusEvent(nil), old.Events...), ev)
}

// HistoryNote is the entry's status history as the printed journal's
// «Примечания» and the cards show it: «возвращено 12.03.2026 до 11.04.2026: неполный
// пакет; повторно поступило 20.03; принято».
func (e *JournalEntry) HistoryNote() string {
	parts := make([]string, 0, len(e.Events))
	for _, ev := range e.Events {
		switch ev.Status {
		case StatusReturned:
			parts = append(parts, fmt.Sprintf("возвращено %s до %s: %s", dayMonth(ev.On), dayMonth(ev.Deadline), ev.Reason))
		case StatusReceived:
			if ev.Revoked() {
				parts = append(parts, fmt.Sprintf("принятие отменено %s: %s", dayMonth(ev.On), ev.Reason))
			} else {
				parts = append(parts, "повторно поступило "+dayMonth(ev.On))
			}
		case StatusAccepted:
			parts = append(parts, "принято")
		case StatusAnnulled:
			parts = append(parts, fmt.Sprintf("аннулировано %s: %s", dayMonth(ev.On), ev.Reason))
		}
	}
	return strings.Join(parts, "; ")
}

// Revoked reports whether the event is an acceptance revoked
// (RevokeAcceptance: back to received, with its reason), not a re-receipt.
func (ev StatusEvent) Revoked() bool { return ev.Status == StatusReceived && ev.Reason != "" }

// Title names what the event did, as the history screens list it:
// «принятие отменено», «поступило повторно», else the status it gave.
func (ev StatusEvent) Title() string {
	switch {
	case ev.Revoked():
		return "принятие отменено"
	case ev.Status == StatusReceived:
		return "поступило повторно"
	}
	return ev.Status.Title()
}

// dayMonth prints a date of a history as «12.03.2026» (the printed journal
// is an official form: dates with their year); no date prints as «?».
func dayMonth(d Date) string {
	if d == 0 {
		return "?"
	}
	return d.Ru()
}
