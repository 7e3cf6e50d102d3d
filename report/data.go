package report

import (
	"context"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"sout/store"
)

// RegisterColumns are the register data columns in order (FORMS.md §5);
// export may put "id" first and import ignores it.
var RegisterColumns = func() []string {
	cols := []string{"entered_on", "employer_name", "employer_address", "inn", "ogrn", "okved", "sout_org_name",
		"sout_org_reg_no", "journal_no"}
	for c := 0; c < store.NumCols; c++ {
		for r := 0; r < store.NumRows; r++ {
			cols = append(cols, store.FieldKey(c, r))
		}
	}
	return cols
}()

// JournalColumns are the journal data columns in order (FORMS.md §5).
var JournalColumns = []string{"reg_no", "received_on", "employer_name", "employer_inn", "sout_org_name",
	"sout_org_reg_no", "letter_date", "letter_no", "notes", "status", "status_reason", "return_deadline"}

// dataWriter writes rows of a data file as CSV or XLSX.
type dataWriter struct {
	f    Format
	csv  interface{ Write([]string) error }
	x    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	text int
	w    io.Writer
	nums map[int]bool // columns holding figures (numbers in XLSX)
	out  []string
}

func newDataWriter(w io.Writer, f Format, head []string, nums map[int]bool) (*dataWriter, error) {
	d := &dataWriter{f: f, w: w, nums: nums, out: make([]string, len(head))}
	if f.XLSX {
		d.x = excelize.NewFile()
		sw, err := d.x.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		d.sw = sw
		if d.text, err = d.x.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
			return nil, err
		}
		return d, d.write(head, true)
	}
	cw, err := newCSV(w, f)
	if err != nil {
		return nil, err
	}
	d.csv = cw
	return d, d.write(head, true)
}

func (d *dataWriter) write(rec []string, header bool) error {
	if d.f.XLSX {
		d.row++
		vals := make([]any, len(rec))
		for i, v := range rec {
			if !header && d.nums[i] && v != "" {
				if n, err := strconv.Atoi(v); err == nil {
					vals[i] = n
					continue
				}
			}
			vals[i] = excelize.Cell{StyleID: d.text, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, d.row)
		return d.sw.SetRow(cell, vals)
	}
	if d.f.Excel {
		for i, v := range rec {
			if header || !d.nums[i] {
				v = ExcelText(v)
			}
			d.out[i] = v
		}
		rec = d.out
	}
	return d.csv.Write(rec)
}

func (d *dataWriter) close() error {
	if d.f.XLSX {
		defer d.x.Close()
		if err := d.sw.Flush(); err != nil {
			return err
		}
		_, err := d.x.WriteTo(d.w)
		return err
	}
	cw := d.csv.(interface {
		Flush()
		Error() error
	})
	cw.Flush()
	return cw.Error()
}

// ExportRegister writes the register entries dated in p (zero = all) as a data
// file that ImportRegister reads back unchanged. It stops with ctx's error
// once ctx ends.
func ExportRegister(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	head := append([]string{"id"}, RegisterColumns...)
	nums := map[int]bool{0: true}
	for i := 10; i < len(head); i++ {
		nums[i] = true
	}
	dw, err := newDataWriter(w, f, head, nums)
	if err != nil {
		return err
	}
	rec := make([]string, len(head))
	err = s.EachRegister(ctx, p, func(e *store.RegisterRecord) error {
		rec = append(rec[:0], strconv.FormatUint(e.ID, 10), e.EnteredOn.String(), e.Employer.Name, e.Employer.Address,
			e.Employer.INN, e.Employer.OGRN, e.Employer.OKVED, e.SoutOrg.Name, e.SoutOrg.RegNo, e.JournalRef)
		for c := 0; c < store.NumCols; c++ {
			for r := 0; r < store.NumRows; r++ {
				rec = append(rec, strconv.Itoa(e.Grid[c][r]))
			}
		}
		return dw.write(rec, false)
	})
	if err != nil {
		return err
	}
	return dw.close()
}

// ExportJournal writes the journal entries received in p (zero = all) as a
// data file that ImportJournal reads back unchanged. It stops with ctx's
// error once ctx ends.
func ExportJournal(ctx context.Context, w io.Writer, s *store.Store, p store.Period, f Format) error {
	dw, err := newDataWriter(w, f, JournalColumns, map[int]bool{0: true})
	if err != nil {
		return err
	}
	err = s.EachJournal(ctx, p, func(j *store.JournalEntry) error {
		return dw.write([]string{strconv.Itoa(j.No), j.ReceivedOn.String(), j.EmployerName, j.EmployerINN,
			j.SoutOrgName, j.SoutOrgRegNo,
			j.LetterDate.String(), j.LetterNo, j.Notes, string(j.Status), j.StatusReason, j.ReturnDeadline.String()}, false)
	})
	if err != nil {
		return err
	}
	return dw.close()
}
