package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The journal: before a write that spans several files (a new keyring, a
// passphrase change, a removal), the store records in journal.json what it
// is about to do, and deletes the journal when done. If the process dies
// in between, the next write finds the journal and finishes or undoes
// exactly that operation. This is the only way the clean-up ever removes
// an item folder or an item: it removes files it can prove it wrote itself
// (temp names, folders named by the journal) and items the user asked to
// remove — never an item because no profile names it. Such items are kept,
// counted by List's callers (UnnamedItems) and restored by doctor.

// The operations a journal records.
const (
	opCreate = "create" // a new keyring: items To, then keyring.json naming it
	opRekey  = "rekey"  // a passphrase change: items From copied to To, then keyring.json
	opRemove = "remove" // Profile removed from profiles.json, then its item
)

// journal is the JSON document in journal.json.
type journal struct {
	Op      string `json:"op"`
	Profile string `json:"profile,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
}

// parseJournal decodes journal.json strictly.
func parseJournal(data []byte) (*journal, error) {
	var j journal
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, errors.New("not valid JSON")
	}
	gen := func(g string) bool { return generationPattern.MatchString(g) }
	switch {
	case j.Op == opCreate && gen(j.To):
	case j.Op == opRekey && gen(j.From) && gen(j.To) && j.From != j.To:
	case j.Op == opRemove && ValidName(j.Profile) == nil:
	default:
		return nil, errors.New("not an operation keywarden writes")
	}
	return &j, nil
}

// describe says in words what an unfinished operation was.
func (j *journal) describe() string {
	switch j.Op {
	case opCreate:
		return "creating the keyring (item folder " + j.To + ")"
	case opRekey:
		return "changing the passphrase (from " + j.From + " to " + j.To + ")"
	}
	return "removing the profile " + j.Profile
}

// readJournal returns the unfinished operation, nil if there is none.
func (s *Store) readJournal() (*journal, error) {
	path := filepath.Join(s.dir, journalFileName)
	data, err := readCapped(path, 4096)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	j, err := parseJournal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	return j, nil
}

// beginJournal records j durably. Called under the exclusive lock.
func (s *Store) beginJournal(j journal) error {
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return writeAtomic(s.dir, s.dir, journalFileName, append(data, '\n'))
}

// endJournal deletes the journal: the operation is complete. A failure
// only leaves a journal that the next write finds already done.
func (s *Store) endJournal() {
	if err := os.Remove(filepath.Join(s.dir, journalFileName)); err == nil {
		_ = syncDir(s.dir)
	}
}

// cleanup finishes or undoes what an interrupted write left behind: temp
// files, and the one operation the journal names. It runs only under the
// exclusive lock, after the passphrase (if any) was verified, and it only
// warns on failure: the next write tries again.
func (s *Store) cleanup(kf *keyringFile, pf *profilesFile) {
	if s.backend != BackendFile {
		return
	}
	var removed []string
	rm := func(path string, all bool) {
		var err error
		if all {
			err = os.RemoveAll(path)
		} else {
			err = os.Remove(path)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			s.warn(fmt.Sprintf("could not remove leftover %s: %v", path, err))
			return
		}
		removed = append(removed, path)
	}
	for _, d := range []string{s.dir, filepath.Join(s.dir, tmpDirName)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if isTemp(e.Name()) && e.Type().IsRegular() {
				rm(filepath.Join(d, e.Name()), false)
			}
		}
	}
	if s.finishJournal(kf, pf, rm) {
		s.endJournal()
	}
	if len(removed) > 0 {
		_ = syncDir(s.dir)
		s.warn(fmt.Sprintf("cleaned up after an interrupted keywarden run: removed %s", strings.Join(removed, ", ")))
	}
}

// finishJournal completes or undoes the journal's operation, and reports
// whether the journal may be deleted. Without the facts needed to decide
// (no keyring.json, no sound profiles.json) it leaves everything alone.
func (s *Store) finishJournal(kf *keyringFile, pf *profilesFile, rm func(string, bool)) bool {
	j, err := s.readJournal()
	if err != nil || j == nil {
		return false // a damaged journal is reported by doctor, never acted on
	}
	cur := ""
	if kf != nil {
		cur = kf.Items
	}
	switch j.Op {
	case opCreate:
		// keyring.json was written (done), or never: then the folder's
		// key is lost and nothing can read it.
		if cur != j.To {
			rm(filepath.Join(s.dir, j.To), true)
		}
		return true
	case opRekey:
		switch cur {
		case j.To: // switched: the old generation was copied whole
			rm(filepath.Join(s.dir, j.From), true)
		case j.From: // not switched: the new one is incomplete
			rm(filepath.Join(s.dir, j.To), true)
		default:
			return false // keyring.json names neither: keep both
		}
		return true
	case opRemove:
		if kf == nil || pf == nil || pf.missing || pf.damaged != nil {
			return false
		}
		if !pf.has(j.Profile) { // the metadata went: finish the removal
			items := filepath.Join(s.dir, cur)
			if checkDir(items) == nil {
				rm(filepath.Join(items, j.Profile), false)
				_ = syncDir(items)
			}
		}
		return true
	}
	return false
}
