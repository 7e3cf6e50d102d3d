package store

import (
	"fmt"
	"strings"
)

var (
	inn10Weights  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn11Weights  = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights  = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	errINNNoValue = fmt.Errorf("ИНН: не указан")
)

// CleanDigits returns s without the spaces and dashes clerks type or paste
// inside an INN, OGRN or similar number («7707 083 893», «1027-700-132-195»);
// anything else is left as it is, for the checks to name.
func CleanDigits(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " -\u00a0\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\u00a0', '\t':
			return -1
		}
		return r
	}, s)
}

func digitsOf(s string) ([]int, bool) {
	ds := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return nil, false
		}
		ds[i] = int(c - '0')
	}
	return ds, true
}

func innCheck(ds []int, w []int) int {
	sum := 0
	for i, x := range w {
		sum += ds[i] * x
	}
	return sum % 11 % 10
}

// CheckINN returns nil when s is a valid INN: 10 digits (organisation) or
// 12 digits (individual entrepreneur) with correct check digits. The error is
// a Russian sentence naming the value.
func CheckINN(s string) error {
	if s == "" {
		return errINNNoValue
	}
	ds, ok := digitsOf(s)
	if !ok {
		return fmt.Errorf("ИНН «%s»: допустимы только цифры", s)
	}
	switch len(ds) {
	case 10:
		if innCheck(ds, inn10Weights) != ds[9] {
			return fmt.Errorf("ИНН %s: неверное контрольное число", s)
		}
	case 12:
		if innCheck(ds, inn11Weights) != ds[10] || innCheck(ds, inn12Weights) != ds[11] {
			return fmt.Errorf("ИНН %s: неверное контрольное число", s)
		}
	default:
		return fmt.Errorf("ИНН «%s»: нужно 10 цифр (организация) или 12 (ИП), а не %d", s, len(ds))
	}
	return nil
}

// CheckOGRN returns nil when s is a valid OGRN (13 digits) or OGRNIP (15 digits)
// with a correct check digit.
func CheckOGRN(s string) error {
	ds, ok := digitsOf(s)
	if !ok || s == "" {
		return fmt.Errorf("ОГРН «%s»: допустимы только цифры", s)
	}
	var mod int
	switch len(ds) {
	case 13:
		mod = 11
	case 15:
		mod = 13
	default:
		return fmt.Errorf("ОГРН «%s»: нужно 13 цифр (ОГРН) или 15 (ОГРНИП), а не %d", s, len(ds))
	}
	rem := 0
	for _, d := range ds[:len(ds)-1] {
		rem = (rem*10 + d) % mod
	}
	if rem%10 != ds[len(ds)-1] {
		return fmt.Errorf("ОГРН %s: неверное контрольное число", s)
	}
	return nil
}

// INNCheckDigits completes the first 9 (or 11) digits of an INN with its check
// digit(s). It is used by the demo generator and by tests.
func INNCheckDigits(prefix string) string {
	ds, ok := digitsOf(prefix)
	if !ok {
		return prefix
	}
	switch len(ds) {
	case 9:
		return prefix + string(rune('0'+innCheck(append(ds, 0), inn10Weights)))
	case 10:
		d11 := innCheck(ds, inn11Weights)
		ds = append(ds, d11)
		return prefix + string(rune('0'+d11)) + string(rune('0'+innCheck(ds, inn12Weights)))
	}
	return prefix
}

// OGRNCheckDigit completes the first 12 (or 14) digits of an OGRN (OGRNIP) with its check digit.
func OGRNCheckDigit(prefix string) string {
	ds, ok := digitsOf(prefix)
	if !ok || (len(ds) != 12 && len(ds) != 14) {
		return prefix
	}
	mod := 11
	if len(ds) == 14 {
		mod = 13
	}
	rem := 0
	for _, d := range ds {
		rem = (rem*10 + d) % mod
	}
	return prefix + string(rune('0'+rem%10))
}
