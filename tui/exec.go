package tui

import (
	"fmt"
	"strings"
)

// splitWords splits an SSH exec command line into words the way a careful
// shell would for plain words, single and double quotes and backslash
// escapes — and refuses everything else a shell would interpret, since the
// line is never given to one.
func splitWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := rune(0)
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			case '$', '`':
				return nil, fmt.Errorf(txtExecNoSubst, r)
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune(";|&$`><(){}*?~!#\n\r", r):
			return nil, fmt.Errorf(txtExecNoShell, r)
		case r < ' ':
			return nil, fmt.Errorf("%s", txtExecControl)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, fmt.Errorf("%s", txtExecQuote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// remoteAllowed reports whether a subcommand may run over SSH without a terminal.
func remoteAllowed(cmd string, admin bool) bool {
	switch cmd {
	case "report", "export", "lookup", "audit":
		return true
	case "backup":
		return admin
	}
	return false
}
