// Command sout is the working tool of a labour inspectorate's clerks for the
// results of the special assessment of working conditions (СОУТ): the screens
// (the default), the official forms, data import and export, and the SSH server.
//
// This package only parses the command line and wires store, report and tui
// together; every rule lives in those packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"sout/store"
)

func main() {
	ctx, stop := notifyContext()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalCause is the cause of a context ended by a signal.
type signalCause struct{ sig syscall.Signal }

func (c signalCause) Error() string { return c.sig.String() + " received" }

// notifyContext returns a context that the first SIGINT or SIGTERM ends,
// with the signal as its cause (signal.NotifyContext's cause does not name
// the signal), and a function that releases it. A second signal has its
// usual effect: it ends the process at once, as a crash would, which the
// store survives (an import left unfinished is rolled back at the next open).
func notifyContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(signalCause{s.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

// run executes one command line and returns the exit status: 0 on success,
// 1 on a user error (one Russian line on stderr), 2 on misuse of the command line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, actor: localActor(), dbPath: defaultDBPath()}
	return e.dispatch(args)
}

// dispatch finds the subcommand in args and runs it.
func (e *env) dispatch(args []string) int {
	if msg := remotePathFlag(args); e.remote && msg != "" {
		e.auditRemote(store.ActionRefused, args)
		return e.usage(msg)
	}
	// Global flags before the subcommand: --db PATH.
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "--db" || a == "-db":
			if len(args) < 2 {
				return e.usage("флагу --db нужен путь к файлу")
			}
			e.dbPath, args = args[1], args[2:]
			continue
		case len(a) > 5 && (a[:5] == "--db=" || a[:4] == "-db="):
			e.dbPath, args = a[len("--db="):], args[1:]
			if a[1] != '-' {
				e.dbPath = a[len("-db="):]
			}
			continue
		case a == "-h" || a == "--help" || a == "help":
			if e.remote {
				fmt.Fprint(e.stdout, remoteUsage(e.actor.Role))
				return 0
			}
			fmt.Fprint(e.stdout, usageText+sshHelp())
			return 0
		}
		break
	}
	if len(args) == 0 {
		if e.remote { // the screens need a terminal; nothing is ever drawn on the server's
			return e.usage("нужна команда, например report summary --period 2026H1 --format csv; экраны — ssh -t")
		}
		return e.finish(e.runTUI())
	}
	e.args = args
	cmd, ok := commands[args[0]]
	if !ok {
		return e.usage(fmt.Sprintf("неизвестная команда «%s»", args[0]))
	}
	if e.remote && !cmd.allowedOverSSH(e.actor.Role) {
		e.auditRemote(store.ActionRefused, args)
		fmt.Fprintf(e.stderr, "sout: команда «%s» через SSH недоступна: роли «%s» разрешены %s\n",
			args[0], e.actor.Role.Title(), strings.Join(sshCommands(e.actor.Role), ", "))
		return 1
	}
	e.readOnly = cmd.readOnly
	err := cmd.run(e, args[1:])
	if e.remote {
		// A read over SSH is audited once it ran; a command line refused
		// before it read anything (a bad flag, a bad period, a command the
		// role may not run) is kept as a refusal, not as a read.
		action := args[0]
		if _, misuse := err.(usageError); misuse || store.ErrorCode(err) == store.CodeForbidden {
			action = store.ActionRefused
		}
		if aerr := e.auditRemote(action, args); aerr != nil && err == nil {
			err = aerr
		}
	}
	return e.finish(err)
}

// auditRemote keeps an SSH command line in the audit as action, its words
// cut as the server's log cuts them (a line of 4,096 characters is not
// kept whole).
func (e *env) auditRemote(action string, args []string) error {
	if !e.remote || e.st == nil {
		return nil
	}
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = a
		if r := []rune(a); len(r) > 200 {
			words[i] = fmt.Sprintf("%s…(%d симв.)", string(r[:200]), len(r))
		}
	}
	return e.st.RecordAccess(e.actor, action, strings.Join(words, " "))
}

// finish turns an error into the exit status and its message.
func (e *env) finish(err error) int {
	if err == nil {
		return 0
	}
	if u, ok := err.(usageError); ok {
		return e.usage(string(u))
	}
	if c := (signalCause{}); errors.As(context.Cause(e.ctx), &c) {
		// Whatever failed, it failed because the run was stopped: the
		// import or copy under way was undone, nothing was written.
		name := "Ctrl+C"
		if c.sig == syscall.SIGTERM {
			name = "SIGTERM"
		}
		fmt.Fprintf(e.stderr, "sout: прервано (%s): ничего не записано\n", name)
		return 128 + int(c.sig)
	}
	fmt.Fprintln(e.stderr, "sout: "+errorText(err, e))
	return 1
}

func (e *env) usage(msg string) int {
	fmt.Fprintf(e.stderr, "sout: %s\nСправка: sout help\n", msg)
	return 2
}

const usageText = `sout — журнал, реестр и сводная ведомость результатов СОУТ (приказ Роструда № 384).

Использование:
  sout [--db ФАЙЛ]                         экраны (основная работа); файл создаётся при первом запуске
  sout init --region Р --inspectorate Г [--head ФИО] [--compiler ФИО] [--phone ТЕЛ]
            [--risk-drop 30] [--risk-years 5]   пороги индикаторов риска
  sout demo [--employers N] [--seed S]     заполнить базу правдоподобными данными
  sout import register|journal ФАЙЛ [--dry-run]             .csv или .xlsx; всё или ничего
  sout export register|journal [--period П] --format csv|xlsx [--excel] [-o ФАЙЛ]
  sout report summary|register|journal --period П --format csv|xlsx [--excel] [-o ФАЙЛ]
  sout report risks --period П --format csv|xlsx [--excel] [-o ФАЙЛ]   индикаторы риска
  sout report merge ФАЙЛ… --format csv|xlsx [--excel] [-o ФАЙЛ]   свод нескольких сводных ведомостей
  sout lookup ИНН | СЛОВА НАИМЕНОВАНИЯ [--json]
  sout serve [--listen АДРЕС] [--host-key ФАЙЛ] [--idle 30m] [--login-timeout 30s] [--log ФАЙЛ]
             [--max-sessions-per-key 5]
             [--backup-dir КАТАЛОГ [--backup-every 24h] [--keep 14]]
  sout users add ИМЯ --role РОЛЬ (--key "ssh-ed25519 …" | --key-file Ф.pub)
  sout users list | users remove ИМЯ | users set-role ИМЯ РОЛЬ
  sout period lock|unlock П [--reason ТЕКСТ] | period list
  sout audit [--since ДАТА] [--user ИМЯ] [--record journal:15/2026|register:ИНН] [--format text|csv]
  sout backup -o ФАЙЛ
  sout check
  sout compact                             уплотнить файл после больших загрузок (сервер остановлен)

Роли: специалист, руководитель, администратор (или clerk, head, admin).
Периоды: 2026H1, 2026H2, 2026, 2026-01-01..2026-03-31. Без -o или с -o - вывод идёт в stdout.
База данных: --db ФАЙЛ, переменная SOUT_DB, иначе ./sout.db.
Код выхода: 0 — успех, 1 — ошибка в данных, 2 — неверная командная строка.
`
