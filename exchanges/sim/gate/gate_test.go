package gate

import (
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The simulator's own Gate HMAC against Gate's two published examples and
// the derived /account/detail vector (reference A.1, A.2).
func TestGateHMACVectors(t *testing.T) {
	empty := sha512.Sum512(nil)
	body := `{"contract":"BTC_USD","type":"limit","size":100,"price":6800,"time_in_force":"gtc"}`
	bodyHash := sha512.Sum512([]byte(body))
	for _, tc := range []struct{ msg, want string }{
		{"GET\n/api/v4/futures/orders\ncontract=BTC_USD&status=finished&limit=50\n" + hex.EncodeToString(empty[:]) + "\n1541993715",
			"55f84ea195d6fe57ce62464daaa7c3c02fa9d1dde954e4c898289c9a2407a3d6fb3faf24deff16790d726b66ac9f74526668b13bd01029199cc4fcc522418b8a"},
		{"POST\n/api/v4/futures/orders\n\n" + hex.EncodeToString(bodyHash[:]) + "\n1541993715",
			"eae42da914a590ddf727473aff25fc87d50b64783941061f47a3fdb92742541fc4c2c14017581b4199a1418d54471c269c03a38d788d802e2c306c37636389f0"},
		{"GET\n/api/v4/account/detail\n\n" + hex.EncodeToString(empty[:]) + "\n1541993715",
			"2f71ce51979facb7ec0bf0880f7d7c940b04b7068498594b7598281fdc8807ccd758d65651413c0dbdcb722e788a30f67d1db9937d4fd747cdad33c49bfd0c81"},
	} {
		if got := gateHMAC("secret", tc.msg); got != tc.want {
			t.Errorf("gateHMAC(%q) = %s, want %s", tc.msg, got, tc.want)
		}
	}
}

type gtReq struct {
	key, secret string
	skew        time.Duration
	path, query string
	badSign     bool
	noSign      bool
}

func gateCall(t *testing.T, sc core.Scenario, q gtReq) (int, string, string, []byte) {
	t.Helper()
	s, err := newSim(sc)
	if err != nil {
		t.Fatal(err)
	}
	if q.path == "" {
		q.path = "/api/v4/spot/accounts"
	}
	ts := strconv.FormatInt(time.Now().Add(q.skew).Unix(), 10)
	empty := sha512.Sum512(nil)
	msg := "GET\n" + q.path + "\n" + q.query + "\n" + hex.EncodeToString(empty[:]) + "\n" + ts
	if q.badSign {
		msg += "x"
	}
	target := q.path
	if q.query != "" {
		target += "?" + q.query
	}
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("KEY", q.key)
	r.Header.Set("Timestamp", ts)
	if !q.noSign {
		r.Header.Set("SIGN", gateHMAC(q.secret, msg))
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body struct{ Label, Message string }
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body.Label, body.Message, w.Body.Bytes()
}

func TestGateAuthOrder(t *testing.T) {
	k := sampleGate()
	k.Permissions = []string{core.PermRead}
	good := gtReq{key: k.Key, secret: k.Secret}
	sc := core.Scenario{Exchange: "gate", Keys: []core.Key{k}}
	mut := func(f func(*gtReq)) gtReq { q := good; f(&q); return q }
	for _, tc := range []struct {
		name   string
		sc     func(*core.Scenario)
		q      gtReq
		status int
		label  string
	}{
		{"good", nil, good, 200, ""},
		{"good with a query", nil, mut(func(q *gtReq) { q.query = "currency=BTC" }), 200, ""},
		{"no SIGN", nil, mut(func(q *gtReq) { q.noSign = true }), 400, "MISSING_REQUIRED_HEADER"},
		{"61 s ahead", nil, mut(func(q *gtReq) { q.skew = 61 * time.Second }), 403, "REQUEST_EXPIRED"},
		{"61 s behind", nil, mut(func(q *gtReq) { q.skew = -61 * time.Second }), 403, "REQUEST_EXPIRED"},
		{"55 s ahead is inside", nil, mut(func(q *gtReq) { q.skew = 55 * time.Second }), 200, ""},
		{"stale beats unknown key", nil, mut(func(q *gtReq) { q.key = core.RandomHex(32); q.skew = -5 * time.Minute }), 403, "REQUEST_EXPIRED"},
		{"unknown key", nil, mut(func(q *gtReq) { q.key = core.RandomHex(32) }), 401, "INVALID_KEY"},
		{"wrong secret", nil, mut(func(q *gtReq) { q.secret = core.RandomHex(64) }), 401, "INVALID_SIGNATURE"},
		{"wrong string", nil, mut(func(q *gtReq) { q.badSign = true }), 401, "INVALID_SIGNATURE"},
		{"ip not allowed", func(sc *core.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} }, good, 403, "IP_FORBIDDEN"},
		{"no spot group", func(sc *core.Scenario) { sc.Keys[0].Permissions = []string{core.PermFutures} }, good, 403, "FORBIDDEN"},
		{"other environment", func(sc *core.Scenario) { sc.Keys[0].Environment = "testnet" }, good, 401, "INVALID_KEY"},
		{"unknown path", nil, mut(func(q *gtReq) { q.path = "/api/v4/spot/no_such_thing" }), 404, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sc
			s.Keys = append([]core.Key(nil), sc.Keys...)
			if tc.sc != nil {
				tc.sc(&s)
			}
			status, label, msg, _ := gateCall(t, s, tc.q)
			if status != tc.status || label != tc.label {
				t.Errorf("HTTP %d %s (%s), want %d %s", status, label, msg, tc.status, tc.label)
			}
			if label == "IP_FORBIDDEN" && !strings.HasSuffix(msg, core.DefaultClientIP) {
				t.Errorf("IP_FORBIDDEN message %q", msg)
			}
		})
	}
}

// The key list holds every key of the environment, masked, with the
// groups switched on; withdrawals appear as "withdraw".
func TestGateMainKeys(t *testing.T) {
	k := sampleGate()
	k.Permissions = []string{core.PermRead, core.PermSpot, core.PermWithdraw}
	other := sampleGate()
	other.Permissions = []string{core.PermRead}
	test := sampleGate()
	test.Environment = "testnet"
	sc := core.Scenario{Exchange: "gate", Keys: []core.Key{k, other, test}}
	status, _, _, body := gateCall(t, sc, gtReq{key: k.Key, secret: k.Secret, path: "/api/v4/account/main_keys"})
	if status != 200 {
		t.Fatalf("HTTP %d %s", status, body)
	}
	var list []struct {
		Key   string
		Perms []struct {
			Name     string
			ReadOnly bool `json:"read_only"`
		}
	}
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 2 {
		t.Fatalf("%d keys (%v): %s", len(list), err, body)
	}
	if list[0].Key != k.Key[:12]+"*****" || strings.Contains(string(body), k.Key) {
		t.Errorf("key not masked: %s", list[0].Key)
	}
	groups := map[string]bool{}
	for _, p := range list[0].Perms {
		groups[p.Name] = p.ReadOnly
	}
	if ro, ok := groups["withdraw"]; !ok || ro || groups["spot"] || !groups["account"] {
		t.Errorf("groups %v", groups)
	}
}

func TestGateMaintenance(t *testing.T) {
	s, err := newSim(core.Scenario{Exchange: "gate", Keys: []core.Key{sampleGate()}, Maintenance: "ongoing"})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v4/spot/time", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("time during maintenance: %d", w.Code)
	}
}
