package tui

import (
	"errors"
	"strings"

	"github.com/anmitsu/go-shlex"

	"sout/store"
)

// execArgs checks the words of an SSH exec command line: raw is the line as
// the client sent it, words as the SSH library split it (Session.Command,
// which gives none for an unclosed quote). A blank line, a line that does not
// split, and a word with a character no text field accepts are refused.
func execArgs(raw string, words []string) ([]string, error) {
	if len(words) == 0 {
		if strings.TrimSpace(raw) == "" {
			return nil, errors.New(txtExecBlank)
		}
		return nil, errors.New(txtExecQuote)
	}
	if _, err := shlex.Split(raw, true); err != nil { // Session.Command drops this error
		return nil, errors.New(txtExecQuote)
	}
	for _, w := range words {
		if msg := store.TextError(txtExecWord, w); msg != "" {
			return nil, errors.New(msg)
		}
	}
	return words, nil
}
