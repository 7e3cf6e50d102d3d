package report

import (
	"fmt"
	"regexp"
	"strings"

	"sout/store"
)

// formHeadingRows is how many non-empty rows from the top of a sheet may
// come before its headings (titles, the header block).
const formHeadingRows = 30

// formHeadingsText is what a register in the form's layout is recognised by.
const formHeadingsText = "№ п/п, Дата внесения, Наименование работодателя, ИНН, Код по ОКВЭД, Организация, " +
	"проводившая СОУТ"

// registerFormColumns are the columns of a register in the form's layout,
// found from its heading row.
type registerFormColumns struct {
	no, date, name, inn, okved, org int
	grid                            int // first of the nine figure columns
}

// formHeads name the lead columns in messages.
var formHeads = [...]string{
	"№ п/п",
	"дата внесения",
	"наименование работодателя",
	"ИНН",
	"код по ОКВЭД",
	"организация, проводившая СОУТ",
}

// norm folds case, spaces and the letters ё/е of a heading.
func norm(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.Join(strings.Fields(s), " ")), "ё", "е")
}

// numberHeading matches «№ п/п», «N п/п», «No п/п», «№», «№п/п», «п/п».
var numberHeading = regexp.MustCompile(`^(№|n|no|n°|nn)?\.?\s*(п/п|пп|п\.п\.)?$`)

// findFormColumns finds the columns of the form's headings in rec, whatever
// their case and small wording variants, or returns nil.
func findFormColumns(rec []string) *registerFormColumns {
	c := registerFormColumns{no: -1, date: -1, name: -1, inn: -1, okved: -1, org: -1, grid: -1}
	for i, v := range rec {
		v = norm(v)
		switch {
		case v == "":
		case c.no < 0 && numberHeading.MatchString(v):
			c.no = i
		case c.date < 0 && strings.HasPrefix(v, "дата"):
			c.date = i
		case c.inn < 0 && (v == "инн" || strings.HasPrefix(v, "инн ")):
			c.inn = i
		case c.okved < 0 && strings.Contains(v, "оквэд"):
			c.okved = i
		case c.org < 0 && strings.Contains(v, "организац") && (strings.Contains(v, "оценк") || strings.Contains(v,
			"соут")):
			c.org = i
		case c.name < 0 && (strings.Contains(v, "работодател") || strings.Contains(v, "хозяйствующ")):
			c.name = i
		case c.grid < 0 && strings.HasPrefix(v, "общее количество"):
			c.grid = i
		}
	}
	if c.no < 0 || c.date < 0 || c.name < 0 || c.inn < 0 || c.okved < 0 || c.org < 0 {
		return nil
	}
	if c.grid < 0 {
		c.grid = c.org + 1
	}
	return &c
}

// lead returns the colRef of lead column k (0 = №, … 5 = organisation).
func (c *registerFormColumns) lead(k int) colRef {
	return colRef{i: [...]int{c.no, c.date, c.name, c.inn, c.okved, c.org}[k], name: formHeads[k], letter: true}
}

// figure returns the colRef of figure column g (0 = total … 8 = class 4).
func (c *registerFormColumns) figure(g int) colRef {
	return colRef{i: c.grid + g, name: "графа " + fmt.Sprint(7+g) + " «" + store.ColNames[g] + "»", letter: true}
}

// formBlock is an employer's five rows, or a totals block, being read.
type formBlock struct {
	e      store.RegisterEntry
	at     loc
	rows   int  // rows of figures read
	totals bool // a totals block: compared, not loaded
	ok     bool // no error in its first row
}

// formSheet reads one sheet in the form's layout.
type formSheet struct {
	k     *registerSink
	t     *xlsxTable
	c     *registerFormColumns
	cur   *formBlock
	since store.Grid // sum of the entries since the last totals row
	all   store.Grid // sum of all entries of the sheet
}

// readForm reads a register kept in the form's layout: after the headings,
// five rows per employer by position (a blank figure is 0, a blank row a
// row of zeros), with title rows, blank rows, totals, footers and signature
// lines around them.
func (k *registerSink) readForm(t *xlsxTable, c *registerFormColumns) error {
	fs := &formSheet{k: k, t: t, c: c}
	k.startSheet(t.sheet)
	err := eachRow(k.ctx, t, func(rec []string, line int) error {
		k.tick(nil, 0)
		return fs.row(rec, loc{sheet: t.sheet, line: line})
	})
	if err != nil {
		return err
	}
	if err := fs.close(); err != nil {
		return err
	}
	k.endSheet()
	return nil
}

func formCell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// isTotals reports whether a row is a totals row: «Итого» or «Всего» in any cell.
func isTotals(rec []string) bool {
	for _, v := range rec {
		v = norm(v)
		if strings.HasPrefix(v, "итого") || strings.HasPrefix(v, "всего") {
			return true
		}
	}
	return false
}

// row takes one row of the sheet.
func (fs *formSheet) row(rec []string, at loc) error {
	c := fs.c
	if fs.cur != nil && fs.cur.totals && fs.cur.rows > 0 && (formCell(rec, c.inn) != "" || isTotals(rec)) {
		fs.compareTotals(fs.cur) // a one-row total
		fs.cur = nil
	}
	if fs.cur != nil && fs.cur.rows < store.NumRows {
		if fs.cur.rows > 0 && (formCell(rec, c.inn) != "" || isTotals(rec)) {
			fs.k.errs.add(
				at,
				noCol,
				fmt.Sprintf(
					"у записи со %s не пять строк показателей (рабочие места, работники, женщины, до 18, инвалиды), а %d",
					fs.cur.at,
					fs.cur.rows,
				),
				"",
			)
			fs.cur = nil
		} else {
			fs.figures(rec, at)
			if fs.cur.rows == store.NumRows {
				return fs.end()
			}
			return nil
		}
	}
	no := formCell(rec, c.no)
	if no == "1" && formCell(rec, c.date) == "2" && formCell(rec, c.name) == "3" { // the row of column numbers
		return nil
	}
	switch {
	case isTotals(rec):
		fs.cur = &formBlock{at: at, totals: true, ok: true}
		fs.figures(rec, at)
		if !fs.hasFigures(rec) { // a heading «Итого» over a block of five, or a one-line total without figures
			fs.cur.rows = 0
		}
	case formCell(rec, c.inn) != "" || (isCount(no) && formCell(rec, c.name) != ""):
		fs.start(rec, at)
		fs.figures(rec, at)
	case fs.hasFigures(rec):
		fs.k.errs.add(
			at,
			noCol,
			"строка показателей вне записи: нет ни ИНН, ни наименования работодателя в строках выше",
			"",
		)
	}
	return nil
}

// isCount reports whether s is a sequence number such as «12» or «12.».
func isCount(s string) bool {
	n, err := cellCount(strings.TrimSuffix(s, "."))
	return err == nil && n > 0
}

// hasFigures reports whether a row has a figure (a number in a figure
// column): the heading rows over the figures have words there.
func (fs *formSheet) hasFigures(rec []string) bool {
	for g := 0; g < store.NumCols; g++ {
		if v := formCell(rec, fs.c.grid+g); v != "" {
			if _, err := cellCount(v); err == nil {
				return true
			}
		}
	}
	return false
}

// start begins an employer's block at its first row.
func (fs *formSheet) start(rec []string, at loc) {
	c, k := fs.c, fs.k
	b := &formBlock{at: at, ok: true}
	raw := formCell(rec, c.date)
	d, err := cellDate(raw)
	if err != nil {
		k.errs.add(at, c.lead(1), err.Error(), raw)
		b.ok = false
	}
	name, addr, guessed := splitNameAddress(formCell(rec, c.name))
	if guessed {
		k.res.Guessed++
		k.note("%s: наименование и адрес разделены по запятой: «%s» | «%s»", at, name, addr)
	}
	org, regNo := splitOrg(formCell(rec, c.org))
	inn := k.identCell(fs.t, c.inn, at, c.lead(3), "inn", formCell(rec, c.inn))
	okved := k.identCell(fs.t, c.okved, at, c.lead(4), "okved", formCell(rec, c.okved))
	b.e = store.RegisterEntry{EnteredOn: d, Employer: store.Employer{Name: name, Address: addr, INN: inn, OKVED: okved},
		SoutOrg: store.SoutOrg{Name: org, RegNo: regNo}}
	fs.cur = b
}

// figures reads the nine figures of the block's next row.
func (fs *formSheet) figures(rec []string, at loc) {
	b := fs.cur
	for g := 0; g < store.NumCols; g++ {
		v := formCell(rec, fs.c.grid+g)
		n, err := cellCount(v)
		if err != nil {
			fs.k.errs.add(at, fs.c.figure(g), "нужно целое число не меньше 0", v)
			b.ok = false
			continue
		}
		b.e.Grid[g][b.rows] = n
	}
	b.rows++
}

// end finishes a block of five rows.
func (fs *formSheet) end() error {
	b := fs.cur
	fs.cur = nil
	if b.totals {
		fs.compareTotals(b)
		return nil
	}
	if !b.ok {
		return nil
	}
	b.e.Normalize()
	ps := b.e.Validate(fs.k.today).Errors()
	for _, p := range ps {
		col, at := fs.problemCell(p.Field, b.at)
		fs.k.errs.add(at, col, p.Message, "")
	}
	if len(ps) > 0 {
		return nil
	}
	fs.since.Add(&b.e.Grid)
	fs.all.Add(&b.e.Grid)
	return fs.k.add(b.e, "", b.at, noCol, fs.c.lead(1))
}

// problemCell names the cell a validation problem is about.
func (fs *formSheet) problemCell(field string, at loc) (colRef, loc) {
	switch field {
	case store.FieldEnteredOn:
		return fs.c.lead(1), at
	case store.FieldEmployerName, store.FieldEmployerAddress:
		return fs.c.lead(2), at
	case store.FieldINN:
		return fs.c.lead(3), at
	case store.FieldOKVED:
		return fs.c.lead(4), at
	case store.FieldSoutOrgName, store.FieldSoutOrgRegNo:
		return fs.c.lead(5), at
	}
	for g := 0; g < store.NumCols; g++ {
		for r := 0; r < store.NumRows; r++ {
			if store.FieldKey(g, r) == field {
				return fs.c.figure(g), loc{sheet: at.sheet, line: at.line + r}
			}
		}
	}
	return noCol, at
}

// compareTotals skips a totals block with a note, and warns when its sums
// are neither those of the entries since the last totals nor of the sheet.
func (fs *formSheet) compareTotals(b *formBlock) {
	k := fs.k
	k.res.Totals++
	k.note("%s: строка итогов пропущена", b.at)
	same := func(sum *store.Grid) bool {
		for g := range sum {
			for r := 0; r < b.rows; r++ {
				if sum[g][r] != b.e.Grid[g][r] {
					return false
				}
			}
		}
		return true
	}
	// All blank is nothing to compare: formulas whose values were never
	// stored (a file made by a program, not saved by Excel) read blank.
	if b.ok && !b.e.Grid.IsZero() && !same(&fs.since) && !same(&fs.all) {
		k.warn("%s: итоги не сходятся с суммой записей выше: рабочих мест в итогах %d, в записях %d",
			b.at, b.e.Grid[store.ColTotal][store.RowWorkplaces], fs.since[store.ColTotal][store.RowWorkplaces])
	}
	fs.since = store.Grid{}
}

// close ends the sheet: an unfinished block is an error, an unfinished
// totals block (a one-line total) is compared as it is.
func (fs *formSheet) close() error {
	b := fs.cur
	if b == nil {
		return nil
	}
	if b.totals {
		fs.compareTotals(b)
		return nil
	}
	for b.rows < store.NumRows { // blank rows at the very end of the sheet are rows of zeros
		b.rows++
	}
	return fs.end()
}

// addressStart matches the start of an address after a comma: a postcode,
// a region, or an abbreviation of a place or a street.
var addressStart = regexp.MustCompile(
	`^(\d{6}([^\d]|$)|(г|ул|пр|пр-т|просп|пер|пос|п|с|д|дер|обл|р-н|мкр|пгт|ш|наб|пл|б-р|стр|корп|кв|рп|ст|респ)\.|` +
		`(город|улица|проспект|переулок|поселок|посёлок|село|деревня|область|район|край|республика|` +
		`россия|российская федерация|рф)([\s,.;]|$)|` +
		`[а-яё-]+ (обл\.|область|край|р-н|район)([\s,.;]|$))`,
)

// splitNameAddress splits the form's column 3 into name and address: at a
// line break when there is one; otherwise at the first comma outside quotes
// followed by an address (guessed is then true); otherwise all is the name.
func splitNameAddress(s string) (name, address string, guessed bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n, a, ok := strings.Cut(s, "\n"); ok {
		return strings.TrimSpace(n), strings.TrimSpace(a), false
	}
	depth, inQuote := 0, false
	for i, r := range s {
		switch r {
		case '"', '„', '“', '”':
			inQuote = !inQuote
		case '«':
			depth++
		case '»':
			depth = max(0, depth-1)
		case ',':
			if depth > 0 || inQuote {
				continue
			}
			rest := strings.TrimSpace(s[i+1:])
			if addressStart.MatchString(strings.ToLower(rest)) {
				return strings.TrimSpace(s[:i]), rest, true
			}
		}
	}
	return s, "", false
}

// splitOrg splits «Организация, рег. № 123».
func splitOrg(s string) (name, regNo string) {
	for _, sep := range []string{", рег. № ", ", рег.№ ", ", рег. №", ", № ", " (рег. № "} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			return strings.TrimSpace(s[:i]), strings.Trim(strings.TrimSpace(s[i+len(sep):]), ")")
		}
	}
	return strings.TrimSpace(s), ""
}
