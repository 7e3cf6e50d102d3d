package store

// History returns the audit records of one record (kind "journal" or
// "register" and its id), oldest first. It reads the audit in bounded
// transactions (AuditWhere).
func (s *Store) History(kind string, id uint64) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.AuditWhere(AuditFilter{Kind: kind, ID: id}, func(r *AuditRecord) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}
