package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sout/store"
)

// Keys of the risk indicators (FORMS.md §6), as in the CSV's indicator column.
const (
	RiskMinorsHarmful  = "minors_harmful"
	RiskClass4         = "class4"
	RiskNotAllAssessed = "not_all_assessed"
	RiskShareDrop      = "harmful_share_drop"
	RiskSoutDue        = "sout_due"
	RiskOverdueReturn  = "overdue_return"
)

// RiskIndicator names one risk indicator for people.
type RiskIndicator struct {
	Key   string
	Name  string // «название» as printed
	Short string // a short name: sheet names, the screen's columns (at most 31 characters)
	Basis string // when it is raised and on what grounds
}

// RiskIndicators lists the indicators in the order they are shown.
var RiskIndicators = []RiskIndicator{
	{RiskMinorsHarmful, "Лица до 18 лет на работах с вредными или опасными условиями труда", "Несовершеннолетние",
		"Работники до 18 лет на рабочих местах классов 3.1–4 (ст. 265 Трудового кодекса РФ запрещает такой труд)"},
	{RiskClass4, "Рабочие места с опасными условиями труда (класс 4)", "Класс 4",
		"Есть рабочие места класса 4 (опасный)"},
	{RiskNotAllAssessed, "СОУТ проведена не на всех рабочих местах", "Не все рабочие места",
		"Рабочих мест в графе 8 меньше, чем в графе 7: СОУТ проводится на всех рабочих местах " +
			"(ст. 3, ч. 6 ст. 27 Федерального закона № 426-ФЗ)"},
	{RiskShareDrop, "Резкое снижение доли вредных условий", "Снижение доли вредных",
		"Доля работников в классах 3.1–4 упала на %d п. п. и более против прежней записи: классы могли занизить"},
	{RiskSoutDue, "Истёк пятилетний срок СОУТ", "Срок СОУТ истёк",
		"С даты внесения последней записи прошло %s " +
			"(СОУТ проводится не реже одного раза в пять лет, ч. 4 ст. 8 Федерального закона № 426-ФЗ)"},
	{RiskOverdueReturn, "Не устранены замечания в срок", "Замечания не устранены",
		"Материалы возвращены на доработку, срок истёк до конца периода (п. 3 приказа Роструда № 384)"},
}

// RiskIndicatorByKey returns the indicator of key, or nil.
func RiskIndicatorByKey(key string) *RiskIndicator {
	for i := range RiskIndicators {
		if RiskIndicators[i].Key == key {
			return &RiskIndicators[i]
		}
	}
	return nil
}

// RiskThresholds are the settings of the indicators.
type RiskThresholds struct {
	DropPoints int // harmful_share_drop: a fall of at least this many percentage points
	SoutYears  int // sout_due: the term of a SOUT in years
}

// Default thresholds (FORMS.md §6).
const (
	DefaultRiskDropPoints = 30
	DefaultRiskSoutYears  = 5
)

// RiskThresholdsOf returns the thresholds of set, the defaults where unset.
func RiskThresholdsOf(set store.Settings) RiskThresholds {
	th := RiskThresholds{DropPoints: set.RiskDropPoints, SoutYears: set.RiskSoutYears}
	if th.DropPoints <= 0 || th.DropPoints > 100 {
		th.DropPoints = DefaultRiskDropPoints
	}
	if th.SoutYears <= 0 || th.SoutYears > 50 {
		th.SoutYears = DefaultRiskSoutYears
	}
	return th
}

// BasisFor returns the indicator's basis with the thresholds filled in.
func (ind *RiskIndicator) BasisFor(th RiskThresholds) string {
	switch ind.Key {
	case RiskShareDrop:
		return fmt.Sprintf(ind.Basis, th.DropPoints)
	case RiskSoutDue:
		return fmt.Sprintf(ind.Basis, years(th.SoutYears))
	}
	return ind.Basis
}

// years says n years in Russian: «1 год», «3 года», «5 лет».
func years(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return fmt.Sprintf("%d лет", n)
	case n%10 == 1:
		return fmt.Sprintf("%d год", n)
	case n%10 >= 2 && n%10 <= 4:
		return fmt.Sprintf("%d года", n)
	}
	return fmt.Sprintf("%d лет", n)
}

// RiskFlag is one employer raising one indicator: one line of the CSV.
type RiskFlag struct {
	INN       string
	Employer  string // name as in the entry it was computed on
	OKVED     string
	Section   int // index in store.Sections, -1 when the OKVED is not valid
	Key       string
	Value     string     // as printed: a number, «60 % → 20 %», a date, «№ 3/2026 до 01.02.2026»
	EnteredOn store.Date // date of the register entry (the journal entry's receipt for overdue_return)
	EntryID   uint64     // the register entry, 0 for overdue_return
}

// OrgShare compares one SOUT organisation's results in the period with the
// region's in the same OKVED sections.
type OrgShare struct {
	Name, RegNo string
	Entries     int
	Workers     int     // column 8 workers in its entries
	Harmful     int     // of them in classes 3.1–4
	Expected    float64 // the region's share in the same sections, weighted by its workers, in %
}

// Share is the organisation's share of workers in classes 3.1–4, in %.
func (o *OrgShare) Share() float64 { return percent(o.Harmful, o.Workers) }

// Gap is Share − Expected in percentage points: far below zero stands out.
func (o *OrgShare) Gap() float64 { return o.Share() - o.Expected }

// HalfShares are the region's workers by class in the entries of one half-year.
type HalfShares struct {
	Period  store.Period
	Workers int                        // column 8 workers
	Classes [store.NumCols - 2]int     // workers in classes 1, 2, 3.1, 3.2, 3.3, 3.4, 4
	Share   [store.NumCols - 2]float64 // the same in % of Workers
}

// TrendHalves is how many half-years the trend covers.
const TrendHalves = 10

// Risks is the computed risk picture of a period.
type Risks struct {
	Period     store.Period
	Thresholds RiskThresholds
	Flags      []RiskFlag // sorted by INN, then key
	Employers  int        // employers with a register entry on or before the period's last day
	Trend      []HalfShares
}

// Count returns how many employers raise the indicator key.
func (r *Risks) Count(key string) int {
	n := 0
	for i := range r.Flags {
		if r.Flags[i].Key == key {
			n++
		}
	}
	return n
}

// CountBySection returns how many employers raise key in each OKVED section
// (indexed as store.Sections; the last element counts those without a valid OKVED).
func (r *Risks) CountBySection(key string) []int {
	out := make([]int, len(store.Sections)+1)
	for i := range r.Flags {
		if f := &r.Flags[i]; f.Key == key {
			if f.Section < 0 {
				out[len(store.Sections)]++
			} else {
				out[f.Section]++
			}
		}
	}
	return out
}

// okvedCode holds an OKVED code in place: with no pointer in latest, the
// collector never scans the 200,000 of them. A code longer than any valid
// one («NN.NN.NN») is cut; such a code is not valid either way.
type okvedCode struct {
	b [9]byte
	n uint8
}

func newOKVEDCode(s []byte) okvedCode {
	var c okvedCode
	c.n = uint8(copy(c.b[:], s))
	return c
}

func (c okvedCode) String() string { return string(c.b[:c.n]) }

// harmfulRow adds up a row of figures (workers, or under-18s) in classes 3.1–4.
func harmfulRow[T int | int32](row *[store.NumCols]T) int {
	n := 0
	for c := store.ColClass31; c <= store.ColClass4; c++ {
		n += int(row[c])
	}
	return n
}

// harmful returns the row's figures of g in classes 3.1–4.
func harmful(g *store.Grid, row int) int {
	var r [store.NumCols]int
	for c := range g {
		r[c] = g[c][row]
	}
	return harmfulRow(&r)
}

// RiskSources are the iterators the computation reads, each once.
type RiskSources struct {
	// Figures yields the figures of the register entries dated on or before
	// the period's last day, oldest first (by date, then id).
	Figures func(fn func(*store.RiskFigures) error) error
	// Journal yields the journal entries (any order); nil reads none. It is
	// called on a goroutine of its own, while Figures runs.
	Journal func(fn func(*store.JournalEntry) error) error
	// Names reads the last known names of the employers of the INNs
	// given (sorted, without repeats), all in one call (store.EmployerNames).
	Names func(inns []string) ([]store.EmployerName, error)
}

// riskState is the computation under way: the entries dealt by employer,
// then one latest per employer.
type riskState struct {
	p       store.Period
	th      RiskThresholds
	parts   riskParts
	emps    []latest
	overdue []overdue
	trend   *trendTally
}

// overdue are an employer's journal entries still returned past their deadline.
type overdue struct {
	inn, name string
	first     store.Date
	refs      []string
}

// ComputeRisks computes the risk indicators of period p (FORMS.md §6) and the
// region's class shares over the last ten half-years. Each employer's
// indicators are taken from its latest entry on or before p.To and, for the
// share drop, the entry before it, in one ordered pass over the figures
// (measured against going through the INN index, which reads every entry's
// figures at random), the entries dealt by employer into partitions that are
// gathered in the cache (risks_table.go). Only flagged employers' names are
// read, in INN order. On the 1,000,000-entry file a year's indicators take
// 1.85× that year's Summary (BenchmarkRisksAgainstSummary).
func ComputeRisks(p store.Period, th RiskThresholds, src RiskSources) (*Risks, error) {
	rs := &riskState{p: p, th: th, trend: newTrend(p.To)}
	// The journal is read beside the figures, on another core: the two
	// passes share nothing until the journal's returns are joined in.
	od := &overdueTally{p: p, index: map[uint64]int32{}}
	journal := make(chan error, 1)
	go func() {
		if src.Journal == nil {
			journal <- nil
			return
		}
		journal <- src.Journal(od.add)
	}()
	err := src.Figures(rs.addFigures)
	if jerr := <-journal; err == nil {
		err = jerr
	}
	if err != nil {
		return nil, err
	}
	rs.overdue = od.list
	for k, i := range od.index {
		rs.parts.deal(riskLine{key: k, overdue: i + 1})
	}
	rs.emps = rs.parts.gather()
	r := &Risks{Period: p, Thresholds: th}
	// The flagged employers in INN order (as text), so that the lines come
	// out sorted: their places are sorted, not the 200,000 records.
	type place struct {
		order  uint64 // innOrder of the key
		i      int32
		raised uint8
	}
	var flagged []place
	lines := 0
	for i := range rs.emps {
		l := &rs.emps[i]
		if l.id != 0 {
			r.Employers++
		}
		if m := rs.raised(l); m != 0 {
			flagged = append(flagged, place{innOrder(l.key), int32(i), m})
			lines += bits.OnesCount8(m)
		}
	}
	slices.SortFunc(flagged, func(a, b place) int { return cmp.Compare(a.order, b.order) })
	r.Flags = make([]RiskFlag, 0, lines)
	for _, f := range flagged {
		r.Flags = rs.flags(r.Flags, &rs.emps[f.i], f.raised)
	}
	if err := nameFlags(r.Flags, src.Names); err != nil {
		return nil, err
	}
	r.Trend = rs.trend.result()
	return r, nil
}

// addFigures deals an entry dated up to the period's end to its employer's
// partition and counts it in the trend.
func (rs *riskState) addFigures(f *store.RiskFigures) error {
	if f.EnteredOn > rs.p.To {
		return nil
	}
	// Figures fit int32: the store keeps none above store.MaxFigure, and
	// seven classes of them add up to less than 2³¹.
	rs.parts.deal(riskLine{key: innKey(f.INN), entryFigures: entryFigures{
		id: f.ID, on: f.EnteredOn, okved: newOKVEDCode(f.OKVED),
		minors: int32(harmfulRow(&f.Under18)),
		c4:     f.Workplaces[store.ColClass4],
		gap:    f.Workplaces[store.ColTotal] - f.Workplaces[store.ColAssessed],
		harm:   int32(harmfulRow(&f.Workers)), workers: f.Workers[store.ColAssessed],
	}})
	rs.trend.add(f.EnteredOn, &f.Workers)
	return nil
}

// overdueTally gathers the journal entries still returned whose deadline
// is before the period's last day, by employer.
type overdueTally struct {
	p     store.Period
	index map[uint64]int32 // innKey → place in list
	list  []overdue
}

func (t *overdueTally) add(j *store.JournalEntry) error {
	// Overdue by the period's last day: the one rule the Journal's list uses too.
	if end := t.p.To; !j.Overdue(end) || j.ReceivedOn > end {
		return nil
	}
	k := innKey(j.EmployerINN)
	i, ok := t.index[k]
	if !ok {
		i = int32(len(t.list))
		t.index[k] = i
		t.list = append(t.list, overdue{inn: j.EmployerINN, name: j.EmployerName, first: j.ReceivedOn})
	}
	o := &t.list[i]
	o.refs = append(o.refs, "№ "+j.Ref()+" до "+j.ReturnDeadline.Ru())
	o.first = min(o.first, j.ReceivedOn)
	return nil
}

// innOrder maps a packed INN to a number that orders as its text would
// be ordered: a 10-digit INN against a 12-digit one compares as the 10
// digits followed by «00», and comes first when the 12 begin with the 10.
// Keys that are not INNs come after all INNs, in any fixed order.
func innOrder(k uint64) uint64 {
	const twelve, other = 1 << 63, 1 << 62
	if k&other != 0 {
		return k
	}
	v := k &^ twelve
	if k&twelve == 0 {
		v *= 100
	}
	// v < 10¹² < 2⁴⁰: shifted, it stays below the keys that are not INNs.
	return v<<1 | k>>63
}

// nameFlags fills in the employers' last known names, read in one call for
// all the flagged INNs (flags are sorted by INN). A flag whose INN is
// unknown keeps its name.
func nameFlags(flags []RiskFlag, names func(inns []string) ([]store.EmployerName, error)) error {
	var inns []string
	for i := range flags {
		if i == 0 || flags[i].INN != flags[i-1].INN {
			inns = append(inns, flags[i].INN)
		}
	}
	// The flags come in the order of innOrder, which is the text order for
	// INNs of digits; anything else is sorted, and looked up by a map.
	sorted := slices.IsSorted(inns)
	if !sorted {
		slices.Sort(inns)
		inns = slices.Compact(inns)
	}
	found, err := names(inns)
	if err != nil {
		return err
	}
	if !sorted {
		byINN := make(map[string]string, len(found))
		for _, n := range found {
			byINN[n.INN] = n.Name
		}
		for i := range flags {
			if name, ok := byINN[flags[i].INN]; ok {
				flags[i].Employer = name
			}
		}
		return nil
	}
	// Both in INN order: merged.
	j := 0
	for i := range flags {
		for j < len(found) && found[j].INN < flags[i].INN {
			j++
		}
		if j < len(found) && found[j].INN == flags[i].INN {
			flags[i].Employer = found[j].Name
		}
	}
	return nil
}

// raisedKeys are the indicators in the order of an employer's lines: by key.
var raisedKeys = [...]string{
	RiskClass4, RiskShareDrop, RiskMinorsHarmful, RiskNotAllAssessed, RiskOverdueReturn, RiskSoutDue,
}

// raised returns the indicators the employer raises, a bit each in the
// order of raisedKeys.
func (rs *riskState) raised(l *latest) uint8 {
	entry := l.id != 0
	var m uint8
	for i, ok := range [len(raisedKeys)]bool{entry && l.c4 > 0, rs.dropped(l), entry && l.minors > 0,
		entry && l.gap > 0, l.overdue > 0, entry && rs.due(l)} {
		if ok {
			m |= 1 << i
		}
	}
	return m
}

// dropped reports a fall of DropPoints or more, in exact integers: ph/pw − h/w ≥ d/100.
func (rs *riskState) dropped(l *latest) bool {
	h, w, ph, pw := int64(l.harm), int64(l.workers), int64(l.pHarm), int64(l.pWorkers)
	return pw > 0 && w > 0 && 100*(ph*w-h*pw) >= int64(rs.th.DropPoints)*pw*w
}

// due reports that the latest entry's term of SoutYears ended by the period's last day.
func (rs *riskState) due(l *latest) bool { return addYears(l.on, rs.th.SoutYears) <= rs.p.To }

// flags appends the lines of the indicators raised (a mask of raised).
func (rs *riskState) flags(out []RiskFlag, l *latest, raised uint8) []RiskFlag {
	okved := l.okved.String()
	sec := -1
	if store.CheckOKVED(okved) == nil {
		sec = store.SectionIndex(okved)
	}
	inn := innOfKey(l.key)
	if l.overdue > 0 {
		inn = rs.overdue[l.overdue-1].inn
	}
	for i, key := range raisedKeys {
		if raised&(1<<i) == 0 {
			continue
		}
		f := RiskFlag{INN: inn, OKVED: okved, Section: sec, Key: key, EnteredOn: l.on, EntryID: l.id}
		switch key {
		case RiskClass4:
			f.Value = strconv.Itoa(int(l.c4))
		case RiskShareDrop:
			from, to := roundPercent(int(l.pHarm), int(l.pWorkers)), roundPercent(int(l.harm), int(l.workers))
			f.Value = from + " % → " + to + " %"
		case RiskMinorsHarmful:
			f.Value = strconv.Itoa(int(l.minors))
		case RiskNotAllAssessed:
			f.Value = strconv.Itoa(int(l.gap))
		case RiskOverdueReturn:
			od := &rs.overdue[l.overdue-1]
			f.Employer, f.Value, f.EnteredOn, f.EntryID = od.name, strings.Join(od.refs, "; "), od.first, 0
		case RiskSoutDue:
			f.Value = l.on.Ru()
		}
		out = append(out, f)
	}
	return out
}

// addYears returns d plus n years; 29 February goes to 28 February of a
// year that has none (ГК РФ ст. 192: a term ends on the last day of its month).
func addYears(d store.Date, n int) store.Date {
	y, m, day := d.Year()+n, d.Month(), d.Day()
	if m == 2 && day == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		day = 28
	}
	return store.NewDate(y, m, day)
}

func percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// roundPercent prints part/whole as a whole percentage, rounded half up.
func roundPercent(part, whole int) string {
	return strconv.Itoa(int(math.Floor(percent(part, whole) + 0.5)))
}

// orgTally adds up the period's entries by SOUT organisation and section.
type orgTally struct {
	orgs             map[string]*orgSums
	workers, harmful []int // the region, by section
}

type orgSums struct {
	OrgShare
	workers, harmful []int // by section
}

func newOrgTally() *orgTally {
	n := len(store.Sections)
	return &orgTally{orgs: map[string]*orgSums{}, workers: make([]int, n), harmful: make([]int, n)}
}

func (t *orgTally) add(e *store.OrgFigures) {
	if store.CheckOKVED(e.OKVED) != nil {
		return
	}
	si := store.SectionIndex(e.OKVED)
	if si < 0 {
		return
	}
	key := e.SoutOrg.RegNo
	if key == "" {
		key = "\x00" + strings.ToLower(strings.TrimSpace(e.SoutOrg.Name))
	}
	o := t.orgs[key]
	if o == nil {
		n := len(store.Sections)
		o = &orgSums{OrgShare: OrgShare{Name: e.SoutOrg.Name, RegNo: e.SoutOrg.RegNo}, workers: make([]int, n),
			harmful: make([]int, n)}
		t.orgs[key] = o
	}
	w, h := e.Grid[store.ColAssessed][store.RowWorkers], harmful(&e.Grid, store.RowWorkers)
	o.Entries++
	o.Workers += w
	o.Harmful += h
	o.workers[si] += w
	o.harmful[si] += h
	t.workers[si] += w
	t.harmful[si] += h
}

// CompareOrgs compares each SOUT organisation's results in the entries that
// each yields (those dated in the period) with the region's in the same OKVED
// sections, lowest Gap first: an organisation whose share of harmful classes
// sits far below everyone else's in the same trades comes at the top.
func CompareOrgs(each func(fn func(*store.OrgFigures) error) error) ([]OrgShare, error) {
	t := newOrgTally()
	if err := each(func(e *store.OrgFigures) error { t.add(e); return nil }); err != nil {
		return nil, err
	}
	return t.result(), nil
}

// result returns the organisations, lowest Gap first (then by name).
func (t *orgTally) result() []OrgShare {
	out := make([]OrgShare, 0, len(t.orgs))
	for _, o := range t.orgs {
		if o.Workers == 0 {
			continue
		}
		var exp float64
		for si, w := range o.workers {
			if w > 0 {
				exp += float64(w) * percent(t.harmful[si], t.workers[si])
			}
		}
		o.Expected = exp / float64(o.Workers)
		out = append(out, o.OrgShare)
	}
	sort.Slice(out, func(i, j int) bool {
		if gi, gj := out[i].Gap(), out[j].Gap(); gi != gj {
			return gi < gj
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].RegNo < out[j].RegNo
	})
	return out
}

// trendTally adds up workers by class over the ten half-years up to the one of end.
type trendTally struct {
	halves []HalfShares
}

func newTrend(end store.Date) *trendTally {
	t := &trendTally{halves: make([]HalfShares, TrendHalves)}
	h := store.HalfYearOf(end)
	for i := TrendHalves - 1; i >= 0; i-- {
		t.halves[i].Period = h
		h = h.PrevHalf()
	}
	return t
}

// add counts the workers of an entry dated on.
func (t *trendTally) add(on store.Date, workers *[store.NumCols]int32) {
	if on < t.halves[0].Period.From {
		return
	}
	// Entries come oldest first, so the half is found from the newest end quickly.
	i := len(t.halves) - 1
	for i > 0 && on < t.halves[i].Period.From {
		i--
	}
	h := &t.halves[i]
	h.Workers += int(workers[store.ColAssessed])
	for c := range h.Classes {
		h.Classes[c] += int(workers[store.ColClass1+c])
	}
}

func (t *trendTally) result() []HalfShares {
	for i := range t.halves {
		h := &t.halves[i]
		for c := range h.Classes {
			h.Share[c] = percent(h.Classes[c], h.Workers)
		}
	}
	return t.halves
}

// BuildRisks computes the risk indicators of p from the store, until ctx ends.
func BuildRisks(ctx context.Context, s *store.Store, p store.Period) (*Risks, error) {
	set, err := s.Settings()
	if err != nil {
		return nil, err
	}
	return ComputeRisks(p, RiskThresholdsOf(set), RiskSources{
		Figures: func(fn func(*store.RiskFigures) error) error { return s.EachRiskFigures(ctx, p.To, fn) },
		Journal: func(fn func(*store.JournalEntry) error) error { return s.EachReturnedJournal(ctx, p.To, fn) },
		Names:   func(inns []string) ([]store.EmployerName, error) { return s.EmployerNames(ctx, inns) },
	})
}
