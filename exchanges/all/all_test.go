package all

import (
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

// Every exchange's static description is complete and its validators
// accept nothing empty.
func TestInfos(t *testing.T) {
	want := []string{"binance", "okx", "bybit", "coinbase", "kraken", "kucoin", "bitget", "deribit", "bingx", "gate", "bitmex"}
	got := Adapters()
	if len(got) != len(want) {
		t.Fatalf("%d adapters, want %d", len(got), len(want))
	}
	for i, a := range got {
		info := a.Info()
		if info.ID != want[i] {
			t.Errorf("adapter %d is %q, want %q", i, info.ID, want[i])
		}
		if info.Name == "" || len(info.Environments) == 0 || len(info.Markets) == 0 || len(info.Fields) < 2 {
			t.Errorf("%s: incomplete Info", info.ID)
		}
		if info.Environments[0].ID != exchanges.Live {
			t.Errorf("%s: the first environment must be live", info.ID)
		}
		for _, e := range info.Environments {
			if !strings.HasPrefix(e.BaseURL, "https://") {
				t.Errorf("%s %s: base URL %q is not https", info.ID, e.ID, e.BaseURL)
			}
		}
		for _, f := range info.Fields {
			if f.Label == "" || f.Check == nil {
				t.Errorf("%s.%s: no label or validator", info.ID, f.ID)
			}
			if f.Check("") == nil {
				t.Errorf("%s.%s accepts an empty value", info.ID, f.ID)
			}
			if f.Check("has space inside") == nil {
				t.Errorf("%s.%s accepts a value with spaces", info.ID, f.ID)
			}
		}
		if key, _ := info.Field(exchanges.FieldKey); key.Secret {
			t.Errorf("%s: the key field must not be secret (it is shown as a fingerprint)", info.ID)
		}
		if sec, _ := info.Field(exchanges.FieldSecret); !sec.Secret {
			t.Errorf("%s: the secret field must be secret", info.ID)
		}
	}
}
