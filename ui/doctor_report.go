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
// finding with its fix beneath. A width above zero (a terminal) wraps
// each under its own indentation; zero (a pipe) keeps each on one line.
func WriteDoctor(w io.Writer, dir, backend string, findings []DoctorFinding, width int) error {
	what := "the encrypted file keyring"
	if backend == "os" {
		what = "secrets in the system keychain"
	}
	if _, err := fmt.Fprintf(w, "Keyring folder %s (%s)\n", dir, what); err != nil {
		return err
	}
	marks := map[DoctorLevel]string{DoctorOK: "✓", DoctorFixed: "✓", DoctorNote: "·", DoctorWarn: "!", DoctorFail: "✗"}
	for _, f := range findings {
		if err := writeIndented(w, "  "+marks[f.Level]+" ", "    ", f.Text, width); err != nil {
			return err
		}
		if f.Fix != "" {
			if err := writeIndented(w, "    → ", "      ", f.Fix, width); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeIndented prints text after first, wrapped to width with the next
// lines indented by rest; width 0 keeps it on one line.
func writeIndented(w io.Writer, first, rest, text string, width int) error {
	lines := []string{text}
	if width > 0 {
		lines = wrap(text, width-len([]rune(rest)))
	}
	for i, l := range lines {
		lead := rest
		if i == 0 {
			lead = first
		}
		if _, err := fmt.Fprintln(w, lead+l); err != nil {
			return err
		}
	}
	return nil
}

// Rebuilt is one profile doctor rebuilt from its secret: what it is and
// where its metadata came from.
type Rebuilt struct {
	Name, What, Fingerprint string
	// How says where the metadata came from; Failed: not rebuilt, and why.
	How    string
	Failed bool
}

// WriteRebuilt prints what doctor rebuilt, and where the damaged
// profiles.json was kept ("" if none).
func WriteRebuilt(w io.Writer, rebuilt []Rebuilt, kept string, width int) error {
	n := 0
	for _, r := range rebuilt {
		if !r.Failed {
			n++
		}
	}
	head := fmt.Sprintf("Rebuilt %d profiles from the secrets in the keyring:", n)
	switch n {
	case 0:
		head = "No profile was rebuilt:"
	case 1:
		head = "Rebuilt 1 profile from its secret in the keyring:"
	}
	if _, err := fmt.Fprintln(w, "\n"+head); err != nil {
		return err
	}
	for _, r := range rebuilt {
		line := r.Name + ": " + r.What
		if r.Fingerprint != "" {
			line += ", key " + r.Fingerprint
		}
		if err := writeIndented(w, "  ", "    ", line, width); err != nil {
			return err
		}
		if err := writeIndented(w, "    ", "    ", r.How, width); err != nil {
			return err
		}
	}
	if kept != "" {
		return writeIndented(w, "", "", "The damaged profiles.json is kept beside it as "+kept+".", width)
	}
	return nil
}
