package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"sout/store"
)

// TestOpen_DamagedAndMissing: files that are not a sound database are
// refused with one Russian line and their code, before bbolt maps them.
func TestOpen_DamagedAndMissing(t *testing.T) {
	s, sound := openStore(t)
	if !s.Created() {
		t.Error("Created() = false for a new file")
	}
	for i := 0; i < 50; i++ {
		if _, err := s.SaveRegisterEntry(clerk, validEntry()); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	b, err := os.ReadFile(sound)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := func(what string) string {
		return " (" + what + "): восстановите его из резервной копии"
	}
	cases := []struct {
		name    string
		content []byte
		code    store.Code
		want    string // the message after "файл повреждён: PATH" or after PATH
	}{
		{"empty", []byte{}, store.CodeDamaged, damaged("файл пуст")},
		{"cut", b[:8192], store.CodeDamaged, damaged("длина 8192 байт, а по заголовку нужно не меньше ")},
		{"foreign", []byte(strings.Repeat("ИНН;Наименование\n", 500)), store.CodeDamaged,
			damaged("это не база данных sout, или её заголовок разрушен")},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".db")
		if err := os.WriteFile(path, c.content, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, opt := range []store.Options{{}, {ReadOnly: true}} {
			_, err := store.Open(path, opt)
			msg := store.ErrorMessage(err)
			prefix, rest, _ := strings.Cut(c.want, "нужно не меньше ")
			if store.ErrorCode(err) != c.code || !strings.HasPrefix(msg, "файл повреждён: "+path+prefix) ||
				!strings.HasSuffix(msg, rest) || (rest == "" && msg != "файл повреждён: "+path+c.want) {
				t.Errorf("Open(%s, %+v) = %q (%s), want %s: «файл повреждён: …%s»", c.name, opt, msg, store.ErrorCode(err),
					c.code, c.want)
			}
		}
		if after, _ := os.ReadFile(path); string(after) != string(c.content) {
			t.Errorf("Open changed the %s file", c.name)
		}
	}
	checkNotAFile(t, dir, fifo)
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused open created the file: %v", err)
	}
	// The sound file opens, is not new, and passes bbolt's page check.
	s, err = store.Open(sound, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Created() {
		t.Error("Created() = true for an existing file")
	}
	if problems, err := s.CheckPages(); err != nil || len(problems) != 0 {
		t.Errorf("CheckPages() = %q, %v", problems, err)
	}
}

// checkNotAFile opens, in dir, a file that does not exist, dir itself and
// fifo: each is refused with its code and exact message.
func checkNotAFile(t *testing.T, dir, fifo string) {
	t.Helper()
	for _, c := range []struct {
		path string
		opt  store.Options
		code store.Code
		want string
	}{
		{filepath.Join(dir, "typo.db"), store.Options{ReadOnly: true}, store.CodeNotFound,
			"файл " + filepath.Join(dir, "typo.db") + " не найден: проверьте путь в --db (или SOUT_DB)"},
		{filepath.Join(dir, "typo.db"), store.Options{NoCreate: true}, store.CodeNotFound,
			"файл " + filepath.Join(dir, "typo.db") + " не найден: проверьте путь в --db (или SOUT_DB)"},
		{dir, store.Options{}, store.CodeInvalid, dir + " — это каталог, а не файл базы данных: укажите в --db путь к файлу"},
		{fifo, store.Options{}, store.CodeInvalid,
			fifo + " — не обычный файл (p---------), а база данных хранится в обычном файле: укажите его в --db"},
	} {
		_, err := store.Open(c.path, c.opt)
		if store.ErrorCode(err) != c.code || store.ErrorMessage(err) != c.want {
			t.Errorf("Open(%s, %+v) = %q (%s), want %q (%s)", c.path, c.opt, store.ErrorMessage(err), store.ErrorCode(err),
				c.want, c.code)
		}
	}
}

// TestOpen_RemovesCompactLeftover: what a killed compact left beside the
// file goes at the next open for writing.
func TestOpen_RemovesCompactLeftover(t *testing.T) {
	s, path := openStore(t)
	s.Close()
	left := filepath.Join(filepath.Dir(path), ".sout.db.compact")
	if err := os.WriteFile(left, make([]byte, 1<<16), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(left); err != nil {
		t.Errorf("a read-only open removed the leftover (a compact may be running): %v", err)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover still there after an open for writing: %v", err)
	}
}

// TestStore_BadPageIsDamaged: a page of a bucket with a type bbolt does not
// know makes bbolt panic as it reads; the guarded read says the file is damaged.
func TestStore_BadPageIsDamaged(t *testing.T) {
	s, path := openStore(t)
	for i := 0; i < 200; i++ {
		if _, err := s.SaveRegisterEntry(clerk, validEntry()); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var root uint64
	var pageSize int
	db.View(func(tx *bolt.Tx) error {
		root, pageSize = uint64(tx.Bucket([]byte("register")).Root()), tx.DB().Info().PageSize
		return nil
	})
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The page header's flags (after the 8-byte id): neither branch nor leaf.
	if _, err := f.WriteAt([]byte{0x20, 0}, int64(root)*int64(pageSize)+8); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s, err = store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := "файл повреждён: " + path + " (испорчены страницы данных): восстановите его из резервной копии"
	_, err = s.CheckPages()
	if store.ErrorCode(err) != store.CodeDamaged || store.ErrorMessage(err) != want {
		t.Errorf("CheckPages() = %v (%s), want %s", err, store.ErrorCode(err), want)
	}
	_, err = s.Check(context.Background())
	if store.ErrorCode(err) != store.CodeDamaged || store.ErrorMessage(err) != want {
		t.Errorf("Check() = %v (%s), want %s", err, store.ErrorCode(err), want)
	}
}
