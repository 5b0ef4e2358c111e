package checks

import (
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/textsafe"
)

// Every fact an adapter reports came off the wire: a label, an asset name,
// a status message or an error message may hold escape sequences that
// clear the screen or retitle the terminal, bidi controls, or megabytes of
// text. Run passes each fact and error through these functions once, as
// it arrives, so every output (the live screen, plain text, JSON, serve's
// API) carries the same cleaned text and no printer has to remember.

// Bounds for values that are short in every real answer.
const (
	maxAsset  = 32  // "USDT", "1000SATS"
	maxAmount = 64  // a decimal string
	maxIP     = 64  // an IPv6 address or CIDR range
	maxLabel  = 100 // a key's name on the exchange
)

// cleanErr makes an adapter's error safe to show (see exchanges.CleanError).
func cleanErr(err error) error { return exchanges.CleanError(err) }

func cleanStatus(s exchanges.Status) exchanges.Status {
	s.Message = textsafe.Line(s.Message)
	s.Source = textsafe.Line(s.Source)
	return s
}

func cleanTime(t exchanges.TimeSample) exchanges.TimeSample {
	t.Source = textsafe.Line(t.Source)
	return t
}

func cleanKey(k exchanges.KeyInfo) exchanges.KeyInfo {
	k.IPs = cleanAll(k.IPs, maxIP)
	k.ExpiryWhat = textsafe.Line(k.ExpiryWhat)
	k.Label = textsafe.Clean(k.Label, maxLabel)
	k.Evidence = cleanAll(k.Evidence, textsafe.Max)
	return k
}

func cleanBalance(b exchanges.Balance) exchanges.Balance {
	if b.Assets != nil {
		assets := make([]exchanges.Asset, len(b.Assets))
		for i, a := range b.Assets {
			assets[i] = exchanges.Asset{
				Asset:   textsafe.Clean(a.Asset, maxAsset),
				Free:    textsafe.Clean(a.Free, maxAmount),
				Total:   textsafe.Clean(a.Total, maxAmount),
				Account: textsafe.Clean(a.Account, maxAsset),
			}
		}
		b.Assets = assets
	}
	if b.Totals != nil {
		totals := make(map[string]string, len(b.Totals))
		for k, v := range b.Totals {
			totals[textsafe.Clean(k, maxLabel)] = textsafe.Clean(v, maxAmount)
		}
		b.Totals = totals
	}
	b.Accounts = cleanAll(b.Accounts, maxAsset)
	b.Notes = cleanAll(b.Notes, textsafe.Max)
	return b
}

// cleanAll cleans each string into a new slice (the adapter's is left
// alone).
func cleanAll(in []string, max int) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = textsafe.Clean(s, max)
	}
	return out
}
