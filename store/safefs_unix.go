//go:build unix

package store

import (
	"errors"
	"io/fs"
	"syscall"
)

// oNoFollow makes open fail on a symbolic link in the last path element.
const oNoFollow = syscall.O_NOFOLLOW

// oNonBlock keeps an open for reading from blocking on a named pipe
// planted in place of a file (it changes nothing for regular files).
const oNonBlock = syscall.O_NONBLOCK

// isLinkErr reports whether an open with oNoFollow failed because the path
// is a symbolic link (ELOOP; EMLINK on the BSDs).
func isLinkErr(err error) bool {
	return errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)
}

// fileOwner returns the user id that owns fi.
func fileOwner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
