package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"

	"golang.org/x/crypto/argon2"
)

const (
	// keyringFileName holds the KDF parameters, salt, verifier and the name
	// of the current item folder. It lives outside the item folder, where
	// keyring's Keys() would list it.
	keyringFileName = "keyring.json"
	keyringVersion  = 1
	kdfArgon2id     = "argon2id"
	verifierLabel   = "keywarden-verifier-v1"
	keyLen          = 32
	saltLen         = 32
	// MinPassphraseLen is the shortest passphrase accepted for a new
	// keyring or a passphrase change, in characters.
	MinPassphraseLen = 8
)

// Bounds on parameters read from keyring.json: a planted file must not make
// Open allocate gigabytes or run for hours.
const (
	maxKDFTime    = 16
	maxKDFMemory  = 1 << 20 // KiB: 1 GiB
	maxKDFThreads = 64
	minSaltLen    = 16
	maxSaltLen    = 64
)

// kdfParams are Argon2id's cost parameters.
type kdfParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// defaultKDF returns the parameters of new keyrings: RFC 9106's second
// recommendation, above OWASP's Argon2id minimum (m=19 MiB, t=2, p=1).
func defaultKDF() kdfParams { return kdfParams{Time: 3, Memory: 64 * 1024, Threads: 4} }

// weaker reports whether p is cheaper than q in any dimension that matters
// to an attacker.
func (p kdfParams) weaker(q kdfParams) bool { return p.Time < q.Time || p.Memory < q.Memory }

// keyringFile is the JSON document in keyring.json.
type keyringFile struct {
	Version  int    `json:"version"`
	KDF      string `json:"kdf"`
	Argon2   int    `json:"v"`
	Time     int64  `json:"t"`
	Memory   int64  `json:"m"`
	Threads  int64  `json:"p"`
	Salt     []byte `json:"salt"`
	Verifier []byte `json:"verifier"`
	// Items names the current item folder, e.g. "items.3".
	Items string `json:"items"`
}

func (k *keyringFile) params() kdfParams {
	return kdfParams{Time: uint32(k.Time), Memory: uint32(k.Memory), Threads: uint8(k.Threads)}
}

// sameKey reports whether k and o describe the same derived key: same
// parameters, salt and verifier (the item folder may differ).
func (k *keyringFile) sameKey(o *keyringFile) bool {
	return k.params() == o.params() && bytes.Equal(k.Salt, o.Salt) && bytes.Equal(k.Verifier, o.Verifier)
}

var generationPattern = regexp.MustCompile(`^items\.([1-9][0-9]{0,8})$`)

// parseKeyringFile decodes and bounds-checks keyring.json. Every problem is
// an error wrapping ErrCorrupt; it never panics.
func parseKeyringFile(path string, data []byte) (*keyringFile, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s; without this file no secret can be decrypted: restore it from a backup of the folder",
			ErrCorrupt, path, fmt.Sprintf(format, a...))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, bad("file is empty")
	}
	var k keyringFile
	if err := json.Unmarshal(data, &k); err != nil {
		return nil, bad("not valid JSON (%s)", jsonFault(err))
	}
	switch {
	case k.Version > keyringVersion:
		return nil, fmt.Errorf("%w: %s: format version %d is newer than this keywarden understands (%d); upgrade keywarden",
			ErrCorrupt, path, k.Version, keyringVersion)
	case k.Version != keyringVersion:
		return nil, bad("invalid format version %d", k.Version)
	case k.KDF != kdfArgon2id:
		return nil, bad("unknown kdf %q", clip(k.KDF))
	case k.Argon2 != argon2.Version:
		return nil, bad("unsupported argon2 version %d", k.Argon2)
	case k.Time < 1 || k.Time > maxKDFTime:
		return nil, bad("argon2 t=%d outside 1..%d", k.Time, maxKDFTime)
	case k.Threads < 1 || k.Threads > maxKDFThreads:
		return nil, bad("argon2 p=%d outside 1..%d", k.Threads, maxKDFThreads)
	case k.Memory < 8*k.Threads || k.Memory > maxKDFMemory:
		return nil, bad("argon2 m=%d KiB outside %d..%d", k.Memory, 8*k.Threads, maxKDFMemory)
	case len(k.Salt) < minSaltLen || len(k.Salt) > maxSaltLen:
		return nil, bad("salt of %d bytes, want %d to %d", len(k.Salt), minSaltLen, maxSaltLen)
	case len(k.Verifier) != sha256.Size:
		return nil, bad("verifier of %d bytes, want %d", len(k.Verifier), sha256.Size)
	case !generationPattern.MatchString(k.Items):
		return nil, bad("invalid item folder %q", clip(k.Items))
	}
	return &k, nil
}

// encodeKeyringFile is the inverse of parseKeyringFile.
func encodeKeyringFile(k *keyringFile) ([]byte, error) {
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", keyringFileName, err)
	}
	return append(b, '\n'), nil
}

// newKeyringFile derives a key from pass under a fresh random salt and
// returns the description of a keyring opened by it (Items left empty).
func newKeyringFile(pass string, p kdfParams) (*keyringFile, []byte, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, fmt.Errorf("keyring: random salt: %w", err)
	}
	k := &keyringFile{
		Version: keyringVersion, KDF: kdfArgon2id, Argon2: argon2.Version,
		Time: int64(p.Time), Memory: int64(p.Memory), Threads: int64(p.Threads),
		Salt: salt,
	}
	key := deriveKey(pass, k)
	k.Verifier = verifier(key)
	return k, key, nil
}

// deriveKey runs Argon2id over pass with k's salt and parameters.
func deriveKey(pass string, k *keyringFile) []byte {
	p := k.params()
	return argon2.IDKey([]byte(pass), k.Salt, p.Time, p.Memory, p.Threads, keyLen)
}

// verifier is HMAC-SHA256(key, verifierLabel): it proves a key right
// without decrypting anything and reveals nothing about it.
func verifier(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(verifierLabel))
	return m.Sum(nil)
}

// checkKey reports whether key opens k, in constant time.
func checkKey(key []byte, k *keyringFile) bool { return hmac.Equal(verifier(key), k.Verifier) }

// filePassword is the string handed to keyring's file backend (and used
// by our own writer): jose2go's PBES2 then runs over 256 random-looking
// bits instead of the passphrase.
func filePassword(key []byte) string { return base64.RawStdEncoding.EncodeToString(key) }
