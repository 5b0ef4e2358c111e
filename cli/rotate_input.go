package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"charm.land/huh/v2"

	"github.com/keywarden/keywarden/exchanges"
)

// askCredentials reads a new key's values on the terminal: one masked
// field per credential of the exchange, each cleaned (pasted newlines
// become spaces in the input: see fixPaste) and validated as it is
// entered, and the whole re-validated after the form, refusing the old key.
// It is the only interactive part of rotate, kept apart so that the setup
// wizard's screens can take its place.
func askCredentials(ctx context.Context, in io.Reader, out io.Writer, info exchanges.Info, old exchanges.Credentials) (exchanges.Credentials, error) {
	values := map[string]*string{}
	form := credentialsForm(info, old, values).WithInput(in).WithOutput(out)
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) || ctx.Err() != nil {
			return exchanges.Credentials{}, errInterrupted
		}
		return exchanges.Credentials{}, fmt.Errorf("read the new key: %w", err)
	}
	c := credentialsFrom(info, values)
	// Accessible mode drops field errors: check everything again.
	if err := exchanges.ValidateCredentials(info, c); err != nil {
		return c, usageErr(fmt.Errorf("new key: %w", err))
	}
	if err := sameKey(old, c); err != nil {
		return c, usageErr(err)
	}
	return c, nil
}

// credentialsForm is the form of askCredentials; values receives each
// field's raw input by field id.
func credentialsForm(info exchanges.Info, old exchanges.Credentials, values map[string]*string) *huh.Form {
	var fields []huh.Field
	for _, f := range info.Fields {
		v := new(string)
		values[f.ID] = v
		in := huh.NewInput().Key(f.ID).Title("New " + f.Label).Description(f.Help).Value(v).
			EchoMode(huh.EchoModePassword).Validate(func(s string) error {
			c := cleanField(f, s)
			if c == "" {
				return errors.New("required")
			}
			if f.Check != nil {
				if err := f.Check(c); err != nil {
					return err
				}
			}
			if f.ID == exchanges.FieldKey && c == old.Key {
				return errors.New("this is the old key: give the NEW one")
			}
			return nil
		})
		fields = append(fields, in)
	}
	return huh.NewForm(huh.NewGroup(fields...))
}

// credentialsFrom cleans the form's values into credentials.
func credentialsFrom(info exchanges.Info, values map[string]*string) exchanges.Credentials {
	get := func(id string) string {
		f, ok := info.Field(id)
		v := values[id]
		if !ok || v == nil {
			return ""
		}
		return cleanField(f, *v)
	}
	return exchanges.Credentials{
		Key:        get(exchanges.FieldKey),
		Secret:     exchanges.NewSecret(get(exchanges.FieldSecret)),
		Passphrase: exchanges.NewSecret(get(exchanges.FieldPassphrase)),
	}
}

// cleanField removes paste debris from one value.
func cleanField(f exchanges.Field, s string) string {
	c, _ := exchanges.Clean(fixPaste(s), f.Multiline)
	return c
}

var pemOneLine = regexp.MustCompile(`^\s*(-----BEGIN [A-Z0-9 ]+-----)\s*(.*?)\s*(-----END [A-Z0-9 ]+-----)\s*$`)

// fixPaste undoes what a one-line input does to a pasted PEM key (its line
// breaks arrive as spaces): the body's runs become lines again.
func fixPaste(s string) string {
	if strings.Contains(s, "\n") || !exchanges.LooksLikePEM(s) {
		return s
	}
	m := pemOneLine.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	return m[1] + "\n" + strings.Join(strings.Fields(m[2]), "\n") + "\n" + m[3]
}
