package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sout/store"
)

var (
	testNow   = time.Date(2026, 11, 20, 10, 30, 0, 0, time.Local)
	testClerk = store.Actor{Name: "anna", Role: store.RoleClerk}
)

func testStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "sout.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testApp returns the app at 100×30 with its first data loaded.
func testApp(t testing.TB, s *store.Store) *App {
	t.Helper()
	a := New(s, Config{Actor: testClerk, DBPath: "/srv/sout.db"}).(*App)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(a, a.Init())
	return a
}

// run executes cmd and feeds its messages back, as the program would. The
// change subscription, which waits for another session's write, is not run:
// it is known by its function's name (inlined copies keep it in theirs). Any
// other command is waited for, however slow the machine: a save that takes
// a second under load must still land before the test looks at the screen.
func run(a *App, cmd tea.Cmd) {
	if cmd == nil || strings.Contains(cmdName(cmd), ".waitChange.") {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(20 * time.Second):
		panic("a command ran for 20 s: " + cmdName(cmd))
	}
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			run(a, c)
		}
	default:
		if _, isQuit := msg.(tea.QuitMsg); isQuit {
			return
		}
		_, next := a.Update(msg)
		run(a, next)
	}
}

// cmdName is the name of the function behind cmd.
func cmdName(cmd tea.Cmd) string { return runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name() }

// frame is the current frame as plain text.
func frame(a *App) string { return ansi.Strip(a.View().Content) }

func press(a *App, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		_, cmd := a.Update(k)
		run(a, cmd)
	}
}

func typeText(a *App, s string) {
	for _, r := range s {
		press(a, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var (
	kF1    = tea.KeyPressMsg{Code: tea.KeyF1}
	kF2    = tea.KeyPressMsg{Code: tea.KeyF2}
	kF3    = tea.KeyPressMsg{Code: tea.KeyF3}
	kF4    = tea.KeyPressMsg{Code: tea.KeyF4}
	kTab   = tea.KeyPressMsg{Code: tea.KeyTab}
	kEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	kSave  = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	kN     = tea.KeyPressMsg{Code: 'n', Text: "n"}
	kNRu   = tea.KeyPressMsg{Code: 'т', Text: "т"}
)

// fillRegisterCard types a valid entry into an open register card.
func fillRegisterCard(a *App, inn string) {
	typeText(a, inn)
	press(a, kTab)
	typeText(a, "ООО «Волга»")
	press(a, kTab)
	typeText(a, "г. Самара")
	press(a, kTab, kTab)
	typeText(a, "25.11")
	press(a, kTab)
	typeText(a, "ООО «Центр охраны труда»")
	press(a, kTab, kTab)
	// Grid, row by row: всего, СОУТ, 1, 2, 3.1 …
	for _, row := range [][]string{{"20", "10", "", "7", "3"}, {"30", "12", "", "8", "4"}} {
		for i, v := range row {
			typeText(a, v)
			if i < len(row)-1 {
				press(a, kTab)
			}
		}
		for i := len(row); i <= store.NumCols; i++ {
			press(a, kTab)
		}
	}
}

func TestApp_RegisterCardSaves(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	press(a, kF2, kNRu) // the Russian layout's «т» opens a card too
	if _, ok := a.card.(*registerCard); !ok {
		t.Fatalf("card = %T, want a register card", a.card)
	}
	fillRegisterCard(a, "7707083893")
	if v := frame(a); !strings.Contains(v, "✓ Проверки пройдены") {
		t.Fatalf("the card shows problems:\n%s", v)
	}
	press(a, kSave)
	if a.card != nil {
		t.Fatalf("card still open after save:\n%s", frame(a))
	}
	e, err := s.RegisterEntry(1)
	if err != nil || e.Employer.Name != "ООО «Волга»" || e.Grid[store.ColAssessed][store.RowWorkers] != 12 ||
		e.CreatedBy != "anna" {
		t.Fatalf("saved entry = %+v, %v", e, err)
	}
	if sel := a.register.selected(); sel == nil || sel.ID != e.ID {
		t.Errorf("the saved entry is not selected in the list")
	}
	if v := frame(a); !strings.Contains(v, "ООО «Волга»") || !strings.Contains(v, "Сохранено") {
		t.Errorf("list after save:\n%s", v)
	}
}

func TestApp_SaveRefusedWhileErrors(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	press(a, kF2, kN)
	fillRegisterCard(a, "7707083893")
	// Go back up into the grid and break the class sum of workers.
	press(a, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	for a.card.(*registerCard).grid.row != store.RowWorkers || a.card.(*registerCard).grid.col != store.ColClass2 {
		press(a, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	}
	typeText(a, "6")
	press(a, kSave)
	v := frame(a)
	if !strings.Contains(v, "Сумма классов по работникам 10 ≠ 12 в графе СОУТ") || !strings.Contains(v, "Не сохранено") {
		t.Errorf("card after a refused save:\n%s", v)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("a card with errors was saved")
	}
}

func TestApp_ConflictKeepsWhatWasTyped(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	press(a, kF2, kN)
	fillRegisterCard(a, "7707083893")
	press(a, kSave)
	press(a, kEnter) // open the saved entry
	c, ok := a.card.(*registerCard)
	if !ok {
		t.Fatalf("card = %T", a.card)
	}
	// Someone else changes the same entry meanwhile.
	e, _ := s.RegisterEntry(1)
	e.Employer.Address = "г. Тольятти"
	if _, err := s.SaveRegisterEntry(store.Actor{Name: "boris", Role: store.RoleClerk}, e); err != nil {
		t.Fatal(err)
	}
	c.setFocus(rfAddress)
	typeText(a, ", д. 2")
	press(a, kSave)
	if a.card == nil {
		t.Fatal("the card closed on a conflict")
	}
	v := frame(a)
	if !strings.Contains(v, "Запись изменена пользователем boris в 10:30") || !strings.Contains(v, "г. Самара, д. 2") {
		t.Errorf("card after a conflict:\n%s", v)
	}
}

func TestApp_JournalCardSaves(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	press(a, kF1, kN)
	typeText(a, "7707083893")
	press(a, kTab)
	typeText(a, "ООО «Рассвет»")
	press(a, kTab)
	typeText(a, "ООО «Аудит-Труд»")
	if v := frame(a); strings.Contains(v, "✗") {
		t.Fatalf("a complete journal card shows errors:\n%s", v)
	}
	press(a, kSave)
	if a.card != nil {
		t.Fatalf("card still open after save:\n%s", frame(a))
	}
	e, err := s.JournalEntry(1)
	if err != nil || e.Ref() != "1/2026" || e.Status != store.StatusReceived ||
		e.ReceivedOn != store.NewDate(2026, 11, 20) {
		t.Fatalf("saved entry = %+v, %v", e, err)
	}
	if v := frame(a); !strings.Contains(v, "ООО «Рассвет»") {
		t.Errorf("list after save:\n%s", v)
	}
}

func TestApp_JournalReturnAndAccept(t *testing.T) {
	s := testStore(t)
	j, err := s.CreateJournalEntry(testClerk,
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
			SoutOrgName: "ООО «Центр охраны труда»"})
	if err != nil {
		t.Fatal(err)
	}
	a := testApp(t, s)
	press(a, kF1, tea.KeyPressMsg{Code: 'к', Text: "к"}) // r on the Russian layout
	if a.dialog == nil {
		t.Fatalf("no return dialog:\n%s", frame(a))
	}
	typeText(a, "нет карт СОУТ")
	press(a, kEnter, kEnter)
	got, _ := s.JournalEntry(j.ID)
	if got.Status != store.StatusReturned || got.StatusReason != "нет карт СОУТ" ||
		got.ReturnDeadline != store.NewDate(2026, 12, 20) {
		t.Fatalf("after return: %+v", got)
	}
	run(a, a.journal.load()) // the change subscription reloads the list in a session
	press(a, tea.KeyPressMsg{Code: 'a', Text: "a"})
	want := "Запись журнала 1/2026 возвращена на доработку: сначала отметьте повторное поступление пакета"
	if a.card != nil || !strings.Contains(frame(a), want) {
		t.Fatalf("a on a returned entry: card %T, want the refusal %q:\n%s", a.card, want, frame(a))
	}
	press(a, tea.KeyPressMsg{Code: 'g', Text: "g"})
	if a.dialog == nil {
		t.Fatalf("g asks no date of re-receipt:\n%s", frame(a))
	}
	press(a, kEnter) // today, as offered
	if got, _ = s.JournalEntry(j.ID); got.Status != store.StatusReceived {
		t.Fatalf("after g: %+v", got)
	}
	run(a, a.journal.load())
	press(a, tea.KeyPressMsg{Code: 'a', Text: "a"})
	c, ok := a.card.(*registerCard)
	if !ok || c.fields.value(rfINN) != "7707083893" || c.journal == nil {
		t.Fatalf("accept did not open a register card filled from the journal: %T", a.card)
	}
}

func TestApp_LookupShowsEverything(t *testing.T) {
	a := lookupSaved(t, "волг")
	press(a, kEnter)
	v := frame(a)
	if !strings.Contains(v, "ИНН 7707083893") || !strings.Contains(v, "Реестр — история результатов (1)") {
		t.Errorf("look-up card:\n%s", v)
	}
}

func TestApp_SummaryScreen(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	press(a, kF4)
	v := frame(a)
	for _, want := range []string{"2-е полугодие 2026 г.", "Срок отправки в Роструд: 10.01.2027 (осталось дней: 51)",
		"Всего по субъекту"} {
		if !strings.Contains(v, want) {
			t.Errorf("summary screen lacks %q:\n%s", want, v)
		}
	}
	press(a, tea.KeyPressMsg{Code: tea.KeyLeft})
	if v := frame(a); !strings.Contains(v, "1-е полугодие 2026 г.") {
		t.Errorf("← did not step back a half-year:\n%s", v)
	}
}

// TestApp_Snapshot pins the journal screen at 80×24.
func TestApp_Snapshot(t *testing.T) {
	s := testStore(t)
	if _, err := s.CreateJournalEntry(testClerk,
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Волга»", EmployerINN: "7707083893",
			SoutOrgName: "ООО «Центр охраны труда»"}); err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, New(s, Config{Actor: testClerk, DBPath: "/srv/sout.db"}),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1/2026")) },
		teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyF10})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*App)
	teatest.RequireEqualOutput(t, []byte(frame(fm)))
}

// TestApp_LiveUpdate: a change saved elsewhere appears without a key press.
func TestApp_LiveUpdate(t *testing.T) {
	s := testStore(t)
	tm := teatest.NewTestModel(t, New(s, Config{Actor: testClerk, DBPath: "/srv/sout.db"}),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	time.Sleep(200 * time.Millisecond)
	if _, err := s.CreateJournalEntry(store.Actor{Name: "boris", Role: store.RoleClerk},
		store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2), EmployerName: "ООО «Рассвет»", EmployerINN: "7707083893",
			SoutOrgName: "ООО «Центр охраны труда»"}); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Рассвет")) },
		teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyF10})
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
}

func TestApp_SummaryLock(t *testing.T) {
	kL := tea.KeyPressMsg{Code: 'l', Text: "l"}
	t.Run("clerk is refused with the reason", func(t *testing.T) {
		s := testStore(t)
		a := testApp(t, s)
		press(a, kF4, kL)
		want := "Блокировка периода: недостаточно прав (пользователь anna, роль «специалист»; " +
			"нужна роль «руководитель» или «администратор»)"
		if a.dialog != nil || a.status != want {
			t.Errorf("l for a clerk: dialog %v, status %q; want no dialog and %q", a.dialog != nil, a.status, want)
		}
		if locks, _ := s.Locks(); len(locks) != 0 {
			t.Errorf("a clerk locked a period: %+v", locks)
		}
	})
	t.Run("head locks and unlocks", func(t *testing.T) {
		s := testStore(t)
		a := New(s, Config{Actor: store.Actor{Name: "olga", Role: store.RoleHead}, DBPath: "sout.db"}).(*App)
		a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		run(a, a.Init())
		press(a, kF4, tea.KeyPressMsg{Code: 'д', Text: "д"}, kEnter) // l on the Russian layout
		locks, _ := s.Locks()
		if len(locks) != 1 || locks[0].Period.Key() != "2026H2" || locks[0].By != "olga" {
			t.Fatalf("locks = %+v", locks)
		}
		run(a, a.summary.load())
		if v := frame(a); !strings.Contains(v, "заблокирован: olga, 20.11.2026") {
			t.Errorf("the summary does not show the lock:\n%s", v)
		}
		press(a, kL, kEnter)
		if locks, _ := s.Locks(); len(locks) != 0 {
			t.Errorf("not unlocked: %+v", locks)
		}
	})
}

func TestApp_RemoteSessionWritesNoFiles(t *testing.T) {
	s := testStore(t)
	a := New(s, Config{Actor: testClerk, DBPath: "sout.db", SSHHint: "ssh -p 2222 10.0.0.5"}).(*App)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	run(a, a.Init())
	dir := t.TempDir()
	t.Chdir(dir)
	press(a, kF4, tea.KeyPressMsg{Code: 'x', Text: "x"})
	v := frame(a)
	if !strings.Contains(v, "\nssh -p 2222 10.0.0.5 report summary --period 2026H2 --format xlsx > "+
		"svodnaya-2026H2.xlsx\n") {
		t.Errorf("no ssh command shown:\n%s", v)
	}
	// At 80 columns the command is wider than the screen: it wraps whole, never cut.
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v = frame(a)
	if !strings.Contains(v, "\nssh -p 2222 10.0.0.5 report summary --period 2026H2 --format xlsx >\n"+
		"svodnaya-2026H2.xlsx\n") || !strings.Contains(v, "это одна команда") {
		t.Errorf("the ssh command at 80 columns:\n%s", v)
	}
	press(a, kEnter)
	if a.status != txtCopied || a.dialog != nil {
		t.Errorf("Enter: status %q, dialog %v; want %q and closed", a.status, a.dialog != nil, txtCopied)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a remote session wrote files: %v", entries)
	}
}

func TestApp_UsersScreen(t *testing.T) {
	s := testStore(t)
	root := store.Actor{Name: "root", Role: store.RoleAdmin}
	a := New(s, Config{Actor: root, DBPath: "sout.db"}).(*App)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	run(a, a.Init())
	press(a, tea.KeyPressMsg{Code: tea.KeyF5}, kN)
	typeText(a, "vera")
	press(a, kTab)
	for range []rune(store.RoleClerk.Title()) { // the default role, in Russian
		press(a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(a, "руководитель")
	press(a, kTab)
	typeText(a, "ssh-ed25519 мусор")
	press(a, kEnter)
	if v := frame(a); !strings.Contains(v, "Открытый ключ «ssh-ed25519 мусор» не распознан") || a.dialog == nil {
		t.Fatalf("a bad key is not refused in the dialog:\n%s", v)
	}
	for range []rune("мусор") {
		press(a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(a, "AAAAC3NzaC1lZDI1NTE5AAAAIHT0o6OFBXFVgwnpxBpGWt+1cbNJrnC1YLK0CV1hhcEo vera@pc")
	press(a, kEnter)
	users, _ := s.Users()
	if len(users) != 1 || users[0].Name != "vera" || users[0].Role != store.RoleHead {
		t.Fatalf("users = %+v", users)
	}
	run(a, a.users.load())
	if v := frame(a); !strings.Contains(v, "vera") || !strings.Contains(v, "руководитель") ||
		!strings.Contains(v, "SHA256:") {
		t.Errorf("users screen:\n%s", v)
	}
	press(a, tea.KeyPressMsg{Code: tea.KeyDelete}, kEnter)
	if users, _ := s.Users(); len(users) != 0 {
		t.Errorf("not removed: %+v", users)
	}

	// A clerk has no such screen.
	c := testApp(t, s)
	press(c, tea.KeyPressMsg{Code: tea.KeyF5})
	if c.active == scrUsers || strings.Contains(frame(c), "F5 Пользователи") {
		t.Errorf("a clerk reached the users screen")
	}
	if c.status != txtNoRightUsers {
		t.Errorf("F5 for a clerk: status %q, want %q", c.status, txtNoRightUsers)
	}
}

func TestApp_HugeWindowIsClamped(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	a.Update(tea.WindowSizeMsg{Width: 1 << 20, Height: 1 << 20})
	if v := a.View().Content; len(v) > 2<<20 {
		t.Errorf("a frame for a huge window is %d bytes", len(v))
	}
}

// TestApp_SizelessTerminalKeepsItsSize: a pty that knows no size (ssh -tt
// from a script) reports 0x0 after the server's 80x24; the screens stay at
// 80x24 instead of shrinking to nothing (the flaky first frame of
// TestServe_OpenSSHDemotionRefusesNextLock).
func TestApp_SizelessTerminalKeepsItsSize(t *testing.T) {
	s := testStore(t)
	a := New(s, Config{Actor: testClerk, DBPath: "/srv/sout.db"}).(*App)
	a.Update(tea.WindowSizeMsg{Width: 0, Height: 0})
	run(a, a.Init())
	if a.w != 80 || a.h != 24 {
		t.Errorf("after a first 0x0 the screens are %dx%d, want 80x24", a.w, a.h)
	}
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(tea.WindowSizeMsg{Width: 0, Height: 30})
	if a.w != 100 || a.h != 30 {
		t.Errorf("after 100x30 and 0x30 the screens are %dx%d, want 100x30", a.w, a.h)
	}
	if f := frame(a); !strings.Contains(f, testClerk.Name) {
		t.Errorf("the frame does not name the user:\n%s", f)
	}
}

// lookupSaved saves a register entry of ООО «Волга» through its card, then
// types text into the look-up and runs the search.
func lookupSaved(t *testing.T, text string) *App {
	t.Helper()
	a := testApp(t, testStore(t))
	press(a, kF2, kN)
	fillRegisterCard(a, "7707083893")
	press(a, kSave, kF3)
	typeText(a, text)
	time.Sleep(150 * time.Millisecond)
	run(a, a.lookup.search())
	return a
}
