package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUsers_RolesInRussian: users add and set-role take a role in Russian or
// English and report it in Russian, as users list shows it.
func TestUsers_RolesInRussian(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	mustSout(t, db, "init", "--region", "Самарская область", "--inspectorate", "ГИТ")
	out := mustSout(t, db, "users", "add", "anna", "--role", "специалист", "--key", newKey(t))
	if !strings.HasPrefix(out, "Пользователь anna (специалист) добавлен, ключ SHA256:") {
		t.Errorf("users add says %q", out)
	}
	if out := mustSout(t, db, "users", "set-role", "anna", "head"); out != "Роль пользователя anna: руководитель\n" {
		t.Errorf("users set-role says %q", out)
	}
	if out := mustSout(t, db, "users", "list"); !strings.Contains(out, "anna  руководитель") {
		t.Errorf("users list:\n%s", out)
	}
}
