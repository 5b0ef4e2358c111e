// Command e2e-receiver is the webhook receiver of scripts/serve-e2e.sh: it
// listens on a loopback address, and appends every POST it gets to a file,
// one JSON object per line: {"path": ..., "signature": "ok"|"bad"|"none",
// "body": <the body>}. It verifies keywarden's webhook signature the way
// the README tells receivers to (the secret in KEYWARDEN_ALERT_SECRET).
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	out := flag.String("out", "received.jsonl", "file to append what arrives to")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Fatalf("e2e-receiver: %q is not a loopback address", *addr)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		log.Fatal(err)
	}
	secret := []byte(os.Getenv("KEYWARDEN_ALERT_SECRET"))
	var mu sync.Mutex
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || r.Method != http.MethodPost {
			http.Error(w, "POST a body", http.StatusBadRequest)
			return
		}
		line, _ := json.Marshal(map[string]any{"path": r.URL.Path, "signature": verify(secret, r.Header, body), "body": json.RawMessage(orNull(body))})
		mu.Lock()
		_, _ = f.Write(append(line, '\n'))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	log.Fatal(srv.ListenAndServe())
}

// verify checks X-Keywarden-Signature: "sha256=" + hex(HMAC-SHA256(secret,
// timestamp + "." + body)), with X-Keywarden-Timestamp within 5 minutes.
func verify(secret []byte, h http.Header, body []byte) string {
	sig, ts := h.Get("X-Keywarden-Signature"), h.Get("X-Keywarden-Timestamp")
	if sig == "" {
		return "none"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return "bad"
	}
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%s.", ts)
	mac.Write(body)
	if !hmac.Equal([]byte(sig), []byte("sha256="+hex.EncodeToString(mac.Sum(nil)))) {
		return "bad"
	}
	return "ok"
}

func orNull(b []byte) []byte {
	if json.Valid(b) {
		return b
	}
	q, _ := json.Marshal(string(b))
	return q
}
