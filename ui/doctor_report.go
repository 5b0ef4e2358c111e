package ui

import (
	"fmt"
	"io"
)

// DoctorLevel is how a finding of `keywarden doctor` counts.
type DoctorLevel string

// The levels of a doctor finding.
const (
	DoctorOK    DoctorLevel = "ok"    // checked, nothing wrong
	DoctorFixed DoctorLevel = "fixed" // was wrong, fixed on the way
	DoctorNote  DoctorLevel = "note"  // unusual, finished by the next change
	DoctorWarn  DoctorLevel = "warn"  // needs the user, nothing is lost yet
	DoctorFail  DoctorLevel = "fail"  // damaged
)

// DoctorFinding is one line of the doctor's report (cli composes them
// from the store's diagnosis; never a secret).
type DoctorFinding struct {
	Level DoctorLevel
	Text  string
	// Fix says what to do, when there is something to do.
	Fix string
}

// WriteDoctor prints the doctor's report: the folder, then one line per
// finding with its fix beneath.
func WriteDoctor(w io.Writer, dir, backend string, findings []DoctorFinding) error {
	what := "the encrypted file keyring"
	if backend == "os" {
		what = "secrets in the system keychain"
	}
	if _, err := fmt.Fprintf(w, "Keyring folder %s (%s)\n", dir, what); err != nil {
		return err
	}
	for _, f := range findings {
		mark := map[DoctorLevel]string{DoctorOK: "✓", DoctorFixed: "✓", DoctorNote: "·", DoctorWarn: "!", DoctorFail: "✗"}[f.Level]
		if _, err := fmt.Fprintf(w, "  %s %s\n", mark, f.Text); err != nil {
			return err
		}
		if f.Fix != "" {
			if _, err := fmt.Fprintf(w, "    → %s\n", f.Fix); err != nil {
				return err
			}
		}
	}
	return nil
}
