package scan

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sync"
)

// treeBlobs remembers what the files of the working tree hold, by the id
// git gives that content (the SHA-1 of "blob SIZE\0" and the bytes), so
// that the history scan need not read again, through git cat-file, a
// blob that is byte for byte a file already scanned: in most repositories
// the current versions are a large part of all blobs, and cat-file's
// delta resolution is the history scan's main cost. The id is computed
// from the bytes read, so a file changed since it was committed, or
// stored through a filter (LFS, line endings), simply does not match.
type treeBlobs struct {
	mu    sync.Mutex
	found map[string][]Finding // blob id → the findings in that content (before git-state adjustments)
	done  chan struct{}        // closed when the tree scan is over
	once  sync.Once
}

func newTreeBlobs() *treeBlobs {
	return &treeBlobs{found: map[string][]Finding{}, done: make(chan struct{})}
}

func (t *treeBlobs) put(id string, fs []Finding) {
	t.mu.Lock()
	t.found[id] = fs
	t.mu.Unlock()
}

// get returns what the content with that id held, and whether the tree
// had it.
func (t *treeBlobs) get(id string) ([]Finding, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs, ok := t.found[id]
	return fs, ok
}

// finish marks the tree scan over.
func (t *treeBlobs) finish() { t.once.Do(func() { close(t.done) }) }

// blobHasher computes a git blob id over what it is written, for a
// content of the size given.
type blobHasher struct {
	h    hash.Hash
	size int64
	n    int64
}

func newBlobHasher(size int64) *blobHasher {
	b := &blobHasher{h: sha1.New(), size: size}
	fmt.Fprintf(b.h, "blob %d\x00", size)
	return b
}

func (b *blobHasher) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	return b.h.Write(p)
}

// id is the blob id, "" if the bytes written were not of the size given
// (the file changed while read).
func (b *blobHasher) id() string {
	if b.n != b.size {
		return ""
	}
	return hex.EncodeToString(b.h.Sum(nil))
}

// tee reads r into the hasher as it is read.
func (b *blobHasher) tee(r io.Reader) io.Reader { return io.TeeReader(r, b) }
