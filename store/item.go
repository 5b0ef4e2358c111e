package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/99designs/keyring"
	jose "github.com/dvsekhvalnov/jose2go"

	"github.com/keywarden/keywarden/exchanges"
)

// An item is the plaintext that one profile's secret is kept as, inside
// the encrypted file (or the keychain entry). Since version 2 it also
// carries the profile's metadata as it was when the secret was written, so
// that the profiles can be rebuilt from the items alone if profiles.json
// is lost or damaged (keywarden doctor). Version 1 items (older
// keywardens) know only the profile name and the credentials.
type itemJSON struct {
	V          int    `json:"v"`
	Key        string `json:"key"`
	Secret     string `json:"secret"`
	Passphrase string `json:"passphrase,omitempty"`
	// Profile is the metadata (v2), without the last check's results.
	Profile *Profile `json:"profile,omitempty"`
}

// maxItemFile caps what is read of one item file.
const maxItemFile = 1 << 20

// encodeItem is the plaintext of an item for c and, when p is not nil,
// its profile's metadata.
func encodeItem(c exchanges.Credentials, p *Profile) []byte {
	it := itemJSON{V: 1, Key: c.Key, Secret: c.Secret.Reveal(), Passphrase: c.Passphrase.Reveal()}
	if p != nil {
		q := cloneProfile(*p)
		q.LastCheck = nil
		it.V, it.Profile = 2, &q
	}
	b, _ := json.Marshal(it)
	return b // marshalling plain strings and a Profile cannot fail
}

// decodeItem reads an item's plaintext: the credentials, and the profile
// metadata it carries (nil for a version 1 item).
func decodeItem(name string, data []byte) (exchanges.Credentials, *Profile, error) {
	var it itemJSON
	err := json.Unmarshal(data, &it)
	if err == nil && it.V == 2 && (it.Profile == nil || it.Profile.Name != name) {
		err = errors.New("v2 without its profile")
	}
	if err != nil || (it.V != 1 && it.V != 2) || it.Key == "" {
		// Never wrap the JSON error: it may quote bytes of the secret.
		return exchanges.Credentials{}, nil, fmt.Errorf("%w: the secret of profile %q decrypted but is not in keywarden's format; remove the profile and add it again", ErrCorrupt, name)
	}
	c := exchanges.Credentials{Key: it.Key, Secret: exchanges.NewSecret(it.Secret), Passphrase: exchanges.NewSecret(it.Passphrase)}
	if it.V == 1 {
		return c, nil, nil
	}
	return c, it.Profile, nil
}

// decodeCreds is decodeItem for callers that need the credentials only.
func decodeCreds(name string, data []byte) (exchanges.Credentials, error) {
	c, _, err := decodeItem(name, data)
	return c, err
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

// itemNames lists the items in an item folder, sorted: regular files with
// a valid profile name. Dotfiles, folders, links and junk are left out. A
// missing folder has none (and is not created).
func itemNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if ValidName(e.Name()) == nil && e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// The JOSE algorithms of an item, as keyring's file backend writes them.
const (
	itemAlg = jose.PBES2_HS256_A128KW
	itemEnc = jose.A256GCM
)

// readItem reads and decrypts one item file, in the format of keyring's
// file backend (which reads our files too), without following a link.
func readItem(dir, name string, key []byte) ([]byte, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	token, err := readCapped(path, maxItemFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: profile %q has no secret in %s (the file is missing); remove the profile and add it again", ErrCorrupt, name, dir)
	case errors.Is(err, ErrUnsafe), errors.Is(err, ErrCorrupt):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("read the secret of %q: %w", name, err)
	}
	payload, headers, err := jose.DecodeBytes(string(token), filePassword(key))
	if err == nil && (headers["alg"] != itemAlg || headers["enc"] != itemEnc) {
		err = errors.New("unexpected encryption algorithms")
	}
	var it keyring.Item
	if err == nil {
		err = json.Unmarshal(payload, &it)
	}
	wipe(payload)
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

// safeErr describes an error from decrypting an item. An item's payload is
// decoded with encoding/json, whose syntax errors quote a byte of it:
// those are described without their text. jose2go's own errors (integrity
// check failed, wrong number of parts) hold no plaintext.
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
	token, err := jose.EncryptBytes(payload, itemAlg, itemEnc, filePassword(key))
	if err != nil {
		return fmt.Errorf("encrypt secret of %q: %w", name, err)
	}
	tmp := filepath.Join(dir, tmpDirName)
	if err := os.Mkdir(tmp, dirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	for _, d := range []string{tmp, itemsDir} {
		if err := checkDir(d); err != nil {
			return err
		}
	}
	return writeAtomic(tmp, itemsDir, name, []byte(token))
}
