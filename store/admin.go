package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	gossh "golang.org/x/crypto/ssh"
)

// --- Periods ---

// Lock is a locked period: no register entry dated in it may be created,
// changed, or moved in or out.
type Lock struct {
	Period Period
	Reason string
	By     string
	At     int64 // Unix seconds
}

func lockKey(p Period) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint32(k, uint32(p.From))
	binary.BigEndian.PutUint32(k[4:], uint32(p.To))
	return k
}

func lockAt(tx *bolt.Tx, d Date) (*Lock, error) {
	c := tx.Bucket(bucketLocks).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			continue
		}
		p := Period{Date(binary.BigEndian.Uint32(k)), Date(binary.BigEndian.Uint32(k[4:]))}
		if p.Contains(d) {
			var l Lock
			if err := json.Unmarshal(v, &l); err != nil {
				return nil, err
			}
			return &l, nil
		}
	}
	return nil, nil
}

// lockRoles may block and unblock periods and change the settings.
var lockRoles = []Role{RoleHead, RoleAdmin}

// MayLock refuses an actor who may not block or unblock periods, with the
// refusal the store gives; the screens ask it before offering the key.
func MayLock(a Actor) error { return roleError(a, "Блокировка периода", lockRoles...) }

// LockPeriod locks p (heads and admins only).
func (s *Store) LockPeriod(a Actor, p Period, reason string) error {
	if err := forbidden(a, "Блокировка периода", lockRoles...); err != nil {
		return err
	}
	if p.IsZero() {
		return Errorf(CodeInvalid, "Период для блокировки не указан")
	}
	if p.To < p.From {
		return Errorf(CodeInvalid, "Период для блокировки: конец (%s) раньше начала (%s)", p.To.Ru(), p.From.Ru())
	}
	if err := CheckText("Причина блокировки", reason); err != nil {
		return err
	}
	now := s.now()
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Блокировка периода", lockRoles...); err != nil {
			return Change{}, err
		}
		b := tx.Bucket(bucketLocks)
		if b.Get(lockKey(p)) != nil {
			return Change{}, Errorf(CodeInvalid, "Период %s уже заблокирован", p)
		}
		l := Lock{Period: p, Reason: strings.TrimSpace(reason), By: a.Name, At: now.Unix()}
		v, _ := json.Marshal(l)
		if err := b.Put(lockKey(p), v); err != nil {
			return Change{}, err
		}
		return Change{Kind: "lock", User: a.Name}, s.audit(tx, a, "lock", "lock", 0, nil, v, p.Key())
	})
}

// UnlockPeriod removes the lock of exactly p (heads and admins only).
func (s *Store) UnlockPeriod(a Actor, p Period) error {
	if err := forbidden(a, "Разблокировка периода", lockRoles...); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Разблокировка периода", lockRoles...); err != nil {
			return Change{}, err
		}
		b := tx.Bucket(bucketLocks)
		v := b.Get(lockKey(p))
		if v == nil {
			return Change{}, Errorf(CodeNotFound, "Период %s не заблокирован", p)
		}
		before := cloneBytes(v)
		if err := b.Delete(lockKey(p)); err != nil {
			return Change{}, err
		}
		return Change{Kind: "lock", User: a.Name}, s.audit(tx, a, "unlock", "lock", 0, before, nil, p.Key())
	})
}

// Locks returns every lock.
func (s *Store) Locks() ([]Lock, error) {
	var out []Lock
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLocks).ForEach(func(_, v []byte) error {
			var l Lock
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	})
	return out, err
}

// LockAt returns the lock that covers d, if any.
func (s *Store) LockAt(d Date) (*Lock, error) {
	var l *Lock
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		l, err = lockAt(tx, d)
		return err
	})
	return l, err
}

// --- Users ---

// User is a person allowed to connect over SSH.
type User struct {
	Name string
	Role Role
	Keys []string // public keys in authorized_keys form ("ssh-ed25519 AAAA… comment")
}

// keyID is the part of an authorized_keys line that identifies the key: type and body.
func keyID(k string) string {
	f := strings.Fields(k)
	if len(f) < 2 {
		return strings.TrimSpace(k)
	}
	return f[0] + " " + f[1]
}

// NormalizeKey checks one authorized_keys line and returns it as
// "type base64 comment".
func NormalizeKey(s string) (string, error) {
	pk, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(strings.TrimSpace(s)))
	if err != nil {
		return "", Errorf(CodeInvalid,
			"Открытый ключ «%s» не распознан: нужна строка вида «ssh-ed25519 AAAA… комментарий» из файла .pub", shorten(s, 40))
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk)))
	if err := CheckText("Комментарий ключа", comment); err != nil {
		return "", err
	}
	if comment != "" {
		line += " " + comment
	}
	return line, nil
}

// KeyFingerprint returns the SHA256 fingerprint of an authorized_keys line, or "?".
func KeyFingerprint(authorized string) string {
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(authorized))
	if err != nil {
		return "?"
	}
	return gossh.FingerprintSHA256(pk)
}

// AddUser adds a user (admins only). Names and keys are unique.
func (s *Store) AddUser(a Actor, u User) error {
	if err := forbidden(a, "Добавление пользователя", RoleAdmin); err != nil {
		return err
	}
	u.Name = strings.TrimSpace(u.Name)
	if err := CheckText("Имя пользователя", u.Name); err != nil {
		return err
	}
	if u.Name == "" || strings.ContainsAny(u.Name, " \t\r\n") || utf8.RuneCountInString(u.Name) > 64 {
		return Errorf(CodeInvalid, "Имя пользователя «%s»: нужно одно слово до 64 символов", u.Name)
	}
	if !(Actor{Role: u.Role}).can() {
		return Errorf(CodeInvalid, "Роль «%s» неизвестна: нужна clerk, head или admin", u.Role)
	}
	if len(u.Keys) == 0 {
		return Errorf(CodeInvalid, "У пользователя %s нет открытого ключа", u.Name)
	}
	keys := make([]string, len(u.Keys))
	for i, k := range u.Keys {
		n, err := NormalizeKey(k)
		if err != nil {
			return err
		}
		keys[i] = n
	}
	u.Keys = keys
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Добавление пользователя", RoleAdmin); err != nil {
			return Change{}, err
		}
		b := tx.Bucket(bucketUsers)
		if b.Get([]byte(u.Name)) != nil {
			return Change{}, Errorf(CodeInvalid, "Пользователь %s уже есть", u.Name)
		}
		err := b.ForEach(func(_, v []byte) error {
			var o User
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			for _, ok := range o.Keys {
				for _, nk := range u.Keys {
					if keyID(ok) == keyID(nk) {
						return Errorf(CodeInvalid, "Этот ключ уже принадлежит пользователю %s", o.Name)
					}
				}
			}
			return nil
		})
		if err != nil {
			return Change{}, err
		}
		v, _ := json.Marshal(u)
		if err := b.Put([]byte(u.Name), v); err != nil {
			return Change{}, err
		}
		return Change{Kind: "user", User: a.Name}, s.audit(tx, a, "user.add", "user", 0, nil, v, u.Name)
	})
}

// RemoveUser removes a user (admins only).
func (s *Store) RemoveUser(a Actor, name string) error {
	if err := forbidden(a, "Удаление пользователя", RoleAdmin); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Удаление пользователя", RoleAdmin); err != nil {
			return Change{}, err
		}
		b := tx.Bucket(bucketUsers)
		v := b.Get([]byte(name))
		if v == nil {
			return Change{}, Errorf(CodeNotFound, "Пользователя %s нет", name)
		}
		if err := keepAdmin(tx, a, name, "", "удалить"); err != nil {
			return Change{}, err
		}
		before := cloneBytes(v)
		if err := b.Delete([]byte(name)); err != nil {
			return Change{}, err
		}
		return Change{Kind: "user", User: a.Name}, s.audit(tx, a, "user.remove", "user", 0, before, nil, name)
	})
}

// SetRole changes a user's role (admins only).
func (s *Store) SetRole(a Actor, name string, role Role) error {
	if err := forbidden(a, "Изменение роли", RoleAdmin); err != nil {
		return err
	}
	if !(Actor{Role: role}).can() {
		return Errorf(CodeInvalid, "Роль «%s» неизвестна: нужна clerk, head или admin", role)
	}
	return s.update(func(tx *bolt.Tx) (Change, error) {
		if err := authorize(tx, a, "Изменение роли", RoleAdmin); err != nil {
			return Change{}, err
		}
		b := tx.Bucket(bucketUsers)
		v := b.Get([]byte(name))
		if v == nil {
			return Change{}, Errorf(CodeNotFound, "Пользователя %s нет", name)
		}
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return Change{}, err
		}
		if err := keepAdmin(tx, a, name, role, "сделать «"+role.Title()+"»"); err != nil {
			return Change{}, err
		}
		before := cloneBytes(v)
		u.Role = role
		after, _ := json.Marshal(u)
		if err := b.Put([]byte(name), after); err != nil {
			return Change{}, err
		}
		return Change{Kind: "user", User: a.Name}, s.audit(tx, a, "user.role", "user", 0, before, after, name)
	})
}

// Users returns every user, by name.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// authorize checks, inside the write transaction tx, that a may do what
// (roles as for forbidden): a remote actor by the role stored for its name at
// this moment — a removed user may do nothing —, a local one by its Role.
func authorize(tx *bolt.Tx, a Actor, what string, roles ...Role) error {
	if a.Remote {
		u, ok, err := userNamed(tx, a.Name)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(CodeForbidden, "%s: пользователя %s больше нет в базе", what, a.Name)
		}
		a.Role = u.Role
	}
	return roleError(a, what, roles...)
}

// userNamed reads the user called name inside tx.
func userNamed(tx *bolt.Tx, name string) (User, bool, error) {
	v := tx.Bucket(bucketUsers).Get([]byte(name))
	if v == nil {
		return User{}, false, nil
	}
	var u User
	if err := json.Unmarshal(v, &u); err != nil {
		return User{}, false, fmt.Errorf("user %s: %w", name, err)
	}
	return u, true, nil
}

// keepAdmin refuses, for a remote actor, to remove (role "") or give role to
// the user name when that is the actor itself, or the last admin. The local
// operating-system user owns the file and may do either.
func keepAdmin(tx *bolt.Tx, a Actor, name string, role Role, what string) error {
	if !a.Remote || role == RoleAdmin {
		return nil
	}
	if name == a.Name {
		return Errorf(CodeForbidden, "Себя %s нельзя: это может сделать другой администратор", what)
	}
	admins := 0
	err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		if u.Role == RoleAdmin && string(k) != name {
			admins++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if u, _, _ := userNamed(tx, name); u.Role == RoleAdmin && admins == 0 {
		return Errorf(CodeForbidden, "%s — последний администратор: его нельзя %s, сначала добавьте другого",
			name, what)
	}
	return nil
}

// UsersAs returns every user, by name, to a as an admin at this moment (the
// list shows every key: a privileged read).
func (s *Store) UsersAs(a Actor) ([]User, error) {
	if err := forbidden(a, "Список пользователей", RoleAdmin); err != nil {
		return nil, err
	}
	err := s.db.View(func(tx *bolt.Tx) error { return authorize(tx, a, "Список пользователей", RoleAdmin) })
	if err != nil {
		return nil, err
	}
	return s.Users()
}

// UserByKey returns the user one of whose keys has this type and base64 body
// (the first two fields of an authorized_keys line), or false.
func (s *Store) UserByKey(authorizedKey string) (User, bool, error) {
	id := keyID(authorizedKey)
	users, err := s.Users()
	if err != nil {
		return User{}, false, err
	}
	for _, u := range users {
		for _, k := range u.Keys {
			if keyID(k) == id {
				return u, true, nil
			}
		}
	}
	return User{}, false, nil
}

// shorten cuts s to n runes for a message.
func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
