package report

// SetMaxSheetRows lowers the rows per sheet for a test and returns a function that restores it.
func SetMaxSheetRows(n int) func() {
	old := maxSheetRows
	maxSheetRows = n
	return func() { maxSheetRows = old }
}

// WrappedLines exposes wrappedLines to the tests of row heights.
var WrappedLines = wrappedLines
