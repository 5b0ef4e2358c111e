package exchanges

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The validators below build Field.Check functions from an exchange's real
// key formats. Their errors describe the value's shape (length, alphabet),
// never its content.

// Regexp accepts values matching re (anchored by the caller); want
// describes the format for the error, e.g. "64 letters and digits".
func Regexp(re *regexp.Regexp, want string) func(string) error {
	return func(s string) error {
		if err := singleLine(s); err != nil {
			return err
		}
		if looksLikePEM(s) {
			return errors.New("this is a private key, not " + want)
		}
		if !re.MatchString(s) {
			return fmt.Errorf("expected %s; got %s", want, describe(s))
		}
		return nil
	}
}

// Alnum accepts exactly n ASCII letters and digits (n <= 0: 16 to 128).
func Alnum(n int) func(string) error {
	if n <= 0 {
		return Regexp(regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`), "16 to 128 letters and digits")
	}
	return Regexp(regexp.MustCompile(fmt.Sprintf(`^[A-Za-z0-9]{%d}$`, n)), fmt.Sprintf("%d letters and digits", n))
}

// Hex accepts exactly n hexadecimal characters.
func Hex(n int) func(string) error {
	return Regexp(regexp.MustCompile(fmt.Sprintf(`^[0-9A-Fa-f]{%d}$`, n)), fmt.Sprintf("%d hexadecimal characters (0-9, a-f)", n))
}

// UUID accepts a UUID (8-4-4-4-12 hexadecimal digits).
func UUID() func(string) error {
	return Regexp(regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`),
		"a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427")
}

// Base64 accepts standard base64 that decodes to one of the given lengths
// (none given: any non-empty length).
func Base64(decoded ...int) func(string) error {
	return func(s string) error {
		if err := singleLine(s); err != nil {
			return err
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("expected base64 (letters, digits, + / and = padding); got %s that does not decode", describe(s))
		}
		if len(decoded) == 0 && len(b) > 0 {
			return nil
		}
		for _, n := range decoded {
			if len(b) == n {
				return nil
			}
		}
		return fmt.Errorf("expected base64 of %s bytes; this decodes to %d bytes", joinInts(decoded), len(b))
	}
}

// Printable accepts min..max printable characters without spaces (a
// passphrase chosen by the user).
func Printable(min, max int) func(string) error {
	return func(s string) error {
		if err := singleLine(s); err != nil {
			return err
		}
		n := utf8.RuneCountInString(s)
		if n < min || n > max {
			return fmt.Errorf("expected %d to %d characters; got %d", min, max, n)
		}
		for _, r := range s {
			if !unicode.IsPrint(r) || unicode.IsSpace(r) {
				return errors.New("contains a space or an invisible character")
			}
		}
		return nil
	}
}

// PrivateKeyKind names what PEMKey found.
type PrivateKeyKind string

// The private key kinds exchanges use.
const (
	KeyEd25519 PrivateKeyKind = "Ed25519"
	KeyRSA     PrivateKeyKind = "RSA"
	KeyECP256  PrivateKeyKind = "EC P-256"
)

// ParsePrivateKey parses a PEM private key (PKCS#8, or SEC1 "EC PRIVATE
// KEY", or PKCS#1 "RSA PRIVATE KEY") and says what kind it is.
func ParsePrivateKey(s string) (any, PrivateKeyKind, error) {
	blk, rest := pem.Decode([]byte(strings.TrimSpace(s)))
	if blk == nil {
		return nil, "", errors.New("not a PEM block (it should start with -----BEGIN ... PRIVATE KEY-----)")
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, "", errors.New("text after the -----END ... PRIVATE KEY----- line")
	}
	var key any
	var err error
	switch blk.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(blk.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, "", errors.New("this is a PUBLIC key; paste the PRIVATE key that belongs to it")
	case "OPENSSH PRIVATE KEY":
		return nil, "", errors.New("this is an OpenSSH-format key; the exchange's key is a PEM private key (-----BEGIN PRIVATE KEY-----)")
	case "ENCRYPTED PRIVATE KEY":
		return nil, "", errors.New("this private key is encrypted with a password; export it unencrypted (-----BEGIN PRIVATE KEY-----)")
	case "CERTIFICATE":
		return nil, "", errors.New("this is a certificate, not a private key")
	default:
		// The type is not repeated: it is pasted text, and could be anything.
		return nil, "", errors.New("the PEM block is not a private key (its BEGIN line names another kind of block)")
	}
	if err != nil {
		return nil, "", errors.New("the PEM private key is damaged (it does not parse)")
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return k, KeyEd25519, nil
	case *rsa.PrivateKey:
		return k, KeyRSA, nil
	case *ecdsa.PrivateKey:
		if k.Curve.Params().Name != "P-256" {
			return nil, "", fmt.Errorf("EC key on curve %s; P-256 (ES256) is required", k.Curve.Params().Name)
		}
		return k, KeyECP256, nil
	}
	return nil, "", errors.New("unsupported private key type")
}

// PEMKey accepts a PEM private key of one of the given kinds.
func PEMKey(kinds ...PrivateKeyKind) func(string) error {
	return func(s string) error {
		_, kind, err := ParsePrivateKey(s)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			if k == kind {
				return nil
			}
		}
		return fmt.Errorf("a %s key; expected %s", kind, joinKinds(kinds))
	}
}

// OneOf accepts a value that any of checks accepts; want describes the
// alternatives for the error.
func OneOf(want string, checks ...func(string) error) func(string) error {
	return func(s string) error {
		for _, c := range checks {
			if c(s) == nil {
				return nil
			}
		}
		if looksLikePEM(s) {
			if _, _, err := ParsePrivateKey(s); err != nil {
				return err
			}
		}
		return fmt.Errorf("expected %s; got %s", want, describe(s))
	}
}

// LooksLikePEM reports whether s is a PEM block.
func LooksLikePEM(s string) bool { return looksLikePEM(s) }

func looksLikePEM(s string) bool { return strings.Contains(s, "-----BEGIN") }

func singleLine(s string) error {
	if strings.ContainsAny(s, "\r\n") && !looksLikePEM(s) {
		return errors.New("contains a line break")
	}
	return nil
}

// describe tells the shape of s without revealing it.
func describe(s string) string {
	n := utf8.RuneCountInString(s)
	var classes []string
	var lower, upper, digit, other bool
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	if lower {
		classes = append(classes, "lowercase")
	}
	if upper {
		classes = append(classes, "uppercase")
	}
	if digit {
		classes = append(classes, "digits")
	}
	if other {
		classes = append(classes, "other symbols")
	}
	return fmt.Sprintf("%d characters (%s)", n, strings.Join(classes, ", "))
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " or ")
}

func joinKinds(v []PrivateKeyKind) string {
	s := make([]string, len(v))
	for i, k := range v {
		s[i] = string(k)
	}
	return strings.Join(s, " or ")
}
