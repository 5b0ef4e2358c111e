package checks

// Cause codes name why a check warned or failed, in a few bounded words a
// machine can match: `keywarden serve` puts them in a Prometheus label and
// in alerts, where free text (an exchange's message, an IP list) must never
// go. The judges set them next to the summary; a pass has none, a skip
// "skipped" (or the reason it was skipped).
const (
	CauseNone = "" // pass

	CauseSkipped        = "skipped"         // a prerequisite failed, or nothing to check
	CauseMaintenance    = "maintenance"     // the exchange is in maintenance or down
	CauseAnnounced      = "announced"       // maintenance announced for later
	CauseDegraded       = "degraded"        // the exchange is partly restricted
	CauseStatusUnknown  = "status_unknown"  // the exchange does not say how it is
	CauseTimeout        = "timeout"         // no answer in time
	CauseUnreachable    = "unreachable"     // connection failed, 5xx, outage
	CauseRateLimited    = "rate_limited"    // the exchange refused to answer for now
	CauseUnreadable     = "unreadable"      // an answer keywarden could not read
	CauseRedirected     = "redirected"      // the answer redirected elsewhere, never followed
	CauseUnsupported    = "unsupported"     // the exchange has no such endpoint here
	CauseClockSkew      = "clock_skew"      // the clock is outside the exchange's window
	CauseClockNearLimit = "clock_near"      // the clock is close to the window's edge
	CauseClockUnknown   = "clock_unknown"   // neither the exchange nor NTP answered
	CauseNTPUnreachable = "ntp_unreachable" // the clock looks right, with no NTP behind it
	CauseNonce          = "nonce"           // a nonce-signing exchange refused the nonce
	CauseIPNotAllowed   = "ip_not_allowed"  // this machine's IP is not on the whitelist
	CauseWrongEnv       = "wrong_environment"
	CauseBadPassphrase  = "bad_passphrase"
	CauseBadSignature   = "bad_signature" // the secret does not match the key
	CauseBadKey         = "bad_key"       // the exchange does not know the key
	CauseExpired        = "expired"
	CauseExpiring       = "expiring" // expires within ExpiryWarning
	CauseReadMissing    = "read_missing"
	CauseReadUnknown    = "read_unknown"
	CauseTradeMissing   = "trade_missing"
	CauseTradeUnknown   = "trade_unknown"
	CauseWithdrawalsOn  = "withdrawals_on"
	CauseWithdrawUnkn   = "withdrawals_unknown"
	CauseIPUnrestricted = "ip_unrestricted" // the key works from any IP
	CauseIPMissing      = "ip_missing"      // a bot IP is missing from the whitelist
	CauseIPUnknown      = "ip_unknown"      // the exchange hides whether or what is whitelisted
	CauseBotIPUnknown   = "bot_ip_unknown"  // this machine's public IP could not be read
	CauseBalanceEmpty   = "balance_empty"
	CauseKeyOld         = "key_old" // past the rotation period
)

// Causes lists every cause code, for tests and documentation.
func Causes() []string {
	return []string{CauseSkipped, CauseMaintenance, CauseAnnounced, CauseDegraded, CauseStatusUnknown,
		CauseTimeout, CauseUnreachable, CauseRateLimited, CauseUnreadable, CauseRedirected, CauseUnsupported, CauseClockSkew, CauseClockNearLimit,
		CauseClockUnknown, CauseNTPUnreachable, CauseNonce, CauseIPNotAllowed, CauseWrongEnv, CauseBadPassphrase,
		CauseBadSignature, CauseBadKey, CauseExpired, CauseExpiring, CauseReadMissing, CauseReadUnknown,
		CauseTradeMissing, CauseTradeUnknown, CauseWithdrawalsOn, CauseWithdrawUnkn, CauseIPUnrestricted,
		CauseIPMissing, CauseIPUnknown, CauseBotIPUnknown, CauseBalanceEmpty, CauseKeyOld}
}
