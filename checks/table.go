package checks

// Check is one line of the health check: an id from the spec, a title for
// people, the facts it waits for, and a pure judge.
type Check struct {
	ID    string
	Title string
	needs need
	Judge func(Facts) Result
}

// Table is the health check, in the spec's order. Each judge lives in the
// file named after its area.
func Table() []Check {
	return []Check{
		{"exchange_status", "Exchange status", needStatus, judgeStatus},
		{"clock", "Clock", needTime | needNTP, judgeClock},
		{"auth", "Authentication", needKey | needBalance | needIP, judgeAuth},
		{"read", "Read permission", needKey | needBalance | needIP, judgeRead},
		{"trade", "Trade permission", needKey | needBalance | needIP, judgeTrade},
		{"withdraw_disabled", "Withdrawals disabled", needKey | needBalance | needIP, judgeWithdraw},
		{"ip_whitelist", "IP whitelist", needKey | needBalance | needIP, judgeIP},
		{"balance", "Balance", needKey | needBalance | needIP, judgeBalance},
		{"key_age", "Key age", needKey | needBalance | needIP, judgeAge},
		{"key_expiry", "Key expiry", needKey | needBalance | needIP, judgeExpiry},
	}
}

// IDs lists the check ids in order.
func IDs() []string {
	var ids []string
	for _, c := range Table() {
		ids = append(ids, c.ID)
	}
	return ids
}
