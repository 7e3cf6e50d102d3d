package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sout/report"
	"sout/store"
	"sout/store/demo"
	"sout/store/safefile"
)

func cmdInit(e *env, args []string) error {
	fs := newFlags("init", e)
	var set store.Settings
	fs.StringVar(&set.Region, "region", "", "субъект РФ")
	fs.StringVar(&set.Inspectorate, "inspectorate", "", "инспекция")
	fs.StringVar(&set.Head, "head", "", "руководитель")
	fs.StringVar(&set.Compiler, "compiler", "", "составитель форм")
	fs.StringVar(&set.Phone, "phone", "", "телефон составителя")
	fs.IntVar(&set.RiskDropPoints, "risk-drop", 0, "порог снижения доли вредных условий, п. п. (0 — 30)")
	fs.IntVar(&set.RiskSoutYears, "risk-years", 0, "срок СОУТ для индикатора риска, лет (0 — 5)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("init не принимает аргументов, только флаги")
	}
	return e.withStore(func(st *store.Store) error {
		old, err := st.Settings()
		if err != nil {
			return err
		}
		// Keep what was set before for every flag not given now.
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		merge := func(dst *string, name, was string) {
			if !given[name] {
				*dst = was
			}
		}
		merge(&set.Region, "region", old.Region)
		merge(&set.Inspectorate, "inspectorate", old.Inspectorate)
		merge(&set.Head, "head", old.Head)
		merge(&set.Compiler, "compiler", old.Compiler)
		merge(&set.Phone, "phone", old.Phone)
		if !given["risk-drop"] {
			set.RiskDropPoints = old.RiskDropPoints
		}
		if !given["risk-years"] {
			set.RiskSoutYears = old.RiskSoutYears
		}
		if strings.TrimSpace(set.Region) == "" || strings.TrimSpace(set.Inspectorate) == "" {
			return usageError("нужны --region (субъект РФ) и --inspectorate (название инспекции)")
		}
		if err := st.SaveSettings(e.actor, set); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Настройки сохранены в %s: %s, %s\n", e.dbPath, set.Region, set.Inspectorate)
		return nil
	})
}

func cmdDemo(e *env, args []string) error {
	fs := newFlags("demo", e)
	var opt demo.Options
	fs.IntVar(&opt.Employers, "employers", 500, "число работодателей")
	fs.Int64Var(&opt.Seed, "seed", 1, "зерно генератора")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("demo не принимает аргументов, только флаги")
	}
	if opt.Employers <= 0 || opt.Employers > 10_000_000 {
		return usageError(fmt.Sprintf("--employers %d: нужно число от 1 до 10000000", opt.Employers))
	}
	return e.withStore(func(st *store.Store) error {
		start := time.Now()
		stats, err := demo.Generate(e.ctx, st, e.actor, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Демо-данные записаны в %s за %.1f с: %+v\n", e.dbPath, time.Since(start).Seconds(), stats)
		return nil
	})
}

func cmdLookup(e *env, args []string) error {
	fs := newFlags("lookup", e)
	asJSON := fs.Bool("json", false, "вывод в JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("нужен ИНН или слова наименования: sout lookup 7707083893, sout lookup школа 155")
	}
	inn := strings.TrimSpace(strings.Join(pos, " "))
	if digits := store.CleanDigits(inn); digits != "" && strings.Trim(inn, "0123456789 -") == "" {
		inn = digits // an INN typed with spaces or dashes, as on a letter: «7707 083 893»
	}
	if err := store.CheckINN(inn); err != nil {
		if _, num := strconv.Atoi(inn); num == nil && (len(inn) == 10 || len(inn) == 12) {
			return store.Errorf(store.CodeInvalid, "%v", err) // meant as an INN
		}
		return lookupText(e, inn, *asJSON)
	}
	return e.withStore(func(st *store.Store) error {
		card, err := st.FindByINN(inn)
		if err != nil {
			return err
		}
		if *asJSON {
			return report.WriteCardJSON(e.stdout, card)
		}
		return report.WriteCard(e.stdout, card, st.Today())
	})
}

// lookupText lists the employers whose name (or INN, OGRN) matches text,
// one a line (report.WriteMatches). One query: a pass over the cards
// (ScanEmployers), not the index the screens build.
func lookupText(e *env, text string, asJSON bool) error {
	return e.withStore(func(st *store.Store) error {
		found, err := st.ScanEmployers(e.ctx, text, math.MaxInt32)
		if err != nil {
			return err
		}
		if found.Total == 0 {
			if asJSON {
				fmt.Fprintln(e.stdout, "[]") // a reader of JSON gets JSON; the exit status says none
			}
			return store.Errorf(store.CodeNotFound, "По запросу «%s» работодатели не найдены", text)
		}
		return report.WriteMatches(e.stdout, found.Employers, asJSON)
	})
}

func cmdUsers(e *env, args []string) error {
	if len(args) == 0 {
		return usageError("нужно действие: users add|list|remove|set-role")
	}
	fs := newFlags("users", e)
	role := fs.String("role", "clerk", "роль")
	keyText := fs.String("key", "", "открытый ключ")
	keyFile := fs.String("key-file", "", "файл открытого ключа")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	return e.withStore(func(st *store.Store) error {
		switch args[0] {
		case "list":
			us, err := st.Users()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "Имя\tРоль\tКлючи")
			for _, u := range us {
				fps := make([]string, 0, len(u.Keys))
				for _, k := range u.Keys {
					fps = append(fps, store.KeyFingerprint(k))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role.Title(), strings.Join(fps, ", "))
			}
			return tw.Flush()
		case "add":
			if len(pos) != 1 {
				return usageError("нужно имя: sout users add ИМЯ --role clerk --key \"ssh-ed25519 …\"")
			}
			r, err := parseRole(*role)
			if err != nil {
				return err
			}
			k := *keyText
			if *keyFile != "" {
				b, err := os.ReadFile(*keyFile)
				if err != nil {
					return store.Errorf(store.CodeInvalid, "не удалось прочитать файл ключа %s: %s", *keyFile,
						safefile.ReadReason(err))
				}
				k = string(b)
			}
			key, err := normalizeKey(k)
			if err != nil {
				return err
			}
			if err := st.AddUser(e.actor, store.User{Name: pos[0], Role: r, Keys: []string{key}}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Пользователь %s (%s) добавлен, ключ %s\n", pos[0], r.Title(), store.KeyFingerprint(key))
			return nil
		case "remove":
			if len(pos) != 1 {
				return usageError("нужно имя: sout users remove ИМЯ")
			}
			if err := st.RemoveUser(e.actor, pos[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Пользователь %s удалён\n", pos[0])
			return nil
		case "set-role":
			if len(pos) != 2 {
				return usageError("нужны имя и роль: sout users set-role ИМЯ РОЛЬ " +
					"(специалист, руководитель или администратор)")
			}
			r, err := parseRole(pos[1])
			if err != nil {
				return err
			}
			if err := st.SetRole(e.actor, pos[0], r); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Роль пользователя %s: %s\n", pos[0], r.Title())
			return nil
		}
		return usageError(fmt.Sprintf("неизвестное действие users %s: нужно add, list, remove или set-role", args[0]))
	})
}

func parseRole(s string) (store.Role, error) {
	r, err := store.ParseRole(s)
	if err != nil {
		return "", usageError(err.Error())
	}
	return r, nil
}

// normalizeKey checks an authorized_keys line and returns it as "type base64 comment".
func normalizeKey(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", usageError("нужен открытый ключ: --key \"ssh-ed25519 AAAA…\" или --key-file ~/.ssh/id_ed25519.pub")
	}
	return store.NormalizeKey(s)
}

func cmdPeriod(e *env, args []string) error {
	if len(args) == 0 {
		return usageError("нужно действие: period lock|unlock|list")
	}
	fs := newFlags("period", e)
	reason := fs.String("reason", "", "причина")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	return e.withStore(func(st *store.Store) error {
		switch args[0] {
		case "list":
			locks, err := st.Locks()
			if err != nil {
				return err
			}
			if len(locks) == 0 {
				fmt.Fprintln(e.stdout, "Заблокированных периодов нет")
			}
			for _, l := range locks {
				fmt.Fprintf(e.stdout, "%s\t%s\tзаблокировал %s %s\t%s\n", l.Period.Key(), l.Period, l.By,
					time.Unix(l.At, 0).Format("02.01.2006 15:04"), l.Reason)
			}
			return nil
		case "lock", "unlock":
			if len(pos) != 1 {
				return usageError("нужен период: sout period " + args[0] + " 2026H1")
			}
			p, err := parsePeriodFlag(pos[0], false)
			if err != nil {
				return err
			}
			if args[0] == "lock" {
				if err := st.LockPeriod(e.actor, p, *reason); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Период %s заблокирован\n", p)
				return nil
			}
			if err := st.UnlockPeriod(e.actor, p); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Период %s разблокирован\n", p)
			return nil
		}
		return usageError(fmt.Sprintf("неизвестное действие period %s: нужно lock, unlock или list", args[0]))
	})
}

func cmdAudit(e *env, args []string) error {
	fs := newFlags("audit", e)
	since := fs.String("since", "", "с даты")
	userName := fs.String("user", "", "пользователь")
	record := fs.String("record", "", "запись: journal:15/2026, register:ИНН, user:anna, lock:2026H1")
	format := fs.String("format", "text", "text или csv")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("audit не принимает аргументов, только --since, --user, --record и --format")
	}
	if _, err := auditFilter(nil, *since, *userName, *record); err != nil {
		return err // the flags, checked before the file is opened
	}
	write := writeAuditText
	switch *format {
	case "text":
	case "csv":
		write = writeAuditCSV
	default:
		return usageError(fmt.Sprintf("--format %s: нужен text или csv", *format))
	}
	return e.withStore(func(st *store.Store) error {
		f, err := auditFilter(st, *since, *userName, *record)
		if err != nil {
			return err
		}
		n, err := write(e.stdout, st, f)
		if err == nil && n == 0 {
			fmt.Fprintln(e.stderr, "Записей журнала изменений нет")
		}
		return err
	})
}

// auditFilter reads the audit command's --since, --user and --record; a
// record named as the screens name it (journal:15/2026, register:ИНН) is
// found in st, which may be nil while only the flags are checked.
func auditFilter(st *store.Store, since, user, record string) (store.AuditFilter, error) {
	f := store.AuditFilter{User: user}
	d, err := store.ParseDate(since)
	if err != nil {
		return f, usageError("--since: " + err.Error())
	}
	if d != 0 {
		f.Since = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.Local)
	}
	if record == "" {
		return f, nil
	}
	kind, id, ok := strings.Cut(record, ":")
	id = strings.TrimSpace(id)
	switch kind {
	case "journal":
		no, year, err := parseJournalRef(id)
		if !ok || err != nil {
			return f, usageError(fmt.Sprintf("--record %s: нужен номер записи журнала и год, например journal:15/2026",
				record))
		}
		f.Kind = kind
		if st != nil {
			e, err := st.JournalByNo(year, no)
			if err != nil {
				return f, err
			}
			f.ID = e.ID
		}
	case "register":
		if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
			return f, usageError(fmt.Sprintf("--record %s: нужен ИНН работодателя, например register:7707083893", record))
		}
		f.Kind = kind
		if st == nil {
			break
		}
		if store.CheckINN(id) != nil { // not an INN: the id column of `sout export register`
			f.ID, _ = strconv.ParseUint(id, 10, 64)
			if _, err := st.RegisterEntry(f.ID); err != nil {
				return f, store.Errorf(store.CodeNotFound, "--record %s: в реестре нет записи с номером %s "+
					"(и это не ИНН)", record, id)
			}
			break
		}
		card, err := st.FindByINN(id)
		if err != nil {
			return f, err
		}
		for _, e := range card.Register {
			f.IDs = append(f.IDs, e.ID)
		}
		if len(f.IDs) == 0 {
			return f, store.Errorf(store.CodeNotFound, "В реестре нет записей работодателя с ИНН %s", id)
		}
	case "user", "lock":
		if !ok || id == "" {
			return f, usageError(fmt.Sprintf("--record %s: нужно имя, например user:anna или lock:2026H1", record))
		}
		f.Kind, f.Name = kind, id
	default:
		return f, usageError(fmt.Sprintf("--record %s: вид записи — journal, register, user или lock", record))
	}
	return f, nil
}

// parseJournalRef reads a journal registration number as printed: «15/2026».
func parseJournalRef(s string) (no, year int, err error) {
	n, y, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, strconv.ErrSyntax
	}
	if no, err = strconv.Atoi(n); err == nil {
		year, err = strconv.Atoi(y)
	}
	if err == nil && (no <= 0 || year < 1000 || year > 9999) {
		err = strconv.ErrRange
	}
	return no, year, err
}

// writeAuditText writes one line per audit record and one indented line per
// changed field, and returns how many records it wrote.
func writeAuditText(w io.Writer, st *store.Store, f store.AuditFilter) (int, error) {
	n := 0
	bw := bufio.NewWriter(w)
	err := st.AuditWhere(f, func(r *store.AuditRecord) error {
		n++
		at := time.Unix(r.At, 0).Format("02.01.2006 15:04:05")
		if r.Kind == "import" && (f.ID != 0 || len(f.IDs) > 0) { // the import that created the record
			_, err := fmt.Fprintf(bw, "%s  %-12s %s\n", at, r.User, r.CreatedByImport())
			return err
		}
		line := fmt.Sprintf("%s  %-12s %s", at, r.User, r.ActionTitle())
		if what := strings.TrimSpace(r.KindTitle() + " " + r.Ref()); what != "" {
			line += ": " + what
		}
		if note := auditNote(r); note != "" {
			line += "  " + note
		}
		fmt.Fprintln(bw, line)
		if r.Kind == "import" {
			// Its fields are bookkeeping (the ranges of the records added,
			// by internal number, which find a record's import); the note
			// says what was loaded. The CSV form keeps them.
			return nil
		}
		for _, c := range r.Changes() {
			before, after := st.ShowChange(c)
			fmt.Fprintf(bw, "    %s: «%s» → «%s»\n", c.Label(), before, after)
		}
		return nil
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}

// auditNote is r's note unless it only repeats the record's name (a journal
// change notes its «15/2026», which Ref already shows).
func auditNote(r *store.AuditRecord) string {
	if ref := r.Ref(); r.Note != "" && (r.Note == ref || "№ "+r.Note == ref) {
		return ""
	}
	return r.Note
}

// writeAuditCSV writes one row per changed field (one row for a record that
// changed no field), for a spreadsheet, and returns how many records it wrote.
func writeAuditCSV(w io.Writer, st *store.Store, f store.AuditFilter) (int, error) {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Время", "Пользователь", "Действие", "Вид", "Запись", "Поле", "Было", "Стало", "Примечание"})
	n := 0
	err := st.AuditWhere(f, func(r *store.AuditRecord) error {
		n++
		head := []string{time.Unix(r.At, 0).Format("02.01.2006 15:04:05"), r.User, r.ActionTitle(), r.KindTitle(), r.Ref()}
		changes := r.Changes()
		if len(changes) == 0 {
			changes = []store.FieldChange{{}}
		}
		for _, c := range changes {
			row := append(append([]string(nil), head...), c.Label())
			before, after := st.ShowChange(c)
			row = append(row, before, after, auditNote(r))
			for i := range row {
				row[i] = report.Neutralize(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

func cmdBackup(e *env, args []string) error {
	fs := newFlags("backup", e)
	out := fs.String("o", "", "файл копии")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("backup принимает только -o ФАЙЛ")
	}
	if *out == "" && !e.remote {
		return usageError("нужен -o ФАЙЛ (или -o - для вывода в stdout)")
	}
	return e.withStore(func(st *store.Store) error {
		var n int64
		err := e.writeTo(*out, func(w io.Writer) error {
			var err error
			n, err = st.Backup(e.ctx, w)
			return err
		})
		if err == nil && *out != "" && *out != "-" {
			fmt.Fprintf(e.stdout, "Резервная копия записана: %s (%d байт)\n", *out, n)
		}
		return err
	})
}

func cmdCheck(e *env, args []string) error {
	fs := newFlags("check", e)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return e.withStore(func(st *store.Store) error {
		problems, err := st.Check(e.ctx)
		if err != nil {
			return err
		}
		pages, err := st.CheckPages()
		if err != nil {
			return err
		}
		problems = append(problems, pages...)
		for _, p := range problems {
			fmt.Fprintln(e.stdout, p)
		}
		if len(problems) > 0 {
			return store.Errorf(store.CodeInvalid, "проверка базы %s: найдено несоответствий: %d", e.dbPath, len(problems))
		}
		fmt.Fprintf(e.stdout, "Проверка пройдена: %s в порядке\n", e.dbPath)
		return nil
	})
}

func cmdCompact(e *env, args []string) error {
	fs := newFlags("compact", e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("compact не принимает аргументов")
	}
	start := time.Now()
	type result struct {
		before, after int64
		err           error
	}
	done := make(chan result, 1)
	go func() {
		before, after, err := store.Compact(e.ctx, e.dbPath)
		done <- result{before, after, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-e.ctx.Done():
		// A compaction cannot stop midway; the file is replaced only by a
		// whole, synced copy, so ending the process now leaves it as it was.
		return e.ctx.Err()
	}
	before, after, err := r.before, r.after, r.err
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Файл %s уплотнён за %.1f с: %.1f МБ → %.1f МБ\n", e.dbPath, time.Since(start).Seconds(),
		float64(before)/(1<<20), float64(after)/(1<<20))
	return nil
}
