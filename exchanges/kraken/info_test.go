package kraken

import (
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

func TestValidators(t *testing.T) {
	info := Info()
	key, _ := info.Field(exchanges.FieldKey)
	secret, _ := info.Field(exchanges.FieldSecret)
	goodKey := "HsVdF6xRFt7sfQ3Hd5Mq+q0sXbJvBmk0k6bP3nE2dO1hZ9xWfQa/cuLy"
	if err := key.Check(goodKey); err != nil {
		t.Errorf("a 56-character API Key refused: %v", err)
	}
	if err := secret.Check(docSecret); err != nil {
		t.Errorf("Kraken's documented Private Key refused: %v", err)
	}
	for _, tc := range []struct {
		check func(string) error
		value string
		hint  string
	}{
		{key.Check, docSecret, "Private Key"},
		{secret.Check, goodKey, "API Key"},
		{secret.Check, strings.TrimSuffix(docSecret, "=="), "base64"},
		{key.Check, goodKey + " x", ""},
	} {
		err := tc.check(tc.value)
		if err == nil {
			t.Errorf("accepted %d characters", len(tc.value))
			continue
		}
		if !strings.Contains(err.Error(), tc.hint) {
			t.Errorf("error %q does not say %q", err, tc.hint)
		}
		if strings.Contains(err.Error(), tc.value[:12]) {
			t.Errorf("error quotes the value: %q", err)
		}
	}
	if err := exchanges.ValidateCredentials(info, exchanges.Credentials{Key: goodKey, Secret: exchanges.NewSecret(docSecret)}); err != nil {
		t.Errorf("good credentials refused: %v", err)
	}
}
