package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// FieldChange is one field of a record changed by one audited action:
// Field is its key path in the record («EmployerName», «Employer.INN»,
// «Grid»), From and To its values as text ("" when absent).
type FieldChange struct {
	Field, From, To string
}

// History returns the audit records of one record (kind "journal" or
// "register" and its id), oldest first. It reads the audit in one read
// transaction and calls no code of the caller's inside it.
func (s *Store) History(kind string, id uint64) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var r AuditRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("audit record: %w", err)
			}
			if r.Kind == kind && r.ID == id {
				r.Before, r.After = cloneBytes(r.Before), cloneBytes(r.After)
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}

// unstamped are the keys every change moves on: not shown as changes.
var unstamped = map[string]bool{"Version": true, "CreatedBy": true, "CreatedAt": true, "UpdatedBy": true, "UpdatedAt": true}

// Changes lists the fields r changed, in key order: what its record was
// before and is after (for a creation, every field set).
func (r *AuditRecord) Changes() []FieldChange {
	before, after := map[string]string{}, map[string]string{}
	flattenJSON(r.Before, before)
	flattenJSON(r.After, after)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []FieldChange
	for k := range keys {
		if !unstamped[k] && before[k] != after[k] {
			out = append(out, FieldChange{k, before[k], after[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// flattenJSON puts the fields of the JSON object b into m, nested objects
// as «Outer.Inner»; arrays and other values as their JSON text; zero values
// (0, "", false, null) are left out, as unset.
func flattenJSON(b []byte, m map[string]string) {
	var v map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // ids and dates (20260411) as written
	if len(b) == 0 || d.Decode(&v) != nil {
		return
	}
	var walk func(prefix string, v map[string]any)
	walk = func(prefix string, v map[string]any) {
		for k, x := range v {
			switch x := x.(type) {
			case map[string]any:
				walk(prefix+k+".", x)
			case nil:
			case string:
				if x != "" {
					m[prefix+k] = x
				}
			case json.Number:
				if x.String() != "0" {
					m[prefix+k] = x.String()
				}
			case bool:
				if x {
					m[prefix+k] = "true"
				}
			default:
				t, _ := json.Marshal(x)
				m[prefix+k] = string(t)
			}
		}
	}
	walk("", v)
}
