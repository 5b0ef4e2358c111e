// Package monitor is `keywarden serve`: it runs the same health check as
// `keywarden check` (checks.Run) for every watched profile on a schedule,
// keeps the last report of each, turns changes into alerts, and exposes
// the state as Prometheus metrics, health endpoints and the status API.
//
// Design:
//   - Schedule. Each profile is checked every Interval, at its own phase
//     (a hash of its name spreads the profiles over the interval) plus a
//     little random jitter, so 500 keys never fire at once. The first round
//     checks every profile as soon as the budgets allow; readiness waits
//     for it.
//   - Budgets. Every request an adapter sends goes through an
//     http.RoundTripper that holds the exchange's budget (exchanges.Budget:
//     requests in flight, requests in any 60 s). A check starts only when
//     its exchange has room, so checks do not spend their timeout queueing.
//     A rate-limit answer (HTTP 429/418, or a check whose verdict says rate
//     limited) pauses the whole exchange: Retry-After, then exponential.
//     The exchange's status and clock are asked once for every key of the
//     same exchange and host within a short window (they are the same for
//     every key), which keeps public per-endpoint limits too.
//   - Secrets. Credentials come from the Source right before a check and
//     are dropped when it ends; no metric, log line, alert or status
//     document holds one (results are scrubbed by checks.Run).
//   - State and transitions. A profile's state changes when a check's
//     status or cause changes. Alerts fire on a check becoming fail, an
//     expiry entering the 14-day window and a recovery to pass, repeat
//     every RepeatInterval while a problem stays, and are delivered by a
//     queue with retries that never blocks the checks.
//
// The package never imports the store or any UI package and never prints:
// it reports through the Source, the callbacks of Options and a slog
// logger it is given.
package monitor
