package store

import (
	"encoding/binary"
	"errors"
)

// The record encoding is a hand-written binary form: uvarints and
// length-prefixed strings in a fixed order, led by a format byte. It decodes
// without reflection, which keeps INN look-ups and the Summary scan fast.

const recordFormat = 1

var errCorrupt = errors.New("corrupt record")

type encoder struct{ b []byte }

func (e *encoder) u(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) i(v int64)  { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) s(v string) { e.u(uint64(len(v))); e.b = append(e.b, v...) }

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) i() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) s() string {
	n := d.u()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	v := string(d.b[:n])
	d.b = d.b[n:]
	return v
}

// bytes reads a string as a slice of the record, valid while the record is.
func (d *decoder) bytes() []byte {
	n := d.u()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (e *encoder) stamp(s *Stamp) {
	e.u(s.Version)
	e.s(s.CreatedBy)
	e.i(s.CreatedAt)
	e.s(s.UpdatedBy)
	e.i(s.UpdatedAt)
}

func (d *decoder) stamp(s *Stamp) {
	s.Version = d.u()
	s.CreatedBy = d.s()
	s.CreatedAt = d.i()
	s.UpdatedBy = d.s()
	s.UpdatedAt = d.i()
}

func (e *encoder) grid(g *Grid) {
	for c := range g {
		for r := range g[c] {
			e.u(uint64(g[c][r]))
		}
	}
}

func (d *decoder) grid(g *Grid) {
	// Most figures are under 128 and take one byte: read those in place and
	// leave the rest to u. The Summary decodes a grid for every entry.
	b := d.b
	for c := range g {
		for r := range g[c] {
			if d.err == nil && len(b) > 0 && b[0] < 0x80 {
				g[c][r] = int(b[0])
				b = b[1:]
				continue
			}
			d.b = b
			g[c][r] = int(d.u())
			b = d.b
		}
	}
	d.b = b
}

func encodeRegister(e *RegisterEntry) []byte {
	enc := encoder{b: make([]byte, 0, 256)}
	enc.b = append(enc.b, recordFormat)
	enc.u(e.ID)
	enc.u(uint64(e.EnteredOn))
	enc.s(e.Employer.Name)
	enc.s(e.Employer.Address)
	enc.s(e.Employer.INN)
	enc.s(e.Employer.OGRN)
	enc.s(e.Employer.OKVED)
	enc.s(e.SoutOrg.Name)
	enc.s(e.SoutOrg.RegNo)
	enc.u(e.JournalID)
	enc.grid(&e.Grid)
	enc.stamp(&e.Stamp)
	if e.IsAnnulled() { // appended field: older records, and entries in force, end here
		enc.s(e.Annulled.By)
		enc.i(e.Annulled.At)
		enc.s(e.Annulled.Reason)
	}
	return enc.b
}

func decodeRegister(b []byte, e *RegisterEntry) error {
	if len(b) == 0 || b[0] != recordFormat {
		return errCorrupt
	}
	d := decoder{b: b[1:]}
	e.ID = d.u()
	e.EnteredOn = Date(d.u())
	e.Employer.Name = d.s()
	e.Employer.Address = d.s()
	e.Employer.INN = d.s()
	e.Employer.OGRN = d.s()
	e.Employer.OKVED = d.s()
	e.SoutOrg.Name = d.s()
	e.SoutOrg.RegNo = d.s()
	e.JournalID = d.u()
	d.grid(&e.Grid)
	d.stamp(&e.Stamp)
	e.Annulled = Annulment{}
	if d.err == nil && len(d.b) > 0 {
		e.Annulled = Annulment{By: d.s(), At: d.i(), Reason: d.s()}
	}
	return d.err
}

func encodeJournal(e *JournalEntry) []byte {
	enc := encoder{b: make([]byte, 0, 200)}
	enc.b = append(enc.b, recordFormat)
	enc.u(e.ID)
	enc.u(uint64(e.Year))
	enc.u(uint64(e.No))
	enc.u(uint64(e.ReceivedOn))
	enc.s(e.EmployerName)
	enc.s(e.EmployerINN)
	enc.s(e.SoutOrgName)
	enc.s(e.SoutOrgRegNo)
	enc.u(uint64(e.LetterDate))
	enc.s(e.LetterNo)
	enc.s(e.Notes)
	enc.s(string(e.Status))
	enc.s(e.StatusReason)
	enc.u(uint64(e.ReturnDeadline))
	enc.u(e.RegisterID)
	enc.stamp(&e.Stamp)
	enc.u(uint64(len(e.Events))) // appended field: older records end here
	for _, ev := range e.Events {
		enc.s(string(ev.Status))
		enc.u(uint64(ev.On))
		enc.s(ev.By)
		enc.s(ev.Reason)
		enc.u(uint64(ev.Deadline))
	}
	return enc.b
}

func decodeJournal(b []byte, e *JournalEntry) error {
	if len(b) == 0 || b[0] != recordFormat {
		return errCorrupt
	}
	d := decoder{b: b[1:]}
	e.ID = d.u()
	e.Year = int(d.u())
	e.No = int(d.u())
	e.ReceivedOn = Date(d.u())
	e.EmployerName = d.s()
	e.EmployerINN = d.s()
	e.SoutOrgName = d.s()
	e.SoutOrgRegNo = d.s()
	e.LetterDate = Date(d.u())
	e.LetterNo = d.s()
	e.Notes = d.s()
	e.Status = JournalStatus(d.s())
	e.StatusReason = d.s()
	e.ReturnDeadline = Date(d.u())
	e.RegisterID = d.u()
	d.stamp(&e.Stamp)
	e.Events = nil
	if d.err != nil || len(d.b) == 0 {
		e.Events = deriveEvents(e)
		return d.err
	}
	n := d.u()
	if n > uint64(len(d.b)) {
		return errCorrupt
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		e.Events = append(e.Events, StatusEvent{Status: JournalStatus(d.s()), On: Date(d.u()), By: d.s(),
			Reason: d.s(), Deadline: Date(d.u())})
	}
	return d.err
}

// annulledFigures is the value of reg_by_date for an annulled entry: the key
// stays (the register list shows the entry, marked), its figures leave the
// forms. A single zero byte is an empty INN, which no entry in force has.
var annulledFigures = []byte{0}

// figuresVal is the value of reg_by_date for e: its figures, or
// annulledFigures when it is annulled.
func figuresVal(e *RegisterEntry) []byte {
	if e.IsAnnulled() {
		return annulledFigures
	}
	return encodeFigures(e)
}

// isAnnulledFigures reports whether v, a value of reg_by_date, is of an annulled entry.
func isAnnulledFigures(v []byte) bool { return len(v) == 1 && v[0] == 0 }

// encodeFigures is the value of reg_by_date: what the Summary needs.
func encodeFigures(e *RegisterEntry) []byte {
	enc := encoder{b: make([]byte, 0, 80)}
	enc.s(e.Employer.INN)
	enc.s(e.Employer.OKVED)
	enc.grid(&e.Grid)
	return enc.b
}

func decodeFigures(b []byte, f *Figures) error {
	d := decoder{b: b}
	f.INN = d.s()
	f.OKVED = d.s()
	d.grid(&f.Grid)
	return d.err
}

// employerCard is the value of the employers bucket.
type employerCard struct {
	Employer
	LastDate Date   // date of the register entry it comes from (0: from the journal)
	LastID   uint64 // that register entry
}

func encodeEmployer(c *employerCard) []byte {
	enc := encoder{b: make([]byte, 0, 160)}
	enc.b = append(enc.b, recordFormat)
	enc.s(c.Name)
	enc.s(c.Address)
	enc.s(c.INN)
	enc.s(c.OGRN)
	enc.s(c.OKVED)
	enc.u(uint64(c.LastDate))
	enc.u(c.LastID)
	return enc.b
}

func decodeEmployer(b []byte, c *employerCard) error {
	if len(b) == 0 || b[0] != recordFormat {
		return errCorrupt
	}
	d := decoder{b: b[1:]}
	c.Name = d.s()
	c.Address = d.s()
	c.INN = d.s()
	c.OGRN = d.s()
	c.OKVED = d.s()
	c.LastDate = Date(d.u())
	c.LastID = d.u()
	return d.err
}

func u64key(v uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], v)
	return k[:]
}

func dateKey(d Date, id uint64) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint32(k, uint32(d))
	binary.BigEndian.PutUint64(k[4:], id)
	return k
}

func splitDateKey(k []byte) (Date, uint64) {
	return Date(binary.BigEndian.Uint32(k)), binary.BigEndian.Uint64(k[4:])
}

func journalNoKey(year, no int) []byte {
	k := make([]byte, 6)
	binary.BigEndian.PutUint16(k, uint16(year))
	binary.BigEndian.PutUint32(k[2:], uint32(no))
	return k
}

// Kinds in the inn index.
const (
	kindJournal  = 'j'
	kindRegister = 'r'
)

// innKey is INN + '|' + kind + id; its value is the record's date (4 bytes).
func innKey(inn string, kind byte, id uint64) []byte {
	k := make([]byte, 0, len(inn)+10)
	k = append(k, inn...)
	k = append(k, '|', kind)
	return binary.BigEndian.AppendUint64(k, id)
}

func innPrefix(inn string, kind byte) []byte {
	k := append([]byte(inn), '|')
	if kind != 0 {
		k = append(k, kind)
	}
	return k
}

func splitInnKey(k []byte) (inn string, kind byte, id uint64, ok bool) {
	if len(k) < 10 || k[len(k)-10] != '|' {
		return "", 0, 0, false
	}
	return string(k[:len(k)-10]), k[len(k)-9], binary.BigEndian.Uint64(k[len(k)-8:]), true
}

func dateVal(d Date) []byte {
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], uint32(d))
	return v[:]
}
