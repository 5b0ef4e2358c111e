package bybit

import (
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Bybit's enums for GET /v5/system/status (enum.mdx).
var (
	productNames = map[int64]string{1: "Futures", 2: "Spot", 3: "Option", 4: "Spread"}
	// marketProducts are the products a market trades on.
	marketProducts = map[exchanges.Market][]int64{
		exchanges.Spot:    {2},
		exchanges.Margin:  {2},
		exchanges.Futures: {1},
	}
)

// judgeStatus reduces Bybit's maintenance list to one state for env
// (1 production, 2 Demo Trading) and the markets the profile trades
// (none given: all). Ongoing beats announced; a maintenance that touches
// only other products, only some UIDs or only websockets is reported,
// but does not stop a REST bot.
func judgeStatus(list []maintenance, env int64, markets []exchanges.Market, now time.Time) exchanges.Status {
	st := exchanges.Status{State: exchanges.StatusNormal, Source: "GET /v5/system/status",
		Message: "no ongoing or scheduled maintenance"}
	rank := map[exchanges.StatusState]int{exchanges.StatusNormal: 0, exchanges.StatusAnnounced: 1,
		exchanges.StatusDegraded: 2, exchanges.StatusMaintenance: 3}
	var others []string
	for _, m := range list {
		if m.Env.Set && m.Env.V != env {
			continue
		}
		if m.State != "ongoing" && m.State != "scheduled" {
			continue
		}
		if m.State == "scheduled" && m.End.Set && m.End.V > 0 && time.UnixMilli(m.End.V).Before(now) {
			continue
		}
		s := exchanges.Status{Source: st.Source, Message: describe(m)}
		if m.Begin.Set && m.Begin.V > 0 {
			s.Since = time.UnixMilli(m.Begin.V)
		}
		if m.End.Set && m.End.V > 0 {
			s.Until = time.UnixMilli(m.End.V)
		}
		switch {
		case !touches(m, markets):
			others = append(others, s.Message)
			continue
		case m.State == "scheduled":
			s.State = exchanges.StatusAnnounced
		case len(m.UIDSuffix) > 0 || websocketOnly(m):
			s.State = exchanges.StatusDegraded
		default:
			s.State = exchanges.StatusMaintenance
		}
		if rank[s.State] > rank[st.State] {
			st = s
		}
	}
	if st.State == exchanges.StatusNormal && len(others) > 0 {
		st.Message = "maintenance of products this profile does not trade: " + strings.Join(others, "; ")
	}
	return st
}

// touches reports whether m affects a product of the profile's markets.
func touches(m maintenance, markets []exchanges.Market) bool {
	if len(m.Product) == 0 || len(markets) == 0 {
		return true
	}
	for _, mk := range markets {
		for _, want := range marketProducts[mk] {
			for _, p := range m.Product {
				if p.V == want {
					return true
				}
			}
		}
	}
	return false
}

// websocketOnly reports a maintenance of websocket services alone
// (service types 3 and 4).
func websocketOnly(m maintenance) bool {
	if len(m.ServiceTypes) == 0 {
		return false
	}
	for _, s := range m.ServiceTypes {
		if s.V != 3 && s.V != 4 {
			return false
		}
	}
	return true
}

func describe(m maintenance) string {
	s := m.Title
	if s == "" {
		s = "maintenance"
	}
	s += " (" + m.State
	switch m.MaintainType.V {
	case 1:
		s += ", planned"
	case 2:
		s += ", temporary"
	case 3:
		s += ", incident"
	}
	var prods []string
	for _, p := range m.Product {
		if n, ok := productNames[p.V]; ok {
			prods = append(prods, n)
		}
	}
	if len(prods) > 0 {
		s += "; " + strings.Join(prods, ", ")
	}
	if len(m.UIDSuffix) > 0 {
		var tails []string
		for _, u := range m.UIDSuffix {
			tails = append(tails, fmt.Sprint(u.V))
		}
		s += "; only UIDs ending in " + strings.Join(tails, ", ")
	}
	if websocketOnly(m) {
		s += "; websocket only"
	}
	s += ")"
	if m.Href != "" {
		s += " " + m.Href
	}
	return s
}
