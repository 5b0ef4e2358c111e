package scan

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// SARIF output: one run, one rule per kind of finding, one result per
// finding, accepted by GitHub code scanning. A result never holds a value:
// its message is the finding's What, its fingerprint is Finding.Fingerprint
// (see fingerprint.go), and no snippet or region text is included.

// SARIFFingerprintKey is the partialFingerprints key scan writes and reads
// back as a baseline. It is not primaryLocationLineHash: GitHub computes
// that one itself from the file, and warns when a tool sends another.
const SARIFFingerprintKey = "keywarden/v1"

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/keywarden/keywarden"
)

// rule describes one kind of finding.
type rule struct {
	id, name, short, full, help string
	level                       string // default level
	severity                    string // GitHub's security-severity, 0.0–10.0
	precision                   string
}

// rules are the kinds of finding, in a fixed order (a result's ruleIndex
// points into it).
var rules = []rule{
	{id: KindStored, name: "StoredSecret", level: "error", severity: "9.5", precision: "very-high",
		short: "A key, secret or passphrase that keywarden holds",
		full:  "An exact copy (plain, base64, hex, URL-encoded, JSON-escaped or PEM-wrapped) of a credential stored in keywarden's keyring.",
		help:  "Revoke the key on the exchange first: a key that was on disk or in git must be taken as copied. Then remove it from the file (and from the history, with git filter-repo), and give it to the bot with `keywarden exec NAME -- BOT`."},
	{id: KindShaped, name: "KeyShapedString", level: "error", severity: "8.0", precision: "high",
		short: "A string shaped like an exchange API key or secret",
		full:  "A random-looking value with the exact shape of a supported exchange's API key or secret, on a line that names a credential and near the exchange's name.",
		help:  "If it is a real key: revoke it on the exchange, move it into keywarden (`keywarden import FILE` for a .env, freqtrade or docker-compose file), and start the bot with `keywarden exec`. If it is not: accept it with its fingerprint and a reason in .keywarden-scan.toml."},
	{id: KindPrivateKey, name: "PrivateKey", level: "error", severity: "8.0", precision: "high",
		short: "A PEM private key",
		full:  "A PEM-encoded private key (such as a Coinbase CDP key's EC private key).",
		help:  "Revoke the key where it was issued, remove the file from the repository and its history, and keep the key in keywarden."},
	{id: KindExposed, name: "ExposedConfigFile", level: "warning", severity: "7.0", precision: "high",
		short: "A .env or config file holding keys, not ignored by git",
		full:  "A .env or bot configuration file that assigns a real-looking value to a credential variable and is tracked by git, staged, or one `git add` away from a commit.",
		help:  "Move the keys into keywarden (`keywarden import FILE`), `git rm --cached` the file and add it to .gitignore."},
}

// ruleFor returns the index of a kind's rule; kinds not in the table
// (added by a newer detector) get a generic rule appended to the run.
func ruleFor(kind string, extra *[]rule) int {
	for i, r := range rules {
		if r.id == kind {
			return i
		}
	}
	for i, r := range *extra {
		if r.id == kind {
			return len(rules) + i
		}
	}
	*extra = append(*extra, rule{id: kind, name: kind, level: "warning", severity: "7.0", precision: "medium",
		short: "A possible leaked key (" + kind + ")", full: "A possible leaked exchange key.", help: "See `keywarden scan --help`."})
	return len(rules) + len(*extra) - 1
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	ShortDescription sarifText         `json:"shortDescription"`
	FullDescription  sarifText         `json:"fullDescription"`
	Help             sarifText         `json:"help"`
	Default          sarifRuleDefault  `json:"defaultConfiguration"`
	Properties       sarifRuleProperty `json:"properties"`
}

type sarifRuleDefault struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
	Message  *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
	Region   sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// WriteSARIF writes res as a SARIF 2.1.0 log. version is keywarden's.
// Findings should have their fingerprints (Fingerprint, Staged).
func WriteSARIF(w io.Writer, res Result, version string) error {
	var extra []rule
	results := make([]sarifResult, 0, len(res.Findings))
	for _, f := range res.Findings {
		idx := ruleFor(f.Kind, &extra)
		r := sarifResult{
			RuleID: f.Kind, RuleIndex: idx, Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: f.What + "."},
			PartialFingerprints: map[string]string{SARIFFingerprintKey: f.Fingerprint},
			Locations: []sarifLocation{{Physical: sarifPhysical{
				Artifact: sarifArtifact{URI: pathURI(f.Path), URIBaseID: "%SRCROOT%"},
				Region:   sarifRegion{StartLine: max(f.Line, 1)},
			}}},
		}
		props := map[string]string{"severity": f.Severity.String()}
		for k, v := range map[string]string{"exchange": f.Exchange, "field": f.Field, "profile": f.Profile, "encoding": f.Encoding, "git": f.Git} {
			if v != "" {
				props[k] = v
			}
		}
		if f.Commit != "" {
			// GitHub shows a location in the analysed commit; a history
			// finding's file may be gone from it, so the commit that
			// added the value is said in the message and the location too.
			props["commit"], props["date"] = f.Commit, f.Date
			r.Message.Text = fmt.Sprintf("%s, added to the git history in commit %.12s (%s).", f.What, f.Commit, f.Date)
			r.Locations[0].Message = &sarifText{Text: fmt.Sprintf("in commit %s", f.Commit)}
		}
		r.Properties = props
		results = append(results, r)
	}
	var ruleList []sarifRule
	for _, r := range append(append([]rule{}, rules...), extra...) {
		ruleList = append(ruleList, sarifRule{
			ID: r.id, Name: r.name, ShortDescription: sarifText{r.short}, FullDescription: sarifText{r.full},
			Help: sarifText{r.help}, Default: sarifRuleDefault{Level: r.level},
			Properties: sarifRuleProperty{Tags: []string{"security", "secret", "exchange-api-key"}, Precision: r.precision, SecuritySeverity: r.severity},
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range res.Notes {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "note", Message: sarifText{n}})
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool:        sarifTool{Driver: sarifDriver{Name: "keywarden", Version: version, InformationURI: toolURI, Rules: ruleList}},
		Invocations: []sarifInvocation{inv},
		Results:     results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

func sarifLevel(s Severity) string {
	switch s {
	case High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}

// pathURI turns a repository path into a relative URI reference: each
// element percent-encoded, the slashes kept.
func pathURI(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.Join(segs, "/")
	if strings.HasPrefix(u, "/") {
		u = strings.TrimLeft(u, "/")
	}
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		u = "./" + u // "a:b" would read as a URI scheme
	}
	return u
}
