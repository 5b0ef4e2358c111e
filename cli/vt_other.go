//go:build !windows

package cli

import "io"

// enableVT is a no-op: terminals outside Windows understand escape codes.
func enableVT(io.Writer) {}
