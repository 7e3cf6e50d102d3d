package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"sout/store"
)

// userKey is a fixed ed25519 public key line for the user tests.
const userKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

// otherKey is a second key, so that two users can be added.
const otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfszVEp5cdJ4Ad4PGlnNbw"

func addUser(t *testing.T, s *store.Store, name string, role store.Role, key string) store.Actor {
	t.Helper()
	if err := s.AddUser(admin, store.User{Name: name, Role: role, Keys: []string{key}}); err != nil {
		t.Fatal(err)
	}
	return store.Actor{Name: name, Role: role, Remote: true}
}

// TestStore_RightsAsStoredNow: a remote actor acts with the role stored now: a demotion refuses the next
// lock, a promotion allows it, a removal refuses everything.
func TestStore_RightsAsStoredNow(t *testing.T) {
	s, _ := openStore(t)
	olga := addUser(t, s, "olga", store.RoleHead, userKey)
	p, _ := store.ParsePeriod("2026H1")
	if err := s.SetRole(admin, "olga", store.RoleClerk); err != nil {
		t.Fatal(err)
	}
	err := s.LockPeriod(olga, p, "")
	mustCode(t, err, store.CodeForbidden, "Блокировка периода: недостаточно прав (пользователь olga, роль «специалист»")
	if err := s.SetRole(admin, "olga", store.RoleHead); err != nil {
		t.Fatal(err)
	}
	olga.Role = store.RoleClerk // as the session had it: the stored role wins
	if err := s.LockPeriod(olga, p, ""); err != nil {
		t.Fatalf("LockPeriod after the promotion: %v", err)
	}
	if err := s.RemoveUser(admin, "olga"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveRegisterEntry(olga, validEntry())
	mustCode(t, err, store.CodeForbidden, "Запись в реестр: пользователя olga больше нет в базе")
	_, err = s.BeginImport(context.Background(), olga, "r.csv")
	mustCode(t, err, store.CodeForbidden, "Загрузка данных: пользователя olga больше нет в базе")
}

// TestStore_KeepAdmin: an admin over SSH cannot demote or remove themselves nor the last admin;
// the local user can.
func TestStore_KeepAdmin(t *testing.T) {
	s, _ := openStore(t)
	vera := addUser(t, s, "vera", store.RoleAdmin, userKey)
	mustCode(t, s.SetRole(vera, "vera", store.RoleClerk), store.CodeForbidden,
		"Себя сделать «специалист» нельзя: это может сделать другой администратор")
	mustCode(t, s.RemoveUser(vera, "vera"), store.CodeForbidden, "Себя удалить нельзя")
	ivan := addUser(t, s, "ivan", store.RoleClerk, otherKey)
	if err := s.SetRole(admin, "ivan", store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	ivan.Role = store.RoleAdmin
	if err := s.SetRole(ivan, "vera", store.RoleHead); err != nil {
		t.Fatalf("demoting another admin: %v", err)
	}
	mustCode(t, s.RemoveUser(vera, "ivan"), store.CodeForbidden, "Удаление пользователя: недостаточно прав")
	_, err := s.UsersAs(vera)
	mustCode(t, err, store.CodeForbidden, "Список пользователей: недостаточно прав (пользователь vera, роль "+
		"«руководитель»")
	// ivan is the last admin now; only the local user may demote him.
	if err := s.SetRole(admin, "ivan", store.RoleClerk); err != nil {
		t.Fatalf("local demotion of the last admin: %v", err)
	}
}

// TestStore_LastAdmin: the last admin is named when another remote admin's rights are gone.
func TestStore_LastAdmin(t *testing.T) {
	s, _ := openStore(t)
	addUser(t, s, "vera", store.RoleAdmin, userKey)
	ivan := addUser(t, s, "ivan", store.RoleAdmin, otherKey)
	if err := s.RemoveUser(ivan, "vera"); err != nil {
		t.Fatal(err)
	}
	// ivan alone: removing or demoting himself is refused by the self rule,
	// which comes first.
	mustCode(t, s.RemoveUser(ivan, "ivan"), store.CodeForbidden, "Себя удалить нельзя")
}

// TestStore_AuditFieldChanges: the audit of an edit holds, field by field, the value before and after.
func TestStore_AuditFieldChanges(t *testing.T) {
	s, _ := openStore(t)
	e, err := s.SaveRegisterEntry(clerk, validEntry())
	if err != nil {
		t.Fatal(err)
	}
	e.Employer.Address = "г. Самара, ул. Мира, 2"
	e.Grid[store.ColClass2][1] = 7
	e.Grid[store.ColClass31][1] = 5
	if _, err := s.SaveRegisterEntry(boris, e); err != nil {
		t.Fatal(err)
	}
	var recs []store.AuditRecord
	err = s.AuditWhere(store.AuditFilter{Kind: "register", ID: e.ID}, func(r *store.AuditRecord) error {
		recs = append(recs, *r)
		return nil
	})
	if err != nil || len(recs) != 2 {
		t.Fatalf("AuditWhere(register %d) = %d records, %v; want 2", e.ID, len(recs), err)
	}
	got := recs[1].Changes()
	want := []store.FieldChange{
		{"Employer.Address", "г. Самара, ул. Ленина, 1", "г. Самара, ул. Мира, 2"},
		{store.FieldKey(store.ColClass2, 1), "8", "7"},
		{store.FieldKey(store.ColClass31, 1), "4", "5"},
	}
	if recs[1].User != "boris" || recs[1].Action != "update" || !equalChanges(got, want) {
		t.Errorf("update record by %s (%s): changes %v, want %v", recs[1].User, recs[1].Action, got, want)
	}
}

func equalChanges(a, b []store.FieldChange) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestStore_AuditWhere: AuditWhere reads past its chunk size and filters by user; access events
// are recorded.
func TestStore_AuditWhere(t *testing.T) {
	s, _ := openStore(t)
	for i := 0; i < 1100; i++ {
		if err := s.RecordAccess(clerk, "report", "summary 2026H1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordAccess(boris, "login", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	n, last := 0, store.AuditRecord{}
	err := s.AuditWhere(store.AuditFilter{}, func(r *store.AuditRecord) error { n++; last = *r; return nil })
	if err != nil || n != 1101 || last.User != "boris" || last.Kind != store.KindAccess || last.Action != "login" {
		t.Errorf("AuditWhere = %d records, last %+v, %v; want 1101, boris's login", n, last, err)
	}
	n = 0
	_ = s.AuditWhere(store.AuditFilter{User: "boris"}, func(*store.AuditRecord) error { n++; return nil })
	if n != 1 {
		t.Errorf("AuditWhere(user boris) = %d records, want 1", n)
	}
}
