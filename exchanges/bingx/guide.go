package bingx

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through, in BingX's own menu names
// (bingx.com/en/account/api).
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in to bingx.com, click the profile avatar (top right) and choose API Management",
		URL: map[exchanges.Environment]string{
			exchanges.Live: "https://bingx.com/en/account/api",
			exchanges.Demo: "https://bingx.com/en/account/api",
		},
		Create: []string{
			"Click Create API and name the key {name}.",
			"Tick the permissions below (Read is always on), add the IP address, then pass the email and 2FA verification.",
			"Copy the API Key and the Secret Key now: BingX shows the Secret Key only once.",
		},
		Read: "Read (on by default for every new key)",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Spot Trading",
			exchanges.Futures: "Perpetual Futures Trading",
		},
		KeepOff: []string{
			"Withdraw",
			"Universal Transfer",
			"Sub-account transfer (internal transfer between sub-accounts)",
		},
		IPWhitelist: "In the key's IP whitelist enter {ip} (up to 20 IPs, separated by commas). A key with trading permission and no IP is deleted after 14 days without use.",
		Notes: []string{
			"The same key works for Spot and Perpetual Futures, but each needs its own trading permission.",
			"BingX lets a key withdraw only when it is bound to IPs; a trading bot never needs Withdraw.",
			"Each account and sub-account can keep at most 20 active API keys.",
		},
		Delete: []string{
			"Open API Management (profile avatar → API Management).",
			"Find the old key by its name and the first characters of its API Key ({fingerprint}).",
			"Click Delete next to it and confirm the verification.",
		},
	}
}

// fixes are what to do about each problem, in BingX's own words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "BingX is unavailable or in maintenance: wait and check the announcements (bingx.com/en/support/announcement); the bot cannot trade until then.",
		exchanges.FixClock:            "BingX rejects a request whose timestamp is more than 5 s off its clock (code 100421 \"timestamp mismatch\"). Turn on automatic time sync: Linux `sudo timedatectl set-ntp true` (or chrony); macOS System Settings → General → Date & Time → Set time automatically; Windows Settings → Time & language → Date & time → Sync now.",
		exchanges.FixBadKey:           "BingX does not know this API Key (code 100413 \"Incorrect apiKey\"): copy it again from API Management. BingX deletes a key with no IP bound after 14 days without use; if it is gone, create a new one bound to the bot's IP and run `keywarden rotate {name}`.",
		exchanges.FixExpired:          "BingX deleted the key (keys with no IP bound are deleted after 14 days without use): create a new key on API Management, bind it to the bot's IP, and run `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "BingX knows the API Key but the Secret Key does not match it (code 100001 \"Signature verification failed\"). BingX shows the Secret Key only once: delete the key on API Management, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "The key's IP whitelist does not include {ip} (code 100419): on API Management click Edit next to the key, add {ip} to the IP whitelist, and confirm.",
		exchanges.FixWrongEnvironment: "The key does not work on BingX {env}: use the host the key was made for, or change the profile's environment.",
		exchanges.FixReadMissing:      "On API Management click Edit next to the key and tick Read, then confirm.",
		exchanges.FixTradeMissing:     "On API Management click Edit next to the key, tick {permission}, and confirm.",
		exchanges.FixWithdrawOn:       "On API Management click Edit next to the key, untick Withdraw, and confirm. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Open the key on BingX's API Management and check by hand that Withdraw is off.",
		exchanges.FixIPUnrestricted:   "On API Management click Edit next to the key and enter {ips} in its IP whitelist. BingX deletes keys with trading permission and no IP after 14 days without use.",
		exchanges.FixIPMissing:        "On API Management click Edit next to the key and add {ips} to its IP whitelist, then confirm.",
		exchanges.FixBalanceEmpty:     "The account is empty: deposit, or use Assets → Transfer to move funds into the Spot or Perpetual Futures account before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on API Management, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date}: create a new key on API Management and run `keywarden rotate {name}`.",
		exchanges.FixRateLimited:      "BingX is rate-limiting (code 100410 or HTTP 429 per account and endpoint; HTTP 403 is its firewall, usually a 5-minute ban for too many requests): slow the bots down and check again after the wait.",
	}
}
