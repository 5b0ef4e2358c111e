package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim"
)

func TestExecMasksEverySecretForm(t *testing.T) {
	c := newCLI(t)
	k := addSampleProfile(t, c, "main")
	out, errOut, code := c.run("hello bot\n", "exec", "main", "--", os.Args[0], "__child__", "leak", "7")
	if code != 7 {
		t.Fatalf("exit %d, want the bot's 7; stderr %q", code, errOut)
	}
	all := out + errOut
	const forms = 15
	for i := 0; i < forms; i++ {
		// What is left of the line without its masks and colours: at
		// most the 2 base64 characters between "key:" and the secret.
		re := regexp.MustCompile(fmt.Sprintf(`(?m)^form %d: (.*) \|end$`, i))
		m := re.FindStringSubmatch(all)
		if m == nil || !strings.Contains(m[1], "[masked ") {
			t.Errorf("form %d not masked:\n%s", i, all)
			continue
		}
		rest := regexp.MustCompile(`\[masked (key|secret)\]|\x1b\[[0-9;]*m`).ReplaceAllString(m[1], "")
		if i == 5 && rest == "%2F%2B" { // what the bot adds
			continue
		}
		if len(rest) > 2 {
			t.Errorf("form %d: %q left", i, rest)
		}
	}
	if r := clearRun(all, k.Secret); r != "" {
		t.Errorf("output holds %q of the secret:\n%s", r, all)
	}
	if !strings.Contains(out, "stdin: hello bot\n") {
		t.Errorf("stdin not passed through: %q", out)
	}
	if strings.Count(out, "|end\n") != (forms+1)/2 || strings.Count(errOut, "|end\n") != forms/2 {
		t.Errorf("lines lost or moved between stdout and stderr:\n%s\n---\n%s", out, errOut)
	}
}

// A Coinbase key's PEM, printed as is and escaped as bots escape it,
// shows its armour and not a line of its body.
func TestExecMasksPEM(t *testing.T) {
	c := newCLI(t)
	k, _ := sim.SampleKey("coinbase")
	if _, e, code := c.run(credsJSON(k), "add", "cb", "--exchange", "coinbase"); code != 0 {
		t.Fatalf("add: %d %s", code, e)
	}
	out, errOut, code := c.run("", "exec", "cb", "--", os.Args[0], "__child__", "pem")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, "[masked secret]") != 4 || strings.Count(out, "-----BEGIN") != 4 || strings.Count(out, "-----END") != 4 {
		t.Errorf("four masks, armour kept:\n%s", out)
	}
	var body string
	for _, l := range strings.Split(k.Secret, "\n") {
		if !strings.HasPrefix(l, "-----") {
			body += l
		}
	}
	if r := clearRun(out, body); r != "" {
		t.Errorf("output holds %q of the key:\n%s", r, out)
	}
}

// A prompt the bot waits on appears although it may be the beginning of
// a secret.
func TestExecPromptAppears(t *testing.T) {
	r := startExec(t, "prompt")
	stdin, stdout := r.stdin, r.stdout
	want := "code " + r.key.Secret[:10]
	got := make(chan string, 1)
	go func() {
		b := make([]byte, len(want))
		_, _ = io.ReadFull(stdout, b)
		got <- string(b)
	}()
	select {
	case g := <-got:
		if g != want {
			t.Fatalf("prompt %q", g)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt did not appear while the bot waited")
	}
	_, _ = stdin.Write([]byte("42\n"))
	rest, _ := io.ReadAll(stdout)
	if string(rest) != "\ngot 42\n" {
		t.Errorf("after the answer: %q", rest)
	}
}

// clearRun returns a run of 16 characters of secret that out holds, in
// any case or reversed, with escape sequences and whitespace taken out;
// "" if none.
func clearRun(out, secret string) string {
	flat := strings.ToLower(strings.Join(strings.Fields(regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")), ""))
	secret = strings.ToLower(secret)
	for i := 0; i+16 <= len(secret); i++ {
		if w := secret[i : i+16]; strings.Contains(flat, w) || strings.Contains(flat, reversed(w)) {
			return w
		}
	}
	return ""
}

func reversed(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// escapeAll writes every byte of s with format (%%%02X, \\u%04x).
func escapeAll(s, format string) string {
	var sb strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&sb, format, c)
	}
	return sb.String()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
