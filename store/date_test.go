package store_test

import (
	"testing"

	"sout/store"
)

func TestParseDate_AsClerksType(t *testing.T) {
	for _, c := range []struct {
		in   string
		want store.Date
	}{
		{"1.12.2026", store.NewDate(2026, 12, 1)},
		{"01.12.2026", store.NewDate(2026, 12, 1)},
		{"28.11.26", store.NewDate(2026, 11, 28)},
		{"28.11.29", store.NewDate(2029, 11, 28)},
		{"28.11.30", store.NewDate(1930, 11, 28)},
		{"1-2-2026", store.NewDate(2026, 2, 1)},
		{"1/2/2026", store.NewDate(2026, 2, 1)},
		{" 1 2 2026 ", store.NewDate(2026, 2, 1)},
		{"2026-02-01", store.NewDate(2026, 2, 1)},
		{"", 0},
	} {
		got, err := store.ParseDate(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, msg string }{
		{"1.12", "дата «1.12» не распознана: нужна ДД.ММ.ГГГГ (или ДД.ММ.ГГ)"},
		{"1.12.202", "дата «1.12.202» не распознана: нужна ДД.ММ.ГГГГ (или ДД.ММ.ГГ)"},
		{"31.02.2026", "дата «31.02.2026» не существует: в этом месяце нет 31-го числа"},
		{"01.13.2026", "дата «01.13.2026»: нет месяца 13"},
	} {
		if _, err := store.ParseDate(c.in); err == nil || err.Error() != c.msg {
			t.Errorf("ParseDate(%q) error = %v, want %q", c.in, err, c.msg)
		}
	}
}

func TestCleanDigits(t *testing.T) {
	for in, want := range map[string]string{
		"7707 083 893":        "7707083893",
		" 7707-083-893 ":      "7707083893",
		"7707083893":          "7707083893",
		"77О7083893":          "77О7083893",
		"1027\u00a0700132195": "1027700132195",
	} {
		if got := store.CleanDigits(in); got != want {
			t.Errorf("CleanDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]store.Role{"clerk": store.RoleClerk, "Руководитель": store.RoleHead,
		" admin ": store.RoleAdmin, "специалист": store.RoleClerk} {
		if got, err := store.ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := store.ParseRole("boss"); err == nil ||
		err.Error() != "Роль: «boss» неизвестна — нужна специалист (clerk), руководитель (head) или администратор (admin)" {
		t.Errorf("ParseRole(boss) error = %v", err)
	}
}
