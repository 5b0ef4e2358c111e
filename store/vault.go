package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/99designs/keyring"
	jose "github.com/dvsekhvalnov/jose2go"

	"github.com/keywarden/keywarden/exchanges"
)

// vault is where one backend keeps item bytes (the credentials JSON).
type vault interface {
	get(name string) ([]byte, error)
	put(name string, data []byte) error
}

// credsJSON is the plaintext of one item. It exists only inside the
// encrypted item: exchanges.Secret refuses to marshal its value.
type credsJSON struct {
	V          int    `json:"v"`
	Key        string `json:"key"`
	Secret     string `json:"secret"`
	Passphrase string `json:"passphrase,omitempty"`
}

func encodeCreds(c exchanges.Credentials) []byte {
	b, _ := json.Marshal(credsJSON{V: 1, Key: c.Key, Secret: c.Secret.Reveal(), Passphrase: c.Passphrase.Reveal()})
	return b // marshalling plain strings cannot fail
}

func decodeCreds(name string, data []byte) (exchanges.Credentials, error) {
	var cj credsJSON
	if err := json.Unmarshal(data, &cj); err != nil || cj.V != 1 || cj.Key == "" {
		// Never wrap the JSON error: it may quote bytes of the secret.
		return exchanges.Credentials{}, fmt.Errorf("%w: the secret of profile %q decrypted but is not in keywarden's format; remove the profile and add it again", ErrCorrupt, name)
	}
	return exchanges.Credentials{Key: cj.Key, Secret: exchanges.NewSecret(cj.Secret), Passphrase: exchanges.NewSecret(cj.Passphrase)}, nil
}

// validateCreds refuses credentials that cannot work, naming the field.
func validateCreds(c exchanges.Credentials) error {
	switch {
	case c.Key == "":
		return fmt.Errorf("%w: credentials: field \"key\" is empty", ErrBadInput)
	case strings.TrimSpace(c.Key) != c.Key:
		return fmt.Errorf("%w: credentials: field \"key\" starts or ends with white space (a pasted newline?); trim it", ErrBadInput)
	case c.Secret.IsZero():
		return fmt.Errorf("%w: credentials: field \"secret\" is empty", ErrBadInput)
	}
	return nil
}

// wipe zeroes a buffer that held a secret (best effort: Go copies).
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
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

// fileRing opens keyring's file backend on one item folder, and nothing
// else: without AllowedBackends it may pick GNOME Keyring or KWallet.
func fileRing(dir string, key []byte) keyring.Keyring {
	prompt := func(string) (string, error) { return "", errors.New("keyring is locked") }
	if key != nil {
		prompt = keyring.FixedStringPrompt(filePassword(key))
	}
	r, err := keyring.Open(keyring.Config{
		AllowedBackends:  []keyring.BackendType{keyring.FileBackend},
		FileDir:          dir,
		FilePasswordFunc: prompt,
	})
	if err != nil { // the file opener never fails; keep a safe answer anyway
		return keyring.NewArrayKeyring(nil)
	}
	return r
}

// itemNames lists the valid item names in dir, through keyring's Keys()
// filtered: it also lists dotfiles, folders and junk.
func itemNames(dir string) []string {
	keys, _ := fileRing(dir, nil).Keys()
	var out []string
	for _, k := range keys {
		if ValidName(k) != nil {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(dir, k)); err == nil && fi.Mode().IsRegular() {
			out = append(out, k)
		}
	}
	return out
}

// readItem decrypts one item through keyring's own reader.
func readItem(dir, name string, key []byte) ([]byte, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	it, err := fileRing(dir, key).Get(name)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, fmt.Errorf("%w: profile %q has no secret in %s (the file is missing); remove the profile and add it again", ErrCorrupt, name, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the secret of profile %q in %s cannot be decrypted although the passphrase is right (%s): the file is damaged or was replaced; restore the folder from a backup, or remove the profile and add it again",
			ErrCorrupt, name, dir, safeErr(err))
	}
	if it.Key != name {
		wipe(it.Data)
		return nil, fmt.Errorf("%w: the file of profile %q in %s holds another item; restore the folder from a backup, or remove the profile and add it again", ErrCorrupt, name, dir)
	}
	return it.Data, nil
}

// safeErr describes an error from decrypting an item. keyring decodes the
// decrypted payload with encoding/json, whose syntax errors quote a byte
// of it: those are described without their text. jose2go's own errors
// (integrity check failed, wrong number of parts) hold no plaintext.
func safeErr(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) {
		return "decrypted content is not an item: " + jsonFault(err)
	}
	return err.Error()
}

// writeItem encrypts data exactly as keyring's file backend does, minus
// its plaintext "created" header (it leaks when the key was stored), and
// writes it atomically: temp file in the sibling folder tmp/, so that no
// half-written file is ever visible in the item folder.
func writeItem(dir, itemsDir, name string, data, key []byte) error {
	if err := ValidName(name); err != nil {
		return err
	}
	payload, err := json.Marshal(keyring.Item{
		Key:         name,
		Data:        data,
		Label:       "keywarden " + name,
		Description: "API credentials of the keywarden profile " + name,
	})
	if err != nil {
		return fmt.Errorf("encode secret of %q: %w", name, err)
	}
	defer wipe(payload)
	token, err := jose.EncryptBytes(payload, jose.PBES2_HS256_A128KW, jose.A256GCM, filePassword(key))
	if err != nil {
		return fmt.Errorf("encrypt secret of %q: %w", name, err)
	}
	tmp := filepath.Join(dir, tmpDirName)
	if err := os.Mkdir(tmp, dirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	return writeAtomic(tmp, itemsDir, name, []byte(token))
}

// create makes a new keyring holding its first item: a fresh item folder,
// the item, then keyring.json naming the folder. Until keyring.json is in
// place the folder is an unreferenced leftover, removed by a later write.
func (s *Store) create(u *unlocked, name string, data []byte) (*unlocked, error) {
	gen := s.nextGeneration(nil)
	itemsDir := filepath.Join(s.dir, gen)
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

// cleanup removes what an interrupted write left behind: temp files, item
// folders that keyring.json does not name, and items without a profile.
// It runs only under the exclusive lock, after the passphrase (if any) was
// verified, and it only warns on failure: the next write tries again.
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
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.warn(fmt.Sprintf("could not remove leftover %s: %v", path, err))
			return
		}
		removed = append(removed, path)
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		switch n := e.Name(); {
		case isTemp(n):
			rm(filepath.Join(s.dir, n), false)
		case kf != nil && e.IsDir() && generationPattern.MatchString(n) && n != kf.Items:
			rm(filepath.Join(s.dir, n), true)
		}
	}
	tmp := filepath.Join(s.dir, tmpDirName)
	tmps, _ := os.ReadDir(tmp)
	for _, e := range tmps {
		if isTemp(e.Name()) {
			rm(filepath.Join(tmp, e.Name()), false)
		}
	}
	if kf != nil {
		items := filepath.Join(s.dir, kf.Items)
		for _, n := range itemNames(items) {
			if !pf.has(n) {
				rm(filepath.Join(items, n), false)
			}
		}
		_ = syncDir(items)
	}
	if len(removed) > 0 {
		_ = syncDir(s.dir)
		s.warn(fmt.Sprintf("cleaned up after an interrupted keywarden run: removed %s", strings.Join(removed, ", ")))
	}
}
