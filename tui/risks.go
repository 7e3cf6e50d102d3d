package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sout/report"
	"sout/store"
)

// risksLoadedMsg carries the computed risk indicators of a period.
type risksLoadedMsg struct {
	p   store.Period
	r   *report.Risks
	err error
}

// orgsLoadedMsg carries the SOUT organisations of a period against the region.
type orgsLoadedMsg struct {
	p    store.Period
	orgs []report.OrgShare
	err  error
}

// risksScreen shows the risk indicators of a half-year: counts per indicator
// at the top, the employers with their indicators below (filtered by
// indicator and OKVED section), and for the head the SOUT organisations
// against the region and the class shares over ten half-years.
type risksScreen struct {
	sh     *shared
	period store.Period
	r      *report.Risks
	orgs   []report.OrgShare
	// indicator is the filter: -1 all, else an index in report.RiskIndicators;
	// section likewise: -1 all, else an index in store.Sections, or
	// len(store.Sections) for employers without a valid OKVED.
	indicator, section int
	rows               []int // indexes in r.Flags that pass the filters
	cursor, top        int
	analytics          bool // the head's view instead of the list
	offset             int  // scroll of the head's view
	calc               oneAtATime
	stale              bool
	// ctx is the context of the computations of the period on view: it is
	// cancelled when the period changes and when the session ends, so that
	// a computation nobody will see stops at its next batch of reads.
	ctx    context.Context
	cancel context.CancelFunc
	// The same for the organisations, which read whole entries and are
	// computed only for the head's view.
	orgsLoading, orgsAgain, orgsStale bool
	w, h                              int
}

func newRisksScreen(sh *shared) *risksScreen {
	return &risksScreen{sh: sh, period: store.HalfYearOf(sh.st.Today()), indicator: -1, section: -1, w: 80, h: 20}
}

// Init computes nothing: the indicators are computed when the screen is
// first shown (show), so that a session that never opens it never pays for
// them.
func (s *risksScreen) Init() tea.Cmd { return nil }

// show computes the indicators, called when the screen comes on view, if
// they are missing or stale.
func (s *risksScreen) show() tea.Cmd {
	if s.r != nil && !s.stale {
		return nil
	}
	return s.refresh()
}

// SetSize sets the area the screen draws in.
func (s *risksScreen) SetSize(w, h int) { s.w, s.h = w, h }

// refresh recomputes after a change, one computation at a time.
func (s *risksScreen) refresh() tea.Cmd {
	s.stale = false
	if s.calc.queue() {
		return nil
	}
	return s.load()
}

func (s *risksScreen) load() tea.Cmd {
	s.calc.begin()
	s.orgsStale = true
	ctx, st, p := s.periodCtx(), s.sh.st, s.period
	return tea.Batch(func() tea.Msg {
		r, err := report.BuildRisks(ctx, st, p)
		return risksLoadedMsg{p, r, err}
	}, s.loadOrgs())
}

// periodCtx returns the context of the period on view's computations.
func (s *risksScreen) periodCtx() context.Context {
	if s.ctx == nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
	return s.ctx
}

// stop cancels the computations of the period on view.
func (s *risksScreen) stop() {
	if s.cancel != nil {
		s.cancel()
	}
	s.ctx, s.cancel = nil, nil
}

// loadOrgs compares the SOUT organisations when the head's view is shown
// and they are stale, one computation at a time.
func (s *risksScreen) loadOrgs() tea.Cmd {
	switch {
	case !s.analytics || !s.orgsStale:
		return nil
	case s.orgsLoading:
		s.orgsAgain = true
		return nil
	}
	s.orgsLoading, s.orgsStale = true, false
	ctx, st, p := s.periodCtx(), s.sh.st, s.period
	return func() tea.Msg {
		orgs, err := report.BuildOrgShares(ctx, st, p)
		return orgsLoadedMsg{p, orgs, err}
	}
}

// Update handles the screen's messages and keys.
func (s *risksScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case risksLoadedMsg:
		// Asked for again meanwhile (another period, a change): this one is
		// stale, and the next starts only now, so never two at once.
		if s.calc.end() {
			return s.load()
		}
		switch {
		case msg.p != s.period || errors.Is(msg.err, context.Canceled):
		case msg.err != nil:
			return status(store.ErrorMessage(msg.err), true)
		default:
			s.r = msg.r
			s.filter()
		}
	case orgsLoadedMsg:
		s.orgsLoading = false
		if s.orgsAgain {
			s.orgsAgain = false
			return s.loadOrgs()
		}
		switch {
		case msg.p != s.period || errors.Is(msg.err, context.Canceled):
		case msg.err != nil:
			return status(store.ErrorMessage(msg.err), true)
		default:
			s.orgs = msg.orgs
		}
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *risksScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.sh.keys
	n := len(report.RiskIndicators)
	switch {
	case key.Matches(msg, k.PrevPeriod):
		return s.setPeriod(s.period.PrevHalf())
	case key.Matches(msg, k.NextPeriod):
		return s.setPeriod(s.period.NextHalf())
	case key.Matches(msg, k.RiskView):
		s.analytics = !s.analytics
		return s.loadOrgs()
	case key.Matches(msg, k.WriteXLSX):
		return reportWriteDialog(s.sh, "riski", "risks", s.period, true, s.write(true))
	case key.Matches(msg, k.WriteCSV):
		return reportWriteDialog(s.sh, "riski", "risks", s.period, false, s.write(false))
	case s.analytics:
		s.scrollAnalytics(msg)
	case key.Matches(msg, k.RiskNext):
		s.indicator = (s.indicator+2)%(n+1) - 1
		s.filter()
	case key.Matches(msg, k.RiskPrev):
		s.indicator = (s.indicator+n+1)%(n+1) - 1
		s.filter()
	case key.Matches(msg, k.RiskSection):
		s.section = (s.section+2)%(len(store.Sections)+2) - 1
		s.filter()
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.PageUp):
		s.move(-s.listHeight())
	case key.Matches(msg, k.PageDown):
		s.move(s.listHeight())
	case key.Matches(msg, k.Home):
		s.move(-len(s.rows))
	case key.Matches(msg, k.End):
		s.move(len(s.rows))
	case key.Matches(msg, k.Open):
		if f := s.selected(); f != nil {
			return tea.Batch(func() tea.Msg { return switchMsg{scrLookup} }, findCard(s.sh.st, f.INN))
		}
	}
	return nil
}

// setPeriod shows another period: the computations of the one before are
// cancelled, and those of p start once they have ended.
func (s *risksScreen) setPeriod(p store.Period) tea.Cmd {
	s.period, s.r, s.orgs, s.cursor, s.top, s.offset = p, nil, nil, 0, 0, 0
	s.stop()
	return s.refresh()
}

// close cancels the computations under way: the session ends.
func (s *risksScreen) close() { s.stop() }

func (s *risksScreen) write(xlsx bool) func(w io.Writer) error {
	st, p := s.sh.st, s.period
	return func(w io.Writer) error {
		return report.WriteRisks(context.Background(), w, st, p, report.Format{XLSX: xlsx, Excel: !xlsx})
	}
}

func (s *risksScreen) scrollAnalytics(msg tea.KeyPressMsg) {
	k := s.sh.keys
	switch {
	case key.Matches(msg, k.Up):
		s.offset = max(s.offset-1, 0)
	case key.Matches(msg, k.Down):
		s.offset++
	case key.Matches(msg, k.PageUp):
		s.offset = max(s.offset-s.h+2, 0)
	case key.Matches(msg, k.PageDown):
		s.offset += s.h - 2
	case key.Matches(msg, k.Home):
		s.offset = 0
	}
}

// filter keeps the lines of the chosen indicator and section.
func (s *risksScreen) filter() {
	s.rows = s.rows[:0]
	if s.r == nil {
		return
	}
	key := ""
	if s.indicator >= 0 {
		key = report.RiskIndicators[s.indicator].Key
	}
	for i := range s.r.Flags {
		f := &s.r.Flags[i]
		if key != "" && f.Key != key {
			continue
		}
		if s.section >= 0 && f.Section != s.section && !(s.section == len(store.Sections) && f.Section < 0) {
			continue
		}
		s.rows = append(s.rows, i)
	}
	s.move(0)
}

func (s *risksScreen) selected() *report.RiskFlag {
	if s.r == nil || s.cursor >= len(s.rows) {
		return nil
	}
	return &s.r.Flags[s.rows[s.cursor]]
}

// listHeight is how many employer lines fit under the counts and the filters.
func (s *risksScreen) listHeight() int { return max(s.h-7, 1) }

func (s *risksScreen) move(n int) {
	s.cursor = min(max(s.cursor+n, 0), max(len(s.rows)-1, 0))
	h := s.listHeight()
	s.top = min(max(s.top, s.cursor-h+1), s.cursor)
}

// View draws the period, the counts and the employers, or the head's view.
func (s *risksScreen) View() string {
	st := s.sh.sty
	head := st.title.Render(fmt.Sprintf(txtRiskPeriod, s.period.String())) + "   ←/→"
	if s.r == nil {
		return head + "\n" + txtLoading
	}
	if s.analytics {
		lines := append([]string{head}, s.analyticsLines()...)
		s.offset = min(s.offset, max(len(lines)-s.h, 0))
		return strings.Join(append(lines[:1], lines[1+s.offset:]...), "\n")
	}
	head += "   " + st.dim.Render(fmt.Sprintf(txtRiskEmployers, s.r.Employers))
	lines := append([]string{head}, s.countLines()...)
	sec := txtRiskAllSections
	if s.section == len(store.Sections) {
		sec = txtRiskNoSection
	} else if s.section >= 0 {
		sec = store.Sections[s.section].Letter + ". " + store.Sections[s.section].Name
	}
	// A long section name is cut, never the row count after it.
	rest := width(fmt.Sprintf(txtRiskSection, "", len(s.rows)))
	lines = append(lines, truncate(fmt.Sprintf(txtRiskSection, truncate(sec, max(s.w-rest, 1)), len(s.rows)), s.w))
	return strings.Join(append(lines, s.listLines()...), "\n")
}

// countLines are the counts per indicator, two to a line; the chosen one
// stands out.
func (s *risksScreen) countLines() []string {
	st := s.sh.sty
	half := max(s.w/2-1, 20)
	var cells []string
	for i, ind := range report.RiskIndicators {
		n := fmt.Sprint(s.r.Count(ind.Key))
		c := pad(fmt.Sprintf("%d %s", i+1, truncate(ind.Short, half-len(n)-3)), half-len(n)) + n
		if i == s.indicator {
			c = st.selected.Render(c)
		} else if n != "0" && (ind.Key == report.RiskMinorsHarmful || ind.Key == report.RiskClass4) {
			c = st.overdue.Render(c)
		}
		cells = append(cells, c)
	}
	var out []string
	for i := 0; i < len(cells); i += 2 {
		out = append(out, cells[i]+"  "+cells[i+1])
	}
	return out
}

// listLines are the heading and the visible employer lines.
func (s *risksScreen) listLines() []string {
	st := s.sh.sty
	// The indicator's short name whole (22); the values on view whole when
	// the name keeps 16 cells (a figure, a share, a date: 12).
	end := min(len(s.rows), s.top+s.listHeight())
	valW := 12
	for i := s.top; i < end; i++ {
		valW = max(valW, width(s.r.Flags[s.rows[i]].Value))
	}
	// The value whole first («№ 1367/2026 до 17.12.2026»): the OKVED goes
	// before it is cut, then the name keeps 16 cells.
	valW = max(min(valW, s.w-12-22-3-16), 12)
	widths := layoutCols(s.w, []colSpec{{w: 12}, {share: 1, min: 16}, {w: 8, drop: 1}, {w: 22}, {w: valW}})
	head := []string{txtColINN, txtColEmployer, txtColOKVED, txtColIndicator, txtColValue}
	out := []string{st.header.Render(cols(head, widths, nil))}
	if len(s.rows) == 0 {
		return append(out, st.dim.Render(txtRiskNone))
	}
	for i := s.top; i < end; i++ {
		f := &s.r.Flags[s.rows[i]]
		line := cols([]string{f.INN, f.Employer, f.OKVED, report.RiskIndicatorByKey(f.Key).Short, f.Value}, widths, nil)
		if i == s.cursor {
			line = st.selected.Render(pad(line, s.w))
		}
		out = append(out, line)
	}
	return out
}

// analyticsLines are the head's view: the SOUT organisations against the
// region, then the class shares over ten half-years as bars.
func (s *risksScreen) analyticsLines() []string {
	st := s.sh.sty
	out := []string{"", st.header.Render(txtRiskTrend)}
	out = append(out, trendBars(st, s.r.Trend, s.w)...)
	out = append(out, "", st.header.Render(txtRiskOrgs))
	if s.orgs == nil {
		return append(out, txtLoading)
	}
	if len(s.orgs) == 0 {
		return append(out, st.dim.Render(txtRiskNoOrgs))
	}
	widths := []int{max(s.w-4*9-5, 12), 8, 8, 8, 8}
	right := map[int]bool{1: true, 2: true, 3: true, 4: true}
	head := []string{txtColOrg, txtColWorkers, txtColShare, txtColExpected, txtColGap}
	out = append(out, st.dim.Render(cols(head, widths, right)))
	for i := range s.orgs {
		o := &s.orgs[i]
		line := cols([]string{o.Name, fmt.Sprint(o.Workers), report.Percent1(o.Share()), report.Percent1(o.Expected),
			report.Percent1(o.Gap())}, widths, right)
		if o.Gap() <= -15 {
			line = st.overdue.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// trendBars draws each half-year's workers as one bar split into the
// acceptable (1–2), harmful (3.1–3.4) and dangerous (4) classes; the
// characters differ, so a monochrome terminal shows the split too.
func trendBars(st styles, trend []report.HalfShares, w int) []string {
	const label = 13
	barW := max(w-label-10, 10)
	parts := []struct {
		from, to int // indexes in HalfShares.Classes
		ch       string
		style    lipgloss.Style
	}{
		{0, 1, "░", st.ok},
		{2, 5, "▓", st.warn},
		{6, 6, "█", st.err},
	}
	var out []string
	for _, h := range trend {
		half := txtRiskH2
		if h.Period.From.Month() == 1 {
			half = txtRiskH1
		}
		lbl := fmt.Sprintf("%d %s", h.Period.From.Year(), half)
		if h.Workers == 0 {
			out = append(out, pad(lbl, label)+st.dim.Render(txtRiskNoData))
			continue
		}
		// Cumulative rounding: the parts always add up to the bar's width.
		var b strings.Builder
		cum, drawn := 0, 0
		for _, p := range parts {
			for c := p.from; c <= p.to; c++ {
				cum += h.Classes[c]
			}
			end := (cum*barW + h.Workers/2) / h.Workers
			b.WriteString(p.style.Render(strings.Repeat(p.ch, max(end-drawn, 0))))
			drawn = max(end, drawn)
		}
		harm := h.Share[2] + h.Share[3] + h.Share[4] + h.Share[5] + h.Share[6]
		out = append(out, pad(lbl, label)+b.String()+" "+padLeft(report.Percent1(harm)+" %", 8))
	}
	return append(out, st.dim.Render(txtRiskLegend))
}

// Help lists the screen's keys.
func (s *risksScreen) Help() helpKeys {
	k := s.sh.keys
	if s.analytics {
		return helpKeys{short: []key.Binding{k.RiskView, k.PrevPeriod, k.NextPeriod, k.Down, k.WriteXLSX, k.WriteCSV}}
	}
	return helpKeys{short: []key.Binding{k.RiskNext, k.RiskSection, k.Open, k.RiskView, k.PrevPeriod, k.NextPeriod,
		k.WriteXLSX, k.WriteCSV, k.RiskPrev}}
}

// Typing reports whether the screen takes letters as text: it never does.
func (s *risksScreen) Typing() bool { return false }
