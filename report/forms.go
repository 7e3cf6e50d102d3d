package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"sout/store"
)

func writeForm(w io.Writer, form *Form, f Format) error {
	if f.XLSX {
		return writeFormXLSX(w, form)
	}
	return writeFormCSV(w, form, f)
}

// WriteSummary computes the Summary of p and writes its form; it returns the
// computation's warnings. It stops with ctx's error once ctx ends.
func WriteSummary(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) ([]string, error) {
	sum, err := BuildSummary(ctx, s, p)
	if err != nil {
		return nil, err
	}
	set, err := s.Settings()
	if err != nil {
		return nil, err
	}
	return sum.Warnings, writeForm(w, SummaryForm(sum, set), f)
}

// WriteRegister writes the Register form of the entries dated in p. It
// stops with ctx's error once ctx ends.
func WriteRegister(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	set, err := s.Settings()
	if err != nil {
		return err
	}
	each := func(fn func(*store.RegisterRecord) error) error { return s.EachRegister(ctx, p, fn) }
	return writeForm(w, RegisterForm(set, p, nil, each), f)
}

// WriteJournal writes the Journal form of the entries received in p. It
// stops with ctx's error once ctx ends.
func WriteJournal(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	set, err := s.Settings()
	if err != nil {
		return err
	}
	each := func(fn func(*store.JournalEntry) error) error { return s.EachJournal(ctx, p, fn) }
	return writeForm(w, JournalForm(set, p, each), f)
}

// summaryCodes lists the 120 row codes of the Summary in form order.
func summaryCodes() []string {
	var codes []string
	for n := 1; n <= 20; n++ {
		codes = append(codes, strconv.Itoa(n))
		for _, sr := range subRowNames {
			codes = append(codes, strconv.Itoa(n)+sr.suffix)
		}
	}
	return codes
}

// Merge adds up several Summary forms (CSV or XLSX, as sout writes them)
// into one roll-up. Employer counts are added, not de-duplicated, and the
// header says so.
func Merge(w io.Writer, inputs []string, f Format) ([]string, error) {
	codes := summaryCodes()
	index := map[string]int{}
	for i, c := range codes {
		index[c] = i
	}
	base, err := Summarize(store.Period{}, func(func(*store.Figures) error) error { return nil })
	if err != nil {
		return nil, err
	}
	var warnings []string
	for _, path := range inputs {
		rows, err := readSummaryFile(path)
		if err != nil {
			return nil, err
		}
		seen := 0
		for _, rec := range rows {
			if len(rec.cells) < 3 {
				continue
			}
			i, ok := index[strings.TrimSpace(rec.cells[0])]
			if !ok {
				continue
			}
			seen++
			row := &base.Rows[i]
			if row.Header {
				n, err := figure(rec.cells, 2)
				if err != nil {
					return nil, store.Errorf(store.CodeInvalid, "%s, строка %d (%s), графа 3: %v", path, rec.line, codes[i], err)
				}
				row.Employers += n
				continue
			}
			for c := 0; c < store.NumCols; c++ {
				n, err := figure(rec.cells, 3+c)
				if err != nil {
					return nil, store.Errorf(store.CodeInvalid, "%s, строка %d (%s), графа %d: %v", path, rec.line, codes[i], 4+c, err)
				}
				row.Values[c] += n
			}
		}
		if seen != len(codes) {
			return nil, store.Errorf(store.CodeInvalid, "%s: это не сводная ведомость sout — найдено строк формы %d из %d", path, seen, len(codes))
		}
	}
	form := SummaryForm(base, store.Settings{Region: "свод по файлам: " + strings.Join(baseNames(inputs), ", ")})
	form.Title = append(form.Title, "Свод нескольких сводных ведомостей: количество организаций (графа 3) сложено, повторы не исключены")
	return warnings, writeForm(w, form, f)
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

func figure(cells []string, i int) (int, error) {
	if i >= len(cells) {
		return 0, nil
	}
	s := strings.TrimSpace(cells[i])
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", ""))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("«%s» — не целое неотрицательное число", s)
	}
	return n, nil
}

type fileRow struct {
	line  int
	cells []string
}

// readSummaryFile reads the rows of a Summary in CSV (either flavour) or XLSX.
func readSummaryFile(path string) ([]fileRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, store.Errorf(store.CodeInvalid, "Не удалось прочитать %s: %v", path, err)
	}
	var out []fileRow
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return nil, store.Errorf(store.CodeInvalid, "%s: файл XLSX не читается: %v", path, err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, store.Errorf(store.CodeInvalid, "%s: %v", path, err)
		}
		for i, r := range rows {
			out = append(out, fileRow{i + 1, r})
		}
		return out, nil
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	if first, _, _ := bytes.Cut(b, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, store.Errorf(store.CodeInvalid, "%s: строка %d: %v", path, line, err)
		}
		out = append(out, fileRow{line, rec})
	}
	return out, nil
}
