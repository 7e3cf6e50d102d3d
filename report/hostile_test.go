package report_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sout/report"
	"sout/store"
)

// hostileFile is one file of TestImport_HostileFiles: its name, its bytes,
// and a part of the message that refuses it.
type hostileFile struct {
	name string
	file string
	data func(t *testing.T) []byte
	want string
}

// TestImport_HostileFiles feeds the register import every bad input of the
// foundation issue and the hostile files of the hardening one. Each must
// end in a Russian message that names what is wrong (and where), within
// bounded time and memory, with nothing left written and the file sound.
func TestImport_HostileFiles(t *testing.T) {
	for _, tt := range hostileFiles() {
		t.Run(tt.name, func(t *testing.T) { checkHostileFile(t, tt) })
	}
}

// hostileFiles are the files TestImport_HostileFiles imports.
func hostileFiles() []hostileFile {
	wide := strings.Repeat("x,", 100000) + "x\n"
	good := func(n int) [][]string {
		rows := make([][]string, n)
		for i := range rows {
			rows[i] = goodRow(map[string]string{"total_wp": strconv.Itoa(20 + i)}) // distinct: not duplicates
		}
		return rows
	}
	return []hostileFile{
		// The bad input of the foundation issue.
		{"empty file", "in.csv", bytesOf(nil), "пуст"},
		{"binary file", "in.csv", bytesOf(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00"), make([]byte, 100)...)),
			"двоичные данные"},
		{"NUL near the start", "in.csv", bytesOf(append(csvFile(goodRow(nil)), []byte("2026-03-15,ООО\x00,x\n")...)),
			"двоичные данные (байт NUL)"},
		{"NUL after a chunk was written", "in.csv", func(*testing.T) []byte {
			return append(csvFile(good(30000)...), []byte("2026-03-15,ООО\x00,x\n")...)
		}, "строка 30002: байт NUL"},
		{"a 50 MB line", "in.csv", bytesOf(append(csvFile(goodRow(nil)), bytes.Repeat([]byte("a"), 50<<20)...)),
			"строка 3 длиннее 1 МиБ"},
		{"a quoted field running over many lines", "in.csv",
			bytesOf(append(append(csvFile(goodRow(nil)), []byte("2026-03-15,\"")...),
				bytes.Repeat([]byte("строка без конца\n"), 200000)...)),
			"строка 3: поле в кавычках занимает больше 1 МиБ (до строки 33827)"},
		{"invalid UTF-8", "in.csv", bytesOf(append([]byte("\ufeff"),
			csvFile(goodRow(map[string]string{"employer_name": "ООО \xff\xfe"}))...)),
			"строка 2: недопустимая последовательность байтов UTF-8"},
		{"inn check digit", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"inn": "7707083894"}))),
			"строка 2, столбец 4 (inn): ИНН 7707083894: неверное контрольное число"},
		{"okved class that does not exist", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"okved": "40.10"}))),
			"старого ОКВЭД"},
		{"classes not adding up", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"c2_workers": "7"}))),
			"Сумма классов по работникам 11 ≠ 12 в графе СОУТ"},
		{"women above workers", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"total_women": "31"}))),
			"Женщин (31) больше, чем работников (30)"},
		{"negative figure", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"total_wp": "-1"}))),
			"столбец 10 (total_wp): нужно целое число не меньше 0, значение «-1»"},
		{"non-numeric figure", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"total_wp": "двадцать"}))),
			"значение «двадцать»"},
		{"31 February", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"entered_on": "31.02.2026"}))),
			"дата «31.02.2026» не существует"},
		{"date in the future", "in.csv", bytesOf(csvFile(goodRow(map[string]string{"entered_on": "2027-01-01"}))),
			"ещё не наступила"},
		{"missing column", "in.csv", bytesOf([]byte("entered_on,inn\n2026-01-01,7707083893\n")),
			"нет столбцов: employer_name"},
		{"unknown column", "in.csv", bytesOf([]byte(strings.Join(append(append([]string{}, report.RegisterColumns...),
			"colour"), ",") + "\n")), "неизвестные столбцы: «colour»"},
		{"header only", "in.csv", bytesOf(csvFile()), "нет ни одной строки данных"},
		// The hostile files of the hardening issue.
		{"100,000 columns", "in.csv", bytesOf([]byte(wide)), "столбцов"},
		{"mixed line endings", "in.csv", bytesOf(bytes.Replace(
			csvFile(goodRow(nil), goodRow(nil), goodRow(map[string]string{"total_wp": "x"})), []byte("\n"), []byte("\r\n"), 2)),
			"строка 4, столбец 10 (total_wp)"},
		{"lines ended by CR alone", "in.csv", bytesOf(bytes.ReplaceAll(
			csvFile(goodRow(nil), goodRow(map[string]string{"inn": "1"})), []byte("\n"), []byte("\r"))),
			"строка 3, столбец 4 (inn)"},
		{"stray quote", "in.csv", bytesOf(append(csvFile(goodRow(nil)), []byte("2026-03-15,ООО \"Волга\"\n")...)),
			"строка 3: кавычка внутри поля"},
		{"an error after a chunk was written", "in.csv", func(*testing.T) []byte {
			return csvFile(append(good(25000), goodRow(map[string]string{"inn": "1"}))...)
		}, "строка 25002, столбец 4 (inn)"},
		{"not a zip at all", "in.xlsx", bytesOf(append([]byte("PK\x03\x04"), make([]byte, 200)...)),
			"не читается как XLSX: архив повреждён"},
		{"zip bomb named .xlsx (2 GiB of spaces)", "in.xlsx", zipBomb, "больше 1 ГиБ"},
		{"XLSX with a million empty rows", "in.xlsx", millionEmptyRows, "нет ни одной строки данных"},
	}
}

// checkHostileFile imports tt's file into a new store and checks that it is
// refused with tt.want, within a bounded heap and time, and leaves nothing.
func checkHostileFile(t *testing.T, tt hostileFile) {
	s := openStore(t)
	path := filepath.Join(t.TempDir(), tt.file)
	if err := os.WriteFile(path, tt.data(t), 0o644); err != nil {
		t.Fatal(err)
	}
	peak := heapPeak()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := report.ImportRegister(context.Background(), s, clerk, path, report.ImportOptions{})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute): // a hang guard, not a speed target
		t.Fatalf("the import of %s did not end", tt.name)
	}
	took, heap := time.Since(start), peak() // what the import added to the heap
	if store.ErrorCode(err) != store.CodeInvalid || !strings.Contains(err.Error(), tt.want) {
		t.Fatalf("ImportRegister(context.Background(), %s) = %v\nwant an invalid-input error containing %q", tt.name, err,
			tt.want)
	}
	if heap > 200<<20 {
		t.Errorf("%s: the import grew the heap by %d MiB", tt.name, heap>>20)
	}
	if n, _ := s.CountRegister(store.RegisterQuery{}); n != 0 {
		t.Errorf("%s: a bad file left %d entries", tt.name, n)
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("%s: Check after the refusal = %v, %v", tt.name, problems, err)
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	t.Logf("%-40s %6.2f s, heap grew %4d MiB: %s", tt.name, took.Seconds(), heap>>20, first)
}

func bytesOf(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }

// heapPeak samples the heap in use until the returned function is called,
// which gives the highest value seen above the heap at the start (after a
// collection): the test's own inputs, held all along, are not the import's.
func heapPeak() func() uint64 {
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	base := m0.HeapInuse
	stop, result := make(chan struct{}), make(chan uint64)
	go func() {
		var m runtime.MemStats
		var top uint64
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse)
			select {
			case <-stop:
				result <- top
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(stop); return max(<-result, base) - base }
}

// headerXLSX is a register data XLSX with the header row only.
func headerXLSX(t *testing.T) *zip.Reader {
	t.Helper()
	f := excelize.NewFile()
	for i, k := range report.RegisterColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr("Sheet1", cell, k)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// withSheet copies the header-only XLSX with its sheet replaced by what
// sheet writes.
func withSheet(t *testing.T, sheet func(zw *zip.Writer, orig []byte) error) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range headerXLSX(t).File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, _ := f.Open()
		orig, _ := io.ReadAll(rc)
		rc.Close()
		if err := sheet(zw, orig); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// millionEmptyRows is the header row followed by 1,000,000 empty rows.
func millionEmptyRows(t *testing.T) []byte {
	return withSheet(t, func(zw *zip.Writer, orig []byte) error {
		var rows bytes.Buffer
		for r := 2; r <= 1_000_001; r++ {
			fmt.Fprintf(&rows, `<row r="%d"/>`, r)
		}
		at := bytes.Index(orig, []byte("</sheetData>"))
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		_, err = w.Write(append(append(append([]byte{}, orig[:at]...), rows.Bytes()...), orig[at:]...))
		return err
	})
}

// zipBomb is an XLSX whose sheet inflates to 2 GiB of spaces from 2 MB.
// The deflate stream repeats one block that refers only to the spaces
// before it, so it is built in milliseconds, not by compressing 2 GiB.
func zipBomb(t *testing.T) []byte {
	return withSheet(t, func(zw *zip.Writer, orig []byte) error {
		at := bytes.Index(orig, []byte("<sheetData>")) + len("<sheetData>")
		prefix, suffix := orig[:at], []byte("</sheetData></worksheet>")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		const chunks = 2048
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.BestCompression)
		fw.Write(prefix)
		fw.Write(chunk)
		fw.Flush()
		first := bytes.Clone(buf.Bytes())
		buf.Reset()
		fw.Write(chunk)
		fw.Flush()
		middle := bytes.Clone(buf.Bytes())
		buf.Reset()
		fw.Write(suffix)
		fw.Close()
		last := buf.Bytes()
		stream := append([]byte{}, first...)
		for i := 1; i < chunks; i++ {
			stream = append(stream, middle...)
		}
		stream = append(stream, last...)
		crc := crc32.ChecksumIEEE(prefix)
		for i := 0; i < chunks; i++ {
			crc = crc32.Update(crc, crc32.IEEETable, chunk)
		}
		crc = crc32.Update(crc, crc32.IEEETable, suffix)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(len(prefix)) + chunks<<20 + uint64(len(suffix))})
		if err != nil {
			return err
		}
		_, err = w.Write(stream)
		return err
	})
}

// TestZipBombInflates: the zip bomb is real: its sheet does inflate to 2 GiB (read here through
// a counter, never held).
func TestZipBombInflates(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 2 GiB")
	}
	data := zipBomb(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil || n < 2<<30 {
			t.Fatalf("the bomb inflates to %d bytes (%v); want 2 GiB, checksum right", n, err)
		}
		t.Logf("%d bytes of zip inflate to %d", len(data), n)
		return
	}
	t.Fatal("no sheet in the bomb")
}
