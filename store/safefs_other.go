//go:build !unix

package store

import "io/fs"

// oNoFollow is 0 where open cannot refuse links; the Lstat checks at Open
// still do.
const oNoFollow = 0

// oNonBlock: see safefs_unix.go.
const oNonBlock = 0

func isLinkErr(error) bool { return false }

// fileOwner: modes and owners do not express Windows ACLs.
func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
