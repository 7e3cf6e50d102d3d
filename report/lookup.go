package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"sout/store"
)

// This file is the output of `sout lookup`: pure functions of the records
// (and of «today», from the store's clock), so that the command stays a thin
// call and the output has golden tests. Dates in text are dd.mm.yyyy, as in
// the forms; the JSON keeps YYYY-MM-DD, the form of the data files.

// matchJSON is one employer of the JSON list of `sout lookup WORDS --json`.
type matchJSON struct {
	INN       string `json:"inn"`
	Name      string `json:"name"`
	OGRN      string `json:"ogrn"`
	OKVED     string `json:"okved"`
	LastEntry string `json:"last_entry,omitempty"`
}

// WriteMatches writes the employers a search found: as text one a line,
// INN, name, OKVED and the date of the latest register entry, tab-separated;
// as JSON a list.
func WriteMatches(w io.Writer, found []store.EmployerMatch, asJSON bool) error {
	bw := bufio.NewWriter(w)
	if asJSON {
		out := make([]matchJSON, 0, len(found))
		for _, m := range found {
			out = append(out, matchJSON{m.INN, m.Name, m.OGRN, m.OKVED, m.LastDate.String()})
		}
		if err := encodeJSON(bw, out); err != nil {
			return err
		}
		return bw.Flush()
	}
	for _, m := range found {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\n", m.INN, m.Name, m.OKVED, m.LastDate.Ru())
	}
	return bw.Flush()
}

// encodeJSON writes v as indented JSON.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// journalJSON is one journal entry of the card's JSON.
type journalJSON struct {
	RegNo      string `json:"reg_no"`
	ReceivedOn string `json:"received_on"`
	SoutOrg    string `json:"sout_org_name"`
	Letter     string `json:"letter"`
	Status     string `json:"status"`
	Reason     string `json:"status_reason,omitempty"`
	Deadline   string `json:"return_deadline,omitempty"`
}

// registerJSON is one register entry of the card's JSON.
type registerJSON struct {
	ID        uint64         `json:"id"`
	EnteredOn string         `json:"entered_on"`
	OKVED     string         `json:"okved"`
	SoutOrg   string         `json:"sout_org_name"`
	JournalNo string         `json:"journal_no,omitempty"`
	Figures   map[string]int `json:"figures"`
}

// cardJSON is the stable JSON shape of `sout lookup INN --json`.
type cardJSON struct {
	INN      string         `json:"inn"`
	Name     string         `json:"name"`
	Address  string         `json:"address"`
	OGRN     string         `json:"ogrn"`
	OKVED    string         `json:"okved"`
	Journal  []journalJSON  `json:"journal"`
	Register []registerJSON `json:"register"`
}

// WriteCardJSON writes an employer's card as JSON: the employer, its journal
// entries and its register entries with every figure by its field key.
func WriteCardJSON(w io.Writer, c store.EmployerCard) error {
	emp := c.Employer
	out := cardJSON{INN: emp.INN, Name: emp.Name, Address: emp.Address, OGRN: emp.OGRN, OKVED: emp.OKVED,
		Journal: []journalJSON{}, Register: []registerJSON{}}
	refs := map[uint64]string{}
	for _, j := range c.Journal {
		refs[j.ID] = j.Ref()
		out.Journal = append(out.Journal, journalJSON{j.Ref(), j.ReceivedOn.String(), j.SoutOrgName, j.Letter(),
			string(j.Status), j.StatusReason, j.ReturnDeadline.String()})
	}
	for _, r := range c.Register {
		f := map[string]int{}
		for col := 0; col < store.NumCols; col++ {
			for row := 0; row < store.NumRows; row++ {
				f[store.FieldKey(col, row)] = r.Grid[col][row]
			}
		}
		out.Register = append(out.Register, registerJSON{ID: r.ID, EnteredOn: r.EnteredOn.String(),
			OKVED: r.Employer.OKVED, SoutOrg: r.SoutOrg.Name, JournalNo: refs[r.JournalID], Figures: f})
	}
	return encodeJSON(w, out)
}

// WriteCard writes an employer's card as text: the employer, its journal
// entries (a returned one with its deadline, marked when overdue on today)
// and its register entries with the workplaces by class.
func WriteCard(w io.Writer, c store.EmployerCard, today store.Date) error {
	bw := bufio.NewWriter(w) // tabwriter writes cell by cell: one write, not a hundred
	emp := c.Employer
	fmt.Fprintf(bw, "%s\nИНН %s", emp.Name, emp.INN)
	if emp.OGRN != "" {
		fmt.Fprintf(bw, ", ОГРН %s", emp.OGRN)
	}
	if emp.OKVED != "" {
		fmt.Fprintf(bw, ", ОКВЭД %s", emp.OKVED)
		if s := store.SectionOf(emp.OKVED); s != nil {
			fmt.Fprintf(bw, " (раздел %s)", s.Letter)
		}
	}
	fmt.Fprintln(bw)
	if emp.Address != "" {
		fmt.Fprintln(bw, emp.Address)
	}
	fmt.Fprintf(bw, "\nЖурнал (%d):\n", len(c.Journal))
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	for _, j := range c.Journal {
		status := j.Status.Title()
		if j.Status == store.StatusReturned {
			status += " до " + j.ReturnDeadline.Ru()
			if j.Overdue(today) {
				status += " — ПРОСРОЧЕНО"
			}
		}
		fmt.Fprintf(tw, "  № %s\t%s\t%s\t%s\n", j.Ref(), j.ReceivedOn.Ru(), j.SoutOrgName, status)
	}
	tw.Flush()
	fmt.Fprintf(bw, "\nРеестр (%d):\n", len(c.Register))
	tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  Дата\tРМ всего\tСОУТ\t1\t2\t3.1\t3.2\t3.3\t3.4\t4\tработников\t")
	for _, r := range c.Register {
		g := r.Grid
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.EnteredOn.Ru(),
			g[store.ColTotal][store.RowWorkplaces], g[store.ColAssessed][store.RowWorkplaces],
			g[store.ColClass1][store.RowWorkplaces], g[store.ColClass2][store.RowWorkplaces],
			g[store.ColClass31][store.RowWorkplaces], g[store.ColClass32][store.RowWorkplaces],
			g[store.ColClass33][store.RowWorkplaces], g[store.ColClass34][store.RowWorkplaces],
			g[store.ColClass4][store.RowWorkplaces], g[store.ColAssessed][store.RowWorkers])
	}
	tw.Flush()
	for _, r := range c.Register { // they stay in the history, out of the forms
		if an := r.Annulled; r.IsAnnulled() {
			fmt.Fprintf(bw, "  запись от %s аннулирована %s (%s): %s\n", r.EnteredOn.Ru(),
				store.DateOf(time.Unix(an.At, 0)).Ru(), an.By, an.Reason)
		}
	}
	return bw.Flush()
}
