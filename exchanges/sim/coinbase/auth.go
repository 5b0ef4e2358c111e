package coinbase

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// A signed request is checked in this order, each failure answered as
// Coinbase does, with HTTP 401 and the bare text "Unauthorized" unless
// noted:
//
//  1. an "Authorization: Bearer <JWT>" header;
//  2. the JWT's shape: three base64url parts, a JSON header whose alg is
//     ES256 or EdDSA and whose kid is set, JSON claims;
//  3. kid names a key of this environment (keys of other environments are
//     unknown);
//  4. alg fits the key (ES256 for an EC P-256 key, EdDSA for Ed25519);
//  5. the signature, verified with the key's public key (ES256 as raw
//     r‖s, RFC 7518 §3.4);
//  6. the claims: sub equals kid; iss is "cdp" (Coinbase's SDKs) or
//     "coinbase-cloud" (what ccxt signs ES256 keys with, which Coinbase
//     accepts); nbf is at most 5 s in the future and exp is still ahead on
//     the simulated clock;
//  7. the request's uri — the "uri" claim, or one of the "uris" (ccxt's
//     EdDSA tokens) — is "<METHOD> <Host><path>" of this request, the
//     Host as the client addressed it, query excluded; for a loopback host
//     the uri may keep the scheme ("GET http://127.0.0.1:PORT/..."), as
//     ccxt signs it against a plain-http base URL;
//  8. the key's IP allowlist: 401 {"errors":[{"id":"authentication_error",
//     "message":"IP blocked"}]} (Coinbase's answer here is UNCONFIRMED; this
//     is the shape its older API on the same host used);
//  9. the permission: v3 routes 403 {"error":"PERMISSION_DENIED",
//     "error_details":"Missing required scopes",…}; v2 routes 403
//     {"errors":[{"id":"invalid_scope",…}]}.

// cbNBFLeeway is how far in the future a JWT's nbf may be.
const cbNBFLeeway = 5 * time.Second

// auth checks a signed request; perm is the permission the route needs
// ("" for none).
func (c *coinbase) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		c.unauthorized(w)
		return nil, false
	}
	jwt, err := parseCBJWT(tok)
	if err != nil {
		c.unauthorized(w)
		return nil, false
	}
	sc := c.st.Scenario()
	k := sc.Key(jwt.header.Kid)
	if k == nil {
		c.unauthorized(w)
		return nil, false
	}
	pub, alg, err := cbPublicKey(k.Secret)
	if err != nil || alg != jwt.header.Alg || !verifyJWS(alg, pub, jwt.signingInput, jwt.sig) {
		c.unauthorized(w)
		return nil, false
	}
	now := sc.Now()
	cl := jwt.claims
	if cl.Sub != jwt.header.Kid || (cl.Iss != "cdp" && cl.Iss != "coinbase-cloud") || cl.NBF == nil || cl.Exp == nil ||
		time.Unix(*cl.NBF, 0).After(now.Add(cbNBFLeeway)) || !time.Unix(*cl.Exp, 0).After(now) ||
		!uriMatches(cl.URI, cl.URIs, r) {
		c.unauthorized(w)
		return nil, false
	}
	if !k.IPAllowed(sc.ClientIP) {
		c.v2Err(w, http.StatusUnauthorized, "authentication_error", "IP blocked")
		return nil, false
	}
	if perm != "" && !k.Has(perm) {
		c.refusePermission(w, r)
		return nil, false
	}
	return k, true
}

// refusePermission answers a missing permission in the style of the
// route's API version.
func (c *coinbase) refusePermission(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v2/") {
		c.v2Err(w, http.StatusForbidden, "invalid_scope", "Invalid scope")
		return
	}
	c.brokerageErr(w, http.StatusForbidden, "PERMISSION_DENIED", "Missing required scopes")
}

// uriMatches reports whether the token's uri (or one of its uris) names
// this request.
func uriMatches(uri string, uris []string, r *http.Request) bool {
	want := r.Method + " " + r.Host + r.URL.Path
	loopback := isLoopbackHost(r.Host)
	ok := func(u string) bool {
		if u == want {
			return true
		}
		if !loopback {
			return false
		}
		m, rest, _ := strings.Cut(u, " ")
		rest, scheme := strings.CutPrefix(rest, "http://")
		if !scheme {
			rest, scheme = strings.CutPrefix(rest, "https://")
		}
		return scheme && m+" "+rest == want
	}
	if uri != "" {
		return ok(uri)
	}
	for _, u := range uris {
		if ok(u) {
			return true
		}
	}
	return false
}

func isLoopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

type cbJWT struct {
	header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	claims struct {
		Sub  string   `json:"sub"`
		Iss  string   `json:"iss"`
		NBF  *int64   `json:"nbf"`
		Exp  *int64   `json:"exp"`
		URI  string   `json:"uri"`
		URIs []string `json:"uris"`
	}
	signingInput []byte
	sig          []byte
}

// maxTokenLen bounds a bearer token before it is decoded.
const maxTokenLen = 8192

func parseCBJWT(tok string) (*cbJWT, error) {
	if len(tok) > maxTokenLen {
		return nil, errors.New("token too long")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("not three parts")
	}
	var j cbJWT
	dec := base64.RawURLEncoding
	h, err1 := dec.DecodeString(parts[0])
	cl, err2 := dec.DecodeString(parts[1])
	sig, err3 := dec.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	if json.Unmarshal(h, &j.header) != nil || json.Unmarshal(cl, &j.claims) != nil {
		return nil, errors.New("not JSON")
	}
	if (j.header.Alg != "ES256" && j.header.Alg != "EdDSA") || j.header.Kid == "" {
		return nil, errors.New("bad header")
	}
	j.signingInput = []byte(parts[0] + "." + parts[1])
	j.sig = sig
	return &j, nil
}

// cbPublicKey derives the public key from a stored CDP private key: a PEM
// EC P-256 (or Ed25519) key, or base64 of an Ed25519 seed (32 bytes) or
// seed‖public key (64 bytes), whose public half is the key Coinbase holds.
// A SEC1 key's embedded public key is the one Coinbase registered, so it
// is used as written (a scenario whose public half was changed stands
// for an exchange holding another key).
func cbPublicKey(secret string) (any, string, error) {
	if pub, ok, err := sec1PublicKey(secret); ok {
		return pub, "ES256", err
	}
	if exchanges.LooksLikePEM(secret) {
		k, _, err := exchanges.ParsePrivateKey(secret)
		if err != nil {
			return nil, "", err
		}
		switch k := k.(type) {
		case *ecdsa.PrivateKey:
			return &k.PublicKey, "ES256", nil
		case ed25519.PrivateKey:
			return k.Public(), "EdDSA", nil
		}
		return nil, "", errors.New("not a CDP key type")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(secret))
	if err != nil {
		return nil, "", err
	}
	switch len(raw) {
	case 32:
		return ed25519.NewKeyFromSeed(raw).Public(), "EdDSA", nil
	case 64:
		return ed25519.PublicKey(raw[32:]), "EdDSA", nil
	}
	return nil, "", errors.New("not an Ed25519 key")
}

// sec1PublicKey reads the public key embedded in a SEC1 "EC PRIVATE KEY"
// PEM (RFC 5915), when the key carries one.
func sec1PublicKey(secret string) (*ecdsa.PublicKey, bool, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(secret)))
	if block == nil || block.Type != "EC PRIVATE KEY" {
		return nil, false, nil
	}
	var k struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
		PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
	}
	if _, err := asn1.Unmarshal(block.Bytes, &k); err != nil || len(k.PublicKey.Bytes) == 0 {
		return nil, false, nil
	}
	// Not a P-256 point: no key Coinbase would hold, so nothing verifies.
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), k.PublicKey.Bytes)
	return pub, true, err
}

// verifyJWS checks a JWS signature: ES256 as raw r‖s over SHA-256, or
// EdDSA (Ed25519) over the signing input itself.
func verifyJWS(alg string, pub any, signingInput, sig []byte) bool {
	switch alg {
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(sig) != 64 {
			return false
		}
		h := sha256.Sum256(signingInput)
		return ecdsa.Verify(k, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case "EdDSA":
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(k) == ed25519.PublicKeySize && ed25519.Verify(k, signingInput, sig)
	}
	return false
}
