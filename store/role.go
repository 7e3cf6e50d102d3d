package store

import (
	"strings"
)

// ParseRole reads a role by its Russian name («специалист», «руководитель»,
// «администратор») or its code (clerk, head, admin), in any case; the
// error is a Russian sentence naming the value and the choices.
func ParseRole(s string) (Role, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, r := range []Role{RoleClerk, RoleHead, RoleAdmin} {
		if t == string(r) || t == r.Title() {
			return r, nil
		}
	}
	return "", Errorf(CodeInvalid, "Роль: «%s» неизвестна — нужна специалист (clerk), руководитель (head) или "+
		"администратор (admin)", s)
}
