package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"time"
	"unicode"

	"sout/store"
	"sout/store/safefile"
)

// env is what one command line runs with: its streams, who runs it, and the
// database — a path to open locally, or the store the SSH server already holds.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	actor          store.Actor
	dbPath         string
	st             *store.Store // set when served over SSH: the shared open store
	remote         bool         // the command came over SSH: read-only, no files named by the user
	readOnly       bool         // the command only reads the file
	args           []string     // the subcommand and its arguments, for messages
}

// usageError is a misuse of the command line (exit status 2).
type usageError string

func (u usageError) Error() string { return string(u) }

// command is one subcommand: the one table of what may run where, used by
// dispatch, the SSH server (through dispatch), the help and the refusals.
type command struct {
	run      func(e *env, args []string) error
	roles    []store.Role // who may run it; none: any role (the local user has them all)
	ssh      bool         // allowed over SSH without a terminal, for roles
	readOnly bool         // only reads the file: opened read-only, which is faster
}

// allowedOverSSH reports whether role may run the command over SSH.
func (c command) allowedOverSSH(role store.Role) bool {
	return c.ssh && (len(c.roles) == 0 || slices.Contains(c.roles, role))
}

var commands map[string]command

func init() {
	admin := []store.Role{store.RoleAdmin}
	commands = map[string]command{
		"init":    {run: cmdInit},
		"demo":    {run: cmdDemo},
		"import":  {run: cmdImport},
		"export":  {run: cmdExport, ssh: true, readOnly: true},
		"report":  {run: cmdReport, ssh: true, readOnly: true},
		"lookup":  {run: cmdLookup, ssh: true, readOnly: true},
		"serve":   {run: cmdServe},
		"users":   {run: cmdUsers, roles: admin},
		"period":  {run: cmdPeriod, roles: []store.Role{store.RoleHead, store.RoleAdmin}},
		"audit":   {run: cmdAudit, ssh: true, readOnly: true},
		"backup":  {run: cmdBackup, roles: admin, ssh: true, readOnly: true},
		"check":   {run: cmdCheck, readOnly: true},
		"compact": {run: cmdCompact},
	}
}

// sshCommands returns, sorted, the commands role may run over SSH.
func sshCommands(role store.Role) []string {
	var out []string
	for name, c := range commands {
		if c.allowedOverSSH(role) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// sshHelp is the help's line on what runs over SSH, from the table.
func sshHelp() string {
	all := sshCommands(store.RoleClerk)
	var admin []string
	for _, n := range sshCommands(store.RoleAdmin) {
		if !slices.Contains(all, n) {
			admin = append(admin, n)
		}
	}
	return fmt.Sprintf("Через SSH без терминала: %s; администратору также %s.\n",
		strings.Join(all, ", "), strings.Join(admin, ", "))
}

// localActor is the OS user, who owns the file and so may do everything.
func localActor() store.Actor {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "local"
	}
	return store.Actor{Name: name, Role: store.RoleAdmin}
}

func defaultDBPath() string {
	if p := os.Getenv("SOUT_DB"); p != "" {
		return p
	}
	return "sout.db"
}

// openTimeout is how long a local command waits for a file another process holds.
const openTimeout = 500 * time.Millisecond

// open returns the store to work on and a function to release it: the shared
// store when served, else the file at e.dbPath.
func (e *env) open() (*store.Store, func(), error) {
	if e.st != nil {
		return e.st, func() {}, nil
	}
	st, err := store.Open(e.dbPath, store.Options{Timeout: openTimeout, ReadOnly: e.readOnly, NoCreate: !e.creates()})
	if err != nil {
		return nil, nil, err
	}
	if st.Created() {
		fmt.Fprintf(e.stderr, "Создан новый файл базы данных %s\n", e.dbPath)
	}
	return st, func() { st.Close() }, nil
}

// creates reports whether the command may create a missing database file:
// only the screens (their first run), init, demo and import do.
func (e *env) creates() bool {
	if len(e.args) == 0 {
		return true
	}
	switch e.args[0] {
	case "init", "demo", "import":
		return true
	}
	return false
}

// withStore opens the store, runs fn and closes it.
func (e *env) withStore(fn func(st *store.Store) error) error {
	st, done, err := e.open()
	if err != nil {
		return err
	}
	defer done()
	return fn(st)
}

// serveAddrFile is where a running server notes its address, so that a local
// command refused because the server holds the file can show the ssh form.
func serveAddrFile(dbPath string) string { return dbPath + ".serve" }

// errorText is the one line the clerk reads for err.
func errorText(err error, e *env) string {
	msg := store.ErrorMessage(err)
	if store.ErrorCode(err) == store.CodeBusy && e != nil && e.st == nil {
		if addr, rerr := os.ReadFile(serveAddrFile(e.dbPath)); rerr == nil {
			host, port := splitAddr(strings.TrimSpace(string(addr)))
			if line, ok := e.argsForSSH(); ok {
				msg += fmt.Sprintf(". Через сервер та же команда: ssh -p %s %s %s", port, host, line)
			} else {
				msg += fmt.Sprintf(" (сервер ssh -p %s %s); эта команда через SSH не выполняется — "+
					"остановите сервер или выполните её на нём", port, host)
			}
		}
	}
	return msg
}

func splitAddr(addr string) (host, port string) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return addr, "22"
	}
	host, port = addr[:i], addr[i+1:]
	if host == "" || host == "0.0.0.0" || host == "[::]" {
		host = "localhost"
	}
	return host, port
}

// argsForSSH returns the command line as the server takes it after ssh,
// and false when the server would refuse it: --db goes (the server has
// its own file), -o FILE becomes a redirection on the clerk's computer.
func (e *env) argsForSSH() (string, bool) {
	if len(e.args) == 0 {
		return "", false
	}
	if c, ok := commands[e.args[0]]; !ok || !c.allowedOverSSH(e.actor.Role) {
		return "", false
	}
	var out []string
	redirect := ""
	for i := 0; i < len(e.args); i++ {
		a := e.args[i]
		name, val, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if len(a) < 2 || a[0] != '-' || (name != "db" && name != "o") {
			out = append(out, shellWord(a))
			continue
		}
		if !hasValue && i+1 < len(e.args) {
			val = e.args[i+1]
			i++
		}
		if name == "o" && val != "-" {
			redirect = " > " + shellWord(val)
		}
	}
	if remotePathFlag(out) != "" {
		return "", false
	}
	return strings.Join(out, " ") + redirect, true
}

// shellWord quotes w for a POSIX shell when it needs it.
func shellWord(w string) string {
	plain := w != "" && strings.IndexFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_./:=+,@", r)
	}) < 0
	if plain {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// newFlags returns a flag set that reports misuse in Russian.
func newFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&e.dbPath, "db", e.dbPath, "файл базы данных")
	return fs
}

// parse parses flags and positional arguments in any order. It hands the
// flag package one flag at a time, having checked the flag's name and that
// its value is there, so every misuse gets a Russian message of our own and
// none of the package's English is ever read.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var badValue string
	fs.VisitAll(func(f *flag.Flag) { f.Value = ruValue{Value: f.Value, name: f.Name, bad: &badValue} })
	var pos []string
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			return append(pos, args[1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' {
			pos, args = append(pos, a), args[1:]
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			return nil, usageError("неизвестный флаг --" + name)
		}
		n := 1
		if !hasValue && !isBoolFlag(f.Value) {
			if len(args) < 2 {
				return nil, usageError("флагу --" + name + " нужно значение")
			}
			n = 2
		}
		if err := fs.Parse(args[:n]); err != nil {
			if badValue == "" { // no value refused: nothing else is left for the flag package to refuse
				badValue = "неверный флаг " + a
			}
			return nil, usageError(badValue)
		}
		args = args[n:]
	}
	return pos, nil
}

// ruValue is a flag's value that, when it refuses a value, says so in
// Russian in bad, naming the flag and the value.
type ruValue struct {
	flag.Value
	name string
	bad  *string
}

// Set sets the value, or writes the Russian message to v.bad.
func (v ruValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil {
		*v.bad = fmt.Sprintf("неверное значение флага --%s: «%s»", v.name, s)
	}
	return err
}

// IsBoolFlag tells the flag package whether the wrapped value is a switch.
func (v ruValue) IsBoolFlag() bool { return isBoolFlag(v.Value) }

// isBoolFlag tells whether the flag's value v is a switch that takes no argument.
func isBoolFlag(v flag.Value) bool {
	b, ok := v.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// serverPathFlags are the flags that name a file or folder of the machine
// the command runs on: over SSH that is the server's, which the user may not choose.
var serverPathFlags = []string{"db", "o", "key-file", "log", "host-key", "backup-dir"}

// txtRemoteOutput refuses an output file over SSH.
const txtRemoteOutput = "через SSH файлы на сервере не пишутся: уберите -o, вывод придёт в ваш терминал"

// remotePathFlag returns the refusal of the first flag of args, anywhere on
// the line, that names a server path ("-o -", the terminal, is fine), or "".
func remotePathFlag(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, val, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !slices.Contains(serverPathFlags, name) {
			continue
		}
		switch {
		case name == "db":
			return "через SSH база одна — у сервера; флаг --db не принимается"
		case name != "o":
			return fmt.Sprintf("через SSH флаг --%s не принимается: он называет файл на сервере", name)
		}
		if !hasValue && i+1 < len(args) {
			val = args[i+1]
		}
		if val != "-" && val != "" {
			return txtRemoteOutput
		}
	}
	return ""
}

// writeTo runs write into the output named by path, all or nothing:
// stdout for "" or "-", else the file at path through safefile, so a failed
// command never leaves a half-written file.
func (e *env) writeTo(path string, write func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	if e.remote {
		return store.Errorf(store.CodeForbidden, txtRemoteOutput)
	}
	return safefile.Write(path, write)
}

// parsePeriodFlag reads --period; empty means all time when allowEmpty.
func parsePeriodFlag(s string, allowEmpty bool) (store.Period, error) {
	if s == "" {
		if allowEmpty {
			return store.Period{}, nil
		}
		return store.Period{}, usageError("нужен --period, например 2026H1")
	}
	p, err := store.ParsePeriod(s)
	if err != nil {
		return p, usageError(err.Error())
	}
	return p, nil
}

// remoteUsage is the help a user gets over SSH: only the lines of the
// commands their role may run there, as ssh command lines.
func remoteUsage(role store.Role) string {
	allowed := sshCommands(role)
	var b strings.Builder
	b.WriteString("sout через SSH: команды, доступные роли «" + role.Title() + "».\n\n")
	b.WriteString("  ssh -t СЕРВЕР                            экраны (основная работа)\n")
	keep := false
	for _, line := range strings.Split(usageText, "\n") {
		if rest, ok := strings.CutPrefix(line, "  sout "); ok {
			name, _, _ := strings.Cut(rest, " ")
			keep = slices.Contains(allowed, strings.SplitN(name, "|", 2)[0]) && !strings.HasPrefix(rest, "report merge")
			if keep {
				line = "  ssh СЕРВЕР " + strings.NewReplacer(" [-o ФАЙЛ]", "", " -o ФАЙЛ", " > ФАЙЛ").Replace(rest)
			}
		} else if !strings.HasPrefix(line, "      ") {
			keep = false
		}
		if keep {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\nПериоды: 2026H1, 2026H2, 2026, 2026-01-01..2026-03-31. Вывод идёт в stdout: " +
		"ssh СЕРВЕР report summary --period 2026H1 --format xlsx > svodnaya.xlsx\n")
	b.WriteString("Код выхода: 0 — успех, 1 — ошибка в данных, 2 — неверная командная строка.\n")
	return b.String()
}
