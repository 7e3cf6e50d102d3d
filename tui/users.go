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
	sh     *shared
	rows   []store.User
	cursor int
	w, h   int
}

func newUsersScreen(sh *shared) *usersScreen { return &usersScreen{sh: sh, w: 80, h: 20} }

// SetSize sets the area the screen draws in.
func (u *usersScreen) SetSize(w, h int) { u.w, u.h = w, h }

func (u *usersScreen) load() tea.Cmd {
	if u.sh.cfg.Actor.Role != store.RoleAdmin {
		return nil
	}
	st, actor := u.sh.st, u.sh.cfg.Actor
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
			return status(store.ErrorMessage(msg.err), true)
		}
		u.rows = msg.users
		u.cursor = min(u.cursor, max(len(u.rows)-1, 0))
	case tea.KeyPressMsg:
		k := u.sh.keys
		switch {
		case key.Matches(msg, k.Up):
			u.cursor = max(u.cursor-1, 0)
		case key.Matches(msg, k.Down):
			u.cursor = min(u.cursor+1, max(len(u.rows)-1, 0))
		case key.Matches(msg, k.New):
			return u.addDialog()
		case key.Matches(msg, k.UserRole):
			if sel := u.selected(); sel != nil {
				return u.roleDialog(*sel)
			}
		case key.Matches(msg, k.UserRemove):
			if sel := u.selected(); sel != nil {
				return u.removeDialog(sel.Name)
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

// storeOp runs one store operation as a command and reports it in the status line.
func (u *usersScreen) storeOp(op func() error, done string) tea.Cmd {
	return func() tea.Msg {
		if err := op(); err != nil {
			return statusMsg{store.ErrorMessage(err), true}
		}
		return statusMsg{done, false}
	}
}

func (u *usersScreen) addDialog() tea.Cmd {
	st, actor := u.sh.st, u.sh.cfg.Actor
	return openDialog(newInputDialog(u.sh, txtUserAdd, userAddFields, []string{"", store.RoleClerk.Title(), ""},
		func(v []string) (tea.Cmd, error) {
			role, err := store.ParseRole(v[1])
			if err != nil {
				return nil, err
			}
			key, err := store.NormalizeKey(v[2])
			if err != nil {
				return nil, fmt.Errorf("%s", store.ErrorMessage(err))
			}
			user := store.User{Name: v[0], Role: role, Keys: []string{key}}
			// A refusal keeps the dialog and what was typed.
			return dialogOp(func() error { return st.AddUser(actor, user) },
				fmt.Sprintf(txtUserAdded, user.Name, role.Title())), nil
		}).withOK(txtKeyAdd))
}

func (u *usersScreen) roleDialog(user store.User) tea.Cmd {
	st, actor := u.sh.st, u.sh.cfg.Actor
	return openDialog(newInputDialog(u.sh, fmt.Sprintf(txtUserRole, user.Name), userRoleFields,
		[]string{user.Role.Title()},
		func(v []string) (tea.Cmd, error) {
			role, err := store.ParseRole(v[0])
			if err != nil {
				return nil, err
			}
			return dialogOp(func() error { return st.SetRole(actor, user.Name, role) },
				fmt.Sprintf(txtUserRoleSet, user.Name, role.Title())), nil
		}))
}

func (u *usersScreen) removeDialog(name string) tea.Cmd {
	st, actor := u.sh.st, u.sh.cfg.Actor
	q := fmt.Sprintf(txtUserAskRemove, name)
	if name == actor.Name {
		q = txtUserAskRemoveSelf
	}
	return openDialog(newConfirm(u.sh, q, func() tea.Cmd {
		return u.storeOp(func() error { return st.RemoveUser(actor, name) }, fmt.Sprintf(txtUserRemoved, name))
	}).withOK(txtKeyRemove))
}

// View draws the list of users.
func (u *usersScreen) View() string {
	s := u.sh.sty
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

// Init reads the users (for an admin).
func (u *usersScreen) Init() tea.Cmd { return u.load() }

// Typing is always false: the list takes no text.
func (u *usersScreen) Typing() bool { return false }

// Help lists the screen's keys.
func (u *usersScreen) Help() helpKeys {
	k := u.sh.keys
	add := key.NewBinding(key.WithKeys(k.New.Keys()...), key.WithHelp(k.New.Help().Key, txtKeyUserAdd))
	return helpKeys{short: []key.Binding{add, k.UserRole, k.UserRemove, k.Up, k.Down}}
}
