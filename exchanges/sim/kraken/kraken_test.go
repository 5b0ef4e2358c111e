package kraken

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

const krakenDocSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="

// The simulator's verifier against Kraken's published vector (reference
// A.1) and the derived Balance vector (A.2).
func TestVerifyKrakenVectors(t *testing.T) {
	for _, tc := range []struct{ path, nonce, body, sig string }{
		{"/0/private/AddOrder", "1616492376594", "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
			"4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="},
		{"/0/private/Balance", "1616492376594", "nonce=1616492376594",
			"1nH4vwR+8FHiYh1QT649xXkGd3JR3x0DWkgv3u9Ed/Qqv6KPtgQpEU4m+Emb/VgpEji3j1XNwI+HCbfXxmrTOg=="},
	} {
		if !verifyKraken(krakenDocSecret, tc.path, tc.nonce, tc.body, tc.sig) {
			t.Errorf("%s: the published signature does not verify", tc.path)
		}
		if verifyKraken(krakenDocSecret, tc.path, tc.nonce, tc.body+"&x=1", tc.sig) {
			t.Errorf("%s: a changed body still verifies", tc.path)
		}
		if verifyKraken(krakenDocSecret, "/0/private/Other", tc.nonce, tc.body, tc.sig) {
			t.Errorf("%s: another path still verifies", tc.path)
		}
	}
	key, _ := base64.StdEncoding.DecodeString(krakenDocSecret)
	if got := signForTest(key, "/0/private/Balance", "1616492376594", "nonce=1616492376594"); got != "1nH4vwR+8FHiYh1QT649xXkGd3JR3x0DWkgv3u9Ed/Qqv6KPtgQpEU4m+Emb/VgpEji3j1XNwI+HCbfXxmrTOg==" {
		t.Errorf("the test signer does not reproduce the Balance vector: %s", got)
	}
	if verifyKraken("not base64!", "/0/private/Balance", "1", "nonce=1", "AAAA") || verifyKraken(krakenDocSecret, "/0/private/Balance", "1", "nonce=1", "") {
		t.Error("a bad secret or an empty signature verified")
	}
}

func TestSampleKrakenShape(t *testing.T) {
	k := sampleKraken()
	if len(k.Key) != 56 || len(k.Secret) != 88 || !strings.HasSuffix(k.Secret, "==") {
		t.Errorf("sample key %d chars, secret %d chars", len(k.Key), len(k.Secret))
	}
	if b, err := base64.StdEncoding.DecodeString(k.Secret); err != nil || len(b) != 64 {
		t.Errorf("sample secret does not decode to 64 bytes")
	}
}

// krakenRig is the Kraken simulator with one key, and a signed caller.
type krakenRig struct {
	t   *testing.T
	srv *httptest.Server
	key core.Key
}

func newKrakenRig(t *testing.T, mutate func(*core.Scenario)) *krakenRig {
	t.Helper()
	k := sampleKraken()
	k.Permissions = []string{core.PermRead, core.PermSpot}
	sc := core.Scenario{Exchange: "kraken", Keys: []core.Key{k}}
	if mutate != nil {
		mutate(&sc)
	}
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &krakenRig{t: t, srv: srv, key: s.Scenario().Keys[0]}
}

// call signs a private request with the given nonce (independently of the
// adapter) and returns Kraken's error list and result.
func (r *krakenRig) call(method string, nonce uint64, secret string) ([]string, json.RawMessage) {
	r.t.Helper()
	path := "/0/private/" + method
	n := strconv.FormatUint(nonce, 10)
	body := "nonce=" + n
	key, _ := base64.StdEncoding.DecodeString(secret)
	sig := signForTest(key, path, n, body)
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+path, strings.NewReader(body))
	req.Header.Set("API-Key", r.key.Key)
	req.Header.Set("API-Sign", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v struct {
		Error  []string        `json:"error"`
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		r.t.Fatalf("%s: not Kraken's JSON: %s", method, b)
	}
	return v.Error, v.Result
}

// signForTest is the caller's signer, pinned to the vector above.
func signForTest(key []byte, path, nonce, body string) string {
	return base64.StdEncoding.EncodeToString(hmacSHA512(key, path, nonce, body))
}

func TestKrakenSimChecks(t *testing.T) {
	base := uint64(time.Now().UnixMilli())
	t.Run("good key and increasing nonces", func(t *testing.T) {
		r := newKrakenRig(t, nil)
		if errs, res := r.call("Balance", base, r.key.Secret); len(errs) != 0 || !strings.Contains(string(res), "XXBT") {
			t.Fatalf("Balance: %v %s", errs, res)
		}
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 1 || errs[0] != "EAPI:Invalid nonce" {
			t.Errorf("a reused nonce: %v", errs)
		}
		if errs, _ := r.call("Balance", base-1, r.key.Secret); len(errs) != 1 || errs[0] != "EAPI:Invalid nonce" {
			t.Errorf("a lower nonce: %v", errs)
		}
		errs, res := r.call("GetApiKeyInfo", base+1, r.key.Secret)
		if len(errs) != 0 || !strings.Contains(string(res), `"modify-trades"`) || strings.Contains(string(res), "withdraw-funds") {
			t.Errorf("GetApiKeyInfo: %v %s", errs, res)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		r := newKrakenRig(t, nil)
		other := sampleKraken().Secret
		if errs, _ := r.call("Balance", base, other); len(errs) != 1 || errs[0] != "EAPI:Invalid signature" {
			t.Errorf("wrong secret: %v", errs)
		}
		// A refused signature does not use up the nonce.
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 0 {
			t.Errorf("the nonce of a refused signature was used up: %v", errs)
		}
	})
	t.Run("unknown and expired keys", func(t *testing.T) {
		r := newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].Expires = time.Now().Add(-time.Hour) })
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 1 || errs[0] != "EAPI:Invalid key" {
			t.Errorf("expired key: %v", errs)
		}
		r = newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].Environment = "demo" })
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 1 || errs[0] != "EAPI:Invalid key" {
			t.Errorf("key of another environment: %v", errs)
		}
	})
	t.Run("ip and permissions", func(t *testing.T) {
		r := newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} })
		if errs, _ := r.call("GetApiKeyInfo", base, r.key.Secret); len(errs) != 1 || errs[0] != "EGeneral:Permission denied" {
			t.Errorf("IP refused: %v", errs)
		}
		r = newKrakenRig(t, func(sc *core.Scenario) { sc.Keys[0].Permissions = []string{core.PermSpot} })
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 1 || errs[0] != "EGeneral:Permission denied" {
			t.Errorf("no Query Funds: %v", errs)
		}
		if errs, _ := r.call("WithdrawAddresses", base+1, r.key.Secret); len(errs) != 1 {
			t.Errorf("WithdrawAddresses without withdraw: %v", errs)
		}
	})
	t.Run("withdrawal methods do not exist", func(t *testing.T) {
		r := newKrakenRig(t, nil)
		for i, m := range []string{"Withdraw", "WalletTransfer", "WithdrawCancel"} {
			if errs, _ := r.call(m, base+uint64(i), r.key.Secret); len(errs) != 1 || errs[0] != "EGeneral:Unknown method" {
				t.Errorf("%s: %v", m, errs)
			}
		}
	})
	t.Run("maintenance", func(t *testing.T) {
		r := newKrakenRig(t, func(sc *core.Scenario) { sc.Maintenance = "ongoing" })
		if errs, _ := r.call("Balance", base, r.key.Secret); len(errs) != 1 || errs[0] != "EService:Unavailable" {
			t.Errorf("maintenance: %v", errs)
		}
	})
}

func hmacSHA512(key []byte, path, nonce, body string) []byte {
	d := sha256Sum(nonce + body)
	m := hmac.New(sha512.New, key)
	m.Write([]byte(path))
	m.Write(d)
	return m.Sum(nil)
}

func sha256Sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
