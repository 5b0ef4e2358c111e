package kraken

import "github.com/keywarden/keywarden/exchanges"

// settings is where Kraken's API keys live, in its own menu names.
const settings = "Settings → API"

// guide is the key-creation walk-through, in Kraken's own words (support
// article "How to create an API key on Kraken Pro").
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in to Kraken Pro, open the account menu (the person icon, top right) → Settings → the API tab",
		URL:   map[exchanges.Environment]string{exchanges.Live: "https://pro.kraken.com/app/settings/api"},
		Create: []string{
			"Click Create API key.",
			"Key name: {name} (names must be unique on the account).",
			"Tick the permissions below, restrict the key to the bot's IP, and leave the expiration empty unless you plan to rotate by then.",
			"Create the key and copy the API Key and the Private Key now: Kraken shows the Private Key only once.",
		},
		Read: "Query Funds (under Funds permissions); also Query Open Orders & Trades and Query Closed Orders & Trades, which bots use to follow their orders",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:   "Create & Modify Orders and Cancel/Close Orders (under Orders and trades)",
			exchanges.Margin: "Create & Modify Orders and Cancel/Close Orders (margin uses the same permissions; the account itself must be eligible for margin trading)",
		},
		KeepOff: []string{
			"Withdraw Funds",
			"Deposit Funds (a bot never needs it)",
			"Earn Funds (staking and earn allocations)",
			"Export Data, unless the bot needs it",
		},
		IPWhitelist: "In the key's settings, restrict access to the IP address {ip} (Kraken accepts single IPv4/IPv6 addresses and CIDR ranges).",
		Notes: []string{
			"Leave two-factor authentication off for this key: a bot cannot send the code, and Kraken then answers EAPI:Invalid signature.",
			"Kraken checks a nonce, not a timestamp: every request must carry a higher nonce than the last one the key used. Two programs sharing one key (a bot and keywarden, or two bots) can refuse each other with EAPI:Invalid nonce; a nonce window on the key tolerates small disorder, one key per program avoids it.",
			"Kraken Futures keys (futures.kraken.com) are separate and do not work on spot; create this key on Kraken Pro.",
		},
		Delete: []string{
			"Open Kraken Pro → Settings → API.",
			"Find the old key by its name and the first characters of its API Key ({fingerprint}).",
			"Delete it and confirm.",
		},
	}
}

// fixes are what to do about each problem, in Kraken's own words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance: "Kraken is in maintenance: wait for it to end (status.kraken.com); the bot cannot trade until then.",
		exchanges.FixClock: "Kraken checks a nonce, not a timestamp: each request needs a higher nonce than the last one the key used, and bots (like keywarden) take it from the clock. " +
			"Turn on automatic time sync (Linux: `sudo timedatectl set-ntp true`; macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Date & time → Sync now). " +
			"If another program uses this key at the same time, from a machine whose clock is ahead, or with larger nonces (microseconds), run the check again when it is idle, set a nonce window on the key in " + settings + ", or give each program its own key.",
		exchanges.FixBadKey:           "Kraken does not know this API Key: copy it again from Kraken Pro → " + settings + " (the API Key, not the key name). If the key was deleted, passed its expiration date, or is a Kraken Futures key, create a new spot key there and run `keywarden rotate {name}`.",
		exchanges.FixExpired:          "The key has passed its expiration date on Kraken: create a new key in Kraken Pro → " + settings + " and run `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "Kraken knows the API Key, but the Private Key does not match it, or two-factor authentication is on for the key. Turn the key's 2FA off if it is on; otherwise, as Kraken shows the Private Key only once, create a new key in Kraken Pro → " + settings + " and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "In Kraken Pro → " + settings + ", edit this key and add {ip} to the IP addresses it is restricted to, then save.",
		exchanges.FixWrongEnvironment: "Kraken spot has one environment. A Kraken Futures key (futures.kraken.com) does not work on spot: create the key in Kraken Pro → " + settings + ".",
		exchanges.FixReadMissing:      "In Kraken Pro → " + settings + ", edit this key and tick Query Funds (and Query Open Orders & Trades and Query Closed Orders & Trades, which bots use), then save.",
		exchanges.FixTradeMissing:     "In Kraken Pro → " + settings + ", edit this key and tick {permission}, then save.",
		exchanges.FixWithdrawOn:       "In Kraken Pro → " + settings + ", edit this key, untick Withdraw Funds and save. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "In Kraken Pro → " + settings + ", open this key and check that Withdraw Funds is not ticked.",
		exchanges.FixIPUnrestricted:   "In Kraken Pro → " + settings + ", edit this key and restrict its access to {ips}, then save.",
		exchanges.FixIPMissing:        "In Kraken Pro → " + settings + ", edit this key and add {ips} to the IP addresses it is restricted to, then save.",
		exchanges.FixBalanceEmpty:     "The Kraken account holds nothing: deposit funds on Kraken before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key in Kraken Pro → " + settings + ", switch the bot with `keywarden rotate {name}`, then delete the old key there.",
		exchanges.FixKeyExpiring:      "The key reaches its expiration date on {date}: create a new key in Kraken Pro → " + settings + " and run `keywarden rotate {name}` before then.",
		exchanges.FixRateLimited:      "Kraken is rate-limiting this key: every call adds to the key's counter, which drains by 0.33 to 1 per second depending on your verification tier, and every bot on the key adds up. Slow the bot down, wait a minute and check again.",
	}
}
