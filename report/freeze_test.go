package report_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"sout/report"
	"sout/store"
	"sout/store/demo"
)

// stallWriter stands for an SSH client that stops reading: its first write
// blocks until release is closed.
type stallWriter struct {
	once             sync.Once
	stalled, release chan struct{}
}

func (w *stallWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.stalled); <-w.release })
	return len(p), nil
}

// TestExportRegister_StalledClientFreezesNothing: an export of register entries linked to the journal, stalled on its
// client while writes grow the file's map, holds up neither those writes nor
// the reads after them, and finishes once the client reads again. Before,
// the export looked each journal link up in a second transaction inside its
// own: the write waited for the export, the look-up waited for the write,
// and the store stayed frozen after the client was gone (issue 11).
func TestExportRegister_StalledClientFreezesNothing(t *testing.T) {
	s := openStore(t)
	admin := store.Actor{Name: "root", Role: store.RoleAdmin}
	if _, err := demo.Generate(context.Background(), s, admin, demo.Options{Employers: 600, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	w := &stallWriter{stalled: make(chan struct{}), release: make(chan struct{})}
	exported := make(chan error, 1)
	go func() {
		exported <- report.ExportRegister(context.Background(), w, s, store.Period{}, report.Format{})
	}()
	<-w.stalled
	wrote := make(chan error, 1)
	go func() {
		es := make([]store.RegisterEntry, 30000)
		for i := range es {
			es[i] = entry(store.NewDate(2026, 1, 1).AddDays(i%300), "7707083893", "ООО «Волга»", "25.11", 10+i%50)
		}
		im, err := s.BeginImport(context.Background(), admin, "grow")
		if err == nil {
			if err = im.AddRegister(es); err == nil {
				err = im.Commit()
			}
		}
		if err == nil {
			_, err = s.FindByINN("7707083893")
		}
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Error("writes and reads waited 30 s for an export stalled on its client")
	}
	close(w.release)
	select {
	case err := <-exported:
		if err != nil {
			t.Fatalf("ExportRegister: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the export never finished once its client read again: the store is frozen")
	}
}
