package store

import (
	"errors"
	"fmt"
	"strings"

	"sout/store/safefile"
)

// Code classifies an Error so that callers can react to it without parsing text.
type Code string

// Error codes.
const (
	CodeInvalid   Code = "invalid"   // the input breaks a rule; Message says which
	CodeNotFound  Code = "not found" // no such record
	CodeConflict  Code = "conflict"  // the record was changed by someone else (stale version)
	CodeLocked    Code = "locked"    // the period is locked
	CodeBusy      Code = "busy"      // the database file is held by another process (a running sout serve)
	CodeForbidden Code = "forbidden" // the user's role does not allow the action
	CodeDamaged   Code = "damaged"   // the database file is damaged or is not a database
	CodeNoSpace   Code = "no space"  // the disk is full: nothing was written
	CodeInternal  Code = "internal"  // anything else; details go to the log
)

// Error is the one error type of the domain. Message is a Russian sentence for
// the clerk; Problems carries the individual checks when Code is CodeInvalid.
type Error struct {
	Code     Code
	Message  string
	Problems Problems
	Err      error // the underlying error, if any (not shown to the clerk)
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return string(e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted Russian message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the Code of an *Error in its chain;
// CodeNoSpace for a full disk; CodeInvalid for a file that could not be
// written (a *safefile.Error); CodeInternal for any other non-nil error;
// and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	var fe *safefile.Error
	switch {
	case errors.As(err, &e):
		return e.Code
	case safefile.NoSpace(err):
		return CodeNoSpace
	case errors.As(err, &fe):
		return CodeInvalid
	}
	return CodeInternal
}

// ErrorMessage returns the message a clerk should see for err: the Message of
// an *Error, or a generic Russian sentence for an internal error.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	var fe *safefile.Error
	switch {
	case errors.As(err, &e) && e.Code != CodeInternal:
		return e.Error()
	case errors.As(err, &fe):
		return fe.Error()
	case safefile.NoSpace(err):
		return "на диске нет места: ничего не записано; освободите место и повторите"
	}
	return "Внутренняя ошибка: " + err.Error()
}

// Severity tells whether a Problem blocks saving.
type Severity int

// Severities.
const (
	SeverityError   Severity = iota // the record cannot be saved
	SeverityWarning                 // shown; saving is allowed after confirmation
)

// Problem is the result of one failed check. Field is the data column key of
// the value at fault (FORMS.md §5: "inn", "okved", "entered_on", "c3_1_workers" …),
// so that screens can mark the field and importers can name the column.
type Problem struct {
	Field    string
	Severity Severity
	Message  string
}

// Problems is the list of failed checks of one record.
type Problems []Problem

// HasErrors reports whether any problem blocks saving.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns only the blocking problems.
func (ps Problems) Errors() Problems { return ps.filter(SeverityError) }

// Warnings returns only the non-blocking problems.
func (ps Problems) Warnings() Problems { return ps.filter(SeverityWarning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Error joins the messages with "; ".
func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// For returns the problems about one field.
func (ps Problems) For(field string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

func (ps *Problems) add(field string, sev Severity, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (ps *Problems) errorf(field, format string, args ...any) {
	ps.add(field, SeverityError, format, args...)
}

func (ps *Problems) warnf(field, format string, args ...any) {
	ps.add(field, SeverityWarning, format, args...)
}

// invalid wraps blocking problems into an *Error with CodeInvalid.
func invalid(ps Problems) *Error {
	errs := ps.Errors()
	return &Error{Code: CodeInvalid, Message: errs.Error(), Problems: errs}
}
