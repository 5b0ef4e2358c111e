package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultRotationDays is the rotation period of a profile that sets none.
const DefaultRotationDays = 90

// profilesFileName holds the metadata of every profile.
const profilesFileName = "profiles.json"

// profilesVersion is the format version of profiles.json.
const profilesVersion = 1

// maxMetaFile caps what is read of profiles.json and keyring.json, so that
// a planted huge file cannot exhaust memory.
const maxMetaFile = 16 << 20

// Profile is the non-secret metadata of one key. It is stored as JSON in
// profiles.json; the credentials themselves live only in the keyring.
type Profile struct {
	// Name is the profile's name; see ValidName.
	Name string `json:"name"`
	// Exchange is the exchange id, e.g. "binance".
	Exchange string `json:"exchange"`
	// Environment is "live", "testnet" or "demo".
	Environment string `json:"environment"`
	// BaseURL replaces the exchange's API host; empty means the default.
	BaseURL string `json:"base_url,omitempty"`
	// Markets the bot trades: "spot", "futures", "margin".
	Markets []string `json:"markets,omitempty"`
	// BotIPs are the addresses the bot runs from.
	BotIPs []string `json:"bot_ips,omitempty"`
	// Fingerprint is the first 4 and last 4 characters of the public key
	// (exchanges.Fingerprint). The store sets it from the credentials.
	Fingerprint string `json:"fingerprint"`
	// AddedAt is when the profile was added; Add sets it when zero.
	AddedAt time.Time `json:"added_at"`
	// KeyCreated is when the exchange created the key; zero is unknown.
	KeyCreated time.Time `json:"key_created,omitzero"`
	// KeyExpires is when the key expires; zero is unknown or never.
	KeyExpires time.Time `json:"key_expires,omitzero"`
	// RotationDays is the rotation period; 0 means DefaultRotationDays.
	RotationDays int `json:"rotation_days,omitempty"`
	// LastCheck summarises the last health check, nil if never checked.
	LastCheck *CheckSummary `json:"last_check,omitempty"`
	// RotatedAt is when Replace last swapped the key; zero is never.
	RotatedAt time.Time `json:"rotated_at,omitzero"`
}

// Rotation returns the rotation period, applying the default for 0.
func (p Profile) Rotation() time.Duration {
	d := p.RotationDays
	if d <= 0 {
		d = DefaultRotationDays
	}
	return time.Duration(d) * 24 * time.Hour
}

// CheckSummary is what profiles.json remembers of a health check.
type CheckSummary struct {
	// At is when the check ran.
	At time.Time `json:"at"`
	// Counts maps a status ("pass", "warn", "fail", "skip") to its count.
	Counts map[string]int `json:"counts,omitempty"`
	// Worst is the worst status seen.
	Worst string `json:"worst"`
	// Summary is a one-line human summary.
	Summary string `json:"summary,omitempty"`
}

// namePattern is the contract's profile-name pattern. It excludes "", "."
// and "..", and every character that keyring's file backend would escape
// or that breaks file names on Windows.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidName reports whether name is a valid profile name: 1 to 64
// characters of a-z, 0-9, '.', '_' and '-', starting with a letter or a
// digit. The error wraps ErrBadName.
func ValidName(name string) error {
	if namePattern.MatchString(name) {
		return nil
	}
	shown := fmt.Sprintf("%q", name)
	if len(name) > 64 || !utf8.ValidString(name) {
		// Something this long may be a pasted key: do not echo it.
		shown = fmt.Sprintf("of %d bytes", len(name))
	}
	if name == "" {
		shown = "(empty)"
	}
	return fmt.Errorf("%w %s: use 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit (e.g. binance-main)", ErrBadName, shown)
}

// profilesFile is the JSON document in profiles.json.
type profilesFile struct {
	Version int `json:"version"`
	// Backend is where the secrets of these profiles live ("file" or
	// "os"), so that opening the folder with the other backend fails
	// clearly instead of reporting every secret missing.
	Backend  string    `json:"backend,omitempty"`
	Profiles []Profile `json:"profiles"`
	// missing: there was no profiles.json; damaged: it could not be read
	// (OpenRepair's callers only). Neither is written back.
	missing bool
	damaged *damagedFile
}

// find returns the index of name, or -1.
func (f *profilesFile) find(name string) int {
	for i := range f.Profiles {
		if f.Profiles[i].Name == name {
			return i
		}
	}
	return -1
}

// has reports whether a profile called name exists.
func (f *profilesFile) has(name string) bool { return f.find(name) >= 0 }

// parseProfiles decodes profiles.json. Every problem is an error wrapping
// ErrCorrupt that names the file and the fault; it never panics.
func parseProfiles(path string, data []byte) (*profilesFile, error) {
	bad := func(format string, a ...any) error {
		return &damagedFile{path: path, fault: fmt.Sprintf(format, a...), fix: profilesFix}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, bad("file is empty")
	}
	var f profilesFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, bad("not valid JSON (%s)", jsonFault(err))
	}
	switch {
	case f.Version == 0:
		return nil, bad("no format version")
	case f.Version > profilesVersion:
		return nil, &damagedFile{path: path, newer: true, fix: "upgrade keywarden",
			fault: fmt.Sprintf("format version %d is newer than this keywarden understands (%d)", f.Version, profilesVersion)}
	case f.Version < 0:
		return nil, bad("invalid format version %d", f.Version)
	}
	if f.Backend != "" && f.Backend != BackendFile && f.Backend != BackendOS {
		return nil, bad("unknown backend %q", clip(f.Backend))
	}
	seen := make(map[string]bool, len(f.Profiles))
	for i, p := range f.Profiles {
		if err := ValidName(p.Name); err != nil {
			return nil, bad("profile #%d: %v", i+1, err)
		}
		if seen[p.Name] {
			return nil, bad("profile %q appears twice", p.Name)
		}
		seen[p.Name] = true
		if p.RotationDays < 0 {
			return nil, bad("profile %q: negative rotation_days", p.Name)
		}
	}
	sortProfiles(f.Profiles)
	return &f, nil
}

// profilesFix is what to do about a damaged profiles.json.
const profilesFix = "run `keywarden doctor`: it says what is wrong and rebuilds the profiles from the secrets in the keyring, deleting nothing (or restore the file from a backup)"

// damagedFile is the error for a keywarden file that cannot be read: the
// file, what is wrong with it, and what to do. It wraps ErrCorrupt.
type damagedFile struct {
	path, fault, fix string
	// newer: written by a newer keywarden; not damaged, and never to be
	// replaced by a rebuild.
	newer bool
}

func (e *damagedFile) Error() string {
	return fmt.Sprintf("%v: %s: %s; %s", ErrCorrupt, e.path, e.fault, e.fix)
}

func (e *damagedFile) Unwrap() error { return ErrCorrupt }

// encodeProfiles is the inverse of parseProfiles.
func encodeProfiles(f *profilesFile) ([]byte, error) {
	f.Version = profilesVersion
	if f.Profiles == nil {
		f.Profiles = []Profile{}
	}
	sortProfiles(f.Profiles)
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode profiles: %w", err)
	}
	return append(b, '\n'), nil
}

func sortProfiles(ps []Profile) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
}

// jsonFault describes a JSON decoding error without quoting the input:
// encoding/json's syntax errors quote the offending character.
func jsonFault(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q has the wrong type", te.Field)
	}
	return "malformed"
}

// clip shortens a value taken from a damaged file before it is shown.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// cloneProfile copies p deeply enough that changes to the copy never reach
// the original's slices.
func cloneProfile(p Profile) Profile {
	p.Markets = append([]string(nil), p.Markets...)
	p.BotIPs = append([]string(nil), p.BotIPs...)
	if p.LastCheck != nil {
		lc := *p.LastCheck
		if lc.Counts != nil {
			lc.Counts = make(map[string]int, len(p.LastCheck.Counts))
			for k, v := range p.LastCheck.Counts {
				lc.Counts[k] = v
			}
		}
		p.LastCheck = &lc
	}
	return p
}

// validateProfile refuses metadata the store cannot keep consistently.
func validateProfile(p Profile) error {
	switch {
	case strings.TrimSpace(p.Exchange) == "":
		return fmt.Errorf("%w: profile %q: no exchange given", ErrBadInput, p.Name)
	case p.RotationDays < 0:
		return fmt.Errorf("%w: profile %q: rotation period must be 0 (default %d days) or more", ErrBadInput, p.Name, DefaultRotationDays)
	}
	return nil
}
