package exchanges

import (
	"math/big"
	"regexp"
	"strings"
)

// Exchanges send amounts as decimal strings. These helpers accept only
// plain decimals (no exponents, no fractions like 1/3, at most 64
// characters), so a hostile answer cannot make big.Rat allocate without
// bound.

var decimalRE = regexp.MustCompile(`^-?[0-9]{1,40}(\.[0-9]{1,23})?$`)

// IsDecimal reports whether s is a plain decimal number.
func IsDecimal(s string) bool { return len(s) <= 64 && decimalRE.MatchString(s) }

func rat(s string) (*big.Rat, bool) {
	if !IsDecimal(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// IsZeroDecimal reports whether s is zero (or not a decimal at all).
func IsZeroDecimal(s string) bool {
	r, ok := rat(s)
	return !ok || r.Sign() == 0
}

// AddDecimals returns the sum of decimal strings, trimmed of trailing
// zeros; non-decimals are skipped.
func AddDecimals(v ...string) string {
	sum := new(big.Rat)
	for _, s := range v {
		if r, ok := rat(s); ok {
			sum.Add(sum, r)
		}
	}
	return trimZeros(sum.FloatString(23))
}

// CompareDecimal compares two decimals (-1, 0, 1); non-decimals are zero.
func CompareDecimal(a, b string) int {
	x, ok := rat(a)
	if !ok {
		x = new(big.Rat)
	}
	y, ok := rat(b)
	if !ok {
		y = new(big.Rat)
	}
	return x.Cmp(y)
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}
