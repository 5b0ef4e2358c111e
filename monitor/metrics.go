package monitor

import (
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/keywarden/keywarden/checks"
)

// metrics is the monitor's Prometheus registry: its own (no global state),
// with the state read at scrape time, so a removed profile's series go
// away with it. Labels are bounded: profile, exchange, environment, check,
// status and a cause code; never a secret, an IP list or free text.
type metrics struct {
	m        *Monitor
	reg      *prometheus.Registry
	duration *prometheus.HistogramVec
	requests *prometheus.CounterVec
	alerts   *prometheus.CounterVec
	d        descs
}

// descs describe the metrics read from the state at scrape time.
type descs struct {
	status   *prometheus.Desc
	cause    *prometheus.Desc
	success  *prometheus.Desc
	expiry   *prometheus.Desc
	created  *prometheus.Desc
	rotation *prometheus.Desc
	offset   *prometheus.Desc
	up       *prometheus.Desc
	last     *prometheus.Desc
	profiles *prometheus.Desc
	ready    *prometheus.Desc
}

func newDescs() descs {
	pe := []string{"profile", "exchange", "environment"}
	pec := []string{"profile", "exchange", "environment", "check"}
	return descs{
		status:   prometheus.NewDesc("keywarden_check_status", "1 for the current status of each check of each profile, 0 for the others.", append(pec[:4:4], "status"), nil),
		cause:    prometheus.NewDesc("keywarden_check_cause_info", "Why a check warned, failed or was skipped: a short code from a fixed list (see the README).", append(pec[:4:4], "cause"), nil),
		success:  prometheus.NewDesc("keywarden_check_success", "1 when no check of the profile failed in its last round.", pe, nil),
		expiry:   prometheus.NewDesc("keywarden_key_expiry_timestamp_seconds", "When the key (or the permission the exchange names) expires; absent when it does not or the exchange does not tell.", pe, nil),
		created:  prometheus.NewDesc("keywarden_key_created_timestamp_seconds", "When the key was created, as the exchange tells it.", pe, nil),
		rotation: prometheus.NewDesc("keywarden_key_rotation_due_timestamp_seconds", "When the key is due for rotation: its creation (or, where the exchange does not tell, when it was added or last rotated) plus the profile's rotation period.", pe, nil),
		offset:   prometheus.NewDesc("keywarden_clock_offset_seconds", "This machine's clock minus the exchange's or the NTP server's (positive: ahead), from the profile's last check.", []string{"profile", "source"}, nil),
		up:       prometheus.NewDesc("keywarden_exchange_up", "1 when the exchange answered in the latest check of any of its profiles.", []string{"exchange", "environment"}, nil),
		last:     prometheus.NewDesc("keywarden_last_check_timestamp_seconds", "When the profile's last check finished.", pe, nil),
		profiles: prometheus.NewDesc("keywarden_profiles", "Profiles watched.", nil, nil),
		ready:    prometheus.NewDesc("keywarden_ready", "1 once the first round has finished.", nil, nil),
	}
}

func newMetrics(m *Monitor) *metrics {
	x := &metrics{m: m, reg: prometheus.NewRegistry(), d: newDescs(),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "keywarden_check_duration_seconds",
			Help:    "How long one profile's check took.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30}}, []string{"exchange"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "keywarden_requests_total",
			Help: "Requests sent to exchanges, by outcome: ok, rate_limited, client_error, server_error, error (no answer)."},
			[]string{"exchange", "outcome"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "keywarden_alerts_total",
			Help: "keywarden's own alert deliveries, by target type and outcome (sent, failed: retries exhausted or refused, dropped: queue full)."},
			[]string{"target", "outcome"}),
	}
	b := m.o.Build
	buildInfo := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "keywarden_build_info", Help: "Which keywarden is running.",
		ConstLabels: prometheus.Labels{"version": b.Version, "commit": b.Commit, "date": b.Date, "goversion": runtime.Version()}},
		func() float64 { return 1 })
	x.reg.MustRegister(x, x.duration, x.requests, x.alerts, buildInfo,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if m.o.Alerts != nil {
		m.o.Alerts.count = func(target, outcome string) { x.alerts.WithLabelValues(target, outcome).Inc() }
	}
	return x
}

func (x *metrics) countRequest(exchange, outcome string) {
	x.requests.WithLabelValues(exchange, outcome).Inc()
}

func (x *metrics) observe(exchange string, took time.Duration) {
	x.duration.WithLabelValues(exchange).Observe(took.Seconds())
}

// Describe implements prometheus.Collector.
func (x *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{x.d.status, x.d.cause, x.d.success, x.d.expiry, x.d.created, x.d.rotation,
		x.d.offset, x.d.up, x.d.last, x.d.profiles, x.d.ready} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: one consistent snapshot of the
// monitor's state.
func (x *metrics) Collect(ch chan<- prometheus.Metric) {
	snaps, watched, ready := x.m.snapshot()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	ts := func(d *prometheus.Desc, t time.Time, labels ...string) {
		if !t.IsZero() {
			gauge(d, float64(t.UnixMilli())/1000, labels...)
		}
	}
	type envKey struct{ exchange, env string }
	up := map[envKey]snap{}
	for _, s := range snaps {
		r := s.rep
		l := []string{s.p.Name, r.Exchange, r.Environment}
		for _, c := range r.Checks {
			for _, st := range []checks.Status{checks.Pass, checks.Warn, checks.Fail, checks.Skip} {
				gauge(x.d.status, b2f(c.Status == st), append(l, c.ID, st.String())...)
			}
			if c.Cause != "" {
				gauge(x.d.cause, 1, append(l, c.ID, c.Cause)...)
			}
		}
		gauge(x.d.success, b2f(r.Counts.Fail == 0), l...)
		ts(x.d.expiry, firstSet(r.KeyExpires, s.p.KeyExpires), l...)
		created := firstSet(r.KeyCreated, s.p.KeyCreated)
		ts(x.d.created, created, l...)
		ts(x.d.rotation, rotationDue(s.p, created), l...)
		ts(x.d.last, s.lastAt, l...)
		if r.Measured.ExchangeOffsetKnown {
			gauge(x.d.offset, r.Measured.ExchangeOffset.Seconds(), s.p.Name, "exchange")
		}
		if r.Measured.NTPOffsetKnown {
			gauge(x.d.offset, r.Measured.NTPOffset.Seconds(), s.p.Name, "ntp")
		}
		k := envKey{r.Exchange, r.Environment}
		if old, ok := up[k]; !ok || s.lastAt.After(old.lastAt) {
			up[k] = s
		}
	}
	for k, s := range up {
		gauge(x.d.up, b2f(s.rep.Measured.ExchangeUp), k.exchange, k.env)
	}
	gauge(x.d.profiles, float64(watched))
	gauge(x.d.ready, b2f(ready))
}

// rotationDue is the key's creation (or, where the exchange does not tell,
// the later of when it was added and last rotated) plus the rotation
// period.
func rotationDue(p Profile, created time.Time) time.Time {
	base := created
	if base.IsZero() {
		base = p.Check.AddedAt
	}
	if base.IsZero() {
		return time.Time{}
	}
	days := p.Check.RotationDays
	if days <= 0 {
		days = checks.DefaultRotationDays
	}
	return base.Add(time.Duration(days) * 24 * time.Hour)
}

func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
