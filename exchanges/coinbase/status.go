package coinbase

import (
	"errors"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The Advanced Trade API has no status endpoint. Coinbase publishes its
// status on status.coinbase.com, an Atlassian Statuspage site, whose
// summary.json gives the page-wide indicator, every component, and the
// scheduled maintenances. The page covers all of Coinbase's products, so:
//
//   - a component whose name mentions "Advanced" (Advanced Trade) decides
//     the state when there is one: operational is normal, degraded or
//     partial outage is degraded, major outage or maintenance is down;
//   - otherwise only "All Systems Operational" (indicator none) is read as
//     normal; any other page-wide indicator is reported as degraded, never
//     as down, because it may concern another Coinbase product;
//   - a scheduled maintenance that names the Advanced component is
//     reported as announced.
//
// The page is read only for the real API host: with a base URL override
// (a proxy, the simulator) the status of api.coinbase.com says nothing
// about that host, so the host is probed instead and the state stays
// unknown. Tests therefore never reach the internet.

// statusPageURL is Statuspage's JSON summary of status.coinbase.com.
const statusPageURL = "https://status.coinbase.com/api/v2/summary.json"

type spComponent struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type spMaintenance struct {
	Name           string        `json:"name"`
	Status         string        `json:"status"`
	ScheduledFor   string        `json:"scheduled_for"`
	ScheduledUntil string        `json:"scheduled_until"`
	Components     []spComponent `json:"components"`
}

type statusSummary struct {
	Status *struct {
		Indicator   string `json:"indicator"`
		Description string `json:"description"`
	} `json:"status"`
	Components   []spComponent   `json:"components"`
	Maintenances []spMaintenance `json:"scheduled_maintenances"`
}

func parseStatusSummary(body []byte) (statusSummary, error) {
	var s statusSummary
	if err := decode(body, &s); err != nil {
		return statusSummary{}, errors.New("not the JSON a Statuspage summary holds")
	}
	if s.Status == nil || s.Status.Indicator == "" {
		return statusSummary{}, errors.New("no status.indicator")
	}
	return s, nil
}

func isAdvanced(name string) bool { return strings.Contains(strings.ToLower(name), "advanced") }

// severity orders component states, worst last.
var severity = map[string]int{
	"operational": 0, "degraded_performance": 1, "partial_outage": 2, "under_maintenance": 3, "major_outage": 4,
}

// state turns the summary into what keywarden reports.
func (s statusSummary) state() exchanges.Status {
	out := exchanges.Status{Source: "status.coinbase.com"}
	var worst *spComponent
	for i := range s.Components {
		c := &s.Components[i]
		if _, known := severity[c.Status]; !known || !isAdvanced(c.Name) {
			continue
		}
		if worst == nil || severity[c.Status] > severity[worst.Status] {
			worst = c
		}
	}
	if worst != nil {
		out.Source = "status.coinbase.com component " + clip(worst.Name)
		out.Message = clip(worst.Name) + ": " + strings.ReplaceAll(worst.Status, "_", " ")
		switch worst.Status {
		case "operational":
			out.State = exchanges.StatusNormal
		case "degraded_performance", "partial_outage":
			out.State = exchanges.StatusDegraded
		default:
			out.State = exchanges.StatusMaintenance
		}
	} else {
		out.Message = clip(s.Status.Description)
		if s.Status.Indicator == "none" {
			out.State = exchanges.StatusNormal
		} else {
			out.State = exchanges.StatusDegraded
			out.Message += " (page-wide: it may concern another Coinbase product)"
		}
	}
	if out.State == exchanges.StatusNormal {
		if m, ok := s.advancedMaintenance(); ok {
			out.State = exchanges.StatusAnnounced
			out.Message = clip(m.Name)
			out.Since, _ = time.Parse(time.RFC3339, m.ScheduledFor)
			out.Until, _ = time.Parse(time.RFC3339, m.ScheduledUntil)
		}
	}
	return out
}

// advancedMaintenance finds a scheduled (not yet started) maintenance
// that names an Advanced component.
func (s statusSummary) advancedMaintenance() (spMaintenance, bool) {
	for _, m := range s.Maintenances {
		if m.Status != "scheduled" {
			continue
		}
		if isAdvanced(m.Name) {
			return m, true
		}
		for _, c := range m.Components {
			if isAdvanced(c.Name) {
				return m, true
			}
		}
	}
	return spMaintenance{}, false
}
