package report

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sout/store"
)

// cellCount reads a figure as clerks keep it: a whole number, perhaps as
// text with spaces or NBSP between thousands, or a float ending in .0; a
// blank cell or a dash is 0.
func cellCount(v string) (int, error) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n, nil // the usual case, without a copy
	}
	v = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\t':
			return -1
		}
		return r
	}, v)
	switch v {
	case "", "-", "–", "—":
		return 0, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("negative")
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > 1e9 {
		return 0, fmt.Errorf("not a whole number")
	}
	return int(f), nil
}

var (
	dottedDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$`)
	isoDate    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
)

// cellDate reads a date as clerks keep it: a real date (an Excel serial
// number, a date-time too), or text dd.mm.yyyy, d.m.yyyy, dd.mm.yy (two-digit
// years as Excel reads them: 00–29 are 2000–2029, 30–99 are 1930–1999) or
// yyyy-mm-dd, perhaps followed by a time.
func cellDate(s string) (store.Date, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 20000 && n < 80000 {
		return store.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))), nil
	}
	day, _, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	if m := dottedDate.FindStringSubmatch(day); m != nil {
		y, _ := strconv.Atoi(m[3])
		if len(m[3]) == 2 {
			y += 1900
			if y < 1930 {
				y += 100
			}
		}
		d, mo := pad2(m[1]), pad2(m[2])
		if date, err := store.ParseDate(fmt.Sprintf("%s.%s.%04d", d, mo, y)); err == nil {
			return date, nil
		}
	}
	if m := isoDate.FindStringSubmatch(day); m != nil {
		if date, err := store.ParseDate(m[1] + "-" + pad2(m[2]) + "-" + pad2(m[3])); err == nil {
			return date, nil
		}
	}
	return store.ParseDate(s)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// identCell reads an INN, OGRN or OKVED cell of a workbook as the cell
// displays it (its number format applied), and restores the leading zero
// an INN or OGRN stored as a number lost when the padded value passes the
// check digit, with a warning naming the cell.
func (k *registerSink) identCell(t *xlsxTable, col int, at loc, ref colRef, kind, raw string) string {
	v := strings.TrimSpace(raw)
	if t == nil || v == "" {
		return v
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, ".eE") && kind != "okved" &&
		f == math.Trunc(f) {
		v = strconv.FormatFloat(f, 'f', 0, 64) // 7.707083893E9
	}
	numeric := strings.Trim(v, "0123456789.") == ""
	if numeric && (kind == "okved" && strings.Contains(v, ".") || kind != "okved" && len(v) < 15) {
		if d := t.display(col, at.line, v); d != "" && strings.Trim(d, "0123456789.") == "" {
			v = d
		}
	}
	check, what := store.CheckINN, "ИНН"
	if kind == "ogrn" {
		check, what = store.CheckOGRN, "ОГРН"
	}
	if kind == "okved" || check(v) == nil || strings.Trim(v, "0123456789") != "" {
		return v
	}
	if padded := "0" + v; check(padded) == nil {
		k.res.Restored++
		k.warn(
			"%s, %s: %s %s записан числом и потерял ведущий ноль: восстановлен %s (контрольное число сходится)",
			at,
			ref,
			what,
			v,
			padded,
		)
		return padded
	}
	return v
}
