package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// vault is where one backend keeps item bytes (an item's plaintext).
type vault interface {
	get(name string) ([]byte, error)
	put(name string, data []byte) error
	// names lists the items the vault holds, sorted.
	names() ([]string, error)
}

// hasItem reports whether v holds an item called name.
func hasItem(v vault, name string) (bool, error) {
	names, err := v.names()
	if err != nil {
		return false, err
	}
	for _, n := range names {
		if n == name {
			return true, nil
		}
	}
	return false, nil
}

// fileVault is the file backend's vault under one derived key.
type fileVault struct {
	s *Store
	u *unlocked
}

func (v *fileVault) itemsDir() string { return filepath.Join(v.s.dir, v.u.kf.Items) }

func (v *fileVault) get(name string) ([]byte, error) {
	return readItem(v.itemsDir(), name, v.u.key)
}

func (v *fileVault) put(name string, data []byte) error {
	if v.u.pending {
		u, err := v.s.create(v.u, name, data)
		if err == nil {
			v.u = u
		}
		return err
	}
	return writeItem(v.s.dir, v.itemsDir(), name, data, v.u.key)
}

func (v *fileVault) names() ([]string, error) {
	if v.u.pending {
		return nil, nil
	}
	if err := checkDir(v.itemsDir()); err != nil {
		return nil, err
	}
	return itemNames(v.itemsDir()), nil
}

// create makes a new keyring holding its first item: a fresh item folder,
// the item, then keyring.json naming the folder. The journal names the
// folder first, so that a later write can remove it if keyring.json never
// came to name it (its key would then be lost: nothing could read it).
func (s *Store) create(u *unlocked, name string, data []byte) (*unlocked, error) {
	gen := s.nextGeneration(nil)
	itemsDir := filepath.Join(s.dir, gen)
	if err := s.beginJournal(journal{Op: opCreate, To: gen}); err != nil {
		return nil, err
	}
	if err := os.Mkdir(itemsDir, dirMode); err != nil {
		return nil, fmt.Errorf("create keyring: %w", err)
	}
	if err := writeItem(s.dir, itemsDir, name, data, u.key); err != nil {
		return nil, err
	}
	kf := *u.kf
	kf.Items = gen
	if err := s.saveKeyring(&kf); err != nil {
		return nil, err
	}
	s.endJournal()
	nu := &unlocked{kf: &kf, key: u.key}
	s.mu.Lock()
	s.key = nu
	s.mu.Unlock()
	return nu, nil
}

// saveKeyring replaces keyring.json atomically: the commit point of a new
// keyring and of a passphrase change.
func (s *Store) saveKeyring(kf *keyringFile) error {
	data, err := encodeKeyringFile(kf)
	if err != nil {
		return err
	}
	return writeAtomic(s.dir, s.dir, keyringFileName, data)
}

// nextGeneration names an item folder that does not exist yet.
func (s *Store) nextGeneration(kf *keyringFile) string {
	max := 0
	names := []string{}
	if kf != nil {
		names = append(names, kf.Items)
	}
	if entries, err := os.ReadDir(s.dir); err == nil {
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	for _, n := range names {
		if m := generationPattern.FindStringSubmatch(n); m != nil {
			if g, _ := strconv.Atoi(m[1]); g > max {
				max = g
			}
		}
	}
	return "items." + strconv.Itoa(max+1)
}
