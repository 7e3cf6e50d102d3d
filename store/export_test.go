package store

// CheckFile is checkFile, for the external benchmarks on the demo file.
var CheckFile = checkFile
