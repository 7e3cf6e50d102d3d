package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date packed as YYYYMMDD (20260131), so that numeric order
// is date order and big-endian keys sort by date. The zero Date means "no date".
type Date uint32

// NewDate returns the Date for year, month and day; it does not normalise:
// use ParseDate for input.
func NewDate(y int, m time.Month, d int) Date { return Date(y*10000 + int(m)*100 + d) }

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return NewDate(y, m, d) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// Year returns the year of d.
func (d Date) Year() int { return int(d) / 10000 }

// Month returns the month of d.
func (d Date) Month() time.Month { return time.Month(int(d) / 100 % 100) }

// Day returns the day of the month of d.
func (d Date) Day() int { return int(d) % 100 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.Time().Sub(d.Time()).Hours() / 24) }

// String returns d as YYYY-MM-DD, the form used in data files; "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), d.Month(), d.Day())
}

// Ru returns d as dd.mm.yyyy, the form used in the official forms; "" for the zero Date.
func (d Date) Ru() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day(), d.Month(), d.Year())
}

// DateError is a date ParseDate cannot read: the text as typed and why.
type DateError struct {
	Text, Why string
	Colon     bool // Why follows the value after a colon («дата «1.13.2026»: нет месяца 13»)
}

// Error names the value: «дата «1.13.2026»: нет месяца 13».
func (e *DateError) Error() string {
	if e.Colon {
		return "дата «" + e.Text + "»: " + e.Why
	}
	return "дата «" + e.Text + "» " + e.Why
}

// Field is the message for a card's field named label, in the cards' style
// «Поле: что не так»: «Дата поступления: «1.13.2026» — нет месяца 13».
func (e *DateError) Field(label string) string {
	if e.Colon {
		return label + ": «" + e.Text + "» — " + e.Why
	}
	return label + ": «" + e.Text + "» " + e.Why
}

// DateProblem is the message of err, a ParseDate error, for the field named
// label: the DateError's Field, or the error as it is.
func DateProblem(label string, err error) string {
	var de *DateError
	if errors.As(err, &de) {
		return de.Field(label)
	}
	return err.Error()
}

// ParseDate reads a date as clerks type it: YYYY-MM-DD, or day, month and
// year in that order separated by «.», «-», «/» or spaces, with one- or
// two-digit day and month (1.12.2026, 01/12/2026, 1 12 2026). A two-digit
// year follows Excel's rule: 00–29 are 2000–2029, 30–99 are 1930–1999
// (28.11.26 is 28.11.2026). Leading and trailing spaces are ignored. An
// empty string gives the zero Date and no error. Impossible dates such as
// 31.02.2026 are refused with a Russian message naming the value.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := &DateError{Text: s, Why: "не распознана: нужна ДД.ММ.ГГГГ (или ДД.ММ.ГГ)"}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' || r == '/' || r == ' ' })
	if len(parts) != 3 {
		return 0, bad
	}
	var y, m, d int
	var err error
	if len(parts[0]) == 4 && s[4] == '-' { // ISO, as in data files
		y, m, d, err = atoi3(parts[0], parts[1], parts[2])
	} else {
		d, m, y, err = atoi3(parts[0], parts[1], parts[2])
	}
	if err != nil || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4 && len(parts[0]) != 4) {
		return 0, bad
	}
	if len(parts[2]) == 2 && len(parts[0]) != 4 {
		y += 1900
		if y < 1930 {
			y += 100
		}
	}
	if y < 1900 || y > 2999 {
		return 0, &DateError{Text: s, Why: fmt.Sprintf("год %d вне допустимых пределов", y), Colon: true}
	}
	if m < 1 || m > 12 {
		return 0, &DateError{Text: s, Why: fmt.Sprintf("нет месяца %d", m), Colon: true}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return 0, &DateError{Text: s, Why: fmt.Sprintf("не существует: в этом месяце нет %d-го числа", d)}
	}
	return NewDate(y, time.Month(m), d), nil
}

func atoi3(a, b, c string) (int, int, int, error) {
	x, err1 := atoiDigits(a)
	y, err2 := atoiDigits(b)
	z, err3 := atoiDigits(c)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, 0, fmt.Errorf("not a number")
	}
	return x, y, z, nil
}

func atoiDigits(s string) (int, error) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not digits")
		}
	}
	return strconv.Atoi(s)
}

// Period is a closed range of dates: a half-year, a year or any range.
type Period struct {
	From, To Date
}

// HalfYear returns the half-year (1 or 2) of year y.
func HalfYear(y, half int) Period {
	if half == 1 {
		return Period{NewDate(y, 1, 1), NewDate(y, 6, 30)}
	}
	return Period{NewDate(y, 7, 1), NewDate(y, 12, 31)}
}

// HalfYearOf returns the half-year that contains d.
func HalfYearOf(d Date) Period {
	if d.Month() <= 6 {
		return HalfYear(d.Year(), 1)
	}
	return HalfYear(d.Year(), 2)
}

// ParsePeriod reads 2026H1, 2026H2 (also 2026П1, 2026-H1), 2026, or 2026-01-01..2026-03-31
// (either date form, both ends included).
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(s, ".."); ok {
		f, err := ParseDate(from)
		if err != nil {
			return Period{}, fmt.Errorf("период «%s»: %v", s, err)
		}
		t, err := ParseDate(to)
		if err != nil {
			return Period{}, fmt.Errorf("период «%s»: %v", s, err)
		}
		if f == 0 || t == 0 {
			return Period{}, fmt.Errorf("период «%s»: нужны обе даты, например 2026-01-01..2026-03-31 "+
				"или 01.01.2026..31.03.2026", s)
		}
		if t < f {
			return Period{}, fmt.Errorf("период «%s»: конец раньше начала", s)
		}
		return Period{f, t}, nil
	}
	u := strings.ToUpper(s)
	u = strings.ReplaceAll(u, "П", "H")
	u = strings.ReplaceAll(u, "-H", "H")
	if len(u) == 4 {
		if y, err := atoiDigits(u); err == nil && y >= 1900 && y <= 2999 {
			return Period{NewDate(y, 1, 1), NewDate(y, 12, 31)}, nil
		}
	}
	if len(u) == 6 && (u[4:] == "H1" || u[4:] == "H2") {
		if y, err := atoiDigits(u[:4]); err == nil && y >= 1900 && y <= 2999 {
			return HalfYear(y, int(u[5]-'0')), nil
		}
	}
	return Period{}, fmt.Errorf("период «%s» не распознан: нужен 2026H1, 2026H2, 2026, "+
		"2026-01-01..2026-03-31 или 01.01.2026..31.03.2026", s)
}

// Contains reports whether d lies in p (both ends included).
func (p Period) Contains(d Date) bool { return d >= p.From && d <= p.To }

// Overlaps reports whether p and q share a day.
func (p Period) Overlaps(q Period) bool { return p.From <= q.To && q.From <= p.To }

// IsZero reports whether p is unset.
func (p Period) IsZero() bool { return p.From == 0 && p.To == 0 }

// half returns 1 or 2 when p is exactly a half-year, else 0.
func (p Period) half() int {
	if p.From.Year() != p.To.Year() {
		return 0
	}
	y := p.From.Year()
	switch p {
	case HalfYear(y, 1):
		return 1
	case HalfYear(y, 2):
		return 2
	}
	return 0
}

// IsYear reports whether p is exactly one calendar year.
func (p Period) IsYear() bool {
	return p.From.Year() == p.To.Year() && p.From == NewDate(p.From.Year(), 1, 1) && p.To == NewDate(p.From.Year(), 12,
		31)
}

// Key returns the canonical command-line form: 2026H1, 2026, or 2026-01-01..2026-03-31.
func (p Period) Key() string {
	if h := p.half(); h != 0 {
		return fmt.Sprintf("%dH%d", p.From.Year(), h)
	}
	if p.IsYear() {
		return strconv.Itoa(p.From.Year())
	}
	return p.From.String() + ".." + p.To.String()
}

// String returns p in Russian as printed in a form header:
// «1-е полугодие 2026 г.», «2026 г.», «с 01.01.2026 по 31.03.2026».
func (p Period) String() string {
	if h := p.half(); h != 0 {
		return fmt.Sprintf("%d-е полугодие %d г.", h, p.From.Year())
	}
	if p.IsYear() {
		return fmt.Sprintf("%d г.", p.From.Year())
	}
	return fmt.Sprintf("с %s по %s", p.From.Ru(), p.To.Ru())
}

// NextHalf returns the half-year after the one p starts in.
func (p Period) NextHalf() Period { return HalfYearOf(HalfYearOf(p.From).To.AddDays(1)) }

// PrevHalf returns the half-year before the one p starts in.
func (p Period) PrevHalf() Period { return HalfYearOf(HalfYearOf(p.From).From.AddDays(-1)) }

// DueDate returns the date the Summary for the half-year p is due at Rostrud:
// the 10th of the month after the period (10 July for H1, 10 January for H2).
func (p Period) DueDate() Date {
	next := p.To.AddDays(1)
	return NewDate(next.Year(), next.Month(), 10)
}
