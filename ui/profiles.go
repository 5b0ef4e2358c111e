// Package ui is everything a person sees: the text and JSON reports, the
// live health screen, the setup wizard, the home screen. It receives data
// (profiles as views, check results through the checks.Reporter
// interface) and never touches the keyring or the network itself.
//
// Screens draw on stderr-style writers given by the caller, so stdout stays
// clean for JSON and pipes.
package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// ProfileView is what people see of a profile: never a secret.
type ProfileView struct {
	Name         string     `json:"name"`
	Exchange     string     `json:"exchange"`
	ExchangeName string     `json:"-"`
	Environment  string     `json:"environment"`
	Fingerprint  string     `json:"fingerprint"`
	Markets      []string   `json:"markets"`
	BotIPs       []string   `json:"bot_ips"`
	BaseURL      string     `json:"base_url,omitempty"`
	AddedAt      time.Time  `json:"added_at"`
	KeyCreated   *time.Time `json:"key_created,omitempty"`
	KeyExpires   *time.Time `json:"key_expires,omitempty"`
	RotationDays int        `json:"rotation_days"`
	RotatedAt    *time.Time `json:"rotated_at,omitempty"`
	LastCheck    *LastCheck `json:"last_check,omitempty"`
}

// LastCheck is the remembered outcome of the last health check.
type LastCheck struct {
	At      time.Time      `json:"at"`
	Worst   string         `json:"worst"`
	Counts  map[string]int `json:"counts"`
	Summary string         `json:"summary"`
}

// Age is how old the key is: from its creation when known, else from when
// it was added.
func (p ProfileView) Age(now time.Time) string {
	since := p.AddedAt
	if p.KeyCreated != nil {
		since = *p.KeyCreated
	}
	if since.IsZero() {
		return "?"
	}
	return Ago(now.Sub(since))
}

// Ago says a duration in the largest whole unit: "3d", "5h", "12m", "0m".
func Ago(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dm", int(max(d, 0).Minutes()))
}

// when says how long ago t was: "just now", "5m ago", "3d ago".
func when(now, t time.Time) string {
	d := now.Sub(t)
	if d < time.Minute {
		return "just now"
	}
	return Ago(d) + " ago"
}

func (p ProfileView) lastCheckText(now time.Time) string {
	if p.LastCheck == nil {
		return "never checked"
	}
	return fmt.Sprintf("%s %s (%s)", p.LastCheck.Worst, when(now, p.LastCheck.At), p.LastCheck.Summary)
}

// WriteProfiles prints the profiles as a table.
func WriteProfiles(w io.Writer, ps []ProfileView, now time.Time) error {
	if len(ps) == 0 {
		_, err := fmt.Fprintln(w, "No keys yet. Run `keywarden setup` to add one, or `keywarden demo` to try it out.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEXCHANGE\tENV\tKEY\tAGE\tLAST CHECK")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Exchange, p.Environment, p.Fingerprint, p.Age(now), p.lastCheckText(now))
	}
	return tw.Flush()
}

// WriteProfilesJSON prints {"profiles": [...]}.
func WriteProfilesJSON(w io.Writer, ps []ProfileView) error {
	if ps == nil {
		ps = []ProfileView{}
	}
	return writeJSON(w, map[string]any{"profiles": ps})
}

// WriteProfile prints one profile's metadata.
func WriteProfile(w io.Writer, p ProfileView, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("Name", p.Name)
	name := p.ExchangeName
	if name == "" {
		name = p.Exchange
	}
	row("Exchange", fmt.Sprintf("%s (%s)", name, p.Exchange))
	row("Environment", p.Environment)
	if p.BaseURL != "" {
		row("Base URL", p.BaseURL)
	}
	row("Key", p.Fingerprint+"  (first and last 4 characters; secrets are never shown)")
	row("Markets", strings.Join(p.Markets, ", "))
	ips := strings.Join(p.BotIPs, ", ")
	if ips == "" {
		ips = "this machine's public IP"
	}
	row("Bot IPs", ips)
	row("Added", fmt.Sprintf("%s (%s)", p.AddedAt.Local().Format("2006-01-02 15:04"), when(now, p.AddedAt)))
	if p.KeyCreated != nil {
		row("Key created", p.KeyCreated.Local().Format("2006-01-02"))
	}
	if p.KeyExpires != nil {
		row("Key expires", p.KeyExpires.Local().Format("2006-01-02"))
	}
	if p.RotatedAt != nil {
		row("Rotated", p.RotatedAt.Local().Format("2006-01-02 15:04"))
	}
	row("Rotation", fmt.Sprintf("every %d days", p.RotationDays))
	row("Last check", p.lastCheckText(now))
	return tw.Flush()
}

// WriteProfileJSON prints one profile as JSON.
func WriteProfileJSON(w io.Writer, p ProfileView) error { return writeJSON(w, p) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
