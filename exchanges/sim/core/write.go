package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// WriteJSON writes v as the answer with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// SortedKeys returns m's keys in order, so answers are deterministic.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RandomAlnum returns n random letters and digits.
func RandomAlnum(n int) string {
	return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n)
}

// RandomFrom returns n random characters of alphabet (at most 256).
func RandomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// RandomHex returns n random hex digits.
func RandomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// UUIDOrderID renders core's order number as a UUID-shaped order id, as
// Coinbase and BitMEX give them: the last group is the number in hex, the
// rest derived from it and ns (so two exchanges' ids differ).
func UUIDOrderID(ns string, n int64) string {
	h := sha256.Sum256([]byte(ns + ":" + strconv.FormatInt(n, 10)))
	x := hex.EncodeToString(h[:8])
	return fmt.Sprintf("%s-%s-4%s-a%s-%012x", x[:8], x[8:12], x[12:15], x[5:8], n)
}

// ParseUUIDOrderID reverses UUIDOrderID; 0 for an id it did not make.
func ParseUUIDOrderID(ns, s string) int64 {
	i := strings.LastIndexByte(s, '-')
	if i < 0 || len(s)-i-1 != 12 {
		return 0
	}
	n, err := strconv.ParseInt(s[i+1:], 16, 64)
	if err != nil || n <= 0 || UUIDOrderID(ns, n) != s {
		return 0
	}
	return n
}
