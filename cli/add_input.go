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

// maxCredentials bounds what is read from stdin.
const maxCredentials = 64 << 10

// credentialNames are the fields the JSON on stdin may hold.
var credentialNames = []string{exchanges.FieldKey, exchanges.FieldSecret, exchanges.FieldPassphrase}

// readCredentials decodes the JSON object on stdin strictly: unknown
// fields, repeated fields, missing required fields and malformed values
// are refused. No message ever repeats a byte of stdin (a field name may
// be a pasted secret): a problem is named by its position (the field's
// number in the object, its byte offset) or by one of the names add
// accepts. Pasting debris (spaces, newlines, quotes, invisible
// characters) is removed, and said.
func readCredentials(r io.Reader, info exchanges.Info) (exchanges.Credentials, []string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxCredentials+1))
	if err != nil {
		return exchanges.Credentials{}, nil, fmt.Errorf("read credentials from stdin: %w", err)
	}
	if len(b) > maxCredentials {
		return exchanges.Credentials{}, nil, errors.New("credentials on stdin: more than 64 KiB; expected one small JSON object")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return exchanges.Credentials{}, nil, errors.New(`no credentials on stdin: pipe a JSON object like {"key": "...", "secret": "..."}`)
	}
	raw, err := parseCredentials(b)
	if err != nil {
		return exchanges.Credentials{}, nil, err
	}
	var notes []string
	clean := func(id string) string {
		v, given := raw[id]
		if !given {
			return ""
		}
		f, ok := info.Field(id)
		out, removed := exchanges.Clean(v, f.Multiline || !ok)
		if len(removed) > 0 && ok {
			notes = append(notes, fmt.Sprintf("%s: removed %s", f.Label, strings.Join(removed, ", ")))
		}
		return out
	}
	c := exchanges.Credentials{
		Key:        clean(exchanges.FieldKey),
		Secret:     exchanges.NewSecret(clean(exchanges.FieldSecret)),
		Passphrase: exchanges.NewSecret(clean(exchanges.FieldPassphrase)),
	}
	if err := exchanges.ValidateCredentials(info, c); err != nil {
		return c, nil, fmt.Errorf("credentials: %w", err)
	}
	return c, notes, nil
}

// parseCredentials reads one JSON object whose members are among
// credentialNames (matched without regard to case, as encoding/json
// does), each a string or null (null: not given). It walks the tokens
// itself so that every error can say where the problem is without
// quoting what is there.
func parseCredentials(b []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, jsonProblem(err, "")
	}
	out := map[string]string{}
	seen := map[string]bool{}
	for n := 1; dec.More(); n++ {
		at := memberStart(b, dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonProblem(err, "")
		}
		s, _ := tok.(string) // encoding/json allows only strings here
		name := canonicalName(s)
		if name == "" {
			return nil, fmt.Errorf("credentials: field %d of the object (at byte %d) is not one of %s; its name is not repeated here, since it could be a pasted secret",
				n, at+1, quotedNames())
		}
		if seen[name] {
			return nil, fmt.Errorf("credentials: field %q appears twice (again as field %d, at byte %d); give each field once", name, n, at+1)
		}
		seen[name] = true
		tok, err = dec.Token()
		if err != nil {
			return nil, jsonProblem(err, name)
		}
		switch v := tok.(type) {
		case string:
			out[name] = v
		case nil:
		default:
			return nil, fmt.Errorf("credentials: field %q must be a string (field %d, at byte %d)", name, n, at+1)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonProblem(err, "")
	}
	if len(bytes.TrimSpace(b[dec.InputOffset():])) != 0 {
		return nil, errors.New("credentials on stdin: extra data after the JSON object; send exactly one object")
	}
	return out, nil
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
	for _, n := range credentialNames {
		if strings.EqualFold(s, n) {
			return n
		}
	}
	return ""
}

func quotedNames() string {
	q := make([]string, len(credentialNames))
	for i, n := range credentialNames {
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
