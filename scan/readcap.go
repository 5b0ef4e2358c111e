package scan

import (
	"errors"
	"io"
	"os"
)

// errTooBig: a file is larger than its reader allows.
var errTooBig = errors.New("too big")

// readCapped reads a whole small file (an allow-list, the file of a
// finding whose line is fingerprinted), refusing one over max bytes
// rather than reading a part of it.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		return nil, errTooBig
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(b)) > max {
		return nil, errTooBig
	}
	return b, err
}
