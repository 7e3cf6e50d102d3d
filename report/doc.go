// Package report turns store records into the official forms of Rostrud order
// No. 384 (the Summary, the Register and the Journal) and into data files,
// and reads data files back.
//
// A form's layout is declared once as data (Form: title, header lines,
// numbered column headings with their merges, body rows, footer) and rendered
// by both the CSV and the XLSX writer, so the two cannot disagree. XLSX is
// written with github.com/xuri/excelize/v2's StreamWriter, CSV with
// encoding/csv. Writers take an io.Writer; nothing here knows about screens.
package report
