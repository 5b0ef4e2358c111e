package exchanges

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Mask is what a Secret shows in place of its value, in every format.
const Mask = "[secret]"

// Secret holds a credential value (an API secret, a private key, a
// passphrase). It never shows its value: every fmt verb, JSON, text
// marshalling and slog print Mask. Only signing code calls Reveal.
//
// The value sits behind a pointer so that even a Secret held in an
// unexported struct field, which fmt prints by reflection without calling
// any method, shows only an address.
type Secret struct {
	p *string
}

// NewSecret wraps v.
func NewSecret(v string) Secret {
	return Secret{p: &v}
}

// Reveal returns the value. Call it only where the value is used to sign a
// request or is written to the encrypted keyring.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Equal reports whether two secrets hold the same value.
func (s Secret) Equal(o Secret) bool { return s.Reveal() == o.Reveal() }

// String returns Mask.
func (s Secret) String() string { return Mask }

// GoString returns Mask.
func (s Secret) GoString() string { return Mask }

// Format prints Mask for every verb and flag.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Mask)) }

// MarshalJSON returns Mask as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(Mask) }

// MarshalText returns Mask.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Mask), nil }

// UnmarshalJSON reads a JSON string, so that credentials can be decoded
// from stdin directly into a Secret. Marshalling never gives it back.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("secret must be a JSON string")
	}
	*s = NewSecret(v)
	return nil
}

// LogValue makes slog print Mask.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Mask) }
