package store

import (
	"encoding/json"
	"testing"
)

// benchRecord is a typical register record: a long name and address, all
// figures set.
func benchRecord() RegisterEntry {
	e := RegisterEntry{ID: 123456, EnteredOn: NewDate(2026, 3, 15), JournalID: 98765,
		Employer: Employer{Name: "Государственное бюджетное учреждение здравоохранения «Самарская областная больница»",
			Address: "443095, Самарская обл., г. Самара, ул. Ташкентская, д. 159", INN: "6312013969",
			OGRN: "1026301698770", OKVED: "86.10"},
		SoutOrg: SoutOrg{Name: "ООО «Центр охраны труда»", RegNo: "512"},
		Stamp:   Stamp{Version: 3, CreatedBy: "anna", CreatedAt: 1773997200, UpdatedBy: "boris", UpdatedAt: 1774997200}}
	for c := range e.Grid {
		for r := range e.Grid[c] {
			e.Grid[c][r] = 10*c + r + 1
		}
	}
	return e
}

// BenchmarkDecodeRegister and BenchmarkDecodeRegisterJSON justify the record
// codec (store/doc.go): the same record decoded by it and from JSON.
func BenchmarkDecodeRegister(b *testing.B) {
	e := benchRecord()
	buf := encodeRegister(&e)
	var out RegisterEntry
	for b.Loop() {
		if err := decodeRegister(buf, &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(buf)), "bytes/record")
}

// BenchmarkDecodeRegisterJSON: see BenchmarkDecodeRegister.
func BenchmarkDecodeRegisterJSON(b *testing.B) {
	e := benchRecord()
	buf, _ := json.Marshal(&e)
	var out RegisterEntry
	for b.Loop() {
		if err := json.Unmarshal(buf, &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(buf)), "bytes/record")
}
