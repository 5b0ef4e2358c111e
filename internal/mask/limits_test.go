package mask

import (
	"bytes"
	"crypto/rand"
	"encoding/pem"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Memory grows with the secrets' length, linearly, and the dense table
// never passes maxTable: a 4096-bit RSA key fits, a key four times that
// size falls back to the sparse edges.
func TestMemoryIsBounded(t *testing.T) {
	huge := make([]byte, 4*2375)
	_, _ = rand.Read(huge)
	for name, tc := range map[string]struct {
		pem   string
		dense bool
	}{
		"RSA 4096": {rsaPEM(), true},
		"4 × that": {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: huge})), false},
	} {
		m := New([]Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: tc.pem}}, 6)
		chars := 0
		for _, p := range m.Patterns() {
			chars += len(p.Text)
		}
		if states := len(m.rep); chars > 16*len(tc.pem) || states > 2*chars+1 {
			t.Errorf("%s: %d characters of forms, %d states for a %d-byte key", name, chars, states, len(tc.pem))
		}
		if (m.delta != nil) != tc.dense || len(m.delta)*4 > maxTable {
			t.Errorf("%s: dense %v, table %d bytes", name, m.delta != nil, len(m.delta)*4)
		}
		if sparse := m.Size() - len(m.delta)*4; sparse > 64*chars {
			t.Errorf("%s: %d bytes beside the table for %d characters", name, sparse, chars)
		}
		body := strings.Split(tc.pem, "\n")[5]
		if out := m.String("x " + body + " " + url.QueryEscape(tc.pem) + "\n"); strings.Contains(out, body[:MinRun]) || strings.Count(out, "[masked secret]") != 2 {
			t.Errorf("%s: %.200q", name, out)
		}
	}
}

// The sparse edges (past maxTable) mask exactly as the dense table does.
func TestSparseIsDense(t *testing.T) {
	p := coinbasePEM(t)
	secrets := []Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: testSecret}, {Name: "pem", Value: p}, {Name: "pass", Value: "hunter2!?/ &x"}}
	dense := New(secrets, 6)
	sparse := newMatcher(secrets, 6, 0)
	in := botLog()[:64<<10]
	for _, plant := range []string{testSecret, p, url.QueryEscape(p), percentAll(testKey, "\\u%04x"), reverseRunes(testSecret[3:40]), "hunter2!?/ &x"} {
		in = append(in, "\n x="+plant+"\n"...)
	}
	a, b := writeIn(dense, in, 777), writeIn(sparse, in, 777)
	if !bytes.Equal(a, b) || bytes.Count(a, []byte("[masked ")) < 6 {
		t.Errorf("dense and sparse differ, or masked too little (%d)", bytes.Count(a, []byte("[masked ")))
	}
}

// syncBuffer is a bytes.Buffer the release timer may write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A prompt that ends like the beginning of a secret appears after the
// release delay; a secret that then goes on is masked from where its run
// reaches MinRun characters.
func TestHeldBackIsReleased(t *testing.T) {
	var out syncBuffer
	w := NewWriter(&out, testMatcher(), 20*time.Millisecond)
	_, _ = w.Write([]byte("enter: " + testSecret[:5]))
	if got := out.String(); got != "enter: " {
		t.Fatalf("not held back: %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "enter: "+testSecret[:5] {
		if time.Now().After(deadline) {
			t.Fatalf("never released: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, _ = w.Write([]byte(testSecret[5:] + "\n"))
	_ = w.Flush()
	if got := out.String(); got != "enter: "+testSecret[:5]+"[masked secret]\n" {
		t.Errorf("after the release: %q", got)
	}
}

// MaxLen bytes from where a run starts are enough to find it, in the
// widest form a run can take: every character \u-escaped, with the most
// skipped bytes between two.
func TestMaxLenIsEnough(t *testing.T) {
	m := testMatcher()
	gap := strings.Repeat(" ", maxGap-len("\x1b[0m")) + "\x1b[0m"
	var sb strings.Builder
	for i, c := range testSecret[:MinRun] {
		if i > 0 {
			sb.WriteString(gap)
		}
		sb.WriteString(percentAll(string(c), "\\u%04x"))
	}
	wide := sb.String()
	if len(wide) != m.MaxLen() {
		t.Fatalf("the widest run takes %d bytes, MaxLen says %d", len(wide), m.MaxLen())
	}
	found := 0
	m.Scan([]byte(wide), func(mt Match) { found++ })
	m.Scan([]byte(wide[:len(wide)-1]), func(mt Match) { found += 10 })
	if found != 1 {
		t.Errorf("found %d (want the whole run, and not one byte less)", found)
	}
}
