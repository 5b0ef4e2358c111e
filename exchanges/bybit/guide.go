package bybit

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through. Menu names are Bybit's; the
// permission names are those of Bybit's API documentation (Contract
// Trade, Spot Trade, Account Transfer, Subaccount Transfer, Withdrawal),
// which the key page groups the same way.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in to bybit.com, hover over the profile icon (top right) and click API to open API Management",
		URL: map[exchanges.Environment]string{
			exchanges.Live:    "https://www.bybit.com/app/user/api-management",
			exchanges.Testnet: "https://testnet.bybit.com/app/user/api-management",
			exchanges.Demo:    "https://www.bybit.com/app/user/api-management",
		},
		Create: []string{
			"Click Create New Key and choose System-generated API Keys (HMAC). Self-generated API Keys use an RSA key pair: paste your RSA public key there and give keywarden the private key file.",
			"Choose API Transactions as the key's use, name the key {name}, and select Read-Write (Read-Only keys cannot trade).",
			"Tick the permissions below, bind the IP, then confirm with your 2FA code.",
			"Copy the API Key and the API Secret now: Bybit shows the API Secret only once.",
		},
		Read: "nothing to tick: every Bybit key can read",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Read-Write with the Spot Trade permission (SPOT: Trade)",
			exchanges.Margin:  "Read-Write with the Spot Trade permission (spot margin on the Unified Trading Account trades through it; also turn on spot margin trading for the account)",
			exchanges.Futures: "Read-Write with the Contract Trade permissions (Contract: Orders and Positions)",
		},
		KeepOff: []string{
			"Wallet: Withdrawal",
			"Wallet: Account Transfer and Subaccount Transfer (the bot does not move funds)",
			"Exchange (Convert), Earn, P2P, Bybit Pay and Bybit Card permissions",
		},
		IPWhitelist: "Under IP restriction, bind the key to {ip} only. Bybit makes a key with no IP bound invalid after 90 days.",
		Notes: []string{
			"Testnet keys come from testnet.bybit.com; Demo Trading keys from your mainnet account after switching to Demo Trading. Each key works only on its own host: elsewhere Bybit answers 10003 \"API key is invalid\".",
			"Regional Bybit sites (Bybit EU, NL, TR, KZ, Georgia, UAE, Indonesia) have their own API hosts: add the key with --base-url https://api.bybit.<site>.",
			"Changing the account password makes keys invalid after 7 days; create new ones afterwards.",
		},
		Delete: []string{
			"Open API Management (profile icon → API).",
			"Find the old key by its name and the first characters of its API Key ({fingerprint}).",
			"Click Delete next to it and confirm with 2FA.",
		},
	}
}

// fixes are what to do about each problem, in Bybit's own words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "Bybit is in system maintenance: wait for it to end (announcements.bybit.com); the bot cannot trade until then.",
		exchanges.FixClock:            "Bybit rejects a timestamp 1 s or more ahead of its clock, or older than recv_window (retCode 10002). Turn on automatic time sync: Linux `sudo timedatectl set-ntp true` (or chrony); macOS System Settings → General → Date & Time → Set time automatically; Windows Settings → Time & language → Date & time → Sync now.",
		exchanges.FixBadKey:           "Bybit {env} does not know this API Key (retCode 10003): copy it again from API Management (profile icon → API), or create a new key and run `keywarden rotate {name}`. A key from testnet, Demo Trading or a regional Bybit site only works on that site's host.",
		exchanges.FixExpired:          "The key has expired on Bybit (retCode 33004; keys with no IP bound expire after 90 days): create a new key on API Management, bind it to the bot's IP, and run `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "Bybit knows the API Key but the API Secret does not match it (retCode 10004). Bybit shows the API Secret only once: delete the key on API Management, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "The key is bound to other IPs (retCode 10010): on API Management click Edit next to the key, add {ip} under IP restriction, and confirm.",
		exchanges.FixWrongEnvironment: "This key belongs to another Bybit site (see the detail line): create the key where the bot trades (mainnet at bybit.com, testnet at testnet.bybit.com, Demo Trading inside your mainnet account), or change the profile's environment or --base-url to match.",
		exchanges.FixReadMissing:      "Every Bybit key can read: if reading is refused (retCode 10005), check the key's permissions on API Management, or create a new key.",
		exchanges.FixTradeMissing:     "On API Management click Edit next to the key, make sure it is Read-Write, tick {permission}, and confirm.",
		exchanges.FixWithdrawOn:       "On API Management click Edit next to the key, untick Wallet: Withdrawal, and confirm. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Bybit Demo Trading does not show key permissions: open the key on API Management and check that Wallet: Withdrawal is off.",
		exchanges.FixIPUnrestricted:   "On API Management click Edit next to the key and bind it to {ips} under IP restriction. Bybit makes keys with no IP bound invalid after 90 days.",
		exchanges.FixIPMissing:        "On API Management click Edit next to the key and add {ips} under IP restriction, then confirm.",
		exchanges.FixBalanceEmpty:     "The Unified Trading Account is empty: deposit, or use Assets → Transfer to move funds from the Funding account to the Unified Trading account before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on API Management, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date} (Bybit expires keys with no IP bound after 90 days): bind the key to the bot's IP on API Management (bound keys do not expire), or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixRateLimited:      "Bybit is rate-limiting (retCode 10006 per UID and endpoint, or HTTP 403 for 600 requests in 5 s per IP): slow the bots down and check again after the wait.",
	}
}
