package exchanges

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const secretValue = "s3cr3t-VALUE-that-must-never-print"

// holder keeps a Secret in an unexported field, which fmt prints by
// reflection without calling any method.
type holder struct {
	name   string
	secret Secret
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(secretValue)
	c := Credentials{Key: "KEY", Secret: s, Passphrase: s}
	h := holder{"x", s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%T %v", "%p"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, c), fmt.Sprintf(verb, &c), fmt.Sprintf(verb, h), fmt.Sprintf(verb, []Secret{s}))
	}
	outs = append(outs, fmt.Sprint(s), fmt.Sprintln(c), s.String(), s.GoString())
	for _, v := range []any{s, c, &c, map[string]Secret{"k": s}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
		x, _ := xml.Marshal(struct{ S Secret }{s})
		outs = append(outs, string(x))
	}
	var buf bytes.Buffer
	for _, hnd := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(hnd)
		l.Info("msg", "secret", s, "creds", c, "any", any(s))
		l.Info("msg", slog.Any("c", c), slog.Group("g", "s", s))
	}
	outs = append(outs, buf.String())
	for _, o := range outs {
		for _, leak := range []string{secretValue, "s3cr3t", fmt.Sprintf("%x", secretValue)} {
			if strings.Contains(o, leak) {
				t.Fatalf("secret printed: %q", o)
			}
		}
	}
	if s.Reveal() != secretValue {
		t.Fatal("Reveal lost the value")
	}
	if !strings.Contains(fmt.Sprintf("%v", s), Mask) {
		t.Errorf("%%v does not show the mask")
	}
}

func TestSecretJSONRoundTripIsOneWay(t *testing.T) {
	var c struct{ S Secret }
	if err := json.Unmarshal([]byte(`{"S":"abc"}`), &c); err != nil || c.S.Reveal() != "abc" {
		t.Fatalf("unmarshal: %v %q", err, c.S.Reveal())
	}
	if err := json.Unmarshal([]byte(`{"S":5}`), &c); err == nil || strings.Contains(err.Error(), "5") {
		t.Errorf("a non-string must be refused without echoing it: %v", err)
	}
	var zero Secret
	if !zero.IsZero() || zero.Reveal() != "" || fmt.Sprint(zero) != Mask {
		t.Error("zero Secret")
	}
}

func TestFingerprint(t *testing.T) {
	for in, want := range map[string]string{
		"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A": "vmPU…Eh8A",
		"short":        "…",
		"12345678":     "12…78",
		"123456789012": "1234…9012",
	} {
		if got := Fingerprint(in); got != want {
			t.Errorf("Fingerprint(%q) = %q, want %q", in, got, want)
		}
	}
}
