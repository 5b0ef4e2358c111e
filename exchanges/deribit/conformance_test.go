package deribit

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

// Deribit answers 13004 invalid_credentials alike for an unknown Client ID
// and a wrong Client Secret, so a wrong secret is reported as ErrBadKey
// ("this Client ID with this Client Secret"), never as ErrBadSignature:
// the bad_secret case, which expects the latter, cannot apply. TestWrongSecret
// covers it instead.
var skip = map[string]string{
	"bad_secret": "Deribit gives one answer (13004 invalid_credentials) for an unknown Client ID and a wrong Client Secret; see TestWrongSecret",
}

func TestConformanceLive(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Futures}, Skip: skip})
}

func TestConformanceTestnet(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Environment: exchanges.Testnet, Markets: []exchanges.Market{exchanges.Futures}, Skip: skip})
}
