package report

import (
	"context"
	"fmt"
	"time"

	"sout/store"
)

// registerSink takes the register rows that passed their own checks, from
// any sheet and layout, and applies what needs other records: period locks,
// the journal link, duplicates in the file and in the store. Rows are
// written in chunks as they come; the import begins with the first full
// chunk, so a file that fails early never touches the database; once a row
// fails, nothing more is written, the rest is still checked for the report,
// and the chunks written so far are rolled back: all or nothing.
type registerSink struct {
	ctx   context.Context
	s     *store.Store
	a     store.Actor
	path  string
	opt   ImportOptions
	today store.Date
	errs  *errorList
	res   *ImportResult
	locks []store.Lock
	im    *store.Import

	journals map[string]store.JournalEntry
	seen     map[store.DupKey]loc
	pend     []store.RegisterEntry
	locs     []loc

	sheet      string // the sheet being read
	sheetCount int
	rows       int
}

func newRegisterSink(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*registerSink, error) {
	locks, err := s.Locks()
	if err != nil {
		return nil, err
	}
	return &registerSink{ctx: ctx, s: s, a: a, path: path, opt: opt, today: s.Today(), errs: &errorList{path: path}, res: &ImportResult{},
		locks: locks, journals: map[string]store.JournalEntry{}, seen: map[store.DupKey]loc{}}, nil
}

// tick reports progress every 1000 rows.
func (k *registerSink) tick(count *countingReader, size int64) {
	k.rows++
	if k.opt.Progress == nil || k.rows%1000 != 0 {
		return
	}
	p := Progress{Rows: k.rows, Done: int64(k.rows)}
	if count != nil {
		p.Done, p.Total = count.n, size
	}
	k.opt.Progress(p)
}

func (k *registerSink) startSheet(name string) { k.sheet, k.sheetCount = name, 0 }

func (k *registerSink) endSheet() {
	if k.sheet != "" {
		k.res.Sheets = append(k.res.Sheets, SheetCount{Name: k.sheet, Count: k.sheetCount})
	}
	k.sheet = ""
}

// note adds a line to the closing summary.
func (k *registerSink) note(format string, args ...any) {
	if len(k.res.Notes) < maxErrorsShow {
		k.res.Notes = append(k.res.Notes, fmt.Sprintf(format, args...))
	}
}

// warn adds a warning.
func (k *registerSink) warn(format string, args ...any) {
	if len(k.res.Warnings) < maxErrorsShow {
		k.res.Warnings = append(k.res.Warnings, fmt.Sprintf(format, args...))
	}
}

// add takes one entry read at at; refCol and dateCol name the columns of
// its journal reference and date of entry for messages.
func (k *registerSink) add(e store.RegisterEntry, ref string, at loc, refCol, dateCol colRef) error {
	for _, l := range k.locks {
		if l.Period.Contains(e.EnteredOn) {
			k.errs.add(at, dateCol, fmt.Sprintf("период %s закрыт (%s, %s): загружать записи от %s нельзя",
				l.Period, l.By, time.Unix(l.At, 0).Local().Format("02.01.2006"), e.EnteredOn.Ru()), "")
			return nil
		}
	}
	if ref != "" {
		j, err := k.journal(ref, e.EnteredOn)
		if err != nil {
			k.errs.add(at, refCol, err.Error(), ref)
			return nil
		}
		if msg := store.JournalLinkProblem(&j, e.Employer.INN); msg != "" {
			k.errs.add(at, refCol, msg, ref)
			return nil
		}
		e.JournalID = j.ID
	}
	key := store.DuplicateKey(&e)
	if prev, dup := k.seen[key]; dup {
		what := fmt.Sprintf("такая же запись (ИНН %s, дата %s, та же организация СОУТ и все показатели) уже есть в этом файле: %s",
			e.Employer.INN, e.EnteredOn.Ru(), prev)
		k.duplicate(at, what)
		return nil
	}
	k.seen[key] = at
	k.pend = append(k.pend, e)
	k.locs = append(k.locs, at)
	k.sheetCount++
	if len(k.pend) == importChunk {
		return k.flush()
	}
	return nil
}

// duplicate refuses, or with SkipDuplicates skips and lists, a duplicate.
func (k *registerSink) duplicate(at loc, what string) {
	if k.opt.SkipDuplicates {
		k.res.Duplicates++
		k.note("%s: пропущена: %s", at, what)
		return
	}
	k.errs.add(at, noCol, what, "")
}

// journal finds the journal entry a reference names, through a bounded cache.
func (k *registerSink) journal(ref string, d store.Date) (store.JournalEntry, error) {
	if j, ok := k.journals[ref]; ok {
		return j, nil
	}
	y, no, err := store.ParseJournalRef(ref, d.Year())
	if err != nil {
		return store.JournalEntry{}, err
	}
	j, err := k.s.JournalByNo(y, no)
	if err != nil {
		return j, fmt.Errorf("%s", store.ErrorMessage(err))
	}
	if len(k.journals) == 10000 {
		clear(k.journals) // a cache, not a copy of the journal: memory stays flat
	}
	k.journals[ref] = j
	return j, nil
}

// flush checks the pending entries against the stored ones and writes
// them, unless a row has failed or this is a dry run.
func (k *registerSink) flush() error {
	dups, err := k.s.FindDuplicates(k.pend)
	if err != nil {
		return err
	}
	if len(dups) > 0 {
		drop := map[int]bool{}
		for _, d := range dups {
			e := &k.pend[d.Index]
			no := ""
			if d.No > 0 {
				no = fmt.Sprintf("№ %d в реестре за %s, ", d.No, d.Period)
			}
			k.duplicate(k.locs[d.Index], fmt.Sprintf("такая же запись (ИНН %s, дата %s, та же организация СОУТ и все показатели) уже есть в базе: %sвнесена %s",
				e.Employer.INN, e.EnteredOn.Ru(), no, d.EnteredOn.Ru()))
			drop[d.Index] = true
			k.uncount(k.locs[d.Index].sheet)
		}
		n := 0
		for i := range k.pend {
			if !drop[i] {
				k.pend[n], k.locs[n] = k.pend[i], k.locs[i]
				n++
			}
		}
		k.pend, k.locs = k.pend[:n], k.locs[:n]
	}
	k.res.Count += len(k.pend)
	defer func() { k.pend, k.locs = k.pend[:0], k.locs[:0] }()
	if k.errs.count > 0 || k.opt.DryRun || len(k.pend) == 0 {
		return nil
	}
	if k.im == nil {
		if k.im, err = k.s.BeginImport(k.ctx, k.a, k.path); err != nil {
			return err
		}
	}
	return k.im.AddRegister(k.pend)
}

// uncount takes a duplicate found in the store off its sheet's count.
func (k *registerSink) uncount(sheet string) {
	if sheet == k.sheet {
		k.sheetCount--
		return
	}
	for i := range k.res.Sheets {
		if k.res.Sheets[i].Name == sheet {
			k.res.Sheets[i].Count--
		}
	}
}

// fail rolls back what was written and returns err.
func (k *registerSink) fail(err error) (*ImportResult, error) {
	if k.im != nil {
		k.im.Abort()
	}
	return nil, err
}

// finish checks the last chunk, and commits unless a row failed.
func (k *registerSink) finish() (*ImportResult, error) {
	if err := k.flush(); err != nil {
		return k.fail(err)
	}
	if err := k.errs.err(); err != nil {
		return k.fail(err)
	}
	if k.res.Count == 0 {
		if k.res.Duplicates > 0 {
			return k.res, nil // every entry is stored already: nothing to change
		}
		return k.fail(store.Errorf(store.CodeInvalid, "Файл %s: нет ни одной строки данных", k.path))
	}
	if k.opt.DryRun || k.im == nil {
		return k.res, nil
	}
	return k.res, k.im.Commit()
}
