package main

import (
	"fmt"
	"io"
	"strings"

	"sout/report"
	"sout/store"
)

func cmdImport(e *env, args []string) error {
	fs := newFlags("import", e)
	dry := fs.Bool("dry-run", false, "только проверить")
	skipDup := fs.Bool("skip-duplicates", false, "пропустить записи, которые уже есть")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "register" && pos[0] != "journal") {
		return usageError("нужно: sout import register|journal ФАЙЛ [--dry-run] [--skip-duplicates]")
	}
	return e.withStore(func(st *store.Store) error {
		opt := report.ImportOptions{DryRun: *dry, SkipDuplicates: *skipDup}
		bar := newImportProgress(e)
		if bar != nil {
			opt.Progress = bar.update
		}
		var res *report.ImportResult
		var err error
		if pos[0] == "register" {
			res, err = report.ImportRegister(e.ctx, st, e.actor, pos[1], opt)
		} else {
			res, err = report.ImportJournal(e.ctx, st, e.actor, pos[1], opt)
		}
		bar.done()
		if err != nil {
			return err
		}
		for _, n := range res.Notes {
			fmt.Fprintln(e.stderr, n)
		}
		e.warn(res.Warnings)
		what := map[string]string{"register": "записей реестра", "journal": "записей журнала"}[pos[0]]
		details := res.Details()
		if details != "" {
			details = " (" + details + ")"
		}
		switch {
		case *dry:
			fmt.Fprintf(e.stdout, "Проверка %s: ошибок нет, %s к загрузке: %d%s (ничего не записано)\n", pos[1], what,
				res.Count, details)
		case res.Count == 0:
			fmt.Fprintf(e.stdout, "Ничего не загружено из %s: все записи уже есть в базе%s\n", pos[1], details)
		default:
			fmt.Fprintf(e.stdout, "Загружено %s: %d из %s%s\n", what, res.Count, pos[1], details)
		}
		return nil
	})
}

// formatFlags are the output flags common to export and report.
type formatFlags struct {
	period, format, out string
	excel               bool
}

func (f *formatFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.period, "period", "", "период")
	fs.StringVar(&f.format, "format", "", "csv или xlsx")
	fs.StringVar(&f.out, "o", "", "файл")
	fs.BoolVar(&f.excel, "excel", false, "CSV для русского Excel")
}

func (f *formatFlags) xlsx() (bool, error) {
	switch strings.ToLower(f.format) {
	case "csv":
		return false, nil
	case "xlsx":
		if f.excel {
			return false, usageError("--excel относится только к CSV")
		}
		return true, nil
	case "":
		return false, usageError("нужен --format csv или --format xlsx")
	}
	return false, usageError(fmt.Sprintf("формат «%s» неизвестен: нужен csv или xlsx", f.format))
}

func cmdExport(e *env, args []string) error {
	fs := newFlags("export", e)
	var ff formatFlags
	ff.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "register" && pos[0] != "journal") {
		return usageError("нужно: sout export register|journal [--period П] --format csv|xlsx [-o ФАЙЛ]")
	}
	x, err := ff.xlsx()
	if err != nil {
		return err
	}
	p, err := parsePeriodFlag(ff.period, true)
	if err != nil {
		return err
	}
	df := report.Format{XLSX: x, Excel: ff.excel}
	return e.withStore(func(st *store.Store) error {
		return e.writeTo(ff.out, func(w io.Writer) error {
			if pos[0] == "register" {
				return report.ExportRegister(e.ctx, w, st, p, df)
			}
			return report.ExportJournal(e.ctx, w, st, p, df)
		})
	})
}

func cmdReport(e *env, args []string) error {
	fs := newFlags("report", e)
	var ff formatFlags
	ff.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("нужно: sout report summary|register|journal|risks --period П --format csv|xlsx [-o ФАЙЛ]")
	}
	x, err := ff.xlsx()
	if err != nil {
		return err
	}
	f := report.Format{XLSX: x, Excel: ff.excel}
	if pos[0] == "merge" {
		if e.remote {
			return store.Errorf(store.CodeForbidden, "report merge через SSH недоступен: он читает файлы на сервере")
		}
		if len(pos) < 2 {
			return usageError("нужны файлы сводных ведомостей: sout report merge А.xlsx Б.csv … --format xlsx")
		}
		return e.writeTo(ff.out, func(w io.Writer) error {
			return report.Merge(w, pos[1:], f)
		})
	}
	if len(pos) != 1 {
		return usageError("нужно: sout report summary|register|journal|risks --period П --format csv|xlsx [-o ФАЙЛ]")
	}
	p, err := parsePeriodFlag(ff.period, false)
	if err != nil {
		return err
	}
	var write func(w io.Writer, st *store.Store) error
	switch pos[0] {
	case "summary":
		write = func(w io.Writer, st *store.Store) error {
			warnings, err := report.WriteSummary(e.ctx, w, st, p, f)
			e.warn(warnings)
			return err
		}
	case "register":
		write = func(w io.Writer, st *store.Store) error { return report.WriteRegister(e.ctx, w, st, p, f) }
	case "journal":
		write = func(w io.Writer, st *store.Store) error { return report.WriteJournal(e.ctx, w, st, p, f) }
	case "risks":
		write = func(w io.Writer, st *store.Store) error { return report.WriteRisks(e.ctx, w, st, p, f) }
	default:
		return usageError(fmt.Sprintf("неизвестная форма «%s»: нужна summary, register, journal, risks или merge",
			pos[0]))
	}
	return e.withStore(func(st *store.Store) error {
		return e.writeTo(ff.out, func(w io.Writer) error { return write(w, st) })
	})
}

func (e *env) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, "предупреждение: "+w)
	}
}
