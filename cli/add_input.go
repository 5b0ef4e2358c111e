package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// credentialNames are the fields the JSON on stdin may hold.
func credentialNames() []string {
	return []string{exchanges.FieldKey, exchanges.FieldSecret, exchanges.FieldPassphrase}
}

// rawCredentials are the values as given; nil means absent (or null).
type rawCredentials struct {
	Key, Secret, Passphrase *string
}

// parseCredentials reads one JSON object whose members are among
// credentialNames (matched without regard to case, as encoding/json
// does), each a string or null. It walks the tokens itself so that every
// error can say where the problem is without quoting what is there.
func parseCredentials(b []byte) (rawCredentials, error) {
	var raw rawCredentials
	fields := map[string]**string{
		exchanges.FieldKey: &raw.Key, exchanges.FieldSecret: &raw.Secret, exchanges.FieldPassphrase: &raw.Passphrase,
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return raw, jsonProblem(err, "")
	}
	seen := map[string]bool{}
	for n := 1; dec.More(); n++ {
		at := memberStart(b, dec.InputOffset()) + 1
		tok, err := dec.Token()
		if err != nil {
			return raw, jsonProblem(err, "")
		}
		s, _ := tok.(string) // encoding/json allows only strings here
		name := canonicalName(s)
		switch {
		case name == "":
			return raw, fmt.Errorf("credentials: field %d of the object (at byte %d) is not one of %s; its name is not repeated here, since it could be a pasted secret",
				n, at, quotedNames())
		case seen[name]:
			return raw, fmt.Errorf("credentials: field %q appears twice (again as field %d, at byte %d); give each field once", name, n, at)
		}
		seen[name] = true
		tok, err = dec.Token()
		if err != nil {
			return raw, jsonProblem(err, name)
		}
		switch v := tok.(type) {
		case string:
			*fields[name] = &v
		case nil: // null: not given
		default:
			return raw, fmt.Errorf("credentials: field %q must be a string (field %d, at byte %d)", name, n, at)
		}
	}
	if _, err := dec.Token(); err != nil {
		return raw, jsonProblem(err, "")
	}
	if len(bytes.TrimSpace(b[dec.InputOffset():])) != 0 {
		return raw, errors.New("credentials on stdin: extra data after the JSON object; send exactly one object")
	}
	return raw, nil
}

// memberStart is the offset of the member that begins after off: past
// whitespace and the comma before it.
func memberStart(b []byte, off int64) int64 {
	for off < int64(len(b)) && strings.IndexByte(" \t\r\n,", b[off]) >= 0 {
		off++
	}
	return off
}

// canonicalName is the accepted name s stands for, or "".
func canonicalName(s string) string {
	for _, n := range credentialNames() {
		if strings.EqualFold(s, n) {
			return n
		}
	}
	return ""
}

func quotedNames() string {
	names := credentialNames()
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// jsonProblem describes a JSON error without quoting the input: a syntax
// error's message would show a character of the secret. field is the
// member whose value was being read, if any.
func jsonProblem(err error, field string) error {
	var syn *json.SyntaxError
	switch {
	case field != "" && err != nil && !errors.As(err, &syn) && !isEOF(err):
		return fmt.Errorf("credentials: field %q must be a string", field)
	case errors.As(err, &syn):
		return fmt.Errorf("credentials on stdin are not valid JSON (problem at byte %d); expected {\"key\": \"...\", \"secret\": \"...\"}", syn.Offset)
	case isEOF(err):
		return errors.New("credentials on stdin: the JSON object is cut short")
	}
	return errors.New("credentials on stdin: expected one JSON object like {\"key\": \"...\", \"secret\": \"...\"}")
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }
