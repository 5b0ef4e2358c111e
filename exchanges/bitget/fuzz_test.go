package bitget

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

// seeds adds every recorded answer and a few hostile shapes; they run in
// plain `go test`.
func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/errors/*")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"code":"00000","data":null}`, `{"code":0}`, `{"code":"00000","data":[]}`,
		`{"code":"00000","data":{"serverTime":1688008631614}}`, `{"code":"00000","data":{"serverTime":"-1"}}`,
		`{"code":"00000","data":{"authorities":null}}`, `{"code":"00000","data":{"authorities":[""],"ips":""}}`,
		`{"code":"00000","data":{"authorities":["wwow"],"ips":" , ;"}}`,
		`{"code":"00000","data":[{"coin":"BTC","available":"1e3"}]}`,
		`{"code":"00000","data":[{"coin":"BTC","available":"1","frozen":"x"}]}`,
		`{"code":"00000","data":[{"marginCoin":"USDT","accountEquity":"-4767.74182959"}]}`,
		`{"code":{"x":1}}`, `{"code":"40009","msg":"sign signature error"}`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzParseTime(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := parseTime(b)
		if (err == nil) != (ms > 0) {
			t.Fatalf("ms %d with err %v", ms, err)
		}
	})
}

func FuzzParseAccountInfo(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseAccountInfo(b)
		if err != nil {
			if !reflect.DeepEqual(a, accountInfo{}) {
				t.Fatal("half-filled account information with an error")
			}
			return
		}
		k := a.keyInfo()
		if k.Read != exchanges.Yes || !k.IPListKnown || k.Trade == nil {
			t.Fatalf("incomplete facts %+v", k)
		}
		for _, ip := range k.IPs {
			if ip == "" {
				t.Fatal("empty IP")
			}
		}
	})
}

func FuzzParseSpotAssets(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseSpotAssets(b)
		if err != nil {
			if a != nil {
				t.Fatal("assets returned with an error")
			}
			return
		}
		checkAssets(t, a)
	})
}

func FuzzParseFuturesAccounts(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseFuturesAccounts(b)
		if err != nil {
			if a != nil {
				t.Fatal("assets returned with an error")
			}
			return
		}
		checkAssets(t, a)
	})
}

func checkAssets(t *testing.T, assets []exchanges.Asset) {
	t.Helper()
	for _, a := range assets {
		if a.Asset == "" || !exchanges.IsDecimal(a.Total) || exchanges.IsZeroDecimal(a.Total) || (a.Free != "" && !exchanges.IsDecimal(a.Free)) {
			t.Fatalf("bad asset %+v", a)
		}
	}
}

func FuzzClassify(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, status := range []int{200, 400, 429, 503} {
			err := check("op")(&exchanges.Response{Status: status, Body: b})
			if err == nil && status != 200 {
				t.Fatalf("HTTP %d accepted", status)
			}
			if err != nil && exchanges.ClassOf(err) == nil {
				t.Fatalf("unclassified error %v", err)
			}
		}
	})
}
