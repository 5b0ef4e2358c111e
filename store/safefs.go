package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// The store never follows a symbolic link inside the keyring folder: a
// link there would make it read a planted keyring.json, write items into
// another folder (leaving the target's loose modes as they are), or create
// a file wherever the lock points. Open checks every path it uses with
// Lstat (checkFolder), and every later open passes O_NOFOLLOW as well, so
// a link planted after Open is refused too. The folder itself may be
// reached through links (a symlinked ~/.config is common): Open resolves
// it once and works in the real folder from then on.

// unsafeLink is the error for a symbolic link at path.
func unsafeLink(path string) error {
	fix := "replace the link with what it points to, or remove it"
	if target, err := os.Readlink(path); err == nil {
		target = textsafe.Line(target) // a name chosen by whoever planted it
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		fix = fmt.Sprintf("it points to %s; if that is yours, move it into its place (rm %s && mv %s %s), otherwise remove the link", target, path, target, path)
	}
	return fmt.Errorf("%w: %s is a symbolic link; keywarden never follows links inside its keyring folder, so that nothing is read from or written to another place: %s, then try again",
		ErrUnsafe, path, fix)
}

// unsafeKind is the error for something other than a regular file or a
// folder at path.
func unsafeKind(path, want string, fi fs.FileInfo) error {
	return fmt.Errorf("%w: %s should be a %s but is a %s; move it out of the keyring folder, then try again",
		ErrUnsafe, path, want, kindOf(fi))
}

func kindOf(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m.IsDir():
		return "folder"
	case m.IsRegular():
		return "regular file"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// openNoFollow opens path without following a symbolic link in its last
// element; a link is refused with unsafeLink.
func openNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		if isLinkErr(err) {
			return nil, unsafeLink(path)
		}
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, unsafeLink(path) // platforms without O_NOFOLLOW
		}
		return nil, err
	}
	return f, nil
}

// readCapped reads a regular file of at most max bytes, refusing links
// and special files (a named pipe would block the read forever). A missing
// file returns fs.ErrNotExist (wrapped).
func readCapped(path string, max int64) ([]byte, error) {
	if fi, err := os.Lstat(path); err != nil {
		return nil, err
	} else if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, unsafeLink(path)
	} else if !fi.Mode().IsRegular() {
		return nil, unsafeKind(path, "regular file", fi)
	}
	f, err := openNoFollow(path, os.O_RDONLY|oNonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() { // swapped between Lstat and open
		return nil, unsafeKind(path, "regular file", fi)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: %s: larger than %d bytes; restore it from a backup", ErrCorrupt, path, max)
	}
	return b, nil
}

// checkDir refuses a link or a non-folder at path; a missing one is fine.
func checkDir(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("keyring folder: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return unsafeLink(path)
	case !fi.IsDir():
		return unsafeKind(path, "folder", fi)
	}
	return nil
}

// resolveDir creates dir if it is missing (mode 0700, with its parents)
// and returns the real folder it names, symbolic links resolved.
func resolveDir(dir string) (string, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return "", fmt.Errorf("create keyring folder: %w", err)
		}
		fi, err = os.Stat(dir)
	}
	if err != nil {
		return "", fmt.Errorf("keyring folder: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%w: %s is a file, not a folder; pass another --dir or move the file away", ErrBadInput, dir)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("keyring folder %s: %w", dir, err)
	}
	return real, nil
}

// checkFolder refuses a keyring folder that another user owns, and any
// symbolic link or special file at a path keywarden uses in it: its own
// files, the item folders and tmp/, and the entries of those folders.
// Unrelated entries are left alone (they are never opened).
func checkFolder(dir string, euid int) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("keyring folder: %w", err)
	}
	if uid, ok := fileOwner(fi); ok && euid >= 0 && uid != euid {
		return fmt.Errorf("%w: the keyring folder %s belongs to user id %d, not to you (user id %d): its owner could read or replace your keys; use a folder of your own (--dir or KEYWARDEN_DIR), or, if it is yours, give it back to you (chown -R %d %s)",
			ErrUnsafe, dir, uid, euid, euid, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		switch {
		case name == tmpDirName || generationPattern.MatchString(name):
			if err := checkDir(path); err != nil {
				return err
			}
			if err := checkEntries(path); err != nil {
				return err
			}
		case ownFile(name):
			if e.Type()&fs.ModeSymlink != 0 {
				return unsafeLink(path)
			}
			if !e.Type().IsRegular() {
				fi, err := e.Info()
				if err != nil {
					return fmt.Errorf("keyring folder: %w", err)
				}
				return unsafeKind(path, "regular file", fi)
			}
		}
	}
	return nil
}

// checkEntries refuses links and special files among the items and temp
// files of an item folder or tmp/.
func checkEntries(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		if ValidName(e.Name()) != nil && !isTemp(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			return unsafeLink(path)
		}
		if !e.Type().IsRegular() && !e.IsDir() {
			fi, err := e.Info()
			if err != nil {
				return fmt.Errorf("keyring folder: %w", err)
			}
			return unsafeKind(path, "regular file", fi)
		}
	}
	return nil
}

// ownFile reports whether name is one of the files keywarden keeps in the
// keyring folder itself.
func ownFile(name string) bool {
	switch name {
	case profilesFileName, keyringFileName, lockFileName, historyFileName, journalFileName:
		return true
	}
	return isTemp(name)
}
