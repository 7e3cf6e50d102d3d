package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// usersLoadedMsg carries the list of users.
type usersLoadedMsg struct {
	users []store.User
	err   error
}

// usersScreen lets an admin add and remove users and change their roles
// (the same operations as `sout users`). Other roles never see it.
type usersScreen struct {
	a      *App
	rows   []store.User
	cursor int
	w, h   int
}

func newUsersScreen(a *App) *usersScreen { return &usersScreen{a: a, w: 80, h: 20} }

// SetSize sets the area the screen draws in.
func (u *usersScreen) SetSize(w, h int) { u.w, u.h = w, h }

func (u *usersScreen) load() tea.Cmd {
	if u.a.cfg.Actor.Role != store.RoleAdmin {
		return nil
	}
	st, actor := u.a.st, u.a.cfg.Actor
	return func() tea.Msg {
		users, err := st.UsersAs(actor)
		return usersLoadedMsg{users, err}
	}
}

// Update handles the screen's messages and keys.
func (u *usersScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case usersLoadedMsg:
		if msg.err != nil {
			u.a.errStatus(msg.err)
			return nil
		}
		u.rows = msg.users
		u.cursor = min(u.cursor, max(len(u.rows)-1, 0))
	case tea.KeyPressMsg:
		k := u.a.keys
		switch {
		case key.Matches(msg, k.Up):
			u.cursor = max(u.cursor-1, 0)
		case key.Matches(msg, k.Down):
			u.cursor = min(u.cursor+1, max(len(u.rows)-1, 0))
		case key.Matches(msg, k.New):
			u.addDialog()
		case key.Matches(msg, k.UserRole):
			if sel := u.selected(); sel != nil {
				u.roleDialog(*sel)
			}
		case key.Matches(msg, k.UserRemove):
			if sel := u.selected(); sel != nil {
				u.removeDialog(sel.Name)
			}
		}
	}
	return nil
}

func (u *usersScreen) selected() *store.User {
	if u.cursor < 0 || u.cursor >= len(u.rows) {
		return nil
	}
	return &u.rows[u.cursor]
}

// parseRole accepts the role's code or its Russian name.
func parseRole(s string) (store.Role, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range []store.Role{store.RoleClerk, store.RoleHead, store.RoleAdmin} {
		if s == string(r) || s == r.Title() {
			return r, nil
		}
	}
	return "", fmt.Errorf(txtBadRole, s)
}

// storeOp runs one store operation as a command and reports it in the status line.
func (u *usersScreen) storeOp(op func() error, done string) tea.Cmd {
	return func() tea.Msg {
		if err := op(); err != nil {
			return statusMsg{store.ErrorMessage(err), true}
		}
		return statusMsg{done, false}
	}
}

func (u *usersScreen) addDialog() {
	st, actor := u.a.st, u.a.cfg.Actor
	u.a.dialog = newInputDialog(u.a, txtUserAdd, userAddFields, []string{"", string(store.RoleClerk), ""},
		func(v []string) (tea.Cmd, error) {
			role, err := parseRole(v[1])
			if err != nil {
				return nil, err
			}
			key, err := store.NormalizeKey(v[2])
			if err != nil {
				return nil, fmt.Errorf("%s", store.ErrorMessage(err))
			}
			user := store.User{Name: v[0], Role: role, Keys: []string{key}}
			// Checked here so that a mistake keeps the dialog and what was typed.
			if err := st.AddUser(actor, user); err != nil {
				return nil, fmt.Errorf("%s", store.ErrorMessage(err))
			}
			return status(fmt.Sprintf(txtUserAdded, user.Name, role.Title()), false), nil
		})
}

func (u *usersScreen) roleDialog(user store.User) {
	st, actor := u.a.st, u.a.cfg.Actor
	u.a.dialog = newInputDialog(u.a, fmt.Sprintf(txtUserRole, user.Name), userRoleFields, []string{string(user.Role)},
		func(v []string) (tea.Cmd, error) {
			role, err := parseRole(v[0])
			if err != nil {
				return nil, err
			}
			return u.storeOp(func() error { return st.SetRole(actor, user.Name, role) }, fmt.Sprintf(txtUserRoleSet, user.Name, role.Title())), nil
		})
}

func (u *usersScreen) removeDialog(name string) {
	st, actor := u.a.st, u.a.cfg.Actor
	q := fmt.Sprintf(txtUserAskRemove, name)
	if name == actor.Name {
		q = txtUserAskRemoveSelf
	}
	u.a.dialog = newConfirm(u.a, q, func() tea.Cmd {
		return u.storeOp(func() error { return st.RemoveUser(actor, name) }, fmt.Sprintf(txtUserRemoved, name))
	})
}

// View draws the list of users.
func (u *usersScreen) View() string {
	s := u.a.sty
	widths := []int{16, 14, max(u.w-16-14-2, 20)}
	var b strings.Builder
	b.WriteString(s.header.Render(cols(usersListHead, widths, nil)) + "\n")
	if len(u.rows) == 0 {
		b.WriteString(s.dim.Render(txtNoUsers) + "\n")
	}
	for i, usr := range u.rows {
		fps := make([]string, len(usr.Keys))
		for j, k := range usr.Keys {
			fps[j] = store.KeyFingerprint(k)
		}
		line := cols([]string{usr.Name, usr.Role.Title(), strings.Join(fps, ", ")}, widths, nil)
		if i == u.cursor {
			line = s.selected.Render(pad(line, u.w))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + s.dim.Render(txtUsersHint))
	return b.String()
}

func (u *usersScreen) help() helpKeys {
	k := u.a.keys
	return helpKeys{short: []key.Binding{k.New, k.UserRole, k.UserRemove, k.Up, k.Down}}
}
