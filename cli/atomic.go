package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// writeFileAtomic replaces path with data and gives it mode: a temp file
// in the same folder (so the rename cannot cross file systems), written,
// chmod-ed, fsync-ed, closed, renamed over path, and the folder fsync-ed.
// A crash at any instant leaves the old file or the new one, never a
// mixture, and the temp file is never readable by others.
func writeFileAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".keywarden-*.tmp") // 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil && runtime.GOOS != "windows" {
		var d *os.File
		if d, err = os.Open(dir); err == nil {
			err = d.Sync()
			_ = d.Close()
		}
	}
	return err
}
