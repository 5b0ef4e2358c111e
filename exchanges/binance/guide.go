package binance

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through, in Binance's own menu names.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in, open the Profile icon (top right) → Account → API Management",
		URL: map[exchanges.Environment]string{
			exchanges.Live:    "https://www.binance.com/en/my/settings/api-management",
			exchanges.Testnet: "https://testnet.binance.vision/key/generate",
			exchanges.Demo:    "https://demo.binance.com/en/my/settings/api-management",
		},
		Create: []string{
			"Click Create API and choose System generated (HMAC). Self-generated (Ed25519) keys are safer: upload the public key and give keywarden the private key file.",
			"Name the key {name} so you can recognise it later, then pass the security verification (2FA).",
			"Copy the API Key and the Secret Key now: Binance shows the Secret Key only once.",
		},
		Read: "Enable Reading (always on)",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Enable Spot & Margin Trading",
			exchanges.Margin:  "Enable Spot & Margin Trading and Enable Margin Loan, Repay & Transfer",
			exchanges.Futures: "Enable Futures (only offered once your Futures account is open; a key created before that cannot trade futures — create a new one)",
		},
		KeepOff: []string{
			"Enable Withdrawals",
			"Permits Universal Transfer",
		},
		IPWhitelist: "Under IP access restrictions choose Restrict access to trusted IPs only (Recommended), type {ip} and click Confirm. Unrestricted keys lose their trading permission after a while.",
		Notes: []string{
			"Edit restrictions only appears after the key is created: click Edit restrictions to tick the permissions, then Save.",
			"Testnet and Demo keys only work on their own hosts; a live key is refused there, and the other way round.",
		},
		Delete: []string{
			"Open Profile → Account → API Management.",
			"Find the old key by its label and the first characters of its API Key ({fingerprint}).",
			"Click Delete next to it and confirm with 2FA.",
		},
	}
}

// fixes are what to do about each problem, in Binance's own words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "Binance is in system maintenance: wait for it to end (announcements: binance.com/en/support/announcement); the bot cannot trade until then.",
		exchanges.FixBadKey:           "Binance does not know this API Key on {env}: copy it again from API Management (Profile → Account → API Management), or create a new key and run `keywarden rotate`.",
		exchanges.FixExpired:          "The key has expired on Binance: create a new key on API Management and replace it with `keywarden rotate`.",
		exchanges.FixBadSignature:     "Binance knows the API Key but the Secret Key does not match it: the Secret Key is shown only once, so delete the key on API Management, create a new one and run `keywarden rotate`.",
		exchanges.FixIPNotAllowed:     "On API Management click Edit restrictions for this key, under Restrict access to trusted IPs only add {ip}, click Confirm and Save.",
		exchanges.FixWrongEnvironment: "This key belongs to Binance {env}: create the key where the bot trades (live keys on binance.com, testnet keys on testnet.binance.vision, demo keys on demo.binance.com), or set the profile's environment to match.",
		exchanges.FixReadMissing:      "On API Management click Edit restrictions and tick Enable Reading, then Save.",
		exchanges.FixTradeMissing:     "On API Management click Edit restrictions for this key and tick {permission}, then Save.",
		exchanges.FixWithdrawOn:       "On API Management click Edit restrictions for this key, untick Enable Withdrawals and Save. A trading bot never needs it.",
		exchanges.FixIPUnrestricted:   "On API Management click Edit restrictions, choose Restrict access to trusted IPs only (Recommended) and add {ips}, then Save.",
		exchanges.FixIPMissing:        "On API Management click Edit restrictions and add {ips} under Restrict access to trusted IPs only, then Save.",
		exchanges.FixBalanceEmpty:     "The Spot wallet is empty: deposit, or use Wallet → Transfer to move funds into Spot (or USDⓈ-M Futures) before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on API Management, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date}: on API Management click Edit restrictions and restrict the key to trusted IPs (the permission then stops expiring), or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixRateLimited:      "Binance is rate-limiting this IP (limits are per IP, shared by every bot on it): slow the bots down, and wait for the Retry-After period before checking again.",
	}
}
