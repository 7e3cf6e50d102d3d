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
	seen     map[store.DupKey]seenAt // 24 bytes an entry: a million fit in tens of MB
	names    []string                // the sheets seenAt refers to
	pend     []store.RegisterEntry
	locs     []loc
	spare    []store.RegisterEntry // the buffer being written, reused for the chunk after next
	writing  chan error            // the chunk write under way, if any

	sheet      string // the sheet being read
	sheetCount int
	notesLeft  int // notes past maxErrorsShow, counted only
	ticker
}

// seenAt is where an entry of the file was: an index into registerSink.names and a row.
type seenAt struct{ sheet, line int32 }

func newRegisterSink(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*registerSink,
	error) {
	locks, err := s.Locks()
	if err != nil {
		return nil, err
	}
	return &registerSink{
		ctx:      ctx,
		s:        s,
		a:        a,
		path:     path,
		opt:      opt,
		today:    s.Today(),
		errs:     &errorList{path: path},
		res:      &ImportResult{},
		locks:    locks,
		journals: map[string]store.JournalEntry{},
		seen:     map[store.DupKey]seenAt{},
		ticker:   ticker{progress: opt.Progress},
	}, nil
}

// ticker reports an import's progress every 1000 rows.
type ticker struct {
	progress func(Progress)
	rows     int
	total    int64 // a workbook's rows, estimated; 0 when not known
}

// tick counts a row; count and size are the CSV's bytes read and its
// size (nil for a workbook: rows only).
func (tk *ticker) tick(count *countingReader, size int64) {
	tk.rows++
	if tk.progress == nil || tk.rows%1000 != 0 {
		return
	}
	p := Progress{Rows: tk.rows, Done: int64(tk.rows), Total: max(tk.total, int64(tk.rows))}
	if count != nil {
		p.Done, p.Total = count.n, size
	}
	tk.progress(p)
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
	} else {
		k.notesLeft++
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
			k.errs.add(at, dateCol, fmt.Sprintf("период %s заблокирован (%s, %s): загружать записи от %s нельзя",
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
		what := fmt.Sprintf(
			"такая же запись (ИНН %s, дата %s, та же организация СОУТ и все показатели) уже есть в этом файле: %s",
			e.Employer.INN,
			e.EnteredOn.Ru(),
			loc{sheet: k.names[prev.sheet], line: int(prev.line)},
		)
		k.duplicate(at, what)
		return nil
	}
	if len(k.names) == 0 || k.names[len(k.names)-1] != at.sheet {
		k.names = append(k.names, at.sheet)
	}
	k.seen[key] = seenAt{sheet: int32(len(k.names) - 1), line: int32(at.line)}
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

// hintJournalFirst follows the errors of a register whose journal numbers
// are not in the store: a register moved over is loaded after its journal.
const hintJournalFirst = "Записи реестра ссылаются на записи журнала, которых нет в базе: если журнал ещё не " +
	"загружен, загрузите сначала его (sout import journal ФАЙЛ), затем реестр"

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
		if store.ErrorCode(err) == store.CodeNotFound {
			k.errs.hint(hintJournalFirst)
		}
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
			k.duplicate(
				k.locs[d.Index],
				fmt.Sprintf(
					"такая же запись (ИНН %s, дата %s, та же организация СОУТ и все показатели) уже есть в базе: %sвнесена %s",
					e.Employer.INN,
					e.EnteredOn.Ru(),
					no,
					d.EnteredOn.Ru(),
				),
			)
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
	// The chunk is written (checked and committed, a synced transaction)
	// while the next one is read: two buffers, at most one write under way.
	if err := k.wait(); err != nil {
		return err
	}
	full, done := k.pend, make(chan error, 1)
	k.pend, k.spare, k.writing = k.spare[:0], full, done
	go func() { done <- k.im.AddRegister(full) }()
	return nil
}

// wait waits for the chunk being written, if any, and returns its error.
func (k *registerSink) wait() error {
	if k.writing == nil {
		return nil
	}
	err := <-k.writing
	k.writing = nil
	return err
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
	k.wait()
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
	if err := k.wait(); err != nil {
		return k.fail(err)
	}
	if k.notesLeft > 0 {
		k.res.Notes = append(k.res.Notes, fmt.Sprintf("и ещё таких строк: %d", k.notesLeft))
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
