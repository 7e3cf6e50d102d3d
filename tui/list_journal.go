package tui

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"sout/store"
)

// The Journal's list: the keys of all its entries, sorted in the session,
// and a window of whole entries read by id (list_paged.go).

// journalLoadedMsg carries a fresh key list and the window on it.
type journalLoadedMsg struct {
	keys   []store.JournalKey
	filter journalFilter // what they were read for
	by     int           // their order: an index into journalSorts
	noW    int           // the longest «№/year» among the keys
	keep   uint64        // the entry the window was read around
	page   pageMsg[store.JournalEntry]
}

// load reads the list again: its keys, sorted, and the window around the
// entry selected (the first when a new filter text is typed). Loads run
// concurrently (a filter typed fast starts one per key) and may end in any
// order: only the latest one counts.
func (j *journalScreen) load() tea.Cmd {
	var keep uint64
	if s := j.selected(); s != nil && !j.toFirst {
		keep = s.ID
	}
	if j.selectID != 0 {
		keep = j.selectID
	}
	j.toFirst = false
	st, q, overdue, by := j.sh.st, j.query(), statusFilters[j.statusF] == "overdue", j.sortBy
	filter := journalFilter{q, j.statusF}
	seq := j.newWindow()
	return func() tea.Msg {
		msg := journalLoadedMsg{by: by, keep: keep, filter: filter,
			page: pageMsg[store.JournalEntry]{mode: pageReplace, seq: seq}}
		keys, err := st.JournalKeys(q, by == 3)
		if err != nil {
			msg.page.err = err
			return msg
		}
		today := st.Today()
		if overdue {
			keys = slices.DeleteFunc(keys, func(k store.JournalKey) bool { return !k.Overdue(today) })
		}
		sortJournal(keys, by, today)
		maxNo := uint32(0)
		for i := range keys {
			maxNo = max(maxNo, keys[i].No)
		}
		// «№/year»: the digits of the largest number, the slash, four for the year.
		msg.keys, msg.noW = keys, len(strconv.Itoa(int(maxNo)))+5
		at := max(slices.IndexFunc(keys, func(k store.JournalKey) bool { return k.ID == keep }), 0)
		ids, from := windowAt(keys, at)
		msg.page.rows, msg.page.err = st.JournalEntries(ids)
		msg.page.atStart, msg.page.atEnd, msg.page.cursor = from == 0, from+len(ids) == len(keys), at-from
		return msg
	}
}

// keysLoaded puts a loaded list on screen.
func (j *journalScreen) keysLoaded(msg journalLoadedMsg) tea.Cmd {
	if msg.page.seq != j.seq {
		return nil // a later read is under way
	}
	if msg.page.err == nil {
		j.keys, j.keysBy, j.noW, j.keysFor = msg.keys, msg.by, msg.noW, msg.filter
		j.keysGen++
	}
	cmd, _ := j.page(msg.page)
	if id := j.selectID; id != 0 && msg.page.err == nil {
		j.selectID = 0
		if id != msg.keep { // saved while the list was read
			if at := slices.IndexFunc(j.keys, func(k store.JournalKey) bool { return k.ID == id }); at >= 0 {
				return tea.Batch(cmd, j.around(at, ""))
			}
		}
	}
	return cmd
}

// windowAt returns the ids of the window of keys to show with the key at
// at: a quarter of a page before it, a page after, fewer at the list's ends
// (then more on the other side), and the index of the window's first key.
func windowAt(keys []store.JournalKey, at int) (ids []uint64, from int) {
	n := listPage + listPage/4
	from = max(0, min(at-listPage/4, len(keys)-n))
	return idsOf(keys[from:min(len(keys), from+n)]), from
}

// idsOf returns the ids of keys.
func idsOf(keys []store.JournalKey) []uint64 {
	ids := make([]uint64, len(keys))
	for i := range keys {
		ids[i] = keys[i].ID
	}
	return ids
}

// readEntries is the read of the entries of ids, in a command.
func (j *journalScreen) readEntries(ids []uint64) pageRead[store.JournalEntry] {
	st := j.sh.st
	return func() ([]store.JournalEntry, error) { return st.JournalEntries(ids) }
}

// around reads a new window around the key at at, which it selects.
func (j *journalScreen) around(at int, note string) tea.Cmd {
	ids, from := windowAt(j.keys, at)
	read, atEnd := j.readEntries(ids), from+len(ids) == len(j.keys)
	return j.replace(func() pageMsg[store.JournalEntry] {
		rows, err := read()
		return pageMsg[store.JournalEntry]{rows: rows, err: err, atStart: from == 0, atEnd: atEnd, cursor: at - from,
			note: note}
	})
}

// pageFirst reads the list's first n entries.
func (j *journalScreen) pageFirst(n int) pageRead[store.JournalEntry] {
	return j.readEntries(idsOf(j.keys[:min(n, len(j.keys))]))
}

// pageAfter reads the n entries after last.
func (j *journalScreen) pageAfter(last *store.JournalEntry, n int) pageRead[store.JournalEntry] {
	at := j.indexOf(last)
	if at < 0 {
		return j.readEntries(nil) // checkWindow reads the window again
	}
	return j.readEntries(idsOf(j.keys[at+1 : min(at+1+n, len(j.keys))]))
}

// pageBefore reads the n entries before first.
func (j *journalScreen) pageBefore(first *store.JournalEntry, n int) pageRead[store.JournalEntry] {
	at := j.indexOf(first)
	if at < 0 {
		return j.readEntries(nil)
	}
	return j.readEntries(idsOf(j.keys[max(0, at-n):at]))
}

// pageLast reads the list's last n entries.
func (j *journalScreen) pageLast(n int) pageRead[store.JournalEntry] {
	return j.readEntries(idsOf(j.keys[max(0, len(j.keys)-n):]))
}

// indexOf is where e's key is in the key list; -1 if it is not there.
// Where the order puts it, unless it changed since the keys were read: only
// then the whole list is searched.
func (j *journalScreen) indexOf(e *store.JournalEntry) int {
	at := journalPos(j.keys, j.orderOf(e), j.keysBy, j.sortToday())
	if at < len(j.keys) && j.keys[at].ID == e.ID {
		return at
	}
	return slices.IndexFunc(j.keys, func(k store.JournalKey) bool { return k.ID == e.ID })
}

// offset is the index in the key list of the window's first row: 0 for an
// empty window, -1 when its row is no longer listed.
func (j *journalScreen) offset() int {
	if len(j.rows) == 0 {
		return 0
	}
	return j.indexOf(&j.rows[0])
}

// checkWindow reads the window again, around the row selected, when the
// list changed while it was read or it no longer follows the key list.
func (j *journalScreen) checkWindow() tea.Cmd {
	if j.busy {
		return nil
	}
	off := j.offset()
	ok := off >= 0 && off+len(j.rows) <= len(j.keys) && !j.dirty && (len(j.rows) > 0 || len(j.keys) == 0)
	for i := 0; ok && i < len(j.rows); i++ {
		ok = j.keys[off+i].ID == j.rows[i].ID
	}
	if ok {
		j.atStart, j.atEnd = off == 0, off+len(j.rows) == len(j.keys)
		return nil
	}
	j.dirty = false
	at := max(off, 0) + j.cursor
	if s := j.selected(); s != nil {
		if i := j.indexOf(s); i >= 0 {
			at = i
		}
	}
	return j.around(min(at, max(len(j.keys)-1, 0)), "")
}

// sortJournal orders the keys by journalSorts[by]: by default newest first
// by date of receipt; numbers follow it when packages are registered as
// they come, and break ties. It sorts the orders' keys and moves each
// entry's key once.
func sortJournal(keys []store.JournalKey, by int, today store.Date) {
	type ord struct {
		key journalKey
		i   int
	}
	o := make([]ord, len(keys))
	for i := range keys {
		o[i] = ord{journalKeyOf(&keys[i], by, today), i}
	}
	slices.SortFunc(o, func(a, b ord) int { return a.key.cmp(b.key) })
	sorted := make([]store.JournalKey, len(keys))
	for i, x := range o {
		sorted[i] = keys[x.i]
	}
	copy(keys, sorted)
}

// journalKey is an entry's place in one of the Journal's orders, smallest
// first: major, then the name, then minor.
type journalKey struct {
	major uint64
	name  string
	minor uint64
}

func (a journalKey) cmp(b journalKey) int {
	if c := cmp.Compare(a.major, b.major); c != 0 {
		return c
	}
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.minor, b.minor)
}

// journalKeyOf is k's place in journalSorts[by]. Every order ends in the
// default one (newest first), so that no two entries tie.
func journalKeyOf(k *store.JournalKey, by int, today store.Date) journalKey {
	newest := ^journalOrder(k)
	switch by {
	case 1: // oldest first
		return journalKey{major: journalOrder(k)}
	case 2: // by number: year, then number, smallest first
		return journalKey{major: uint64(k.Year)<<24 | uint64(k.No&0xffffff), minor: newest}
	case 3: // by employer, as a clerk reads names (store.JournalSortName)
		return journalKey{name: k.Name, minor: newest}
	case 4: // by status, the overdue returns first
		return journalKey{major: statusRank(k, today), minor: newest}
	}
	return journalKey{major: newest}
}

// statusRank orders statuses for the Journal's sort by status: what needs
// the clerk first.
func statusRank(k *store.JournalKey, today store.Date) uint64 {
	switch {
	case k.Overdue(today):
		return 0
	case k.Status() == store.StatusReturned:
		return 1
	case k.Status() == store.StatusReceived:
		return 2
	case k.Status() == store.StatusAccepted:
		return 3
	}
	return 4
}

// journalOrder packs the list's order into one number, larger first: the
// date in 23 bits, the year in 16, the number in 24 (store.MaxJournalNo < 2^24).
func journalOrder(k *store.JournalKey) uint64 {
	d := uint64(k.ReceivedOn)
	day := d/10000*512 + d/100%100*32 + d%100
	return day<<40 | uint64(k.Year)<<24 | uint64(k.No&0xffffff)
}

// journalPos is where a key of order o belongs in keys sorted by
// journalSorts[by].
func journalPos(keys []store.JournalKey, o journalKey, by int, today store.Date) int {
	return sort.Search(len(keys), func(i int) bool { return journalKeyOf(&keys[i], by, today).cmp(o) >= 0 })
}

// sortToday is the day the status order counts overdue returns on; the
// other orders do not need it.
func (j *journalScreen) sortToday() store.Date {
	if j.keysBy != 4 {
		return 0
	}
	return j.sh.st.Today()
}

// jumpTo moves the cursor to the first entry on or after d: of the entries
// received on d or later, the earliest (the first registered that day),
// wherever the order puts it; its window is read if it is not shown.
func (j *journalScreen) jumpTo(d store.Date) tea.Cmd {
	at := -1
	for i := range j.keys {
		k := &j.keys[i]
		if k.ReceivedOn >= d && (at < 0 || journalOrder(k) < journalOrder(&j.keys[at])) {
			at = i
		}
	}
	if at < 0 {
		return status(fmt.Sprintf(txtJumpNone, d.Ru()), false)
	}
	if off := j.offset(); off >= 0 && at >= off && at < off+len(j.rows) && !j.busy {
		j.cursor = at - off
		j.scroll()
		return nil
	}
	return j.around(at, "")
}

// journalEntriesMsg carries the entries changed elsewhere, or by this
// session's own action, which then says done in the status line.
type journalEntriesMsg struct {
	es   []store.JournalEntry
	err  error
	done string
}

// refreshEntries reads the entries changes touched, instead of the whole
// list: with many sessions open every save reaches every one of them.
func (j *journalScreen) refreshEntries(ids []uint64) tea.Cmd {
	st := j.sh.st
	return func() tea.Msg {
		es, err := st.JournalEntries(ids)
		return journalEntriesMsg{es, err, ""}
	}
}

// entries puts the entries changed into the list.
func (j *journalScreen) entries(msg journalEntriesMsg) tea.Cmd {
	if msg.err != nil {
		return j.load() // gone or unreadable: read the list again
	}
	var cmds []tea.Cmd
	if j.loaded {
		for _, e := range msg.es {
			cmds = append(cmds, j.upsert(e))
		}
	}
	if msg.done != "" {
		cmds = append(cmds, status(msg.done, false))
	}
	return tea.Batch(cmds...)
}

// upsert puts e into the list, or takes it out if it no longer matches. The
// selection stays on its entry: it moves with the removal and the insertion
// around it, and follows the entry itself (or the one this session just
// saved) wherever it goes, reading its window when it leaves the one shown.
// A save anywhere in the office reaches every session, so this is kept to a
// binary search and one move in the key list, not a read of the year.
func (j *journalScreen) upsert(e store.JournalEntry) tea.Cmd {
	j.keysGen++
	if j.busy {
		j.dirty = true // the window being read may hold e as it was
	}
	follow := e.ID == j.selectID
	if s := j.selected(); s != nil && s.ID == e.ID {
		follow = true
	}
	off := j.offset()
	if at := j.indexOf(&e); at >= 0 {
		j.keys = slices.Delete(j.keys, at, at+1)
		if in := at - off; off >= 0 && in >= 0 && in < len(j.rows) {
			j.rows = slices.Delete(j.rows, in, in+1)
			if j.cursor > in {
				j.cursor--
			}
		}
	}
	if !j.matches(&e) {
		j.cursor = min(j.cursor, max(len(j.rows)-1, 0))
		return j.checkWindow()
	}
	now := journalPos(j.keys, j.orderOf(&e), j.keysBy, j.sortToday())
	off = j.offset() // the window's place before e goes in: at its first row e may join it
	j.keys = slices.Insert(j.keys, now, store.JournalKeyOf(&e, j.keysBy == 3))
	j.noW = max(j.noW, len(e.Ref()))
	in := now - off
	if off < 0 || in < 0 || in > len(j.rows) {
		if follow {
			j.selectID = 0
			return j.around(now, "")
		}
		return j.checkWindow()
	}
	j.rows = slices.Insert(j.rows, in, e)
	if j.cursor >= in && len(j.rows) > 1 {
		j.cursor++
	}
	if follow {
		j.selectID, j.cursor = 0, in
	}
	j.cursor = min(j.cursor, len(j.rows)-1)
	j.scroll()
	return j.checkWindow()
}

// orderOf is e's place in the order of the key list.
func (j *journalScreen) orderOf(e *store.JournalEntry) journalKey {
	k := store.JournalKeyOf(e, j.keysBy == 3)
	return journalKeyOf(&k, j.keysBy, j.sortToday())
}
