package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"sout/store"
)

// ImportOptions control an import.
type ImportOptions struct {
	DryRun         bool // every check of the real import, nothing written
	SkipDuplicates bool // load the rest when entries equal stored ones (or each other), listing them
	// Progress, when set, is called now and then while the file is read.
	Progress func(Progress)
}

// Progress is how far an import has read: Done of Total bytes of a CSV, or
// Done of Total rows of a workbook (Total 0 when not known).
type Progress struct {
	Rows        int
	Done, Total int64
}

// SheetCount is what an import took from one sheet of a workbook.
type SheetCount struct {
	Name    string
	Count   int
	Skipped string // why the sheet was not read; "" when it was
}

// ImportResult is what an import did.
type ImportResult struct {
	Count      int          // records read (and written, unless DryRun)
	Sheets     []SheetCount // a workbook's sheets, in order
	Totals     int          // totals rows («Итого», «Всего») skipped
	Guessed    int          // names and addresses split at a guessed place
	Restored   int          // INNs whose lost leading zero was restored
	Duplicates int          // entries skipped as duplicates (SkipDuplicates)
	Warnings   []string     // non-blocking problems, with their places
	Notes      []string     // what was skipped or guessed, with its place
}

// loc is where a row is: its sheet (XLSX) and row, or its CSV line.
type loc struct {
	sheet string
	line  int
}

func (l loc) String() string {
	if l.sheet != "" {
		return fmt.Sprintf("лист «%s», строка %d", l.sheet, l.line)
	}
	return fmt.Sprintf("строка %d", l.line)
}

// colRef names a column: by letter and heading in a workbook, by number
// and key in a CSV. i < 0 is no column.
type colRef struct {
	i      int
	name   string
	letter bool
}

var noCol = colRef{i: -1}

func (c colRef) String() string {
	if c.i < 0 {
		return ""
	}
	if c.letter {
		l, _ := excelize.ColumnNumberToName(c.i + 1)
		return fmt.Sprintf("столбец %s (%s)", l, c.name)
	}
	return fmt.Sprintf("столбец %d (%s)", c.i+1, c.name)
}

// errorList gathers row errors up to a limit.
type errorList struct {
	path  string
	msgs  []string
	count int
	hints []string // said once after the errors: what to do about many of them
}

// hint adds what to do about errors of one kind, once.
func (l *errorList) hint(h string) {
	if !slices.Contains(l.hints, h) {
		l.hints = append(l.hints, h)
	}
}

func (l *errorList) add(at loc, col colRef, msg, value string) {
	l.count++
	if len(l.msgs) >= maxErrorsShow {
		return
	}
	m := at.String()
	if c := col.String(); c != "" {
		m += ", " + c
	}
	m += ": " + msg
	if value != "" {
		if len(value) > 60 {
			value = value[:60] + "…"
		}
		m += fmt.Sprintf(", значение «%s»", strings.ToValidUTF8(value, "?"))
	}
	l.msgs = append(l.msgs, m)
}

func (l *errorList) err() error {
	if l.count == 0 {
		return nil
	}
	msg := fmt.Sprintf(
		"Файл %s не загружен (ничего не записано), ошибок: %d\n%s",
		l.path,
		l.count,
		strings.Join(l.msgs, "\n"),
	)
	if l.count > len(l.msgs) {
		msg += fmt.Sprintf("\nи ещё ошибок: %d", l.count-len(l.msgs))
	}
	for _, h := range l.hints {
		msg += "\n" + h
	}
	return store.Errorf(store.CodeInvalid, "%s", msg)
}

// header maps the data columns named in the header row to their positions.
type header struct {
	pos    map[string]int
	line   int
	letter bool // name columns by letter (a workbook)
}

// isDataHeader reports whether rec is the header row of a data file of the
// columns want: it names their first column (entered_on, reg_no), which
// the other kind of data file has not.
func isDataHeader(rec []string, want []string) bool {
	for _, v := range rec {
		if strings.ToLower(strings.TrimSpace(strings.TrimPrefix(v, "\ufeff"))) == want[0] {
			return true
		}
	}
	return false
}

// readHeader reads the header row of a CSV data file.
func readHeader(t table, path string, want []string) (*header, error) {
	rec, line, err := t.next()
	if err == io.EOF {
		return nil, store.Errorf(store.CodeInvalid, "Файл %s пуст: нет строки заголовков", path)
	}
	if err != nil {
		return nil, err
	}
	return parseHeader(rec, loc{line: line}, path, want, false)
}

// parseHeader maps the header row rec at at to the columns want.
func parseHeader(rec []string, at loc, path string, want []string, letter bool) (*header, error) {
	h := &header{pos: map[string]int{}, line: at.line, letter: letter}
	known := map[string]bool{"id": true}
	for _, k := range want {
		known[k] = true
	}
	var unknown, missing []string
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if name == "" && letter {
			continue // a workbook's empty cells beyond the table
		}
		if !known[name] {
			unknown = append(unknown, fmt.Sprintf("«%s» (%s)", name, colRef{i: i, name: name, letter: letter}))
			continue
		}
		h.pos[name] = i
	}
	for _, k := range want {
		if _, ok := h.pos[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(unknown) == 0 && len(missing) == 0 {
		return h, nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "нет столбцов: "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		if len(unknown) > 10 {
			unknown = append(unknown[:10], fmt.Sprintf("и ещё %d", len(unknown)-10))
		}
		parts = append(parts, "неизвестные столбцы: "+strings.Join(unknown, ", "))
	}
	return nil, store.Errorf(
		store.CodeInvalid,
		"Файл %s, %s (заголовки): %s. Нужны столбцы: %s",
		path,
		at,
		strings.Join(parts, "; "),
		strings.Join(want, ", "),
	)
}

func (h *header) get(rec []string, key string) string {
	i := h.pos[key]
	if i >= len(rec) {
		return ""
	}
	return rec[i]
}

// col names the column of key; noCol when the header has none.
func (h *header) col(key string) colRef {
	i, ok := h.pos[key]
	if !ok {
		return noCol
	}
	return colRef{i: i, name: key, letter: h.letter}
}

// parseRegisterRow reads one register data row; problems go to errs.
func parseRegisterRow(
	h *header,
	rec []string,
	at loc,
	today store.Date,
	errs *errorList,
) (store.RegisterEntry, string, bool) {
	var e store.RegisterEntry
	ok := true
	d, err := cellDate(h.get(rec, "entered_on"))
	if err != nil {
		errs.add(at, h.col("entered_on"), err.Error(), "")
		ok = false
	}
	e.EnteredOn = d
	e.Employer = store.Employer{
		Name:    h.get(rec, "employer_name"),
		Address: h.get(rec, "employer_address"),
		INN:     h.get(rec, "inn"),
		OGRN:    h.get(rec, "ogrn"),
		OKVED:   h.get(rec, "okved"),
	}
	e.SoutOrg = store.SoutOrg{Name: h.get(rec, "sout_org_name"), RegNo: h.get(rec, "sout_org_reg_no")}
	for c := 0; c < store.NumCols; c++ {
		for r := 0; r < store.NumRows; r++ {
			key := store.FieldKey(c, r)
			v := h.get(rec, key)
			n, err := cellCount(v)
			if err != nil {
				errs.add(at, h.col(key), "нужно целое число не меньше 0", strings.TrimSpace(v))
				ok = false
				continue
			}
			e.Grid[c][r] = n
		}
	}
	if !ok {
		return e, "", false
	}
	e.Normalize()
	for _, p := range e.Validate(today).Errors() {
		val := ""
		if i, has := h.pos[p.Field]; has && i < len(rec) {
			val = rec[i]
		}
		errs.add(at, h.col(p.Field), p.Message, val)
		ok = false
	}
	return e, strings.TrimSpace(h.get(rec, "journal_no")), ok
}

// ImportRegister loads register entries from a data file (CSV or XLSX, FORMS.md
// §5) or from registers kept in Excel in the form's own layout, every sheet
// of a workbook. It is all or nothing: nothing is left written if any row
// is wrong; an entry equal to a stored one, or to another row, is an error
// unless opt.SkipDuplicates.
func ImportRegister(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*ImportResult,
	error) {
	src, err := openSource(path)
	if err != nil {
		return nil, err
	}
	defer src.close()
	k, err := newRegisterSink(ctx, s, a, path, opt)
	if err != nil {
		return nil, err
	}
	if !src.isXLSX() {
		h, err := readHeader(src.csv, path, RegisterColumns)
		if err != nil {
			return nil, err
		}
		if err := k.readData(src.csv, h, "", src.csv.count, src.size); err != nil {
			return k.fail(err)
		}
		return k.finish()
	}
	read := 0
	k.total = src.rows
	for i, name := range src.sheets {
		t, err := src.sheet(i)
		if err != nil {
			return k.fail(err)
		}
		found, err := k.readSheet(t)
		t.close()
		if err != nil {
			return k.fail(err)
		}
		if found {
			read++
		} else {
			k.res.Sheets = append(k.res.Sheets, SheetCount{Name: name, Skipped: "не форма реестра и не таблица данных"})
		}
	}
	if read == 0 {
		return k.fail(
			store.Errorf(
				store.CodeInvalid,
				"Файл %s: ни на одном листе (%s) нет ни заголовков формы реестра (%s), ни столбцов данных реестра\nстолбцы "+
					"данных: %s",
				path,
				strings.Join(quoted(src.sheets), ", "),
				formHeadingsText,
				strings.Join(RegisterColumns, ", "),
			),
		)
	}
	return k.finish()
}

func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "«" + n + "»"
	}
	return out
}

// readSheet finds the layout of one sheet by its headings and reads it; it
// reports false when the sheet is neither layout.
func (k *registerSink) readSheet(t *xlsxTable) (bool, error) {
	for seen := 0; seen < formHeadingRows; {
		rec, line, err := t.next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if isBlank(rec) {
			continue
		}
		seen++
		at := loc{sheet: t.sheet, line: line}
		if isDataHeader(rec, RegisterColumns) {
			h, err := parseHeader(rec, at, t.path, RegisterColumns, true)
			if err != nil {
				return false, err
			}
			return true, k.readData(t, h, t.sheet, nil, 0)
		}
		if cols := findFormColumns(rec); cols != nil {
			return true, k.readForm(t, cols)
		}
	}
	return false, nil
}

// readData reads the rows of a data table after its header.
func (k *registerSink) readData(t table, h *header, sheet string, count *countingReader, size int64) error {
	xt, _ := t.(*xlsxTable)
	k.startSheet(sheet)
	err := eachRow(k.ctx, t, func(rec []string, line int) error {
		k.tick(count, size)
		if isBlank(rec) {
			return nil
		}
		at := loc{sheet: sheet, line: line}
		if xt != nil {
			for _, key := range []string{"inn", "ogrn", "okved"} {
				if i, ok := h.pos[key]; ok && i < len(rec) {
					rec[i] = k.identCell(xt, i, at, h.col(key), key, rec[i])
				}
			}
		}
		e, ref, ok := parseRegisterRow(h, rec, at, k.today, k.errs)
		if !ok {
			return nil
		}
		return k.add(e, ref, at, h.col("journal_no"), h.col("entered_on"))
	})
	if err != nil {
		return err
	}
	k.endSheet()
	return nil
}

// ImportJournal loads journal entries from a data file (CSV or XLSX, every
// sheet with the journal's data columns). Given registration numbers are
// kept (a number already used in its year is refused); rows without one
// are numbered. All or nothing.
func ImportJournal(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*ImportResult,
	error) {
	res := &ImportResult{}
	if err := journalPass(ctx, s, path, opt, res, nil); err != nil {
		return nil, err
	}
	if opt.DryRun {
		return res, nil
	}
	im, err := s.BeginImport(ctx, a, path)
	if err != nil {
		return nil, err
	}
	if err := journalPass(ctx, s, path, ImportOptions{Progress: opt.Progress}, &ImportResult{},
		im.AddJournal); err != nil {
		im.Abort()
		return nil, err
	}
	return res, im.Commit()
}

// journalPass reads the journal file once: checking only (write nil), or
// writing in chunks.
func journalPass(
	ctx context.Context,
	s *store.Store,
	path string,
	opt ImportOptions,
	res *ImportResult,
	write func([]store.JournalEntry) error,
) error {
	src, err := openSource(path)
	if err != nil {
		return err
	}
	defer src.close()
	jr := &journalReader{
		ctx:    ctx,
		s:      s,
		write:  write,
		today:  s.Today(),
		errs:   &errorList{path: path},
		seen:   map[string]loc{},
		res:    res,
		opt:    opt,
		ticker: ticker{progress: opt.Progress},
		size:   src.size,
	}
	if !src.isXLSX() {
		jr.count = src.csv.count
		h, err := readHeader(src.csv, path, JournalColumns)
		if err != nil {
			return err
		}
		if err := jr.read(src.csv, h, ""); err != nil {
			return err
		}
	} else {
		jr.total = src.rows
		if err := jr.readSheets(src); err != nil {
			return err
		}
	}
	if err := jr.errs.err(); err != nil {
		return err
	}
	if res.Count == 0 {
		return store.Errorf(store.CodeInvalid, "Файл %s: нет ни одной строки данных", path)
	}
	if write != nil && len(jr.chunk) > 0 {
		return write(jr.chunk)
	}
	return nil
}

// journalReader checks (and writes) journal rows.
type journalReader struct {
	ctx   context.Context
	s     *store.Store
	write func([]store.JournalEntry) error
	today store.Date
	errs  *errorList
	seen  map[string]loc
	chunk []store.JournalEntry
	res   *ImportResult
	opt   ImportOptions
	ticker
	count *countingReader // the CSV's bytes read, for the progress
	size  int64
}

// readSheets reads every sheet whose first row names the journal's data columns.
func (jr *journalReader) readSheets(src *source) error {
	read := 0
	for i, name := range src.sheets {
		t, err := src.sheet(i)
		if err != nil {
			return err
		}
		err = func() error {
			defer t.close()
			for {
				rec, line, err := t.next()
				if err != nil {
					if err == io.EOF {
						jr.res.Sheets = append(
							jr.res.Sheets,
							SheetCount{Name: name, Skipped: "нет столбцов данных журнала"},
						)
						return nil
					}
					return err
				}
				if isBlank(rec) {
					continue
				}
				if !isDataHeader(rec, JournalColumns) {
					jr.res.Sheets = append(
						jr.res.Sheets,
						SheetCount{Name: name, Skipped: "нет столбцов данных журнала"},
					)
					return nil
				}
				h, err := parseHeader(rec, loc{sheet: name, line: line}, src.path, JournalColumns, true)
				if err != nil {
					return err
				}
				read++
				return jr.read(t, h, name)
			}
		}()
		if err != nil {
			return err
		}
	}
	if read == 0 {
		return store.Errorf(
			store.CodeInvalid,
			"Файл %s: ни на одном листе нет столбцов данных журнала\nстолбцы данных: %s",
			src.path,
			strings.Join(JournalColumns, ", "),
		)
	}
	return nil
}

// read checks the rows of one journal table after its header.
func (jr *journalReader) read(t table, h *header, sheet string) error {
	before := jr.res.Count
	err := eachRow(jr.ctx, t, func(rec []string, line int) error {
		jr.tick(jr.count, jr.size)
		if isBlank(rec) {
			return nil
		}
		at := loc{sheet: sheet, line: line}
		j, ok := parseJournalRow(h, rec, at, jr.today, jr.errs)
		if !ok {
			return nil
		}
		if j.No > 0 {
			key := j.Ref()
			if prev, dup := jr.seen[key]; dup {
				jr.errs.add(
					at,
					h.col("reg_no"),
					fmt.Sprintf("номер %s уже встречался (%s)", key, prev),
					strconv.Itoa(j.No),
				)
				return nil
			}
			jr.seen[key] = at
			if jr.write == nil {
				if _, err := jr.s.JournalByNo(j.Year, j.No); err == nil {
					jr.errs.add(
						at,
						h.col("reg_no"),
						fmt.Sprintf("номер %s уже занят в журнале", key),
						strconv.Itoa(j.No),
					)
					return nil
				}
			}
		}
		jr.res.Count++
		if jr.write != nil {
			jr.chunk = append(jr.chunk, j)
			if len(jr.chunk) >= importChunk {
				if err := jr.write(jr.chunk); err != nil {
					return err
				}
				jr.chunk = jr.chunk[:0]
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sheet != "" {
		jr.res.Sheets = append(jr.res.Sheets, SheetCount{Name: sheet, Count: jr.res.Count - before})
	}
	return nil
}

func parseJournalRow(h *header, rec []string, at loc, today store.Date, errs *errorList) (store.JournalEntry, bool) {
	ok := true
	date := func(key string) store.Date {
		d, err := cellDate(h.get(rec, key))
		if err != nil {
			errs.add(at, h.col(key), err.Error(), "")
			ok = false
		}
		return d
	}
	j := store.JournalEntry{
		ReceivedOn: date(
			"received_on",
		), EmployerName: h.get(rec, "employer_name"), EmployerINN: h.get(rec, "employer_inn"),
		SoutOrgName: h.get(
			rec,
			"sout_org_name",
		), SoutOrgRegNo: h.get(rec, "sout_org_reg_no"), LetterDate: date("letter_date"),
		LetterNo: h.get(
			rec,
			"letter_no",
		), Notes: h.get(rec, "notes"), StatusReason: h.get(rec, "status_reason"), ReturnDeadline: date("return_deadline"),
	}
	if v := strings.TrimSpace(h.get(rec, "reg_no")); v != "" {
		n, err := cellCount(v)
		if err != nil || n <= 0 {
			errs.add(at, h.col("reg_no"), "нужно целое положительное число", v)
			ok = false
		}
		j.No, j.Year = n, j.ReceivedOn.Year()
	}
	st, err := store.ParseStatus(h.get(rec, "status"))
	if err != nil {
		errs.add(at, h.col("status"), err.Error(), "")
		ok = false
	}
	j.Status = st
	if !ok {
		return j, false
	}
	j.Normalize()
	for _, p := range j.Validate(today).Errors() {
		errs.add(at, h.col(p.Field), p.Message, "")
		ok = false
	}
	return j, ok
}

// Details returns the closing summary of an import beyond its count:
// entries per sheet, sheets skipped, totals rows skipped, splits guessed,
// INNs restored, duplicates skipped, warnings; "" when there is none.
func (r *ImportResult) Details() string {
	var parts, sheets []string
	for _, sh := range r.Sheets {
		if sh.Skipped != "" {
			sheets = append(sheets, fmt.Sprintf("лист «%s» пропущен: %s", sh.Name, sh.Skipped))
		} else {
			sheets = append(sheets, fmt.Sprintf("с листа «%s»: %d", sh.Name, sh.Count))
		}
	}
	if len(sheets) > 0 {
		parts = append(parts, strings.Join(sheets, ", "))
	}
	for _, c := range []struct {
		n    int
		what string
	}{{r.Totals, "строк итогов пропущено"}, {r.Guessed, "наименований, отделённых от адреса по запятой"},
		{r.Restored, "ИНН с восстановленным ведущим нулём"}, {r.Duplicates, "повторов пропущено"}, {len(r.Warnings),
			"предупреждений"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", c.what, c.n))
		}
	}
	return strings.Join(parts, "; ")
}
