//go:build !linux

package safefile

import (
	"errors"
	"os"
)

// openUnnamed is Linux's O_TMPFILE; elsewhere a temporary name is used.
func openUnnamed(string) (*os.File, error) { return nil, errors.ErrUnsupported }

// linkUnnamed is never called where openUnnamed always fails.
func linkUnnamed(*os.File, string) (string, error) { return "", errors.ErrUnsupported }
