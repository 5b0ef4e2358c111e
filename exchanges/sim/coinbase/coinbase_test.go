package coinbase

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The verifier against published JWS vectors: RFC 7515 A.3 (ES256) and
// RFC 8037 A.4 (EdDSA, the RFC 8032 test-1 key).
func TestCoinbaseVerifierPublishedVectors(t *testing.T) {
	dec := base64.RawURLEncoding
	x, _ := dec.DecodeString("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
	y, _ := dec.DecodeString("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
	ecPub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatal(err)
	}
	edPub, _ := dec.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	for _, tc := range []struct {
		alg, token string
		pub        any
	}{
		{"ES256", "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q", ecPub},
		{"EdDSA", "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg", ed25519.PublicKey(edPub)},
	} {
		p := strings.Split(tc.token, ".")
		sig, _ := dec.DecodeString(p[2])
		in := []byte(p[0] + "." + p[1])
		if !verifyJWS(tc.alg, tc.pub, in, sig) {
			t.Errorf("%s: the published JWS does not verify", tc.alg)
		}
		sig[len(sig)-1] ^= 1
		if verifyJWS(tc.alg, tc.pub, in, sig) {
			t.Errorf("%s: a tampered signature verifies", tc.alg)
		}
		other := "ES256"
		if tc.alg == "ES256" {
			other = "EdDSA"
		}
		if verifyJWS(other, tc.pub, in, sig) {
			t.Errorf("%s: verified under the other algorithm", tc.alg)
		}
	}

	// RFC 8032 test 1, and the key forms Coinbase hands out.
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	want, _ := hex.DecodeString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
	for _, secret := range []string{
		base64.StdEncoding.EncodeToString(seed),
		base64.StdEncoding.EncodeToString(append(append([]byte(nil), seed...), edPub...)),
	} {
		pub, alg, err := cbPublicKey(secret)
		if err != nil || alg != "EdDSA" {
			t.Fatalf("cbPublicKey: %v %s", err, alg)
		}
		if !verifyJWS("EdDSA", pub, nil, want) {
			t.Error("RFC 8032 test 1 does not verify with the derived public key")
		}
	}
}

// cbTokenOpts shape one hand-made JWT; the zero value is a good token.
type cbTokenOpts struct {
	alg, kid, sub, iss, uri string
	nbf, exp                int64
}

// cbToken signs a JWT with the standard library only, independent of the
// adapter.
func cbToken(t *testing.T, secret string, o cbTokenOpts) string {
	t.Helper()
	hdr, _ := json.Marshal(map[string]string{"alg": o.alg, "kid": o.kid, "nonce": "00ff", "typ": "JWT"})
	cl, _ := json.Marshal(map[string]any{"sub": o.sub, "iss": o.iss, "nbf": o.nbf, "exp": o.exp, "uri": o.uri})
	in := base64.RawURLEncoding.EncodeToString(hdr) + "." + base64.RawURLEncoding.EncodeToString(cl)
	var sig []byte
	if exchanges.LooksLikePEM(secret) {
		k, _, err := exchanges.ParsePrivateKey(secret)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte(in))
		r, s, err := ecdsa.Sign(rand.Reader, k.(*ecdsa.PrivateKey), h[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	} else {
		raw, _ := base64.StdEncoding.DecodeString(secret)
		sig = ed25519.Sign(ed25519.NewKeyFromSeed(raw[:32]), []byte(in))
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func cbServer(t *testing.T, sc core.Scenario) (*httptest.Server, core.Key) {
	t.Helper()
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, s.Scenario().Keys[0]
}

func cbGet(t *testing.T, srv *httptest.Server, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCoinbaseHandlerAuthOrder(t *testing.T) {
	k := sampleKey()
	k.Permissions = []string{core.PermRead, core.PermSpot}
	k.IPs = []string{core.DefaultClientIP}
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	ed := core.Key{Key: "3f2b8f0e-9a51-4c7d-8e2a-5b6c7d8e9f01", Secret: base64.StdEncoding.EncodeToString(edPriv), Permissions: []string{core.PermRead}}
	demo := core.Key{Key: "organizations/x/apiKeys/demo", Secret: k.Secret, Environment: exchanges.Demo, Permissions: []string{core.PermRead}}
	noRead := core.Key{Key: "organizations/x/apiKeys/noread", Secret: k.Secret, Permissions: []string{core.PermSpot}}
	blocked := core.Key{Key: "organizations/x/apiKeys/blocked", Secret: k.Secret, Permissions: []string{core.PermRead}, IPs: []string{"198.51.100.7"}}
	srv, _ := cbServer(t, core.Scenario{Exchange: "coinbase", Keys: []core.Key{k, ed, demo, noRead, blocked}})
	host := strings.TrimPrefix(srv.URL, "http://")
	now := time.Now().Unix()
	good := func(key core.Key, path string) cbTokenOpts {
		alg := "ES256"
		if !exchanges.LooksLikePEM(key.Secret) {
			alg = "EdDSA"
		}
		return cbTokenOpts{alg: alg, kid: key.Key, sub: key.Key, iss: "cdp", nbf: now, exp: now + 120, uri: "GET " + host + path}
	}
	const perms = "/api/v3/brokerage/key_permissions"
	const accts = "/api/v3/brokerage/accounts"
	for _, tc := range []struct {
		name   string
		key    core.Key
		path   string
		change func(*cbTokenOpts)
		status int
		body   string
	}{
		{"good ES256", k, perms, nil, 200, `"can_trade":true`},
		{"good EdDSA", ed, perms, nil, 200, `"can_trade":false`},
		{"query not in uri", k, accts + "?limit=250", func(o *cbTokenOpts) { o.uri = "GET " + host + accts }, 200, `"accounts"`},
		{"no token", k, perms, func(o *cbTokenOpts) { o.kid = "" }, 401, "Unauthorized"},
		{"unknown kid", k, perms, func(o *cbTokenOpts) {
			o.kid, o.sub = "organizations/x/apiKeys/nobody", "organizations/x/apiKeys/nobody"
		}, 401, "Unauthorized"},
		{"other environment's key", demo, perms, nil, 401, "Unauthorized"},
		{"alg does not fit the key", k, perms, func(o *cbTokenOpts) { o.alg = "EdDSA" }, 401, "Unauthorized"},
		{"sub is not kid", k, perms, func(o *cbTokenOpts) { o.sub = "someone" }, 401, "Unauthorized"},
		{"iss coinbase-cloud (ccxt)", k, perms, func(o *cbTokenOpts) { o.iss = "coinbase-cloud" }, 200, "can_view"},
		{"iss of someone else", k, perms, func(o *cbTokenOpts) { o.iss = "example" }, 401, "Unauthorized"},
		{"uri with the scheme of a loopback host", k, perms, func(o *cbTokenOpts) { o.uri = "GET http://" + host + perms }, 200, "can_view"},
		{"uri with the scheme of another host", k, perms, func(o *cbTokenOpts) { o.uri = "GET http://api.coinbase.com" + perms }, 401, "Unauthorized"},
		{"nbf 10 s ahead", k, perms, func(o *cbTokenOpts) { o.nbf += 10; o.exp += 10 }, 401, "Unauthorized"},
		{"nbf 3 s ahead", k, perms, func(o *cbTokenOpts) { o.nbf += 3; o.exp += 3 }, 200, "can_view"},
		{"expired", k, perms, func(o *cbTokenOpts) { o.nbf -= 200; o.exp -= 200 }, 401, "Unauthorized"},
		{"uri of another host", k, perms, func(o *cbTokenOpts) { o.uri = "GET api.coinbase.com" + perms }, 401, "Unauthorized"},
		{"uri of another path", k, perms, func(o *cbTokenOpts) { o.uri = "GET " + host + accts }, 401, "Unauthorized"},
		{"uri of another method", k, perms, func(o *cbTokenOpts) { o.uri = "POST " + host + perms }, 401, "Unauthorized"},
		{"ip not allowed", blocked, perms, nil, 401, "IP blocked"},
		{"no view: permissions still tell", noRead, perms, nil, 200, `"can_view":false`},
		{"no view: accounts refused", noRead, accts, nil, 403, "PERMISSION_DENIED"},
		{"unknown path", k, "/api/v3/brokerage/orders", nil, 404, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := good(tc.key, strings.SplitN(tc.path, "?", 2)[0])
			if tc.change != nil {
				tc.change(&o)
			}
			tok := ""
			if o.kid != "" {
				tok = cbToken(t, tc.key.Secret, o)
			}
			status, body := cbGet(t, srv, tc.path, tok)
			if status != tc.status || !strings.Contains(body, tc.body) {
				t.Errorf("got %d %q, want %d with %q", status, body, tc.status, tc.body)
			}
		})
	}
}

func TestCoinbaseHandlerPagesAndTime(t *testing.T) {
	k := sampleKey()
	k.Balances = map[string]string{"BTC": "0.5", "ETH": "2", "USDC": "100"}
	srv, _ := cbServer(t, core.Scenario{Exchange: "coinbase", Keys: []core.Key{k}, ClockOffset: core.Duration(-time.Hour)})
	host := strings.TrimPrefix(srv.URL, "http://")

	status, body := cbGet(t, srv, "/api/v3/brokerage/time", "")
	var tm struct{ EpochSeconds, EpochMillis, ISO string }
	if status != 200 || json.Unmarshal([]byte(body), &tm) != nil || tm.EpochMillis == "" || tm.ISO == "" {
		t.Fatalf("time: %d %s", status, body)
	}
	if ms, _ := new(big.Int).SetString(tm.EpochMillis, 10); ms == nil || time.UnixMilli(ms.Int64()).After(time.Now().Add(-59*time.Minute)) {
		t.Errorf("time does not follow the scenario's clock: %s", body)
	}

	now := time.Now().Add(-time.Hour).Unix()
	var seen []string
	cursor := ""
	for range 5 {
		path := "/api/v3/brokerage/accounts?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		tok := cbToken(t, k.Secret, cbTokenOpts{alg: "ES256", kid: k.Key, sub: k.Key, iss: "cdp", nbf: now, exp: now + 120, uri: "GET " + host + "/api/v3/brokerage/accounts"})
		status, body := cbGet(t, srv, path, tok)
		var page struct {
			Accounts []struct{ Currency string }
			HasNext  bool `json:"has_next"`
			Cursor   string
		}
		if status != 200 || json.Unmarshal([]byte(body), &page) != nil {
			t.Fatalf("accounts: %d %s", status, body)
		}
		for _, a := range page.Accounts {
			seen = append(seen, a.Currency)
		}
		if !page.HasNext {
			break
		}
		cursor = page.Cursor
	}
	if strings.Join(seen, ",") != "BTC,ETH,USDC" {
		t.Errorf("paged accounts = %v", seen)
	}
}

func TestCoinbaseHandlerFaults(t *testing.T) {
	k := sampleKey()
	srv, _ := cbServer(t, core.Scenario{Exchange: "coinbase", Keys: []core.Key{k}, Maintenance: "ongoing"})
	if status, body := cbGet(t, srv, "/api/v3/brokerage/time", ""); status != 503 || !strings.Contains(body, "maintenance") || strings.Contains(body, `"error"`) {
		t.Errorf("maintenance: %d %s", status, body)
	}
	srv, _ = cbServer(t, core.Scenario{Exchange: "coinbase", Keys: []core.Key{k}, RateLimitFirst: 1, RetryAfter: core.Duration(2 * time.Second)})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v3/brokerage/time", nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || resp.Header.Get("X-Ratelimit-Reset") == "" {
		t.Errorf("rate limit: %d %v", resp.StatusCode, resp.Header)
	}
	if status, _ := cbGet(t, srv, "/api/v3/brokerage/time", ""); status != 200 {
		t.Errorf("after the limit: %d", status)
	}
}
