package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"charm.land/log/v2"

	"sout/store"
	"sout/store/safefile"
)

// backupPrefix and backupExt name the copies the server takes itself:
// sout-20261123-020000.db sorts by time.
const (
	backupPrefix = "sout-"
	backupExt    = ".db"
)

// takeBackup writes a consistent copy of the open database into dir (through
// safefile, so a failure leaves nothing half-written and no temporary file)
// and then removes the oldest copies beyond keep. It returns the copy's path.
// It stops, leaving nothing, once ctx ends.
func takeBackup(ctx context.Context, st *store.Store, dir string, keep int, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", store.Errorf(store.CodeInvalid, "Каталог резервных копий %s: %s", dir, safefile.Reason(err))
	}
	path := filepath.Join(dir, backupPrefix+now.Format("20060102-150405")+backupExt)
	err := safefile.Write(path, func(w io.Writer) error {
		_, err := st.Backup(ctx, w)
		return err
	})
	if err != nil {
		return "", err
	}
	return path, pruneBackups(dir, keep)
}

// removeStaleBackups removes what a killed server left of its copies in
// dir: the temporary files of copies it was taking.
func removeStaleBackups(dir string, logger *log.Logger) {
	for _, r := range safefile.RemoveLeftoversMatching(dir, backupPrefix+"*"+backupExt) {
		logger.Info("backup: removed a leftover", "path", r)
	}
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
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n,
			backupExt) {
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
	removeStaleBackups(dir, logger)
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
