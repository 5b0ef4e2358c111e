package kucoin

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through. KuCoin's page is "API
// Management"; its permission names are the ones the API reports
// (General, Spot, Margin, Futures, InnerTransfer shown as Flex Transfer,
// Transfer for withdrawals), which is how they are named here.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in on kucoin.com, open the profile icon (top right) → API Management",
		URL: map[exchanges.Environment]string{
			exchanges.Live: "https://www.kucoin.com/account/api",
		},
		Create: []string{
			"Click Create API. Give it the name {name} so you can recognise it later.",
			"Choose an API Passphrase: a new password for this key only (7 to 32 characters, no spaces). Write it down — keywarden and your bot need it with every request, and KuCoin cannot show it again.",
			"Pass the security verification, then copy the API Key and the API Secret at once: KuCoin shows the Secret only once.",
		},
		Read: "General (always on: reads balances and orders, cannot move funds)",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "the Spot trading permission",
			exchanges.Margin:  "the Margin trading permission",
			exchanges.Futures: "the Futures trading permission (the same key then works on api-futures.kucoin.com)",
		},
		KeepOff: []string{
			"Transfer — on KuCoin this is the WITHDRAWAL permission (withdraw funds, deposit addresses); a bot never needs it",
			"Flex Transfer (InnerTransfer) — moves funds between your own accounts; leave it off unless the bot must rebalance",
			"Earn and any other permission the bot does not use",
		},
		IPWhitelist: "Under IP Restriction choose Yes and enter {ip}. A restricted key is useless to anyone who steals it.",
		Notes: []string{
			"The API Passphrase is the one you chose for this key, not your login password and not your trading password.",
			"Futures trade with the same key: tick Futures on it; there is no separate futures key.",
			"KuCoin has no public sandbox any more; use `keywarden demo` to practise.",
		},
		Delete: []string{
			"Open the profile icon → API Management.",
			"Find the old key by its name and the first characters of its API Key ({fingerprint}).",
			"Click Delete next to it and pass the security verification.",
		},
	}
}

// fixes are what to do about each problem, in KuCoin's words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:     "KuCoin is in maintenance: wait for it to end (announcements: kucoin.com/announcement); the bot cannot trade until then.",
		exchanges.FixClock:           "KuCoin refuses requests whose timestamp is more than 5 s off. Turn on automatic time sync (Linux: `sudo timedatectl set-ntp true` or chrony; macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Sync now).",
		exchanges.FixBadKey:          "KuCoin does not know this API Key (400003): copy it again from API Management, or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixExpired:         "The key has expired on KuCoin: create a new key on API Management and replace it with `keywarden rotate {name}`.",
		exchanges.FixBadSignature:    "KuCoin knows the API Key but the API Secret does not match it (400005). The Secret is shown only once: delete the key on API Management, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixBadPassphrase:   "KuCoin rejected the API Passphrase (400004). KuCoin checks it with the API Secret, so either the passphrase or the secret is wrong. The passphrase is the one you chose when you created this key — not your login or trading password; the secret is the UUID shown once at creation. Run `keywarden rotate {name}` with the right values; if either is lost, delete the key on API Management, create a new one and rotate to it.",
		exchanges.FixIPNotAllowed:    "KuCoin refused this machine's address (400006): on API Management edit the key's IP Restriction and add {ip}, then save.",
		exchanges.FixReadMissing:     "On API Management edit the key and tick General (read access), then save.",
		exchanges.FixTradeMissing:    "On API Management edit the key and tick {permission}, then save. If KuCoin does not offer it (e.g. Futures before the futures account is opened), open that account first and create a new key, then run `keywarden rotate {name}`.",
		exchanges.FixWithdrawOn:      "On API Management edit the key and untick Transfer — on KuCoin that is the withdrawal permission — then save. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown: "On API Management open the key and verify that Transfer — KuCoin's withdrawal permission — is not ticked.",
		exchanges.FixIPUnrestricted:  "On API Management edit the key, set IP Restriction to Yes and add {ips}, then save.",
		exchanges.FixIPMissing:       "On API Management edit the key's IP Restriction and add {ips}, then save.",
		exchanges.FixBalanceEmpty:    "The KuCoin accounts this key reads are empty: deposit, or move funds to the Trading Account (Assets → Transfer) before the bot trades.",
		exchanges.FixKeyOld:          "Create a new key on API Management, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:     "The {what} expires on {date}: create a new key on API Management and run `keywarden rotate {name}` before then.",
		exchanges.FixRateLimited:     "KuCoin is rate-limiting this account (429000; limits are per account and resource pool, shared by every bot on it): slow the bots down and check again after the reset time.",
	}
}
