package leaktest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"strings"
)

// The fields of a key, as the scanner names them.
const (
	FieldKey        = "key"
	FieldSecret     = "secret"
	FieldPassphrase = "passphrase"
)

// Formats are the config formats Plant writes a key in.
var Formats = []string{"env", "freqtrade", "hummingbot", "compose-list", "compose-map", "k8s-data", "k8s-stringdata", "python", "minified"}

// File is a generated file.
type File struct {
	Path string
	Data []byte
}

// Planted is one value written into a file. Value is the secret itself:
// compare with it, never print it.
type Planted struct {
	Path, Exchange, Field, Format string
	// Line and Column (1-based, in bytes) are where the value starts as
	// written (base64-encoded in a Kubernetes Secret's data, JSON-escaped
	// in a string; a PEM key's BEGIN line), Width how many bytes it takes
	// there.
	Line, Column, Width int
	Value               string
}

// doc builds a file line by line and notes where values go.
type doc struct {
	path, exchange, format string
	lines                  []string
	planted                []Planted
}

func (d *doc) add(format string, args ...any) {
	d.lines = append(d.lines, fmt.Sprintf(format, args...))
}

// put adds a line holding a value, written as repr.
func (d *doc) put(field, value, repr, format string, args ...any) {
	d.add(format, args...)
	d.mark(len(d.lines), field, value, repr)
}

// values adds a line for each of k's values: the line's text before the
// value, the value as esc writes it, and the text after; names[i] and
// ends[i] for the key, the secret and the passphrase (none: no line).
func (d *doc) values(k Key, esc func(string) string, names [3]string, end string) {
	for i, f := range []struct{ field, v string }{{FieldKey, k.Key}, {FieldSecret, k.Secret}, {FieldPassphrase, k.Passphrase}} {
		if f.v != "" {
			d.put(f.field, f.v, esc(f.v), "%s%s%s", names[i], esc(f.v), end)
		}
	}
}

// mark notes a value written as repr on a line.
func (d *doc) mark(line int, field, value, repr string) {
	if value == "" {
		return
	}
	col := strings.Index(d.lines[line-1], repr)
	if col < 0 {
		panic("leaktest: a value not where it was written")
	}
	d.planted = append(d.planted, Planted{Path: d.path, Exchange: d.exchange, Field: field, Format: d.format, Line: line, Column: col + 1, Width: len(repr), Value: value})
}

func (d *doc) file() (File, []Planted) {
	return File{Path: d.path, Data: []byte(strings.Join(d.lines, "\n") + "\n")}, d.planted
}

// jsonStr is v as a JSON string's content (a PEM's newlines become \n).
func jsonStr(v string) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	b := strings.TrimSuffix(sb.String(), "\n")
	return b[1 : len(b)-1]
}

// Plant writes k in the format, in a file under dir, and says where each
// value went.
func Plant(rng *mrand.Rand, dir string, k Key, format string) (File, []Planted) {
	ex, up := k.Exchange, envName(k.Exchange)
	d := &doc{exchange: ex, format: format}
	switch format {
	case "env":
		d.path = dir + "/.env"
		d.add("# %s keys of the grid bot", ex)
		export := map[bool]string{true: "export ", false: ""}[rng.IntN(3) == 0]
		d.values(k, jsonStr, [3]string{export + up + "_API_KEY=", export + up + "_API_SECRET=", export + up + "_PASSPHRASE="}, "")
		d.add("TELEGRAM_CHAT_ID=%d", 100000000+rng.IntN(900000000))
	case "freqtrade":
		d.path = dir + "/user_data/config.json"
		d.add("{")
		d.add(`    "max_open_trades": 3,`)
		d.add(`    "stake_currency": "USDT",`)
		d.add(`    "dry_run": false,`)
		d.add(`    "exchange": {`)
		d.add(`        "name": "%s",`, ex)
		d.values(k, jsonStr, [3]string{`        "key": "`, `        "secret": "`, `        "password": "`}, `",`)
		d.add(`        "ccxt_config": {},`)
		d.add(`        "pair_whitelist": ["BTC/USDT", "ETH/USDT"]`)
		d.add(`    },`)
		d.add(`    "telegram": {"enabled": false, "token": "", "chat_id": ""}`)
		d.add("}")
	case "hummingbot":
		d.path = dir + "/conf/connectors/" + ex + ".yml"
		d.add("#####################################")
		d.add("###   %s config   ###", ex)
		d.add("#####################################")
		d.add("")
		d.add("connector: %s", ex)
		d.values(k, jsonStr, [3]string{ex + `_api_key: "`, ex + `_secret_key: "`, ex + `_passphrase: "`}, `"`)
	case "compose-list":
		d.path = dir + "/docker-compose.yml"
		d.add("services:")
		d.add("  freqtrade:")
		d.add("    image: freqtradeorg/freqtrade:stable")
		d.add("    restart: unless-stopped")
		d.add("    environment:")
		d.add("      - FREQTRADE__EXCHANGE__NAME=%s", ex)
		d.values(k, jsonStr, [3]string{"      - FREQTRADE__EXCHANGE__KEY=", "      - FREQTRADE__EXCHANGE__SECRET=", "      - FREQTRADE__EXCHANGE__PASSWORD="}, "")
		d.add("    volumes:")
		d.add("      - ./user_data:/freqtrade/user_data")
	case "compose-map":
		d.path = dir + "/compose.yaml"
		d.add("services:")
		d.add("  %s-bot:", ex)
		d.add("    image: hummingbot/hummingbot:latest")
		d.add("    environment:")
		d.values(k, jsonStr, [3]string{"      " + up + `_API_KEY: "`, "      " + up + `_API_SECRET: "`, "      " + up + `_API_PASSPHRASE: "`}, `"`)
	case "k8s-data":
		// The exchange is named in the metadata only; kubectl writes
		// data before kind.
		d.path = dir + "/k8s/secret.yaml"
		b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
		d.add("apiVersion: v1")
		d.add("data:")
		d.values(k, b64, [3]string{"  api-key: ", "  api-secret: ", "  api-passphrase: "}, "")
		d.add("kind: Secret")
		d.add("metadata:")
		d.add("  name: %s-trading-bot", ex)
		d.add("  namespace: bots")
		d.add("type: Opaque")
	case "k8s-stringdata":
		d.path = dir + "/deploy/keys.yaml"
		d.add("apiVersion: v1")
		d.add("kind: Secret")
		d.add("metadata:")
		d.add("  name: bot-keys")
		d.add("  labels:")
		d.add("    exchange: %s", ex)
		d.add("    app.kubernetes.io/name: grid-bot")
		d.add("type: Opaque")
		d.add("stringData:")
		d.values(k, jsonStr, [3]string{`  API_KEY: "`, `  API_SECRET: "`, `  API_PASSPHRASE: "`}, `"`)
	case "python":
		d.path = dir + "/bot/exchange.py"
		d.add("import ccxt")
		d.add("")
		d.add("exchange = ccxt.%s({", ex)
		d.values(k, jsonStr, [3]string{"    'apiKey': '", "    'secret': '", "    'password': '"}, "',")
		d.add("    'enableRateLimit': True,")
		d.add("})")
	case "minified":
		d.path = dir + "/config.min.json"
		pass := ""
		if k.Passphrase != "" {
			pass = fmt.Sprintf(`,"passphrase":"%s"`, jsonStr(k.Passphrase))
		}
		d.add(`{"bot":"grid","levels":%d,"exchange":{"name":"%s","apiKey":"%s","secret":"%s"%s},"pairs":["BTC/USDT","ETH/USDT"],"telegram":{"enabled":false}}`,
			5+rng.IntN(20), ex, k.Key, jsonStr(k.Secret), pass)
		d.mark(1, FieldKey, k.Key, k.Key)
		d.mark(1, FieldSecret, k.Secret, jsonStr(k.Secret))
		d.mark(1, FieldPassphrase, k.Passphrase, jsonStr(k.Passphrase))
	default:
		panic("leaktest: no format " + format)
	}
	return d.file()
}

// All plants a fresh key of every exchange in every format, each file
// under its own folder below dir.
func All(rng *mrand.Rand, dir string) ([]File, []Planted) {
	var files []File
	var planted []Planted
	for _, ex := range Exchanges {
		for _, f := range Formats {
			file, p := Plant(rng, fmt.Sprintf("%s/%s-%s", dir, ex, f), NewKey(rng, ex), f)
			files = append(files, file)
			planted = append(planted, p...)
		}
	}
	return files, planted
}
