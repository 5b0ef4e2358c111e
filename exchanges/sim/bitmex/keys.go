package bitmex

import (
	"net"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// apiKeys answers GET /api/v1/apiKey: every key of the user, with its
// secret, as BitMEX's schema has it.
func (b *bitmex) apiKeys(c *call) {
	sc := b.st.Scenario()
	out := []map[string]any{}
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Environment != sc.Environment {
			continue
		}
		perms := []string{}
		if canOrder(k) {
			perms = append(perms, "order")
		}
		if k.Has(core.PermWithdraw) {
			perms = append(perms, "withdraw")
		}
		cidrs := []string{}
		for _, ip := range k.IPs {
			if !strings.Contains(ip, "/") {
				if net.ParseIP(ip).To4() != nil {
					ip += "/32"
				} else {
					ip += "/128"
				}
			}
			cidrs = append(cidrs, ip)
		}
		cidr := ""
		if len(cidrs) > 0 {
			cidr = cidrs[0]
		}
		out = append(out, map[string]any{
			"id": k.Key, "secret": k.Secret, "name": k.Label, "nonce": 0, "cidr": cidr, "cidrs": cidrs,
			"targetAccountId": 0, "permissions": perms, "enabled": true, "userId": 100000 + i,
			"created": k.Created.UTC().Format("2006-01-02T15:04:05.000Z"),
		})
	}
	b.ok(c.w, out)
}

// canOrder reports whether the key holds BitMEX's "order" permission.
func canOrder(k *core.Key) bool {
	return k.Has(core.PermFutures) || k.Has(core.PermSpot) || k.Has(core.PermMargin)
}
