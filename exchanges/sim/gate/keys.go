package gate

import (
	"net/http"
	"sort"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The key list (/account/main_keys) answers, as Gate's docs show, an
// array of every main-account key of the environment with its key masked
// to the first 12 characters; permission groups are listed only when on,
// each read-only or not, and withdrawals appear as the group "withdraw"
// (the name is an assumption: Gate's documented names include none).

func (h *gate) detail(c *call) {
	ips := c.k.IPs
	if ips == nil {
		ips = []string{}
	}
	core.WriteJSON(c.w, http.StatusOK, map[string]any{
		"user_id": gateUser, "ip_whitelist": ips, "currency_pairs": []string{},
		"key": map[string]int{"mode": 1}, "tier": 0, "copy_trading_role": 0,
	})
}

func (h *gate) mainKeys(c *call) {
	sc := h.st.Scenario()
	out := []map[string]any{}
	for i := range sc.Keys {
		k := &sc.Keys[i]
		if k.Environment != sc.Environment {
			continue
		}
		perms := gatePerms(k)
		names := make([]string, 0, len(perms))
		for n := range perms {
			names = append(names, n)
		}
		sort.Strings(names)
		list := []map[string]any{}
		for _, n := range names {
			list = append(list, map[string]any{"name": n, "read_only": perms[n]})
		}
		ips := k.IPs
		if ips == nil {
			ips = []string{}
		}
		masked := k.Key
		if len(masked) > 12 {
			masked = masked[:12] + "*****"
		}
		out = append(out, map[string]any{
			"state": 1, "mode": 1, "name": k.Label, "user_id": gateUser, "perms": list,
			"ip_whitelist": ips, "currency_pairs": []string{}, "key": masked,
			"created_at": k.Created.Unix(), "update_at": k.Created.Unix(), "last_access": sc.Now().Unix(),
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}
