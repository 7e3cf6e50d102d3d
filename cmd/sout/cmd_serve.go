package main

import (
	"context"
	"fmt"
	"io"
	stdlog "log"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"

	"sout/store"
	"sout/tui"
)

// runTUI opens the screens on the local terminal.
func (e *env) runTUI() error {
	st, done, err := e.open()
	if err != nil {
		return err
	}
	defer done()
	// While the screens run, logs go to a file beside the database, never to the terminal.
	if f, err := os.OpenFile(e.dbPath+".log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
		defer f.Close()
		stdlog.SetOutput(f)
	} else {
		stdlog.SetOutput(io.Discard)
	}
	abs, _ := filepath.Abs(e.dbPath)
	p := tea.NewProgram(tui.New(st, tui.Config{Actor: e.actor, DBPath: abs}), tea.WithContext(e.ctx))
	if _, err := p.Run(); err != nil && e.ctx.Err() == nil {
		return fmt.Errorf("экран: %w", err)
	}
	return nil
}

func cmdServe(e *env, args []string) error {
	fs := newFlags("serve", e)
	listen := fs.String("listen", "127.0.0.1:2222", "адрес")
	hostKey := fs.String("host-key", "", "файл ключа сервера")
	idle := fs.Duration("idle", 30*time.Minute, "закрывать простаивающие сеансы через")
	perKey := fs.Int("max-sessions-per-key", 5, "сеансов на один ключ")
	loginTimeout := fs.Duration("login-timeout", 30*time.Second, "закрывать соединение, не вошедшее за")
	logPath := fs.String("log", "", "файл журнала сервера (по умолчанию stderr)")
	backupDir := fs.String("backup-dir", "", "каталог резервных копий, которые сервер делает сам")
	backupEvery := fs.Duration("backup-every", 24*time.Hour, "как часто делать резервную копию")
	keep := fs.Int("keep", 14, "сколько последних копий хранить (0 — все)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkBackupFlags(*backupDir, *backupEvery, *keep); err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("serve принимает только флаги")
	}
	if *loginTimeout <= 0 {
		return usageError("--login-timeout: нужна положительная длительность, например 30s")
	}
	if *hostKey == "" {
		*hostKey = filepath.Join(filepath.Dir(e.dbPath), "sout_host_ed25519")
	}
	var logOut io.Writer = e.stderr
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return store.Errorf(store.CodeInvalid, "не удалось открыть файл журнала %s: %v", *logPath, err)
		}
		defer f.Close()
		logOut = f
	}
	logger := log.NewWithOptions(logOut, log.Options{ReportTimestamp: true, Formatter: log.LogfmtFormatter})
	return e.withStore(func(st *store.Store) error {
		addrFile := serveAddrFile(e.dbPath)
		defer os.Remove(addrFile)
		if *backupDir != "" {
			ctx, cancel := context.WithCancel(e.ctx)
			done := make(chan struct{})
			go func() { backupLoop(ctx, st, *backupDir, *backupEvery, *keep, logger); close(done) }()
			defer func() { cancel(); <-done }() // a copy in progress finishes before the file closes
		}
		cfg := tui.ServeConfig{
			Store:             st,
			DBPath:            e.dbPath,
			Listen:            *listen,
			HostKeyPath:       *hostKey,
			Idle:              *idle,
			MaxSessionsPerKey: *perKey,
			LoginTimeout:      *loginTimeout,
			Logger:            logger,
			Exec: func(ctx context.Context, a store.Actor, args []string, stdout, stderr io.Writer) int {
				re := &env{ctx: ctx, stdin: eofReader{}, stdout: stdout, stderr: stderr, actor: a, dbPath: e.dbPath,
					st: st, remote: true}
				return re.dispatch(args)
			},
			Ready: func(addr string) {
				_ = os.WriteFile(addrFile, []byte(addr+"\n"), 0o644)
				fmt.Fprintf(e.stdout, "sout serve: %s слушает %s (база %s)\n", "сервер", addr, e.dbPath)
			},
		}
		return tui.Serve(e.ctx, cfg)
	})
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
