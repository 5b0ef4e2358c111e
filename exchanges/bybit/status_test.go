package bybit

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func entry(state string, env int64, products ...int64) maintenance {
	m := maintenance{Title: "upgrade", State: state, Env: flexInt{env, true},
		Begin: flexInt{now.Add(time.Hour).UnixMilli(), true}, End: flexInt{now.Add(2 * time.Hour).UnixMilli(), true}}
	for _, p := range products {
		m.Product = append(m.Product, flexInt{p, true})
	}
	return m
}

func TestJudgeStatus(t *testing.T) {
	spot := []exchanges.Market{exchanges.Spot}
	ws := entry("ongoing", 1, 2)
	ws.ServiceTypes = []flexInt{{3, true}, {4, true}}
	uid := entry("ongoing", 1)
	uid.UIDSuffix = []flexInt{{7, true}}
	oldScheduled := entry("scheduled", 1)
	oldScheduled.End = flexInt{now.Add(-time.Hour).UnixMilli(), true}
	for _, tc := range []struct {
		name    string
		list    []maintenance
		env     int64
		markets []exchanges.Market
		want    exchanges.StatusState
		msg     string
	}{
		{"recorded: all completed", mustStatus(t), 1, nil, exchanges.StatusNormal, "no ongoing"},
		{"empty", nil, 1, spot, exchanges.StatusNormal, ""},
		{"ongoing", []maintenance{entry("ongoing", 1)}, 1, spot, exchanges.StatusMaintenance, "upgrade"},
		{"ongoing on demo only", []maintenance{entry("ongoing", 2)}, 1, spot, exchanges.StatusNormal, ""},
		{"ongoing on demo, checking demo", []maintenance{entry("ongoing", 2)}, 2, spot, exchanges.StatusMaintenance, ""},
		{"scheduled", []maintenance{entry("scheduled", 1, 1, 2)}, 1, spot, exchanges.StatusAnnounced, "Futures, Spot"},
		{"scheduled but over", []maintenance{oldScheduled}, 1, spot, exchanges.StatusNormal, ""},
		{"other product", []maintenance{entry("ongoing", 1, 3)}, 1, spot, exchanges.StatusNormal, "does not trade: upgrade (ongoing; Option)"},
		{"futures product for a futures bot", []maintenance{entry("ongoing", 1, 1)}, 1, []exchanges.Market{exchanges.Futures}, exchanges.StatusMaintenance, ""},
		{"websocket only", []maintenance{ws}, 1, spot, exchanges.StatusDegraded, "websocket only"},
		{"some UIDs", []maintenance{uid}, 1, spot, exchanges.StatusDegraded, "ending in 7"},
		{"ongoing beats scheduled", []maintenance{entry("scheduled", 1), entry("ongoing", 1), entry("canceled", 1)}, 1, spot, exchanges.StatusMaintenance, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := judgeStatus(tc.list, tc.env, tc.markets, now)
			if st.State != tc.want {
				t.Errorf("state %v, want %v (%s)", st.State, tc.want, st.Message)
			}
			if !strings.Contains(st.Message, tc.msg) {
				t.Errorf("message %q lacks %q", st.Message, tc.msg)
			}
		})
	}
}

func mustStatus(t *testing.T) []maintenance {
	list, err := parseStatus(load(t, "system_status.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[2].Env.V != 2 || list[0].Begin.V != 1751596902000 {
		t.Fatalf("parsed %+v", list)
	}
	return list
}
