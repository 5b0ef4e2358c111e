package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// maxPassphraseFile bounds what is read from a passphrase file: a
// passphrase is a line, not a document.
const maxPassphraseFile = 4 << 10

// readPassphraseFile reads the keyring passphrase from path, the way
// Docker and Kubernetes secrets and systemd's LoadCredential= hand it over:
// the whole file, less one trailing newline. A file that others may read is
// refused (its passphrase is as good as public), as is an empty one, one of
// several lines, or one too big to be a passphrase. Errors name the file,
// never its content.
func readPassphraseFile(path string) (string, error) {
	return readSecretFile("passphrase file", path)
}

// readSecretFile reads one secret from path under the rules of
// readPassphraseFile; what names the file in messages ("token file").
func readSecretFile(what, path string) (string, error) {
	name := what + " " + textsafe.Line(path)
	file := textsafe.Line(path)
	f, err := os.Open(path)
	if err != nil {
		return "", usageErr(fmt.Errorf("%s: %w", name, unwrapPathErr(err)))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", usageErr(fmt.Errorf("%s: %w", name, unwrapPathErr(err)))
	}
	if !st.Mode().IsRegular() {
		return "", usageErr(fmt.Errorf("%s is not a regular file", name))
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o004 != 0 {
		return "", usageErr(fmt.Errorf("%s is readable by every user (mode %04o): run `chmod 600 %s` "+
			"(Kubernetes: defaultMode: 0400 on the secret volume; systemd: LoadCredential= already does this); nothing was read",
			name, st.Mode().Perm(), file))
	}
	b, err := io.ReadAll(io.LimitReader(f, maxPassphraseFile+1))
	if err != nil {
		return "", usageErr(fmt.Errorf("%s: %w", name, unwrapPathErr(err)))
	}
	defer clear(b)
	if len(b) > maxPassphraseFile {
		return "", usageErr(fmt.Errorf("%s is larger than %d bytes: it should hold the secret alone, on one line", name, maxPassphraseFile))
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if len(b) == 0 {
		return "", usageErr(fmt.Errorf("%s is empty: write the secret into it", name))
	}
	if bytes.ContainsAny(b, "\r\n") {
		return "", usageErr(fmt.Errorf("%s has more than one line: it should hold the secret alone", name))
	}
	return string(b), nil
}

// unwrapPathErr drops the *PathError's own copy of the path (the message
// names the file once, cleaned).
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// passphraseFromFile is set when the passphrase comes from a file; it
// refuses a second source given at the same time, since which one wins
// would be a guess.
func (a *app) passphraseFromFile() (string, bool, error) {
	if a.g.passphraseFile == "" {
		return "", false, nil
	}
	if _, ok := a.io.LookupEnv("KEYWARDEN_PASSPHRASE"); ok {
		return "", true, usageErr(errors.New("both KEYWARDEN_PASSPHRASE and a passphrase file (--passphrase-file or KEYWARDEN_PASSPHRASE_FILE) are set: give the passphrase one way"))
	}
	p, err := readPassphraseFile(a.g.passphraseFile)
	return p, true, err
}
