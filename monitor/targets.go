package monitor

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The generic webhook's signature headers. The signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), timestamp
// being the X-Keywarden-Timestamp header's value (Unix seconds), so a
// receiver can refuse replays of old messages.
const (
	HeaderSignature = "X-Keywarden-Signature"
	HeaderTimestamp = "X-Keywarden-Timestamp"
)

// TargetSecrets are the secrets some targets need; they come from files
// or the environment, never from a flag.
type TargetSecrets struct {
	// WebhookSecret signs generic webhook messages (empty: unsigned).
	WebhookSecret exchanges.Secret
	// TelegramToken is the bot token of telegram targets.
	TelegramToken exchanges.Secret
	// TelegramAPI replaces https://api.telegram.org (tests, a proxy).
	TelegramAPI string
}

// ParseTarget reads one --alert value: "TYPE=URL" (webhook, slack,
// discord, ntfy), "telegram=CHAT_ID", or a bare URL whose host tells its
// type (hooks.slack.com, discord.com/api/webhooks, ntfy.sh; anything else
// is a generic webhook). URLs must be https, or http to a loopback host.
// Errors never repeat the URL, which may hold a token.
func ParseTarget(spec string, s TargetSecrets) (Target, error) {
	kind, rest, ok := strings.Cut(spec, "=")
	if !ok || strings.Contains(kind, ":") || strings.Contains(kind, "/") {
		kind, rest = "", spec
	}
	if kind == "telegram" {
		if s.TelegramToken.IsZero() {
			return nil, errors.New("alert target telegram: no bot token: set KEYWARDEN_TELEGRAM_TOKEN or --telegram-token-file")
		}
		if _, err := strconv.ParseInt(rest, 10, 64); err != nil && !strings.HasPrefix(rest, "@") {
			return nil, errors.New("alert target telegram: give the chat id (a number, or @channelname): telegram=CHAT_ID")
		}
		api := s.TelegramAPI
		if api == "" {
			api = "https://api.telegram.org"
		}
		u, err := checkTargetURL(api)
		if err != nil {
			return nil, fmt.Errorf("telegram API URL: %w", err)
		}
		return &telegramTarget{api: u, token: s.TelegramToken, chat: rest}, nil
	}
	u, err := checkTargetURL(rest)
	if err != nil {
		return nil, fmt.Errorf("alert target %s: %w", orWord(kind, "URL"), err)
	}
	if kind == "" {
		kind = guessKind(u)
	}
	b := base{kind: kind, u: u}
	switch kind {
	case "webhook":
		return &webhookTarget{base: b, secret: s.WebhookSecret}, nil
	case "slack":
		return &slackTarget{b}, nil
	case "discord":
		return &discordTarget{b}, nil
	case "ntfy":
		return &ntfyTarget{b}, nil
	}
	return nil, fmt.Errorf("alert target type %q: use webhook, slack, discord, telegram or ntfy", kind)
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func guessKind(u *url.URL) string {
	h := strings.ToLower(u.Hostname())
	switch {
	case h == "hooks.slack.com":
		return "slack"
	case (h == "discord.com" || h == "discordapp.com" || strings.HasSuffix(h, ".discord.com")) && strings.HasPrefix(u.Path, "/api/webhooks/"):
		return "discord"
	case h == "ntfy.sh":
		return "ntfy"
	}
	return "webhook"
}

// TokenInURL reports whether a target's URL carries its credential (Slack
// and Discord webhooks, Telegram): such URLs belong in --alert-file, not
// on a command line that `ps` shows.
func TokenInURL(t Target) bool {
	switch t.Kind() {
	case "slack", "discord":
		return true
	}
	return false
}

func checkTargetURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("not an absolute URL like https://hooks.example.com/…")
	}
	switch u.Scheme {
	case "https":
	case "http":
		ip := net.ParseIP(u.Hostname())
		if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("plain http to %s: use https (http only to 127.0.0.1, ::1 or localhost)", u.Hostname())
		}
	default:
		return nil, errors.New("must start with https://")
	}
	if u.User != nil {
		return nil, errors.New("must not carry a user or password before the host")
	}
	return u, nil
}

// base is what URL targets share.
type base struct {
	kind string
	u    *url.URL
}

func (b base) Kind() string { return b.kind }
func (b base) Name() string { return b.kind + " (" + b.u.Host + ")" }

// post sends body to u and reads the answer: 2xx is delivered; 429 and
// 5xx are worth a retry; a redirect or another 4xx is permanent.
func post(ctx context.Context, c *http.Client, u *url.URL, contentType string, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return &permanentError{msg: "the request could not be built from the target's URL"} // its error would quote the URL
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "keywarden-alerts")
	req.Header.Del("Referer")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL (and any token in it) stays out of the message
		}
		if errors.Is(err, errRedirect) {
			return &permanentError{msg: err.Error()}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return errors.New("no answer in time")
		}
		return errors.New("no answer: " + err.Error())
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return &permanentError{msg: fmt.Sprintf("the receiver answered HTTP %d (a redirect, not followed)", resp.StatusCode)}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &statusError{status: resp.StatusCode, retryAfter: exchanges.RetryAfter(resp.Header, time.Now())}
	}
	return &permanentError{msg: fmt.Sprintf("the receiver refused the message: HTTP %d", resp.StatusCode)}
}

// webhookTarget posts the JSON document, signed with HMAC-SHA256.
type webhookTarget struct {
	base
	secret exchanges.Secret
}

// WebhookPayload is the generic webhook's JSON document.
type WebhookPayload struct {
	Version     int           `json:"version"`
	Source      string        `json:"source"` // "keywarden"
	Time        time.Time     `json:"time"`
	Profile     string        `json:"profile"`
	Exchange    string        `json:"exchange"`
	Environment string        `json:"environment"`
	Alerts      []WebhookItem `json:"alerts"`
	// Text is the message as the chat targets show it.
	Text string `json:"text"`
}

// WebhookItem is one check of the message.
type WebhookItem struct {
	Check   string `json:"check"`
	State   string `json:"state"` // firing, repeat, resolved, test
	Status  string `json:"status"`
	Cause   string `json:"cause"`
	Summary string `json:"summary"`
	Fix     string `json:"fix"`
}

func (t *webhookTarget) Send(ctx context.Context, c *http.Client, a Alert) error {
	p := WebhookPayload{Version: 1, Source: "keywarden", Time: a.Time.UTC(), Profile: a.Profile, Exchange: a.Exchange,
		Environment: a.Environment, Alerts: []WebhookItem{}, Text: text(a, plainMarkup())}
	for _, it := range clean(a).Items {
		p.Alerts = append(p.Alerts, WebhookItem{Check: it.Check, State: it.State, Status: it.Status, Cause: it.Cause, Summary: it.Summary, Fix: it.Fix})
	}
	body, err := json.Marshal(p)
	if err != nil {
		return &permanentError{msg: "encode message: " + err.Error()}
	}
	h := http.Header{}
	if !t.secret.IsZero() {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, Sign(t.secret, ts, body))
	}
	return post(ctx, c, t.u, "application/json", body, h)
}

// Sign is the generic webhook's signature of body sent at ts (the
// X-Keywarden-Timestamp value): receivers compute it the same way and
// compare in constant time.
func Sign(secret exchanges.Secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

type slackTarget struct{ base }

func (t *slackTarget) Send(ctx context.Context, c *http.Client, a Alert) error {
	body, _ := json.Marshal(map[string]any{"text": text(a, slackMarkup())})
	return post(ctx, c, t.u, "application/json", body, nil)
}

type discordTarget struct{ base }

func (t *discordTarget) Send(ctx context.Context, c *http.Client, a Alert) error {
	body, _ := json.Marshal(map[string]any{"content": clip(text(a, discordMarkup()), 2000),
		"allowed_mentions": map[string]any{"parse": []string{}}})
	return post(ctx, c, t.u, "application/json", body, nil)
}

type ntfyTarget struct{ base }

func (t *ntfyTarget) Send(ctx context.Context, c *http.Client, a Alert) error {
	h := http.Header{}
	h.Set("Title", clip(asciiLine(title(a)), 200))
	prio, tags := "default", "white_check_mark"
	if worst(a) != StateResolved && worst(a) != StateTest {
		prio, tags = "high", "rotating_light"
	}
	h.Set("Priority", prio)
	h.Set("Tags", tags)
	return post(ctx, c, t.u, "text/plain; charset=utf-8", []byte(clip(text(a, plainMarkup()), 4000)), h)
}

type telegramTarget struct {
	api   *url.URL
	token exchanges.Secret
	chat  string
}

func (t *telegramTarget) Kind() string { return "telegram" }
func (t *telegramTarget) Name() string { return "telegram (" + t.api.Host + ", chat " + t.chat + ")" }

func (t *telegramTarget) Send(ctx context.Context, c *http.Client, a Alert) error {
	u := *t.api
	u.Path = strings.TrimRight(u.Path, "/") + "/bot" + t.token.Reveal() + "/sendMessage"
	body, _ := json.Marshal(map[string]any{"chat_id": t.chat, "text": clip(text(a, plainMarkup()), 4000), "disable_web_page_preview": true})
	return post(ctx, c, &u, "application/json", body, nil)
}
