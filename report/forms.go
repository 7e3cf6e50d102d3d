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
// texts of the computation's warnings. It stops with ctx's error once ctx ends.
func WriteSummary(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) ([]string, error) {
	sum, err := BuildSummary(ctx, s, p)
	if err != nil {
		return nil, err
	}
	set, err := s.Settings()
	if err != nil {
		return nil, err
	}
	return sum.WarningTexts(), writeForm(w, SummaryForm(sum, set), f)
}

// WriteRegister writes the Register form of the entries dated in p. It
// stops with ctx's error once ctx ends.
func WriteRegister(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	set, err := s.Settings()
	if err != nil {
		return err
	}
	each := func(fn func(*store.RegisterRecord) error) error { return s.EachRegister(ctx, p, fn) }
	return writeForm(w, RegisterForm(set, p, each), f)
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

// mergedFile is one Summary read by Merge.
type mergedFile struct {
	path, subject, inspectorate, period string
	rows                                []SummaryRow // in form order, as the file has them
}

// Merge adds up the Summaries of several subjects of the Russian Federation
// for one period (CSV of either flavour or XLSX, as sout writes them) into
// the roll-up Rostrud sends on (FORMS §5): its header says «Российская
// Федерация», the period and how many subjects it covers, and lists them (in
// XLSX on a sheet of its own). It refuses, naming the files, a file given
// twice, a subject given twice and files of different periods.
func Merge(w io.Writer, inputs []string, f Format) error {
	for i, a := range inputs {
		for _, b := range inputs[:i] {
			if sameFile(a, b) {
				return store.Errorf(store.CodeInvalid,
					"Файл %s указан дважды (%s и %s): каждый субъект входит в свод один раз", filepath.Base(a), b, a)
			}
		}
	}
	var files []mergedFile
	for _, path := range inputs {
		mf, err := readSummary(path)
		if err != nil {
			return err
		}
		for _, o := range files {
			switch {
			case o.subject == mf.subject:
				return store.Errorf(store.CodeInvalid, "Субъект «%s» дважды: в файлах %s и %s",
					mf.subject, o.path, mf.path)
			case o.period != mf.period:
				return store.Errorf(store.CodeInvalid,
					"Файлы разных периодов: %s — «%s», %s — «%s»; сводятся ведомости одного периода",
					o.path, o.period, mf.path, mf.period)
			}
		}
		files = append(files, mf)
	}
	if len(files) == 0 {
		return store.Errorf(store.CodeInvalid, "Не указано ни одного файла сводной ведомости")
	}
	total := emptySummary()
	for _, mf := range files {
		for i := range total.Rows {
			total.Rows[i].Employers += mf.rows[i].Employers
			for c := range total.Rows[i].Values {
				total.Rows[i].Values[c] += mf.rows[i].Values[c]
			}
		}
	}
	return writeForm(w, mergedForm(total, files), f)
}

// mergedForm lays out the roll-up of files: the Summary's form with the
// federation's header, no inspectorate's signature, and the list of subjects.
func mergedForm(total *Summary, files []mergedFile) *Form {
	total.Rows[0].Name = "Всего по Российской Федерации"
	form := SummaryForm(total, store.Settings{})
	n := len(files)
	form.Header = []string{"Российская Федерация", periodLine + files[0].period, rollUpLine(n)}
	form.Footer = form.Footer[1:] // only the compiler signs; the head of an inspectorate does not
	a := &Annex{
		Sheet: "Субъекты",
		Title: fmt.Sprintf("Субъекты Российской Федерации, вошедшие в свод (%d), %s", n, files[0].period),
		Head: []string{"№", "Субъект Российской Федерации", "Государственная инспекция труда",
			"Организаций (строка 1, графа 3)", "Файл"},
	}
	for i, mf := range files {
		a.Rows = append(a.Rows, []string{strconv.Itoa(i + 1), mf.subject, mf.inspectorate,
			strconv.Itoa(mf.rows[0].Employers), filepath.Base(mf.path)})
	}
	form.Annex = a
	return form
}

// rollUpLine is the header line of a roll-up of n subjects, with the noun
// in the number Russian needs: «по 1 субъекту», «по 11 субъектам», «по 21 субъекту».
func rollUpLine(n int) string {
	word := "субъектам"
	if n%10 == 1 && n%100 != 11 {
		word = "субъекту"
	}
	return fmt.Sprintf("Свод по %d %s Российской Федерации", n, word)
}

// emptySummary is a Summary with every row and no figures: the form's rows in order.
func emptySummary() *Summary {
	sum, _ := Summarize(store.Period{}, func(func(*store.Figures) error) error { return nil })
	return sum
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(sa, sb)
}

// readSummary reads one Summary that sout wrote: its subject, inspectorate
// and period from the header lines, and the figures of its 120 rows, each
// row known by its number and name.
func readSummary(path string) (mergedFile, error) {
	mf := mergedFile{path: path, rows: emptySummary().Rows}
	recs, err := readSummaryFile(path)
	if err != nil {
		return mf, err
	}
	index := map[string]int{}
	for i, r := range mf.rows {
		index[r.Code] = i
	}
	found := make([]bool, len(mf.rows))
	seen := 0
	for k, rec := range recs {
		first := strings.TrimSpace(cellAt(rec.cells, 0))
		switch {
		case strings.HasPrefix(first, subjectLine):
			mf.subject = strings.TrimSpace(strings.TrimPrefix(first, subjectLine))
			if k+1 < len(recs) {
				if next := strings.TrimSpace(cellAt(recs[k+1].cells, 0)); !strings.HasPrefix(next, periodLine) {
					mf.inspectorate = next
				}
			}
			continue
		case strings.HasPrefix(first, periodLine):
			mf.period = strings.TrimSpace(strings.TrimPrefix(first, periodLine))
			continue
		}
		i, ok := index[first]
		if !ok || !sameRowName(cellAt(rec.cells, 1), &mf.rows[i]) {
			continue // the title, headings, the row of column numbers, notes
		}
		if found[i] {
			return mf, store.Errorf(store.CodeInvalid, "%s, строка %d: строка формы %s встречается второй раз", path,
				rec.line, first)
		}
		found[i] = true
		seen++
		if err := readSummaryRow(&mf.rows[i], rec.cells); err != nil {
			return mf, store.Errorf(store.CodeInvalid, "%s, строка %d (строка формы %s), %v", path, rec.line, first, err)
		}
	}
	notForm := store.Errorf(store.CodeInvalid, "%s: это не сводная ведомость sout — найдено строк формы %d из %d", path,
		seen, len(mf.rows))
	if seen == 0 {
		return mf, notForm
	}
	if subjectMissing(mf.subject) {
		return mf, store.Errorf(store.CodeInvalid,
			"%s: в ведомости не указан субъект Российской Федерации (строка «%s…»); свод сводов не делается", path, subjectLine)
	}
	if mf.period == "" {
		return mf, store.Errorf(store.CodeInvalid, "%s: в ведомости не указан отчётный период (строка «%s…»)", path,
			periodLine)
	}
	if seen != len(mf.rows) {
		return mf, notForm
	}
	return mf, nil
}

// sameRowName reports whether name is the name of row r, also as sout wrote
// it before section rows lost their letter («C. Обрабатывающие производства»).
func sameRowName(name string, r *SummaryRow) bool {
	name = strings.Join(strings.Fields(name), " ")
	if name == r.Name {
		return true
	}
	return r.Header && r.Section >= 0 && name == store.Sections[r.Section].Letter+". "+r.Name
}

// readSummaryRow reads the figures of one form row: column 3 of a section
// row, columns 4–12 of a sub-row («<*>» elsewhere).
func readSummaryRow(r *SummaryRow, cells []string) error {
	if r.Header {
		n, err := figure(cells, 2)
		if err != nil {
			return fmt.Errorf("графа 3: %v", err)
		}
		r.Employers = n
		return nil
	}
	for c := 0; c < store.NumCols; c++ {
		n, err := figure(cells, 3+c)
		if err != nil {
			return fmt.Errorf("графа %d: %v", 4+c, err)
		}
		r.Values[c] = n
	}
	return nil
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func figure(cells []string, i int) (int, error) {
	if i >= len(cells) {
		return 0, nil
	}
	s := strings.TrimSpace(cells[i])
	if s == "" || s == NotFilled {
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
		for i := range rec {
			rec[i] = FromExcelText(rec[i])
		}
		out = append(out, fileRow{line, rec})
	}
	return out, nil
}
