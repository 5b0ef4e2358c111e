package exchanges

import (
	"strings"
	"testing"
)

func TestCodeEnvelope(t *testing.T) {
	for _, tc := range []struct {
		body, code, err string
	}{
		{`{"code":"00000","msg":"success","data":{"a":1}}`, "00000", ""},
		{`{"code":"0","msg":"","data":[]}`, "0", ""},
		{`{"code":200000,"data":5}`, "200000", ""},
		{`{"code":"","data":5}`, "", "no code"},
		{`{"msg":"x"}`, "", "no code"},
		{`{"code":"0"} trailing`, "", "not the JSON"},
		{`<html>`, "", "not the JSON"},
	} {
		e, err := ParseCodeEnvelope([]byte(tc.body), "X")
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) || e.Code != tc.code {
			t.Errorf("%s: %+v %v", tc.body, e, err)
		}
	}
	var v struct{ A int }
	if err := DecodeCodeEnvelope([]byte(`{"code":"0","data":{"A":3}}`), "0", "X", &v); err != nil || v.A != 3 {
		t.Errorf("decode: %v %v", v, err)
	}
	if err := DecodeCodeEnvelope([]byte(`{"code":"5","data":{"A":3}}`), "0", "X", &v); err == nil {
		t.Error("a non-success code decoded")
	}
	if err := DecodeCodeEnvelope([]byte(`{"code":"0","data":null}`), "0", "X", &v); err == nil {
		t.Error("null data decoded")
	}
}
