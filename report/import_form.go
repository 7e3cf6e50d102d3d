package report

import (
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sout/store"
)

// formHeadingRows is how far down an XLSX register kept in the form's own
// layout may have its headings.
const formHeadingRows = 30

// registerFormColumns finds the columns of a register in the form's layout
// from its heading row, or returns nil.
type registerFormColumns struct {
	no, date, name, inn, okved, org int
	grid                            int // first of the nine figure columns
}

func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func findFormColumns(rec []string) *registerFormColumns {
	c := registerFormColumns{no: -1, date: -1, name: -1, inn: -1, okved: -1, org: -1}
	for i, v := range rec {
		v = norm(v)
		switch {
		case strings.HasPrefix(v, "№ п/п") || v == "№":
			c.no = i
		case strings.Contains(v, "дата внесения"):
			c.date = i
		case strings.Contains(v, "наименование работодателя"):
			c.name = i
		case v == "инн" || strings.HasPrefix(v, "инн "):
			c.inn = i
		case strings.Contains(v, "оквэд"):
			c.okved = i
		case strings.Contains(v, "проводившей специальную оценку") || strings.Contains(v, "проводившей соут"):
			c.org = i
		}
	}
	if c.no < 0 || c.date < 0 || c.name < 0 || c.inn < 0 || c.okved < 0 || c.org < 0 {
		return nil
	}
	c.grid = c.org + 1
	for c.grid < len(rec) && strings.TrimSpace(rec[c.grid]) == "" { // sout's column of the marks <1*>…<5*>
		c.grid++
	}
	return &c
}

// isRegisterForm reports whether path is an XLSX register in the form's own layout.
func isRegisterForm(path string) (bool, error) {
	t, err := openTable(path)
	if err != nil {
		return false, err
	}
	defer t.close()
	if _, ok := t.(*xlsxTable); !ok {
		return false, nil
	}
	for i := 0; i < formHeadingRows; i++ {
		rec, _, err := t.next()
		if err != nil {
			return false, nil
		}
		if _, isData := indexOf(rec, "entered_on"); isData {
			return false, nil
		}
		if findFormColumns(rec) != nil {
			return true, nil
		}
	}
	return false, nil
}

func indexOf(rec []string, s string) (int, bool) {
	for i, v := range rec {
		if strings.TrimSpace(v) == s {
			return i, true
		}
	}
	return 0, false
}

var postcode = regexp.MustCompile(`, (\d{6}),? `)

// splitNameAddress splits «Наименование, 443001, г. Самара, …» at the postcode.
func splitNameAddress(s string) (name, address string) {
	s = strings.TrimSpace(s)
	if name, address, ok := strings.Cut(s, "\n"); ok { // sout's form: the address on a line of its own
		return strings.TrimSpace(name), strings.TrimSpace(address)
	}
	if loc := postcode.FindStringIndex(s); loc != nil {
		return strings.TrimSpace(s[:loc[0]]), strings.TrimSpace(s[loc[0]+2:])
	}
	return s, ""
}

// splitOrg splits «Организация, рег. № 123».
func splitOrg(s string) (name, regNo string) {
	for _, sep := range []string{", рег. № ", ", рег.№ ", ", № ", " (рег. № "} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			return strings.TrimSpace(s[:i]), strings.Trim(strings.TrimSpace(s[i+len(sep):]), ")")
		}
	}
	return strings.TrimSpace(s), ""
}

// formDate reads a date cell: dd.mm.yyyy, YYYY-MM-DD, or an Excel serial number.
func formDate(s string) (store.Date, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 20000 && n < 80000 {
		return store.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))), nil
	}
	return store.ParseDate(s)
}

// importRegisterForm reads a register kept in Excel in the form's own layout:
// title rows, the printed headings, and five rows per employer.
func importRegisterForm(ctx context.Context, s *store.Store, a store.Actor, path string, opt ImportOptions) (*ImportResult, error) {
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	defer t.close()
	t = &ctxTable{table: t, ctx: ctx}
	var cols *registerFormColumns
	for i := 0; i < formHeadingRows && cols == nil; i++ {
		rec, _, err := t.next()
		if err != nil {
			return nil, store.Errorf(store.CodeInvalid, "%s: не найдены заголовки формы реестра", path)
		}
		cols = findFormColumns(rec)
	}
	today := s.Today()
	errs := &errorList{path: path}
	var entries []store.RegisterEntry
	var cur *store.RegisterEntry
	var curLine, sub int
	finish := func() {
		if cur == nil {
			return
		}
		if sub != store.NumRows {
			errs.add(curLine, 0, "", "у записи не пять строк показателей (рабочие места, работники, женщины, до 18, инвалиды), а "+strconv.Itoa(sub), "")
		} else if ps := cur.Validate(today).Errors(); len(ps) > 0 {
			errs.add(curLine, 0, "", ps.Error(), "")
		} else {
			entries = append(entries, *cur)
		}
		cur = nil
	}
	cell := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		first := cell(rec, cols.no)
		if first == "1" && cell(rec, cols.date) == "2" { // the row of column numbers
			continue
		}
		if first != "" || cell(rec, cols.inn) != "" {
			if _, err := strconv.Atoi(first); err != nil && cell(rec, cols.inn) == "" {
				// Text below the table (the signature footer) ends it.
				break
			}
			finish()
			d, err := formDate(cell(rec, cols.date))
			if err != nil {
				errs.add(line, cols.date+1, "дата внесения", err.Error(), cell(rec, cols.date))
			}
			name, addr := splitNameAddress(cell(rec, cols.name))
			org, regNo := splitOrg(cell(rec, cols.org))
			cur = &store.RegisterEntry{EnteredOn: d, Employer: store.Employer{Name: name, Address: addr, INN: cell(rec, cols.inn), OKVED: cell(rec, cols.okved)}, SoutOrg: store.SoutOrg{Name: org, RegNo: regNo}}
			curLine, sub = line, 0
			if err != nil {
				cur = nil
				continue
			}
		}
		if cur == nil {
			continue
		}
		if sub >= store.NumRows {
			errs.add(line, 0, "", "лишняя строка показателей: у записи уже пять строк", "")
			continue
		}
		for c := 0; c < store.NumCols; c++ {
			v := cell(rec, cols.grid+c)
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
			if err != nil || n < 0 {
				errs.add(line, cols.grid+c+1, store.ColNames[c], "нужно целое число не меньше 0", v)
				continue
			}
			cur.Grid[c][sub] = n
		}
		sub++
	}
	finish()
	if err := errs.err(); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, store.Errorf(store.CodeInvalid, "%s: в форме реестра нет ни одной записи", path)
	}
	res := &ImportResult{Count: len(entries)}
	if opt.DryRun {
		return res, nil
	}
	im, err := s.BeginImport(ctx, a, path)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(entries); i += importChunk {
		if err := im.AddRegister(entries[i:min(len(entries), i+importChunk)]); err != nil {
			im.Abort()
			return nil, err
		}
	}
	return res, im.Commit()
}
