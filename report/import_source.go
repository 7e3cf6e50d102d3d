package report

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"sout/store"
	"sout/store/safefile"
)

// table reads the rows of one sheet (or of a CSV file) in order; line is the
// file's line (CSV) or the sheet's row (XLSX). An XLSX table gives every row
// by position, empty ones too, so that the form layout can count rows.
type table interface {
	next() (rec []string, line int, err error)
}

// source is an opened data file: one CSV table, or the sheets of a workbook.
type source struct {
	path   string
	f      *os.File // CSV
	csv    *csvTable
	x      *excelize.File
	sheets []string
	small  bool   // every sheet is held in memory: cells may be read by name
	rows   int64  // the workbook's rows, estimated, for the progress
	tmp    string // excelize's temp folder, removed on close
	size   int64  // the file's size
}

// Limits of what an import reads; past them the file is refused.
const (
	maxLineBytes  = 1 << 20 // one CSV record, a quoted field over many lines included
	maxColumns    = 1000
	maxErrorsShow = 50
	importChunk   = 20000
	// maxUnzipped bounds what an XLSX may unpack to: a Register form of
	// 200,000 entries (1,000,000 rows) takes about half of it.
	maxUnzipped = 1 << 30
	// inMemorySheet is the largest sheet XML excelize keeps in memory; a
	// larger one goes to a file in the import's own temp folder.
	inMemorySheet = 64 << 20
	// displaySheet is the largest sheet XML whose cells are read by name to
	// see them as displayed (excelize then holds the parsed sheet).
	displaySheet = 16 << 20
)

// openSource opens path as CSV (UTF-8 with or without BOM, or Windows-1251;
// comma or semicolon) or XLSX, by content.
func openSource(path string) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, store.Errorf(store.CodeInvalid, "Не удалось открыть файл %s: %s", path, openFailure(err))
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
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
	src := &source{path: path, f: f}
	if st != nil {
		src.size = st.Size()
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		f.Close()
		src.f = nil
		return src, src.openXLSX()
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	t, err := newCSVTable(f, head, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	src.csv = t
	return src, nil
}

// isXLSX reports whether the source is a workbook.
func (src *source) isXLSX() bool { return src.x != nil }

// close releases the file and removes excelize's temp folder.
func (src *source) close() {
	if src.f != nil {
		src.f.Close()
	}
	if src.x != nil {
		src.x.Close()
	}
	if src.tmp != "" {
		os.RemoveAll(src.tmp)
	}
}

// openFailure says in Russian why a file did not open.
func openFailure(err error) string { return safefile.ReadReason(err) }

// --- CSV ---

// csvEncoding decides how the CSV's bytes are text: UTF-8 (BOM or valid
// UTF-8) or Windows-1251; anything else is refused, never guessed into
// garbage. It returns whether the file is UTF-8 and whether it had a BOM.
func csvEncoding(head []byte, whole bool, path string) (utf, bom bool, err error) {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || looksUTF16(head) {
		return false, false, wrongEncoding(path, "UTF-16")
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false, false, store.Errorf(
			store.CodeInvalid,
			"Файл %s — не CSV и не XLSX: в нём двоичные данные (байт NUL)",
			path,
		)
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		return true, true, nil
	}
	check := head
	if !whole { // a multi-byte rune cut at the end of the sample is fine
		for i := 0; i < 3 && len(check) > 0 && !utf8.Valid(check); i++ {
			check = check[:len(check)-1]
		}
	}
	if utf8.Valid(check) {
		return true, false, nil
	}
	if name := cyrillicEncoding(head); name != "Windows-1251" {
		return false, false, wrongEncoding(path, name)
	}
	return false, false, nil
}

func wrongEncoding(path, name string) error {
	return store.Errorf(
		store.CodeInvalid,
		"Файл %s не в кодировке UTF-8 или Windows-1251 (похоже на %s): сохраните его как CSV UTF-8",
		path,
		name,
	)
}

// looksUTF16 reports whether NUL bytes fill every other byte of the sample,
// as in UTF-16 text without a BOM.
func looksUTF16(b []byte) bool {
	var nul [2]int
	for i, c := range b {
		if c == 0 {
			nul[i%2]++
		}
	}
	half := len(b) / 2
	return half >= 4 && (nul[0] > half*2/5 && nul[1] < half/20 || nul[1] > half*2/5 && nul[0] < half/20)
}

// newCSVTable reads f (whose first bytes are head) as CSV.
func newCSVTable(f *os.File, head []byte, path string) (*csvTable, error) {
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Lines ended by CR alone (old Excel for Mac): read them as lines.
		r = crLines{r}
		head = bytes.ReplaceAll(head, []byte("\r"), []byte("\n"))
	}
	st, _ := f.Stat()
	whole := st != nil && st.Size() == int64(len(head))
	utf, bom, err := csvEncoding(head, whole, path)
	if err != nil {
		return nil, err
	}
	body := head
	if bom {
		body = head[3:]
		io.CopyN(io.Discard, r, 3)
	}
	if !utf {
		r = charmap.Windows1251.NewDecoder().Reader(r)
		body, _ = charmap.Windows1251.NewDecoder().Bytes(body)
	}
	first, _, _ := bytes.Cut(body, []byte("\n"))
	cnt := &countingReader{r: r}
	lr := &lineLimit{r: cnt, max: maxLineBytes, utf: utf, line: 1, start: 1}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	// The --excel flavour (BOM and ';') protected text from running as a
	// formula with a leading «'»; it comes off again here.
	return &csvTable{cr: cr, lr: lr, path: path, count: cnt, excel: bom && cr.Comma == ';'}, nil
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
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

// lineLimit refuses records longer than max bytes (a quoted field running
// over many lines counts as one record), invalid UTF-8 and NUL bytes,
// counting lines for messages.
type lineLimit struct {
	r      io.Reader
	max    int
	cur    int
	line   int
	start  int  // the line the current record began on
	quoted bool // inside a quoted field
	utf    bool
	err    error
	tail   []byte // an incomplete rune carried to the next read
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		switch p[i] {
		case '"':
			l.quoted = !l.quoted // "" inside a quoted field toggles twice
		case '\n':
			l.line++
			if !l.quoted {
				l.cur, l.start = 0, l.line
				continue
			}
		case 0:
			l.err = fmt.Errorf("строка %d: байт NUL — файл повреждён или двоичный", l.line)
			return i, l.err
		}
		l.cur++
		if l.cur > l.max {
			if l.start < l.line {
				l.err = fmt.Errorf(
					"строка %d: поле в кавычках занимает больше %d МиБ (до строки %d) — не закрыта кавычка?",
					l.start,
					l.max>>20,
					l.line,
				)
			} else {
				l.err = fmt.Errorf("строка %d длиннее %d МиБ — это не таблица данных", l.line, l.max>>20)
			}
			return i, l.err
		}
	}
	if l.utf && n > 0 {
		if e := l.checkUTF8(p[:n], err == io.EOF); e != nil {
			l.err = e
			return 0, e
		}
	}
	return n, err
}

// checkUTF8 checks that the bytes read so far are UTF-8, carrying a rune
// cut at the end of chunk to the next read.
func (l *lineLimit) checkUTF8(p []byte, eof bool) error {
	chunk := append(l.tail, p...)
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
		return fmt.Errorf("строка %d: недопустимая последовательность байтов UTF-8", line)
	}
	l.tail = append(l.tail[:0], chunk[cut:]...)
	if eof && len(l.tail) > 0 {
		return fmt.Errorf("строка %d: недопустимая последовательность байтов UTF-8 в конце файла", l.line)
	}
	return nil
}

// csvTable is a CSV file read record by record.
type csvTable struct {
	cr    *csv.Reader
	lr    *lineLimit
	count *countingReader
	path  string
	excel bool // the --excel flavour: «'» protection to remove
}

func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, t.lr.line, t.readError(err)
	}
	// FieldPos panics unless the record was read whole.
	line, _ := t.cr.FieldPos(0)
	if len(rec) > maxColumns {
		return nil, line, store.Errorf(
			store.CodeInvalid,
			"%s: строка %d: %d столбцов — больше допустимых %d",
			t.path,
			line,
			len(rec),
			maxColumns,
		)
	}
	if t.excel {
		for i, v := range rec {
			rec[i] = FromExcelText(v)
		}
	}
	return rec, line, nil
}

// readError says in Russian why the CSV stopped reading.
func (t *csvTable) readError(err error) error {
	if t.lr.err != nil {
		return store.Errorf(store.CodeInvalid, "%s: %v", t.path, t.lr.err)
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
		return store.Errorf(store.CodeInvalid, "%s: строка %d: %s", t.path, pe.Line, what)
	}
	return store.Errorf(
		store.CodeInvalid,
		"%s: после строки %d файл не читается (ошибка ввода-вывода)",
		t.path,
		t.lr.line,
	)
}

// --- XLSX ---

// tempPrefix names excelize's temp folders: sout-xlsx-PID-…, so that the
// folder of a killed import can be told from one in use.
const tempPrefix = "sout-xlsx-"

// openXLSX checks the archive's unpacked sizes before anything is unpacked,
// removes the temp folders of killed imports, and opens the workbook with
// large sheets unpacked into a temp folder of its own.
func (src *source) openXLSX() error {
	refuse := func(why string) error {
		return store.Errorf(store.CodeInvalid, "Файл %s не читается как XLSX: %s", src.path, why)
	}
	zr, err := zip.OpenReader(src.path)
	if err != nil {
		return refuse("архив повреждён или это не книга Excel")
	}
	var total uint64
	src.small = true
	for _, f := range zr.File {
		// archive/zip refuses an entry that inflates past its declared
		// size, so the declared sizes bound what unpacking can take.
		total += f.UncompressedSize64
		if strings.HasPrefix(strings.ToLower(f.Name), "xl/worksheets/sheet") {
			src.small = src.small && f.UncompressedSize64 <= displaySheet
		}
	}
	if total > maxUnzipped {
		zr.Close()
		return refuse(fmt.Sprintf("распакованный он занял бы больше %d ГиБ (так устроены zip-бомбы)", maxUnzipped>>30))
	}
	src.rows = estimateRows(zr.File)
	zr.Close()
	removeStaleTemp()
	if src.tmp, err = os.MkdirTemp("", tempPrefix+strconv.Itoa(os.Getpid())+"-"); err != nil {
		return fmt.Errorf("xlsx temp folder: %w", err)
	}
	x, err := excelize.OpenFile(
		src.path,
		excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: inMemorySheet, TmpDir: src.tmp},
	)
	if err != nil {
		os.RemoveAll(src.tmp)
		src.tmp = ""
		return refuse("архив повреждён или это не книга Excel")
	}
	src.x = x
	src.sheets = x.GetSheetList()
	return nil
}

// estimateRows estimates the rows of a workbook's sheets from the size of
// their XML and the rows in its first mebibyte (a sheet's "dimension" is
// not to be trusted: writers leave it A1).
func estimateRows(files []*zip.File) int64 {
	var n int64
	for _, f := range files {
		if !strings.HasPrefix(strings.ToLower(f.Name), "xl/worksheets/sheet") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		head, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if rows := int64(bytes.Count(head, []byte("<row"))); rows > 0 {
			n += rows * int64(f.UncompressedSize64) / int64(len(head))
		}
	}
	return n
}

// removeStaleTemp removes the temp folders left by imports that were killed:
// those whose process is gone.
func removeStaleTemp() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, d := range dirs {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), tempPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil && p.Signal(syscall.Signal(0)) == nil {
			continue // still running
		}
		os.RemoveAll(d)
	}
}

// xlsxTable is one sheet of a workbook read row by row.
type xlsxTable struct {
	x     *excelize.File
	rows  *excelize.Rows
	sheet string
	line  int
	path  string
	small bool // see source.small
}

// sheet opens sheet i of the workbook.
func (src *source) sheet(i int) (*xlsxTable, error) {
	name := src.sheets[i]
	rows, err := src.x.Rows(name)
	if err != nil {
		return nil, store.Errorf(store.CodeInvalid, "Файл %s: лист «%s» не читается", src.path, name)
	}
	return &xlsxTable{x: src.x, rows: rows, sheet: name, path: src.path, small: src.small}, nil
}

// next returns the next row by position, an empty one too.
func (t *xlsxTable) next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, t.line, store.Errorf(
				store.CodeInvalid,
				"%s: лист «%s»: после строки %d лист не читается (разметка XML повреждена)",
				t.path,
				t.sheet,
				t.line,
			)
		}
		return nil, 0, io.EOF
	}
	t.line++
	rec, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, t.line, store.Errorf(
			store.CodeInvalid,
			"%s: лист «%s», строка %d не читается (разметка XML повреждена)",
			t.path,
			t.sheet,
			t.line,
		)
	}
	if len(rec) > maxColumns {
		return nil, t.line, store.Errorf(
			store.CodeInvalid,
			"%s: лист «%s», строка %d: %d столбцов — больше допустимых %d",
			t.path,
			t.sheet,
			t.line,
			len(rec),
			maxColumns,
		)
	}
	return rec, t.line, nil
}

// display returns the cell as the spreadsheet shows it (its number format
// applied: 86.1 formatted 0.00 shows 86.10), or raw when the sheet is too
// large to be read by cell.
func (t *xlsxTable) display(col, line int, raw string) string {
	if !t.small {
		return raw
	}
	cell, err := excelize.CoordinatesToCellName(col+1, line)
	if err != nil {
		return raw
	}
	v, err := t.x.GetCellValue(t.sheet, cell)
	if err != nil {
		return raw
	}
	return strings.TrimSpace(v)
}

func (t *xlsxTable) close() { t.rows.Close() }

// eachRow calls fn for every further row of t.
func eachRow(ctx context.Context, t table, fn func(rec []string, line int) error) error {
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, line, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// isBlank reports whether a row holds nothing but spaces.
func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
