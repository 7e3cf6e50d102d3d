package store_test

import (
	"testing"

	"sout/store"
)

func TestTextError(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ООО «Рассвет»", ""},
		{"ООО \u202eтевссаР", "Имя: недопустимый символ управления направлением текста U+202E в позиции 5"},
		{"a\u2066b", "Имя: недопустимый символ управления направлением текста U+2066 в позиции 2"},
		{"a\u200fb", "Имя: недопустимый символ управления направлением текста U+200F в позиции 2"},
		{"x\x1b[31m", "Имя: недопустимый управляющий символ U+001B в позиции 2"},
		{"x\u0085", "Имя: недопустимый управляющий символ U+0085 в позиции 2"},
		{"ab\xff", "Имя: байт 0xFF в позиции 3 — текст не в кодировке UTF-8"},
		{"a\tb", "Имя: недопустимый управляющий символ U+0009 в позиции 2"},
	} {
		if got := store.TextError("Имя", tc.in); got != tc.want {
			t.Errorf("TextError(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestStore_TextControls: the rule holds in every text field: a user's name, a journal entry's field.
func TestStore_TextControls(t *testing.T) {
	s, _ := openStore(t)
	err := s.AddUser(admin, store.User{Name: "an\u202ena", Role: store.RoleClerk, Keys: []string{userKey}})
	mustCode(t, err, store.CodeInvalid, "Имя пользователя: недопустимый символ управления направлением текста U+202E в "+
		"позиции 3")
	_, err = s.CreateJournalEntry(clerk, store.JournalEntry{ReceivedOn: store.NewDate(2026, 11, 2),
		EmployerName: "ООО \u202eРассвет", EmployerINN: "7707083893", SoutOrgName: "ООО «Центр»"})
	mustCode(t, err, store.CodeInvalid, "Наименование работодателя: недопустимый символ управления направлением текста "+
		"U+202E в позиции 5")
}
