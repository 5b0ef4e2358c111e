package leaktest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strings"
)

// Decoys makes files under dir that hold no leaked key but look like they
// might: placeholders, references to the environment, hashes, ids and
// public keys next to exchange names, PEM headers without a key, code
// identifiers that say secret, minified script, a database password next
// to an exchange's name. A precise scanner finds nothing in them.
func Decoys(rng *mrand.Rand, dir string) []File {
	hexs := func(n int) string { return pick(rng, hexLow, n) }
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(randBytes(rng, n)) }
	var files []File
	add := func(path string, lines ...string) {
		files = append(files, File{Path: dir + "/" + path, Data: []byte(strings.Join(lines, "\n") + "\n")})
	}
	var env []string
	for _, ex := range Exchanges {
		up := envName(ex)
		env = append(env, up+"_API_KEY=your_api_key_here", up+"_API_SECRET=", up+"_PASSPHRASE=${"+up+"_PASSPHRASE}")
	}
	add(".env.example", env...)
	add("config.example.json", `{`,
		`    "exchange": {"name": "okx", "key": "your_exchange_key", "secret": "your_exchange_secret", "password": "your_passphrase"},`,
		`    "stake_currency": "USDT"`, `}`)
	add("bot/settings.py",
		"import os",
		`OKX_API_KEY = os.getenv("OKX_API_KEY", "")`,
		`OKX_SECRET_KEY = os.getenv("OKX_SECRET_KEY", "")`,
		`OKX_PASSPHRASE = os.getenv("OKX_PASSPHRASE", "")`,
		`KUCOIN = {"apiKey": os.environ["KUCOIN_KEY"], "secret": os.environ["KUCOIN_SECRET"], "password": os.environ["KUCOIN_PASSPHRASE"]}`,
		"BINANCE_SECRET_LEN = 64  # binance secrets are 64 letters and digits")
	add("internal/exchange/client.go",
		"package exchange",
		"",
		"// Client signs requests for okx; the passphrase comes from the keyring.",
		"type Client struct{ APIKey, Secret, Passphrase string }",
		"",
		"func New(c Config) *Client {",
		"\treturn &Client{APIKey: c.APIKey, Secret: c.Secret, Passphrase: c.Passphrase}",
		"}",
		`const pemHeader = "-----BEGIN EC PRIVATE KEY-----" // coinbase CDP keys`,
		"var file_exchange_api_secret_proto_rawDesc = file_exchange_api_secret_proto_rawDescData",
		`var binanceKeyPattern = "^[A-Za-z0-9]{64}$"`)
	add("go.sum",
		fmt.Sprintf("github.com/adshao/go-binance/v2 v2.6.1 h1:%s=", b64(32)[:43]),
		fmt.Sprintf("github.com/adshao/go-binance/v2 v2.6.1/go.mod h1:%s=", b64(32)[:43]))
	add("web/package-lock.json", `{"packages": {"node_modules/ccxt": {"version": "4.4.1",`,
		fmt.Sprintf(`  "integrity": "sha512-%s"}}}`, b64(64)))
	add("logs/okx-orders.json", fmt.Sprintf(`{"code":"0","data":[{"ordId":"%d","clOrdId":"%s","instId":"BTC-USDT","sCode":"0","sMsg":"","tag":"%s"}],"msg":""}`,
		rng.Int64N(1e18), hexs(32), hexs(16)))
	add("logs/binance-signed.log",
		fmt.Sprintf("binance GET /api/v3/account timestamp=%d signature=%s", 1767225600000+rng.Int64N(1e9), hexs(64)),
		fmt.Sprintf("binance request id %s-%s-4%s-a%s-%s", hexs(8), hexs(4), hexs(3), hexs(3), hexs(12)))
	add("k8s/configmap.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: binance-bot-config", "data:",
		"  PAIRS: BTC/USDT,ETH/USDT", "  LOG_LEVEL: info", "  BUILD: "+b64(24))
	add("k8s/tls.yaml", "apiVersion: v1", "kind: Secret", "metadata:", "  name: okx-bot-tls", "type: kubernetes.io/tls", "data:",
		"  tls.crt: "+base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\n"+b64(300)+"\n-----END CERTIFICATE-----\n")),
		`  api-key: ""`, "  api-secret: "+base64.StdEncoding.EncodeToString([]byte("changeme")))
	add("docs/keys.md",
		"# Keys",
		"",
		"Binance secrets are 64 letters and digits, like `XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`.",
		"Set `OKX_PASSPHRASE=<your passphrase>` and `KUCOIN_PASSPHRASE=...` before starting.",
		"A Coinbase key looks like:",
		"",
		"    -----BEGIN EC PRIVATE KEY-----",
		"    MHcCAQEEI...",
		"    -----END EC PRIVATE KEY-----")
	add("keys/exchange_public.pem", "-----BEGIN PUBLIC KEY-----", b64(48)[:64], b64(27), "-----END PUBLIC KEY-----")
	add("static/app.min.js", minifiedScript(rng))
	add("docs/deploy.md", "# Deploying the okx bot", "", "Its keys are in keywarden (`keywarden exec okx -- python bot.py`); the rest of its environment:", "",
		"    POSTGRES_PASSWORD=Sup3r-L0ng-Db-Pa55",
		"    REDIS_PASSWORD="+hexs(24),
		"    SENTRY_DSN=https://"+hexs(32)+"@o1.ingest.sentry.io/1")
	add("checksums.txt", fmt.Sprintf("%x  bingx-bot-linux-amd64", sha256.Sum256(randBytes(rng, 16))),
		"kraken public key id: "+b64(42), "gate api key hash: "+hex.EncodeToString(randBytes(rng, 32)))
	return files
}

// minifiedScript is a line of minified JavaScript with identifiers and
// fields that say password and secret.
func minifiedScript(rng *mrand.Rand) string {
	var sb strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&sb, `var a%d=function(e,t){return e.password?t.secret(e.password,"%s"):t.apiKey||"%s"};`, i, pick(rng, alnum, 24), pick(rng, alnum, 20))
		fmt.Fprintf(&sb, `c.username?i.open(c.type,c.url,c.async,c.username,c.password):i.open(c.type,c.url);p.key%d="%s";`, i, pick(rng, hexLow, 40))
	}
	return sb.String()
}

// Fixtures plants keys under testdata/, in a test file and in a fixtures
// folder: they are made for tests, and reported below the default level.
func Fixtures(rng *mrand.Rand, dir string) ([]File, []Planted) {
	var files []File
	var planted []Planted
	for i, sub := range []string{"testdata", "internal/exchange", "fixtures/okx"} {
		ex := Exchanges[(i*3)%len(Exchanges)]
		k := NewKey(rng, ex)
		f, p := Plant(rng, dir+"/"+sub, k, "env")
		if sub == "internal/exchange" {
			f.Path = dir + "/" + sub + "/client_test.env"
			for j := range p {
				p[j].Path = f.Path
			}
		}
		pemPath := dir + "/" + sub + "/testkey.pem"
		files = append(files, f, File{Path: pemPath, Data: []byte(ecPEM())})
		planted = append(planted, p...)
		planted = append(planted, Planted{Path: pemPath, Field: FieldSecret, Format: "pem", Line: 1, Column: 1})
	}
	return files, planted
}
