package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"sout/store"
)

// ImportOptions control an import.
type ImportOptions struct {
	DryRun bool // check the whole file, write nothing
}

// ImportResult is what an import did.
type ImportResult struct {
	Count    int      // records read (and written, unless DryRun)
	Warnings []string // non-blocking problems, with their lines
}

// Limits of what an import reads; past them the file is refused.
const (
	maxLineBytes  = 1 << 20 // one CSV line
	maxColumns    = 1000
	maxErrorsShow = 50
	importChunk   = 20000
)

// table reads the rows of a data file one by one; line is the file's line (CSV) or row (XLSX).
type table interface {
	next() (rec []string, line int, err error)
	close()
}

// ctxTable is a table that fails with ctx's error once ctx has ended.
type ctxTable struct {
	table
	ctx context.Context
	n   int
}

func (t *ctxTable) next() ([]string, int, error) {
	if t.n++; t.n%1024 == 0 {
		if err := t.ctx.Err(); err != nil {
			return nil, 0, err
		}
	}
	return t.table.next()
}

// openTable opens path as CSV (UTF-8 with or without BOM, or Windows-1251;
// comma or semicolon) or XLSX, by content.
func openTable(path string) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, store.Errorf(store.CodeInvalid, "Не удалось открыть файл %s: %s", path, openFailure(err))
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, store.Errorf(store.CodeInvalid, "%s — это папка, а не файл", path)
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if n == 0 {
		f.Close()
		return nil, store.Errorf(store.CodeInvalid, "Файл %s пуст", path)
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		f.Close()
		return openXLSXTable(path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	if bytes.IndexByte(head, 0) >= 0 {
		f.Close()
		return nil, store.Errorf(store.CodeInvalid, "Файл %s — не CSV и не XLSX: в нём двоичные данные (байт NUL)", path)
	}
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Lines ended by CR alone (old Excel for Mac): read them as lines.
		r = crLines{r}
		head = bytes.ReplaceAll(head, []byte("\r"), []byte("\n"))
	}
	body := bytes.TrimPrefix(head, []byte("\ufeff"))
	utf := true
	if len(body) == len(head) { // no BOM: UTF-8 if the start is valid UTF-8, else Windows-1251
		check := body
		if n == len(head) && len(check) > 4 { // a cut multi-byte rune at the end is fine
			for i := 0; i < 4 && !utf8.Valid(check); i++ {
				check = check[:len(check)-1]
			}
		}
		utf = utf8.Valid(check)
	} else {
		io.CopyN(io.Discard, r, 3) // the BOM
	}
	if !utf {
		r = charmap.Windows1251.NewDecoder().Reader(r)
		body, _ = charmap.Windows1251.NewDecoder().Bytes(body)
	}
	first, _, _ := bytes.Cut(body, []byte("\n"))
	lr := &lineLimit{r: r, max: maxLineBytes, utf: utf, line: 1}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	return &csvTable{f: f, cr: cr, lr: lr, path: path}, nil
}

// openFailure says in Russian why a file did not open.
func openFailure(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "такого файла нет"
	case errors.Is(err, fs.ErrPermission):
		return "нет прав на чтение"
	}
	return "ошибка ввода-вывода"
}

// crLines reads a file whose lines end in CR alone as lines ending in LF.
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// lineLimit refuses lines longer than max bytes, invalid UTF-8 and NUL bytes,
// counting lines for messages.
type lineLimit struct {
	r    io.Reader
	max  int
	cur  int
	line int
	utf  bool
	err  error
	tail []byte // an incomplete rune carried to the next read
}

var errLineTooLong = errors.New("line too long")

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		switch p[i] {
		case '\n':
			l.cur = 0
			l.line++
			continue
		case 0:
			l.err = fmt.Errorf("строка %d: байт NUL — файл повреждён или двоичный", l.line)
			return i, l.err
		}
		l.cur++
		if l.cur > l.max {
			l.err = fmt.Errorf("строка %d длиннее %d МиБ — это не таблица данных", l.line, l.max>>20)
			return i, l.err
		}
	}
	if l.utf && n > 0 {
		chunk := append(l.tail, p[:n]...)
		cut := len(chunk)
		for k := 0; k < 3 && cut > 0 && !utf8.Valid(chunk[:cut]); k++ {
			cut--
		}
		if !utf8.Valid(chunk[:cut]) {
			// The lines of the whole chunk are counted already: step back
			// over those after the bad byte.
			bad := 0
			for bad < cut {
				r, size := utf8.DecodeRune(chunk[bad:])
				if r == utf8.RuneError && size <= 1 {
					break
				}
				bad += size
			}
			line := l.line - bytes.Count(chunk[bad:], []byte("\n"))
			l.err = fmt.Errorf("строка %d: недопустимая последовательность байтов UTF-8", line)
			return 0, l.err
		}
		l.tail = append(l.tail[:0], chunk[cut:]...)
		if err == io.EOF && len(l.tail) > 0 {
			l.err = fmt.Errorf("строка %d: недопустимая последовательность байтов UTF-8 в конце файла", l.line)
			return 0, l.err
		}
	}
	return n, err
}

type csvTable struct {
	f    *os.File
	cr   *csv.Reader
	lr   *lineLimit
	path string
}

func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	line := 0
	if err == nil {
		// FieldPos panics unless the record was read whole.
		line, _ = t.cr.FieldPos(0)
	}
	if err != nil {
		if t.lr.err != nil {
			return nil, t.lr.line, store.Errorf(store.CodeInvalid, "%s: %v", t.path, t.lr.err)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			what := "ошибка разметки CSV"
			switch {
			case errors.Is(pe.Err, csv.ErrBareQuote):
				what = "кавычка внутри поля, не заключённого в кавычки"
			case errors.Is(pe.Err, csv.ErrQuote):
				what = "незакрытая или лишняя кавычка"
			}
			return nil, pe.Line, store.Errorf(store.CodeInvalid, "%s: строка %d: %s", t.path, pe.Line, what)
		}
		return nil, line, store.Errorf(store.CodeInvalid, "%s: после строки %d файл не читается (ошибка ввода-вывода)", t.path, t.lr.line)
	}
	if len(rec) > maxColumns {
		return nil, line, store.Errorf(store.CodeInvalid, "%s: строка %d: %d столбцов — больше допустимых %d", t.path, line, len(rec), maxColumns)
	}
	return rec, line, nil
}

func (t *csvTable) close() { t.f.Close() }

type xlsxTable struct {
	x    *excelize.File
	rows *excelize.Rows
	line int
	path string
}

func openXLSXTable(path string) (table, error) {
	x, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		why := "архив повреждён или это не книга Excel"
		// excelize exports no error value for this one; its text is all there is.
		if strings.Contains(err.Error(), "unzip size exceeds") {
			why = fmt.Sprintf("распакованный он занял бы больше %d ГиБ (так устроены zip-бомбы)", maxUnzipped>>30)
		}
		return nil, store.Errorf(store.CodeInvalid, "Файл %s не читается как XLSX: %s", path, why)
	}
	rows, err := x.Rows(x.GetSheetName(0))
	if err != nil {
		x.Close()
		return nil, store.Errorf(store.CodeInvalid, "Файл %s: первый лист книги не читается", path)
	}
	return &xlsxTable{x: x, rows: rows, path: path}, nil
}

// maxUnzipped bounds what an XLSX may unpack to: a Register form of
// 200,000 entries (1,000,000 rows) takes about half of it.
const maxUnzipped = 1 << 30

// next returns the next row that is not empty. Empty rows are skipped
// wherever they are: a sheet has at most 1,048,576 rows, so even a sheet
// of empty rows is read through in bounded time.
func (t *xlsxTable) next() ([]string, int, error) {
	for t.rows.Next() {
		t.line++
		rec, err := t.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, t.line, store.Errorf(store.CodeInvalid, "%s: строка %d не читается (разметка XML повреждена)", t.path, t.line)
		}
		if len(rec) > maxColumns {
			return nil, t.line, store.Errorf(store.CodeInvalid, "%s: строка %d: %d столбцов — больше допустимых %d", t.path, t.line, len(rec), maxColumns)
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		return rec, t.line, nil
	}
	if err := t.rows.Error(); err != nil {
		return nil, t.line, store.Errorf(store.CodeInvalid, "%s: после строки %d лист не читается (разметка XML повреждена)", t.path, t.line)
	}
	return nil, 0, io.EOF
}

func (t *xlsxTable) close() { t.rows.Close(); t.x.Close() }

// errorList gathers row errors up to a limit.
type errorList struct {
	path  string
	msgs  []string
	count int
}

func (l *errorList) add(line int, col int, key, msg, value string) {
	l.count++
	if len(l.msgs) >= maxErrorsShow {
		return
	}
	where := fmt.Sprintf("строка %d", line)
	if col > 0 {
		where += fmt.Sprintf(", столбец %d (%s)", col, key)
	}
	m := where + ": " + msg
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
	msg := fmt.Sprintf("Файл %s не загружен (ничего не записано), ошибок: %d\n%s", l.path, l.count, strings.Join(l.msgs, "\n"))
	if l.count > len(l.msgs) {
		msg += fmt.Sprintf("\nи ещё ошибок: %d", l.count-len(l.msgs))
	}
	return store.Errorf(store.CodeInvalid, "%s", msg)
}

// header maps the data columns named in the first row to their positions.
type header struct {
	pos  map[string]int
	line int
}

func readHeader(t table, path string, want []string) (*header, error) {
	rec, line, err := t.next()
	if err == io.EOF {
		return nil, store.Errorf(store.CodeInvalid, "Файл %s пуст: нет строки заголовков", path)
	}
	if err != nil {
		return nil, err
	}
	h := &header{pos: map[string]int{}, line: line}
	known := map[string]bool{"id": true}
	for _, k := range want {
		known[k] = true
	}
	var unknown, missing []string
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !known[name] {
			unknown = append(unknown, fmt.Sprintf("«%s» (столбец %d)", name, i+1))
			continue
		}
		h.pos[name] = i
	}
	for _, k := range want {
		if _, ok := h.pos[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(unknown) > 0 || len(missing) > 0 {
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
		return nil, store.Errorf(store.CodeInvalid, "Файл %s, строка %d (заголовки): %s. Нужны столбцы: %s", path, line, strings.Join(parts, "; "), strings.Join(want, ", "))
	}
	return h, nil
}

func (h *header) get(rec []string, key string) string {
	i := h.pos[key]
	if i >= len(rec) {
		return ""
	}
	return rec[i]
}

func (h *header) col(key string) int { return h.pos[key] + 1 }

// parseRegisterRow reads one register data row; problems go to errs.
func parseRegisterRow(h *header, rec []string, line int, today store.Date, errs *errorList) (store.RegisterEntry, string, bool) {
	var e store.RegisterEntry
	ok := true
	d, err := store.ParseDate(h.get(rec, "entered_on"))
	if err != nil {
		errs.add(line, h.col("entered_on"), "entered_on", err.Error(), "")
		ok = false
	}
	e.EnteredOn = d
	e.Employer = store.Employer{Name: h.get(rec, "employer_name"), Address: h.get(rec, "employer_address"), INN: h.get(rec, "inn"), OGRN: h.get(rec, "ogrn"), OKVED: h.get(rec, "okved")}
	e.SoutOrg = store.SoutOrg{Name: h.get(rec, "sout_org_name"), RegNo: h.get(rec, "sout_org_reg_no")}
	for c := 0; c < store.NumCols; c++ {
		for r := 0; r < store.NumRows; r++ {
			key := store.FieldKey(c, r)
			v := strings.TrimSpace(h.get(rec, key))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				errs.add(line, h.col(key), key, "нужно целое число не меньше 0", v)
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
		col := 0
		if _, has := h.pos[p.Field]; has {
			col = h.col(p.Field)
		}
		errs.add(line, col, p.Field, p.Message, val)
		ok = false
	}
	return e, strings.TrimSpace(h.get(rec, "journal_no")), ok
}

// ImportRegister loads register entries from a data file (CSV or XLSX, FORMS.md
// §5) or from a register kept in Excel in the form's own layout. It is all or
// nothing: nothing is left written if any row is wrong, or once ctx ends.
func ImportRegister(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*ImportResult, error) {
	if isForm, err := isRegisterForm(path); err != nil {
		return nil, err
	} else if isForm {
		return importRegisterForm(ctx, s, a, path, opt)
	}
	today := s.Today()
	res := &ImportResult{}
	journals := map[string]uint64{}
	resolve := func(ref string, d store.Date) (uint64, error) {
		if ref == "" {
			return 0, nil
		}
		if id, ok := journals[ref]; ok {
			return id, nil
		}
		y, no, err := store.ParseJournalRef(ref, d.Year())
		if err != nil {
			return 0, err
		}
		j, err := s.JournalByNo(y, no)
		if err != nil {
			return 0, errors.New(store.ErrorMessage(err))
		}
		if len(journals) == 10000 {
			clear(journals) // a cache, not a copy of the journal: memory stays flat
		}
		journals[ref] = j.ID
		return j.ID, nil
	}
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	defer t.close()
	t = &ctxTable{table: t, ctx: ctx}
	h, err := readHeader(t, path, RegisterColumns)
	if err != nil {
		return nil, err
	}
	// One pass: rows are checked and written in chunks as they are read.
	// The import begins with the first full chunk, so a file that fails
	// early never touches the database; once a row fails, nothing more is
	// written, the rest is still checked for the report, and the chunks
	// written so far are rolled back: all or nothing.
	//
	// A full chunk is written (checked and committed, a synced transaction)
	// while the next one is read: two buffers, at most one write under way.
	var im *store.Import
	chunk, spare := make([]store.RegisterEntry, 0, importChunk), make([]store.RegisterEntry, 0, importChunk)
	var writing chan error // the write under way, if any
	wait := func() error {
		if writing == nil {
			return nil
		}
		err := <-writing
		writing = nil
		return err
	}
	write := func() error {
		if err := wait(); err != nil || len(chunk) == 0 {
			return err
		}
		if im == nil {
			var err error
			if im, err = s.BeginImport(ctx, a, path); err != nil {
				return err
			}
		}
		full, done := chunk, make(chan error, 1)
		chunk, spare, writing = spare[:0], full, done
		go func() { done <- im.AddRegister(full) }()
		return nil
	}
	fail := func(err error) (*ImportResult, error) {
		wait()
		if im != nil {
			im.Abort()
		}
		return nil, err
	}
	errs := &errorList{path: path}
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		e, ref, ok := parseRegisterRow(h, rec, line, today, errs)
		if !ok {
			continue
		}
		id, err := resolve(ref, e.EnteredOn)
		if err != nil {
			errs.add(line, h.col("journal_no"), "journal_no", err.Error(), ref)
			continue
		}
		e.JournalID = id
		res.Count++
		if errs.count > 0 || opt.DryRun {
			continue
		}
		chunk = append(chunk, e)
		if len(chunk) == importChunk {
			if err := write(); err != nil {
				return fail(err)
			}
		}
	}
	if err := errs.err(); err != nil {
		return fail(err)
	}
	if res.Count == 0 {
		return fail(store.Errorf(store.CodeInvalid, "Файл %s: нет ни одной строки данных", path))
	}
	if opt.DryRun {
		return res, nil
	}
	if err := write(); err != nil {
		return fail(err)
	}
	if err := wait(); err != nil {
		return fail(err)
	}
	return res, im.Commit()
}

// ImportJournal loads journal entries from a data file (CSV or XLSX). Given
// registration numbers are kept (a number already used in its year is
// refused); rows without one are numbered. All or nothing; nothing once ctx ends.
func ImportJournal(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*ImportResult, error) {
	today := s.Today()
	res := &ImportResult{}
	var chunk []store.JournalEntry
	pass := func(write func([]store.JournalEntry) error) error {
		t, err := openTable(path)
		if err != nil {
			return err
		}
		defer t.close()
		t = &ctxTable{table: t, ctx: ctx}
		h, err := readHeader(t, path, JournalColumns)
		if err != nil {
			return err
		}
		errs := &errorList{path: path}
		seen := map[string]int{}
		res.Count = 0
		for {
			rec, line, err := t.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			j, ok := parseJournalRow(h, rec, line, today, errs)
			if !ok {
				continue
			}
			if j.No > 0 {
				key := j.Ref()
				if prev, dup := seen[key]; dup {
					errs.add(line, h.col("reg_no"), "reg_no", fmt.Sprintf("номер %s уже встречался в строке %d", key, prev), strconv.Itoa(j.No))
					continue
				}
				seen[key] = line
				if write == nil {
					if _, err := s.JournalByNo(j.Year, j.No); err == nil {
						errs.add(line, h.col("reg_no"), "reg_no", fmt.Sprintf("номер %s уже занят в журнале", key), strconv.Itoa(j.No))
						continue
					}
				}
			}
			res.Count++
			if write != nil {
				chunk = append(chunk, j)
				if len(chunk) >= importChunk {
					if err := write(chunk); err != nil {
						return err
					}
					chunk = chunk[:0]
				}
			}
		}
		if err := errs.err(); err != nil {
			return err
		}
		if res.Count == 0 {
			return store.Errorf(store.CodeInvalid, "Файл %s: нет ни одной строки данных", path)
		}
		if write != nil && len(chunk) > 0 {
			return write(chunk)
		}
		return nil
	}
	if err := pass(nil); err != nil {
		return nil, err
	}
	if opt.DryRun {
		return res, nil
	}
	im, err := s.BeginImport(ctx, a, path)
	if err != nil {
		return nil, err
	}
	if err := pass(im.AddJournal); err != nil {
		im.Abort()
		return nil, err
	}
	return res, im.Commit()
}

func parseJournalRow(h *header, rec []string, line int, today store.Date, errs *errorList) (store.JournalEntry, bool) {
	ok := true
	date := func(key string) store.Date {
		d, err := store.ParseDate(h.get(rec, key))
		if err != nil {
			errs.add(line, h.col(key), key, err.Error(), "")
			ok = false
		}
		return d
	}
	j := store.JournalEntry{
		ReceivedOn: date("received_on"), EmployerName: h.get(rec, "employer_name"), EmployerINN: h.get(rec, "employer_inn"),
		SoutOrgName: h.get(rec, "sout_org_name"), SoutOrgRegNo: h.get(rec, "sout_org_reg_no"), LetterDate: date("letter_date"),
		LetterNo: h.get(rec, "letter_no"), Notes: h.get(rec, "notes"), StatusReason: h.get(rec, "status_reason"), ReturnDeadline: date("return_deadline"),
	}
	if v := strings.TrimSpace(h.get(rec, "reg_no")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs.add(line, h.col("reg_no"), "reg_no", "нужно целое положительное число", v)
			ok = false
		}
		j.No, j.Year = n, j.ReceivedOn.Year()
	}
	st, err := store.ParseStatus(h.get(rec, "status"))
	if err != nil {
		errs.add(line, h.col("status"), "status", err.Error(), "")
		ok = false
	}
	j.Status = st
	if !ok {
		return j, false
	}
	j.Normalize()
	for _, p := range j.Validate(today).Errors() {
		col := 0
		if _, has := h.pos[p.Field]; has {
			col = h.col(p.Field)
		}
		errs.add(line, col, p.Field, p.Message, "")
		ok = false
	}
	return j, ok
}
