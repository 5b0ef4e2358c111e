package bitmex

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's verifier against BitMEX's three published examples
// (apiKeysUsage, reference Appendix A.1).
func TestVerifyBitmexVectors(t *testing.T) {
	secret := "chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO"
	for _, tc := range []struct{ payload, sig string }{
		{"GET/api/v1/instrument1518064236", "c7682d435d0cfe87c16098df34ef2eb5a549d4c5a3c2b1f0f77b8af73423bf00"},
		{"GET/api/v1/instrument?filter=%7B%22symbol%22%3A+%22XBTM15%22%7D1518064237", "e2f422547eecb5b3cb29ade2127e21b858b235b386bfa45e1c1756eb3383919f"},
		{`POST/api/v1/order1518064238{"symbol":"XBTM15","price":219.0,"clOrdID":"mm_bitmex_1a/oemUeQ4CAJZgP3fjHsA","orderQty":98}`,
			"1749cd2ccae4aa49048ae09f0b95110cee706e0944e6a14ad0b3a8cb45bd336b"},
	} {
		if !verifyBitmex(secret, tc.payload, tc.sig) {
			t.Errorf("vector not accepted: %s", tc.payload)
		}
		if verifyBitmex(secret+"x", tc.payload, tc.sig) {
			t.Errorf("a wrong secret accepted: %s", tc.payload)
		}
	}
}

func TestSampleBitmex(t *testing.T) {
	k := sampleBitmex()
	if len(k.Key) != 24 || len(k.Secret) != 48 {
		t.Errorf("sample key %d/%d characters", len(k.Key), len(k.Secret))
	}
}

func TestBitmexAuthOrder(t *testing.T) {
	k := core.Key{Key: "LAqUlngMIQkIUjXMUreyu3qn", Secret: "chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO", Permissions: []string{core.PermRead},
		IPs: []string{"198.51.100.7"}, Balances: map[string]string{"BTC": "0.5"}}
	s, err := newSim(core.Scenario{Exchange: "bitmex", Keys: []core.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	call := func(id, secret string, expires int64) (int, string) {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/apiKey", nil)
		r.Header.Set("api-key", id)
		r.Header.Set("api-expires", strconv.FormatInt(expires, 10))
		r.Header.Set("api-signature", bitmexSig(secret, "GET/api/v1/apiKey"+strconv.FormatInt(expires, 10)))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if _, err := http.ParseTime(w.Header().Get("Date")); err != nil {
			t.Errorf("no Date header")
		}
		var v struct {
			Error struct{ Message string } `json:"error"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &v)
		return w.Code, v.Error.Message
	}
	now := time.Now().Unix()
	for _, tc := range []struct {
		id, secret string
		expires    int64
		code       int
		msg        string
	}{
		{k.Key, k.Secret, now - 2, 400, "This request has expired - `expires` is in the past. Current time: "},
		{"unknownunknownunknown123", k.Secret, now + 5, 401, "Invalid API Key."},
		{k.Key, "wrong", now + 5, 401, "Signature not valid."},
		{k.Key, k.Secret, now + 5, 403, "Access Denied"},
	} {
		code, msg := call(tc.id, tc.secret, tc.expires)
		if code != tc.code || len(msg) < len(tc.msg) || msg[:len(tc.msg)] != tc.msg {
			t.Errorf("got %d %q, want %d %q", code, msg, tc.code, tc.msg)
		}
	}
	if bitmexUnitsOf("0.015", 8) != 1500000 || bitmexUnitsOf("1250.50", 6) != 1250500000 || bitmexUnitsOf("-1.5", 2) != -150 {
		t.Error("toUnits")
	}
}
