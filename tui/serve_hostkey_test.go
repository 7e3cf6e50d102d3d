package tui

import (
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestEnsureHostKey: the host key is created 0600, readable by ssh, kept
// when there, and the folder's mode is left alone.
func TestEnsureHostKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sout_host_ed25519")
	if err := ensureHostKey(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != 0o600 {
		t.Errorf("host key mode %v, want 0600", st.Mode())
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o755 {
		t.Errorf("folder mode %v, want 0755 kept", d.Mode().Perm())
	}
	key, _ := os.ReadFile(path)
	if _, err := gossh.ParsePrivateKey(key); err != nil {
		t.Errorf("host key does not parse: %v", err)
	}
	if err := ensureHostKey(path); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(key) {
		t.Error("an existing host key was replaced")
	}
	err = ensureHostKey(filepath.Join(dir, "no", "hk"))
	if want := "не удалось создать ключ сервера " + filepath.Join(dir, "no", "hk") + ": нет такого каталога"; err == nil ||
		err.Error() != want {
		t.Errorf("ensureHostKey in a missing folder = %v, want %s", err, want)
	}
}
