package scan

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// minifiedJSON makes about n bytes of one-line JSON like the test vectors
// and API dumps in a module cache: hex and base64 values, ids, words, and
// names that say key, secret and password next to values that are not
// keys. Deterministic for a seed.
func minifiedJSON(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	hexs := func(k int) string {
		const h = "0123456789abcdef"
		b := make([]byte, k)
		for i := range b {
			b[i] = h[rng.IntN(16)]
		}
		return string(b)
	}
	b64 := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	var sb bytes.Buffer
	sb.Grow(n + 4096)
	sb.WriteString(`{"algorithm":"ECDSA","schema":"ecdsa_verify_schema.json","numberOfTests":1,"testGroups":[`)
	for id := 0; sb.Len() < n; id++ {
		switch id % 4 {
		case 0, 1:
			fmt.Fprintf(&sb, `{"tcId":%d,"comment":"signature malleability","key":{"curve":"secp256r1","keySize":256,"type":"EcPublicKey","wx":"%s","wy":"%s"},"msg":"%s","sig":"%s","result":"valid","flags":[]},`,
				id, hexs(64), hexs(64), hexs(32), hexs(140))
		case 2:
			fmt.Fprintf(&sb, `{"id":"%s-%s-%s-%s-%s","name":"token bucket %d","secretRef":{"name":"api-credentials","key":"password"},"password":"${DB_PASSWORD}","checksum":"sha256:%s","data":"%s"},`,
				hexs(8), hexs(4), hexs(4), hexs(4), hexs(12), id, hexs(64), b64(48))
		default:
			fmt.Fprintf(&sb, `{"kid":"%s","kty":"RSA","n":"%s","e":"AQAB","use":"sig","x5t":"%s","description":"the public key of the exchange gateway, rotated every %d days"},`,
				b64(12), b64(180), b64(20), id%90)
		}
	}
	sb.WriteString(`{}]}`)
	return sb.Bytes()
}

// BenchmarkDetectMinified is the target: 100 MB of minified JSON
// in under 2 s on one core (run with -cpu 1), with the stored secrets of
// three profiles looked for.
func BenchmarkDetectMinified(b *testing.B) {
	data := minifiedJSON(100<<20, 1)
	d := newDetector(threeProfiles(b), infos())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		fs, err := d.content(context.Background(), "vectors/ecdsa_secp256r1_sha256_test.json", bytes.NewReader(data))
		if err != nil || len(fs.findings) != 0 {
			b.Fatalf("%v %+v", err, fs.findings)
		}
	}
}

// BenchmarkDetectLongLine shows the work is linear in a line's length
// (the old detector took 19 s for 250 KB, quadratic).
func BenchmarkDetectLongLine(b *testing.B) {
	d := newDetector(threeProfiles(b), infos())
	for _, n := range []int{50 << 10, 250 << 10, 500 << 10, 5 << 20} {
		data := minifiedJSON(n, 2)
		b.Run(fmt.Sprintf("%dKB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := d.content(context.Background(), "x.json", bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDetectSource is ordinary source text: many short lines.
func BenchmarkDetectSource(b *testing.B) {
	var sb strings.Builder
	rng := rand.New(rand.NewPCG(3, 4))
	for sb.Len() < 16<<20 {
		fmt.Fprintf(&sb, "func f%d(key string, n int) int { return len(key) + n*%d } // token %016x\n", rng.IntN(1e6), rng.IntN(1000), rng.Uint64())
		fmt.Fprintf(&sb, "\tsecret := os.Getenv(\"EXCHANGE_API_SECRET\") // binance, id %x\n", rng.Uint64())
	}
	data := []byte(sb.String())
	d := newDetector(threeProfiles(b), infos())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := d.content(context.Background(), "main.go", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
