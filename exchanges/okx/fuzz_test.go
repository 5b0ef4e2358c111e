package okx

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

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
		``, `null`, `{}`, `[]`, `{"code":0,"data":null}`, `{"code":"0"}`, `{"code":"0","data":{}}`,
		`{"code":"0","data":[]}`, `{"code":"0","data":[null]}`, `{"code":"0","data":[{"ts":"-5"}]}`,
		`{"code":"0","data":[{"perm":null,"ip":""}]}`, `{"code":"0","data":[{"perm":"trade","ip":",,,"}]}`,
		`{"code":"0","data":[{"totalEq":"1e9","details":[]}]}`,
		`{"code":"0","data":[{"details":[{"ccy":"BTC","eq":"1/3"}]}]}`,
		`{"code":"0","data":[{"state":"ongoing","begin":"x"}]}`, `{"code":"0","data":[{"bal":"1","ccy":""}]}`,
		`{"code":["0"],"data":[]}`, `{"code":"50113","msg":"Invalid signature.","data":[]}`,
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

func FuzzParseStatus(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := parseStatus(b)
		if err != nil {
			if ev != nil {
				t.Fatal("events returned with an error")
			}
			return
		}
		s := statusOf(ev, "1")
		if s.Source == "" {
			t.Fatal("no source")
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseConfig(b)
		if err != nil {
			if !reflect.DeepEqual(c, accountConfig{}) {
				t.Fatal("half-filled configuration with an error")
			}
			return
		}
		k := c.keyInfo(false, time.Now())
		for _, ip := range k.IPs {
			if ip == "" {
				t.Fatal("empty IP in the list")
			}
		}
		if k.Read != exchanges.Yes || !k.IPListKnown {
			t.Fatal("a parsed configuration must give read and the IP list")
		}
	})
}

func FuzzParseBalance(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parseBalance(b)
		if err != nil {
			if !reflect.DeepEqual(tb, tradingBalance{}) {
				t.Fatal("half-filled balance with an error")
			}
			return
		}
		if tb.TotalEq != "" && !exchanges.IsDecimal(tb.TotalEq) {
			t.Fatalf("totalEq %q", tb.TotalEq)
		}
		checkAssets(t, tb.Assets)
	})
}

func FuzzParseFunding(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseFunding(b)
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
		for _, status := range []int{200, 401, 429, 503} {
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
