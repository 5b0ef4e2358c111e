package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
	// tempPrefix starts the name of every temp file written into Dir, so
	// that the cleanup never touches anything else.
	tempPrefix = ".keywarden-"
	tempSuffix = ".tmp"
)

// writeAtomic replaces dir/name with data: temp file in tmpDir (which must
// be on the same file system), write, fsync, close, rename, fsync dir. A
// crash at any instant leaves either the old file or the new one.
func writeAtomic(tmpDir, dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(tmpDir, tempPrefix+name+"-*"+tempSuffix) // mode 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	return nil
}

// syncDir makes renames and removals in dir durable. Windows cannot fsync
// a directory (and NTFS journals renames), so it is a no-op there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// tightenTree gives dir mode 0700 and every regular file and folder inside
// it (two levels deep: Dir, items.N/, tmp/) 0700 or 0600, reporting each
// change through warn. keyring only sets modes at creation, after umask,
// so a folder restored from a backup or a copied item keeps loose modes.
// Symlinks are neither followed nor changed. dir is the resolved folder
// (resolveDir).
func tightenTree(dir string, warn func(string)) error {
	if runtime.GOOS == "windows" {
		return nil // modes do not express Windows ACLs
	}
	if err := tighten(dir, warn); err != nil {
		return err
	}
	return walkEntries(dir, 2, func(path string, d fs.DirEntry) error {
		return tighten(path, warn)
	})
}

// walkEntries calls fn for every regular file and folder below dir, down to
// depth levels, without following symlinks.
func walkEntries(dir string, depth int, fn func(string, fs.DirEntry) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.Type().IsRegular() && !e.IsDir() {
			continue
		}
		if err := fn(p, e); err != nil {
			return err
		}
		if e.IsDir() && depth > 1 {
			if err := walkEntries(p, depth-1, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// tighten sets path to 0700 (folder) or 0600 (file) if its mode allows
// anything more (group or other bits, or execute on a file).
func tighten(path string, warn func(string)) error {
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed meanwhile
		}
		return fmt.Errorf("check permissions: %w", err)
	}
	want := fileMode
	if fi.IsDir() {
		want = dirMode
	} else if !fi.Mode().IsRegular() {
		return nil
	}
	old := fi.Mode().Perm()
	if old&^want == 0 {
		return nil
	}
	if err := os.Chmod(path, want); err != nil {
		return fmt.Errorf("tighten permissions of %s from %04o to %04o: %w; fix it by hand with chmod", path, old, want, err)
	}
	warn(fmt.Sprintf("tightened permissions of %s from %04o to %04o", path, old, want))
	return nil
}

// isTemp reports whether name is one of our temp files.
func isTemp(name string) bool {
	return strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix)
}
