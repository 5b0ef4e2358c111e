package botconfig

import (
	"fmt"
	"strings"
	"testing"
)

func summary(vs []Value) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%s/%s/%s/%s=%s exact=%v line=%d svc=%s\n", v.Field, v.Group, v.Style, v.Name, v.Value, v.Exact, v.Line, v.Service)
	}
	return b.String()
}

// checkSpans: every exact span holds its value.
func checkSpans(t *testing.T, data []byte, vs []Value) {
	t.Helper()
	for _, v := range vs {
		if v.Start < 0 || v.End < v.Start || v.End > len(data) {
			t.Fatalf("span %d:%d outside %d bytes", v.Start, v.End, len(data))
		}
		if v.Exact && string(data[v.Start:v.End]) != v.Value {
			t.Fatalf("exact span %q holds %q", v.Value, data[v.Start:v.End])
		}
	}
}

func TestReadEnv(t *testing.T) {
	data := []byte(`# binance
export BINANCE_API_KEY = abcKEY123
BINANCE_API_SECRET="sec ret" # comment
OKX_PASSPHRASE='p#ss'
ESC="a\"b"
EXCHANGE_API_SECRET=gen # x
EXCHANGE_ID=okx
FREQTRADE__EXCHANGE__SECRET=ft
KUCOIN_APIKEY=cc
API_SECRET=bare
TELEGRAM_TOKEN=123
EMPTY_SECRET=
PEM_PRIVATE_KEY="-----BEGIN EC PRIVATE KEY-----
MHc
-----END EC PRIVATE KEY-----"
AFTER_KEY=after
`)
	vs, err := Read(Env, data)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, data, vs)
	want := `key/BINANCE//BINANCE_API_KEY=abcKEY123 exact=true line=2 svc=
secret/BINANCE//BINANCE_API_SECRET=sec ret exact=true line=3 svc=
passphrase/OKX//OKX_PASSPHRASE=p#ss exact=true line=4 svc=
exchange/EXCHANGE/generic/EXCHANGE_ID=okx exact=true line=7 svc=
secret/EXCHANGE/generic/EXCHANGE_API_SECRET=gen exact=true line=6 svc=
`
	got := summary(vs)
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		if !strings.Contains(got, line) {
			t.Errorf("missing %q in\n%s", line, got)
		}
	}
	for _, s := range []string{"secret/FREQTRADE/freqtrade/FREQTRADE__EXCHANGE__SECRET=ft", "key/KUCOIN/ccxt/KUCOIN_APIKEY=cc",
		"secret///API_SECRET=bare", "PEM_PRIVATE_KEY=-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY----- exact=true line=13", "key/AFTER//AFTER_KEY=after"} {
		if !strings.Contains(got, s) {
			t.Errorf("missing %q in\n%s", s, got)
		}
	}
	if strings.Contains(got, "TELEGRAM") || strings.Contains(got, "EMPTY") {
		t.Errorf("non-credentials reported:\n%s", got)
	}
	if !strings.Contains(got, `ESC`) {
		// ESC is not a credential name: fine either way, but the
		// escaped value must never be exact.
		for _, v := range vs {
			if strings.Contains(v.Value, `"`) && v.Exact {
				t.Errorf("escaped value marked exact: %+v", v)
			}
		}
	}
}

func TestReadFreqtrade(t *testing.T) {
	data := []byte(`{
  // freqtrade accepts comments
  "max_open_trades": 3,
  "exchange": {
    "name": "okx",
    "key": "k-123",
    "secret": "s\/456", /* escaped slash */
    "password": "pass",
    "ccxt_config": {"key": "nested, not reported"},
    "pair_whitelist": ["key", "BTC/USDT",],
  },
  "telegram": {"token": "t", "key": "not the exchange's"},
}
`)
	vs, err := Read(Freqtrade, data)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, data, vs)
	got := summary(vs)
	want := `exchange/FREQTRADE//exchange.name=okx exact=true line=5 svc=
key/FREQTRADE/freqtrade/exchange.key=k-123 exact=true line=6 svc=
secret/FREQTRADE/freqtrade/exchange.secret=s/456 exact=false line=7 svc=
passphrase/FREQTRADE/freqtrade/exchange.password=pass exact=true line=8 svc=
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []string{`{"exchange": {"key": "x"}`, `{"exchange": {"key": "x}}`, `{"a" 1}`, `{"a": 1} x`, strings.Repeat("[", 100) + strings.Repeat("]", 100), `{"a": tru`} {
		if bad == `{"a": tru` {
			continue // literals are skipped, not judged
		}
		if _, err := Read(Freqtrade, []byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestReadCompose(t *testing.T) {
	data := []byte(`services:
  freqtrade:
    image: freqtradeorg/freqtrade:stable
    environment:
      FREQTRADE__EXCHANGE__NAME: binance
      FREQTRADE__EXCHANGE__KEY: "vmPUZE6mv9"
      FREQTRADE__EXCHANGE__SECRET: 'NhqPtmdSJY'   # secret
      POSTGRES_PASSWORD: hunter2
      FROM_ENV_KEY: ${BINANCE_API_KEY}
  bot:
    environment:
      - OKX_API_KEY=3f2504e0
      - "OKX_API_SECRET=9A0C03"
      - OKX_PASSPHRASE="quoted inside"
      - NOT_A_PAIR
  other:
    environment: &shared
      SHARED_API_SECRET: x
  copy:
    environment: *shared
`)
	vs, err := Read(Compose, data)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, data, vs)
	got := summary(vs)
	for _, s := range []string{
		"exchange/FREQTRADE/freqtrade/FREQTRADE__EXCHANGE__NAME=binance exact=true line=5 svc=freqtrade",
		"key/FREQTRADE/freqtrade/FREQTRADE__EXCHANGE__KEY=vmPUZE6mv9 exact=true line=6",
		"secret/FREQTRADE/freqtrade/FREQTRADE__EXCHANGE__SECRET=NhqPtmdSJY exact=true line=7",
		"passphrase/POSTGRES/ccxt/POSTGRES_PASSWORD=hunter2 exact=true", // ccxt-shaped; the caller keeps exchange groups only
		"key/OKX//OKX_API_KEY=3f2504e0 exact=true line=12 svc=bot",
		"secret/OKX//OKX_API_SECRET=9A0C03 exact=true line=13 svc=bot",
		`passphrase/OKX//OKX_PASSPHRASE="quoted inside" exact=true line=14`,
		"key/FROM_ENV//FROM_ENV_KEY=${BINANCE_API_KEY}",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("missing %q in\n%s", s, got)
		}
	}
	if strings.Count(got, "SHARED_API_SECRET") > 1 {
		t.Errorf("an alias reported twice:\n%s", got)
	}
	if _, err := Read(Compose, []byte("version: 3\n")); err == nil {
		t.Error("a YAML file without services accepted")
	}
	if _, err := Read(Compose, []byte("services: [\n")); err == nil {
		t.Error("broken YAML accepted")
	}
}

func TestApplyKeepsEveryOtherByte(t *testing.T) {
	data := []byte("A_KEY=one\nB_SECRET='two'\n# end\n")
	vs, _ := Read(Env, data)
	var edits []Edit
	for _, v := range vs {
		edits = append(edits, Edit{Start: v.Start, End: v.End, With: "${X}"})
	}
	out, err := Apply(data, edits)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "A_KEY=${X}\nB_SECRET='${X}'\n# end\n" {
		t.Errorf("%q", out)
	}
	if _, err := Apply(data, []Edit{{0, 5, ""}, {3, 6, ""}}); err == nil {
		t.Error("overlapping edits applied")
	}
	if _, err := Apply(data, []Edit{{0, 500, ""}}); err == nil {
		t.Error("an edit past the end applied")
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Format{
		".env": Env, "prod.env": Env, ".env.local": Env, "config.json": Freqtrade, "config-binance.json": Freqtrade,
		"docker-compose.yml": Compose, "compose.yaml": Compose, "bot.py": "", "package.json": "",
	} {
		if got := Detect(name, nil); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if Detect("bot.json", []byte(`{"exchange": {"name": "okx", "key": "k"}}`)) != Freqtrade {
		t.Error("freqtrade content not recognised")
	}
	if Detect("stack.yml", []byte("services:\n  a: {}\n")) != Compose {
		t.Error("compose content not recognised")
	}
}

func TestClassify(t *testing.T) {
	for name, want := range map[string]string{
		"BINANCE_API_KEY": "key/BINANCE/", "binance-api-secret": "secret/BINANCE/", "OKX_SECRET_KEY": "secret/OKX/",
		"BINANCE_APIKEY": "key/BINANCE/ccxt", "OKX_PASSWORD": "passphrase/OKX/ccxt", "API_SECRET": "secret//",
		"API_KEY": "key//", "DERIBIT_CLIENT_ID": "key/DERIBIT/", "MY_BOT_BYBIT_API_SECRET": "secret/MY_BOT_BYBIT/",
		"EXCHANGE_API_PASSPHRASE": "passphrase/EXCHANGE/generic", "FREQTRADE__EXCHANGE__PASSWORD": "passphrase/FREQTRADE/freqtrade",
		"TELEGRAM_TOKEN": "", "FREQTRADE__TELEGRAM__TOKEN": "", "PATH": "",
	} {
		f, g, s, ok := classify(name)
		got := f + "/" + g + "/" + s
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func fuzzRead(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vs, err := Read(format, data)
		if err != nil {
			return
		}
		checkSpans(t, data, vs)
		var edits []Edit
		for _, v := range vs {
			if v.Exact {
				edits = append(edits, Edit{Start: v.Start, End: v.End, With: "X"})
			}
		}
		if _, err := Apply(data, edits); err != nil {
			t.Fatalf("exact spans overlap: %v", err)
		}
	})
}

func FuzzReadEnv(f *testing.F) {
	fuzzRead(f, Env, "A_KEY=x\nB_SECRET=\"y\\\"z\"\nexport C_PASSPHRASE='w'\n", "K_KEY=\"multi\nline\"\n")
}

func FuzzReadFreqtrade(f *testing.F) {
	fuzzRead(f, Freqtrade, `{"exchange": {"name": "okx", "key": "k", "secret": "s\u0041", "password": "p",}, // c
}`, `[{"a": [1, 2.5e3, true, null]}]`)
}

func FuzzReadCompose(f *testing.F) {
	fuzzRead(f, Compose, "services:\n  a:\n    environment:\n      A_KEY: 'x'\n      B_SECRET: \"y\"\n",
		"services:\n  b:\n    environment:\n      - A_API_KEY=1\n      - \"B_SECRET=2\"\n", "services:\n  ü:\n    environment: {Ü_KEY: ä}\n")
}
