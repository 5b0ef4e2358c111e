package sim

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
)

// entry is one exchange's simulation: its handler and a generator of
// credentials in the exchange's real format.
type entry struct {
	handler func(*State) Handler
	// sample returns fresh, random credentials shaped like the exchange's.
	sample func() Key
}

// registry lists the simulated exchanges explicitly.
func registry() map[string]entry {
	return map[string]entry{
		"binance":  {handler: newBinance, sample: sampleBinance},
		"kraken":   {handler: newKraken, sample: sampleKraken},
		"coinbase": {handler: newCoinbase, sample: sampleCoinbase},
		"kucoin":   {handler: newKuCoin, sample: sampleKuCoin},
		"gate":     {handler: newGate, sample: sampleGate},
		"okx":      {handler: newOKX, sample: sampleOKX},
		"bitget":   {handler: newBitget, sample: sampleBitget},
		"bybit":    {handler: newBybit, sample: sampleBybit},
		"bingx":    {handler: newBingX, sample: sampleBingX},
		"deribit":  {handler: newDeribit, sample: sampleDeribit},
		"bitmex":   {handler: newBitmex, sample: sampleBitmex},
	}
}

// Exchanges lists the exchange ids the simulator can serve.
func Exchanges() []string {
	var ids []string
	for id := range registry() {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// SampleKey returns new random credentials in exchange's format, with
// read and spot permissions and a little balance, or false if the
// exchange is not simulated.
func SampleKey(exchange string) (Key, bool) {
	e, ok := registry()[exchange]
	if !ok {
		return Key{}, false
	}
	k := e.sample()
	if k.Label == "" {
		k.Label = "keywarden-sim"
	}
	if k.Permissions == nil {
		k.Permissions = []string{PermRead, PermSpot}
	}
	if k.Balances == nil {
		k.Balances = map[string]string{"USDT": "1250.50", "BTC": "0.01500000"}
	}
	return k, true
}

// Default is a scenario with one good key for exchange.
func Default(exchange string) (Scenario, bool) {
	k, ok := SampleKey(exchange)
	if !ok {
		return Scenario{}, false
	}
	sc := Scenario{Exchange: exchange, Keys: []Key{k}}
	return sc, sc.Validate() == nil
}

// RandomAlnum returns n random letters and digits.
func RandomAlnum(n int) string {
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = abc[int(b[i])%len(abc)]
	}
	return string(b)
}

// RandomHex returns n random hex digits.
func RandomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}
