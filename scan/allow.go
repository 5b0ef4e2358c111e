package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// AllowListFile is the allow-list's name, at the top of the repository
// (or of the scanned folder outside one).
const AllowListFile = ".keywarden-scan.toml"

// maxAllowList bounds the allow-list file and its entries.
const (
	maxAllowList    = 1 << 20
	maxAllowEntries = 10000
	maxReason       = 300
)

// AllowList is the findings a team accepted, each with its reason: a test
// fixture, a documented example key, a folder of recorded responses. It is
// parsed strictly: an unknown key, an entry without a reason or without
// anything to match is refused, so a typo never silently accepts (or
// fails to accept) a finding.
type AllowList struct {
	Entries []AllowEntry
}

// AllowEntry accepts the findings that match all of its non-empty fields.
type AllowEntry struct {
	// Path is a slash-separated pattern relative to the repository's top:
	// * and ? within one path element, ** for any number of elements; a
	// trailing / means the folder and everything in it.
	Path string `toml:"path"`
	// Fingerprint is a finding's fingerprint (kw1:…), as scan prints it.
	Fingerprint string `toml:"fingerprint"`
	// Kind limits the entry to one kind of finding (key-shaped, …).
	Kind string `toml:"kind"`
	// Reason says why this is not a leak. Required.
	Reason string `toml:"reason"`
}

// ParseAllowList reads an allow-list. Errors name the entry and the
// problem, never quote a value beyond the file's own keys.
func ParseAllowList(data []byte) (*AllowList, error) {
	if len(data) > maxAllowList {
		return nil, fmt.Errorf("more than %d KiB; an allow-list is a short list of entries", maxAllowList>>10)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("not valid UTF-8 text")
	}
	var doc struct {
		Allow []AllowEntry `toml:"allow"`
	}
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("line %d: not valid TOML (%s)", pe.Position.Line, firstLine(pe.Message))
		}
		return nil, fmt.Errorf("not valid TOML: %s", firstLine(err.Error()))
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown key %q: use [[allow]] entries with path, fingerprint, kind and reason", clipKey(und[0].String()))
	}
	if len(doc.Allow) > maxAllowEntries {
		return nil, fmt.Errorf("%d entries: at most %d", len(doc.Allow), maxAllowEntries)
	}
	for i, e := range doc.Allow {
		n := i + 1
		raw := strings.TrimSpace(e.Reason)
		e.Reason = textsafe.Line(raw) // it is printed
		doc.Allow[i].Reason = e.Reason
		switch {
		case e.Reason == "":
			return nil, fmt.Errorf("entry %d: reason is required: say why this is not a leak", n)
		case utf8.RuneCountInString(raw) > maxReason:
			return nil, fmt.Errorf("entry %d: reason is longer than %d characters", n, maxReason)
		case e.Path == "" && e.Fingerprint == "":
			return nil, fmt.Errorf("entry %d: give a path or a fingerprint to accept (a kind alone would accept every such finding)", n)
		case e.Fingerprint != "" && !validFingerprint(e.Fingerprint):
			return nil, fmt.Errorf("entry %d: fingerprint is not one scan prints (%s followed by 20 hex digits)", n, FingerprintPrefix)
		case e.Kind != "" && !knownKind(e.Kind):
			return nil, fmt.Errorf("entry %d: kind %q: use one of %s", n, clipKey(e.Kind), strings.Join(Kinds(), ", "))
		}
		if e.Path != "" {
			if err := checkPattern(e.Path); err != nil {
				return nil, fmt.Errorf("entry %d: path: %w", n, err)
			}
		}
	}
	return &AllowList{Entries: doc.Allow}, nil
}

// LoadAllowList reads the allow-list that applies to a scan of root:
// AllowListFile at the repository's top, or in root outside a repository.
// For a staged scan it is the staged version when the file is in the index
// (that is what the commit will carry), with a note when the working
// tree's copy differs. No file is no allow-list (nil, no error). name is
// the file's path for messages.
func LoadAllowList(ctx context.Context, root string, staged bool) (a *AllowList, name string, notes []string, err error) {
	repo := findRepo(ctx, root)
	dir := root
	if repo.top != "" {
		dir = repo.top
	}
	file := filepath.Join(dir, AllowListFile)
	name = file
	disk, derr := readCapped(file, maxAllowList)
	if derr != nil && !errors.Is(derr, fs.ErrNotExist) {
		if errors.Is(derr, errTooBig) {
			return nil, name, nil, fmt.Errorf("%s: more than %d KiB; an allow-list is a short list of entries", name, maxAllowList>>10)
		}
		return nil, name, nil, fmt.Errorf("read %s: %w", name, derr)
	}
	data := disk
	if staged && repo.top != "" {
		idx, _ := catFiles(ctx, repo, []string{":" + AllowListFile})
		if b, ok := idx[":"+AllowListFile]; ok {
			data, name = b, AllowListFile+" (staged)"
			if derr == nil && !bytes.Equal(b, disk) {
				notes = append(notes, AllowListFile+" has changes that are not staged: the staged version was used (git add "+AllowListFile+" to use yours)")
			}
		} else if derr == nil {
			notes = append(notes, AllowListFile+" is not staged: it was used, but the commit will not carry it (git add "+AllowListFile+")")
		}
	}
	if data == nil {
		return nil, name, notes, nil // no allow-list
	}
	a, err = ParseAllowList(data)
	if err != nil {
		return nil, name, notes, fmt.Errorf("%s: %w", name, err)
	}
	return a, name, notes, nil
}

// Allows returns the first entry accepting f.
func (a *AllowList) Allows(f Finding) (AllowEntry, bool) {
	if a == nil {
		return AllowEntry{}, false
	}
	for _, e := range a.Entries {
		if e.Fingerprint != "" && e.Fingerprint != f.Fingerprint {
			continue
		}
		if e.Kind != "" && e.Kind != f.Kind {
			continue
		}
		if e.Path != "" && !matchPath(e.Path, f.Path) {
			continue
		}
		return e, true
	}
	return AllowEntry{}, false
}

// Kinds are the kinds of finding, as allow-lists and SARIF rules name them.
func Kinds() []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.id)
	}
	return out
}

func knownKind(k string) bool {
	for _, r := range rules {
		if r.id == k {
			return true
		}
	}
	return false
}

func validFingerprint(s string) bool {
	h, ok := strings.CutPrefix(s, FingerprintPrefix)
	if !ok || len(h) != 20 {
		return false
	}
	return strings.Trim(h, "0123456789abcdef") == ""
}

func clipKey(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// checkPattern refuses patterns that could never match, or that a reader
// would misread.
func checkPattern(p string) error {
	switch {
	case strings.HasPrefix(p, "/"):
		return errors.New("patterns are relative to the repository's top: drop the leading /")
	case strings.Contains(p, `\`):
		return errors.New(`use / between folders, not \`)
	case len(p) > 1000:
		return errors.New("longer than 1000 characters")
	case strings.Count(p, "**") > 8:
		return errors.New("more than 8 ** in one pattern")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(p, "/"), "/") {
		if seg == "**" {
			continue
		}
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%q has an empty, . or .. element", clipKey(p))
		}
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("%q is not a valid pattern", clipKey(p))
		}
	}
	return nil
}

// matchPath matches a slash-separated path against a pattern with *, ?
// and ** (any number of elements, none included).
func matchPath(pattern, name string) bool {
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := range name {
				if matchSegs(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
