package mask

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"testing"
)

// botLog is about 1 MiB of what a trading bot prints: coloured log lines,
// signed request URLs with hex signatures and escaped symbols, JSON order
// books, order ids, a few secret-looking beginnings. Deterministic.
func botLog() []byte {
	r := mrand.New(mrand.NewPCG(1, 2))
	hexs := func(n int) string {
		b := make([]byte, n/2)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return hex.EncodeToString(b)
	}
	b64 := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	var buf bytes.Buffer
	for i := 0; buf.Len() < 1<<20; i++ {
		ts := fmt.Sprintf("2026-11-21 05:%02d:%02d,%03d", i/60%60, i%60, i%1000)
		switch i % 6 {
		case 0:
			fmt.Fprintf(&buf, "%s - freqtrade.worker - \x1b[32mINFO\x1b[0m - Bot heartbeat. PID=%d, version='2025.10', state='RUNNING'\n", ts, 4000+i%9)
		case 1:
			fmt.Fprintf(&buf, "%s - ccxt.base.exchange - DEBUG - GET https://api.binance.com/api/v3/order?symbol=BTC%%2FUSDT&orderId=%d&recvWindow=5000&timestamp=%d&signature=%s\n",
				ts, 28000000000+r.IntN(1e9), 1763700000000+int64(i), hexs(64))
		case 2:
			fmt.Fprintf(&buf, `%s - bot - DEBUG - {"symbol":"BTC/USDT","bids":[[%d.%d,%d.%03d],[%d.%d,%d.%03d]],"asks":[[%d.%d,0.%03d]],"timestamp":%d,"nonce":%d}`+"\n",
				ts, 97000+r.IntN(50), r.IntN(10), r.IntN(3), r.IntN(1000), 96990+r.IntN(9), r.IntN(10), r.IntN(9), r.IntN(1000),
				97010+r.IntN(50), r.IntN(10), r.IntN(1000), 1763700000000+int64(i), r.IntN(1e9))
		case 3:
			fmt.Fprintf(&buf, "%s - freqtrade.freqtradebot - \x1b[33mWARNING\x1b[0m - Order x-%s for pair ETH/USDT partially filled, %d%%\n", ts, b64(12), r.IntN(100))
		case 4:
			fmt.Fprintf(&buf, "%s - bot - INFO - key=vmPUZ… secret=NhqPt… (loaded from environment) ws session %s\n", ts, b64(24))
		case 5:
			fmt.Fprintf(&buf, "%s - bot - INFO - Balance: USDT 1250.50, BTC 0.01500000, ETH %d.%04d; \\u2713 synced \"%s\"\n", ts, r.IntN(9), r.IntN(10000), hexs(16))
		}
	}
	return buf.Bytes()
}

// writeAll passes data through a fresh Writer in 4 KiB writes.
func writeAll(m *Matcher, data []byte) {
	w := NewWriter(io.Discard, m, 0)
	for i := 0; i < len(data); i += 4096 {
		_, _ = w.Write(data[i:min(i+4096, len(data))])
	}
	_ = w.Flush()
}

func benchWriter(b *testing.B, m *Matcher) {
	data := botLog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		writeAll(m, data)
	}
}

// BenchmarkWriter: exec's usual case, a key, a secret and a passphrase.
func BenchmarkWriter(b *testing.B) { benchWriter(b, testMatcher()) }

// BenchmarkWriterPEM: a Coinbase key name and its EC PEM secret.
func BenchmarkWriterPEM(b *testing.B) {
	benchWriter(b, New([]Secret{{Name: "key", Value: "organizations/3f2c/apiKeys/9a1b2c3d-1111-2222-3333-444455556666"}, {Name: "secret", Value: coinbasePEM(b)}}, 6))
}

// rsaPEM is a PEM block the size of a 4096-bit RSA key in PKCS#8 (random
// bytes: the masker does not parse DER).
func rsaPEM() string {
	der := make([]byte, 2375)
	_, _ = rand.Read(der)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// BenchmarkWriterRSA: the largest secret an exchange hands out (a Binance
// RSA key).
func BenchmarkWriterRSA(b *testing.B) {
	benchWriter(b, New([]Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: rsaPEM()}}, 6))
}

// BenchmarkWriterSecrets: the worst case, a bot that prints its secret,
// in colour, in every line.
func BenchmarkWriterSecrets(b *testing.B) {
	m := testMatcher()
	line := "2026-11-21 05:00:00 INFO key=" + testKey + " secret=" + testSecret[:30] + "\x1b[31m" + testSecret[30:] + "\x1b[0m ok\n"
	data := bytes.Repeat([]byte(line), (1<<20)/len(line))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		writeAll(m, data)
	}
}

// BenchmarkWriterEscaped: output that is all escapes (JSON with \u,
// URL-encoded bodies), the slow path.
func BenchmarkWriterEscaped(b *testing.B) {
	m := testMatcher()
	var buf bytes.Buffer
	for i := 0; buf.Len() < 1<<20; i++ {
		fmt.Fprintf(&buf, `{"text":"\u00e9t\u00e9 %d \u2713 \"quoted\"","q":"symbol%%3DBTC%%2FUSDT%%26side%%3Dbuy%%26n%%3D%d"}`+"\n", i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		writeAll(m, data)
	}
}

// BenchmarkNewRSA: building the matcher for it.
func BenchmarkNewRSA(b *testing.B) {
	p := rsaPEM()
	b.ReportAllocs()
	for b.Loop() {
		New([]Secret{{Name: "key", Value: testKey}, {Name: "secret", Value: p}}, 6)
	}
}

func BenchmarkScan(b *testing.B) {
	m := testMatcher()
	data := botLog()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m.Scan(data, func(Match) {})
	}
}
