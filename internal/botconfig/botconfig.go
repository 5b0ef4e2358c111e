// Package botconfig reads exchange credentials out of the files bots keep
// them in — a .env file, a freqtrade config.json, a docker-compose file —
// and rewrites those values in place, leaving every other byte as it was.
//
// The readers are small, strict about what they report and forgiving about
// what they skip: a file they cannot follow yields no values rather than a
// guess. Every value comes with the byte span it occupies in the file and
// whether that span holds it exactly (no escapes, no folding), so that a
// rewrite replaces precisely the value and nothing else; a value that is
// not exact is reported but never rewritten.
//
// The files are outside input: they are bounded (MaxSize), parsed without
// recursion deeper than maxDepth, and fuzzed.
package botconfig

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// MaxSize is the largest file read: bot configs are a few KiB.
const MaxSize = 1 << 20

// maxDepth bounds nesting in JSON and YAML.
const maxDepth = 64

// Format is a kind of bot config file.
type Format string

// The formats read.
const (
	Env       Format = "env"       // NAME=value lines (.env, docker env files)
	Freqtrade Format = "freqtrade" // freqtrade's config.json: exchange.key, .secret, .password
	Compose   Format = "compose"   // docker-compose: services.*.environment
)

// The fields of a credential, and the exchange's name.
const (
	FieldKey        = "key"
	FieldSecret     = "secret"
	FieldPassphrase = "passphrase"
	FieldExchange   = "exchange"
)

// The variable-name styles of `keywarden exec --env-style`.
const (
	StyleGeneric   = "generic"
	StyleCCXT      = "ccxt"
	StyleFreqtrade = "freqtrade"
)

// Value is one credential value found in a file.
type Value struct {
	// Field is FieldKey, FieldSecret, FieldPassphrase or FieldExchange.
	Field string
	// Group says whose value it is: the variable's prefix in upper case
	// ("BINANCE" for BINANCE_API_KEY, "EXCHANGE" for keywarden's generic
	// names, "FREQTRADE" for freqtrade's), "" when the name has none.
	Group string
	// Name is the variable or the JSON path as written.
	Name string
	// Service is the docker-compose service holding the variable.
	Service string
	// Style is the exec env-style that uses this very name, or "".
	Style string
	// Value is the value, unquoted and unescaped.
	Value string
	// Start and End are the value's byte span in the file, inside any
	// quotes; Line is its 1-based line.
	Start, End, Line int
	// Exact means the span holds Value byte for byte: it can be replaced
	// in place.
	Exact bool
}

// Detect tells a file's format from its name and, when given, its
// content; "" when it is none of them.
func Detect(name string, data []byte) Format {
	base := strings.ToLower(filepath.Base(name))
	ext := filepath.Ext(base)
	switch {
	case base == ".env" || strings.HasSuffix(base, ".env") || strings.HasPrefix(base, ".env."):
		return Env
	case (strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose")) && (ext == ".yml" || ext == ".yaml"):
		return Compose
	case ext == ".json" && (strings.HasPrefix(base, "config") || data != nil && looksFreqtrade(data)):
		return Freqtrade
	case (ext == ".yml" || ext == ".yaml") && data != nil && strings.Contains(string(data), "services:"):
		return Compose
	}
	return ""
}

func looksFreqtrade(data []byte) bool {
	vs, err := readJSON(data)
	return err == nil && len(vs) > 0
}

// Read returns the credential values in data, in file order.
func Read(f Format, data []byte) ([]Value, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("larger than %d KiB: not a bot config file", MaxSize>>10)
	}
	var vs []Value
	var err error
	switch f {
	case Env:
		vs = readEnv(data)
	case Freqtrade:
		vs, err = readJSON(data)
	case Compose:
		vs, err = readCompose(data)
	default:
		return nil, fmt.Errorf("unknown format %q", f)
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Start < vs[j].Start })
	return vs, nil
}

// Edit replaces data[Start:End] with With.
type Edit struct {
	Start, End int
	With       string
}

// Apply returns data with the edits made. Edits must lie inside data and
// not overlap.
func Apply(data []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.Slice(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var out []byte
	at := 0
	for _, e := range es {
		if e.Start < at || e.End < e.Start || e.End > len(data) {
			return nil, errors.New("edits overlap or lie outside the file")
		}
		out = append(out, data[at:e.Start]...)
		out = append(out, e.With...)
		at = e.End
	}
	return append(out, data[at:]...), nil
}

// classify maps a variable name to a field, its group and the exec style
// that uses it. ok is false for names that hold no credential.
func classify(name string) (field, group, style string, ok bool) {
	n := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(strings.TrimSpace(name)))
	if rest, found := strings.CutPrefix(n, "FREQTRADE__EXCHANGE__"); found {
		switch rest {
		case "KEY":
			return FieldKey, "FREQTRADE", StyleFreqtrade, true
		case "SECRET":
			return FieldSecret, "FREQTRADE", StyleFreqtrade, true
		case "PASSWORD":
			return FieldPassphrase, "FREQTRADE", StyleFreqtrade, true
		case "NAME":
			return FieldExchange, "FREQTRADE", StyleFreqtrade, true
		}
		return "", "", "", false
	}
	switch n {
	case "EXCHANGE_API_KEY":
		return FieldKey, "EXCHANGE", StyleGeneric, true
	case "EXCHANGE_API_SECRET":
		return FieldSecret, "EXCHANGE", StyleGeneric, true
	case "EXCHANGE_API_PASSPHRASE":
		return FieldPassphrase, "EXCHANGE", StyleGeneric, true
	case "EXCHANGE_ID", "EXCHANGE", "EXCHANGE_NAME":
		return FieldExchange, "EXCHANGE", StyleGeneric, true
	}
	// ccxt's own names: <ID>_APIKEY, <ID>_SECRET, <ID>_PASSWORD.
	for _, c := range []struct{ suffix, field string }{{"_APIKEY", FieldKey}, {"_SECRET", FieldSecret}, {"_PASSWORD", FieldPassphrase}} {
		if g, found := strings.CutSuffix(n, c.suffix); found && g != "" && g != "API" && !strings.Contains(g, "_") {
			return c.field, g, StyleCCXT, true
		}
	}
	for _, c := range suffixes {
		if n == c.suffix[1:] {
			return c.field, "", "", true
		}
		if g, found := strings.CutSuffix(n, c.suffix); found && g != "" {
			return c.field, strings.Trim(g, "_"), "", true
		}
	}
	return "", "", "", false
}

// suffixes name a credential at the end of a variable, longest first.
var suffixes = func() []struct{ suffix, field string } {
	s := []struct{ suffix, field string }{
		{"_API_SECRET_KEY", FieldSecret}, {"_API_PASSPHRASE", FieldPassphrase}, {"_CLIENT_SECRET", FieldSecret},
		{"_API_PASSWORD", FieldPassphrase}, {"_PRIVATE_KEY", FieldSecret}, {"_API_KEY_ID", FieldKey},
		{"_API_SECRET", FieldSecret}, {"_SECRET_KEY", FieldSecret}, {"_ACCESS_KEY", FieldKey},
		{"_PASSPHRASE", FieldPassphrase}, {"_CLIENT_ID", FieldKey}, {"_API_KEY", FieldKey},
		{"_APIKEY", FieldKey}, {"_SECRET", FieldSecret}, {"_PASSWORD", FieldPassphrase}, {"_KEY", FieldKey},
	}
	sort.SliceStable(s, func(i, j int) bool { return len(s[i].suffix) > len(s[j].suffix) })
	return s
}()

// lineOf is the 1-based line of offset off.
func lineOf(data []byte, off int) int {
	return bytes.Count(data[:min(off, len(data))], []byte{'\n'}) + 1
}
