package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"charm.land/log/v2"

	"sout/store"
)

// backupPrefix and backupExt name the copies the server takes itself:
// sout-20261123-020000.db sorts by time.
const (
	backupPrefix = "sout-"
	backupExt    = ".db"
)

// takeBackup writes a consistent copy of the open database into dir (through
// a temporary file, so a failure leaves nothing half-written) and then
// removes the oldest copies beyond keep. It returns the copy's path. It
// stops, leaving nothing, once ctx ends.
func takeBackup(ctx context.Context, st *store.Store, dir string, keep int, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", store.Errorf(store.CodeInvalid, "Каталог резервных копий %s: %v", dir, err)
	}
	path := filepath.Join(dir, backupPrefix+now.Format("20060102-150405")+backupExt)
	f, err := os.CreateTemp(dir, ".backup-*")
	if err != nil {
		return "", store.Errorf(store.CodeInvalid, "Не удалось создать резервную копию в %s: %v", dir, err)
	}
	if _, err := st.Backup(ctx, f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, pruneBackups(dir, keep)
}

// pruneBackups keeps the newest keep copies in dir (keep <= 0 keeps all).
func pruneBackups(dir string, keep int) error {
	if keep <= 0 {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupExt) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// backupLoop takes a copy every interval until ctx ends.
func backupLoop(ctx context.Context, st *store.Store, dir string, every time.Duration, keep int, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			path, err := takeBackup(ctx, st, dir, keep, now)
			if err != nil {
				logger.Error("backup", "dir", dir, "err", store.ErrorMessage(err))
				continue
			}
			logger.Info("backup", "path", path)
		}
	}
}

// checkBackupFlags validates the server's backup flags.
func checkBackupFlags(dir string, every time.Duration, keep int) error {
	if dir == "" {
		return nil
	}
	if every < time.Minute {
		return usageError(fmt.Sprintf("--backup-every %v: нужно не меньше минуты", every))
	}
	if keep < 0 {
		return usageError("--keep не может быть отрицательным")
	}
	return nil
}
