package core

import (
	"math/big"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// Amounts and prices are decimal strings on the wire and big.Rat inside:
// exact, so a balance after a fill is what a person would compute. Text
// from a client goes through ParseDec, which accepts only plain decimals
// of bounded length (exchanges.IsDecimal).

// ParseDec parses a plain decimal ("0.001", "60000"); false for anything
// else, exponents and fractions included.
func ParseDec(s string) (*big.Rat, bool) {
	if !exchanges.IsDecimal(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// dec parses a decimal the simulator wrote itself; it must be valid.
func dec(s string) *big.Rat {
	r, ok := ParseDec(s)
	if !ok {
		panic("core: not a decimal: " + s)
	}
	return r
}

// FormatDec writes r with exactly places fractional digits.
func FormatDec(r *big.Rat, places int) string { return r.FloatString(places) }

// TrimDec writes r with at most 16 fractional digits, trailing zeros
// dropped ("0.5", "60000").
func TrimDec(r *big.Rat) string {
	s := r.FloatString(16)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// Places is how many fractional digits a step such as "0.001" has (3).
func Places(step string) int {
	if i := strings.IndexByte(step, '.'); i >= 0 {
		return len(strings.TrimRight(step[i+1:], "0"))
	}
	return 0
}

// multipleOf reports whether x is a whole multiple of step.
func multipleOf(x, step *big.Rat) bool {
	q := new(big.Rat).Quo(x, step)
	return q.IsInt()
}

func mul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }
func add(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }
func sub(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }

// MulDec is a × b for two decimals, trailing zeros dropped; "0" if
// either is not a decimal.
func MulDec(a, b string) string {
	x, ok1 := ParseDec(a)
	y, ok2 := ParseDec(b)
	if !ok1 || !ok2 {
		return "0"
	}
	return TrimDec(mul(x, y))
}
