package gate

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through, in Gate's own words: the page is
// "API Key Management", keys are "API v4 Key"s, and each permission group
// (Spot, Perpetual Futures, Wallet, Withdraw, Account, ...) is switched on
// as Read Only or Read and Write.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in on gate.com, hover over the profile icon (top right) → API Key Management",
		URL: map[exchanges.Environment]string{
			exchanges.Live:    "https://www.gate.com/myaccount/api_key_manage",
			exchanges.Testnet: "https://www.gate.com/myaccount/api_key_manage",
		},
		Create: []string{
			"Click Create API Key and keep the API Key Type at API v4 Key. Use {name} as its remark so you can recognise it later.",
			"Switch on the permissions below, bind the bot's IP address, then click Submit and pass the security verification.",
			"Copy the API Key and the Secret Key now: Gate shows the Secret Key only once. Changes to a key take up to 5 minutes to apply.",
		},
		Read: "Account: Read Only (lets keywarden read the key's permissions and IP whitelist) and Spot: Read Only at least",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Spot: Read and Write",
			exchanges.Margin:  "Spot: Read and Write (Gate's Spot group covers spot and margin; Margin: Read and Write where offered)",
			exchanges.Futures: "Perpetual Futures: Read and Write",
		},
		KeepOff: []string{
			"Withdraw — lets the key send funds out; a bot never needs it",
			"Wallet: Read and Write — moves funds between your accounts; Read Only is enough",
			"every other group the bot does not use (Delivery, Options, Earn, ...)",
		},
		IPWhitelist: "In the IP Permissions field bind {ip} (up to 20 IPv4 addresses, no ranges).",
		Notes: []string{
			"TestNet needs its own keys: create them as Futures TestNet APIKeys on the same page; live keys are unknown on TestNet and the other way round.",
			"Edits to a key's permissions or IPs can take up to 5 minutes to apply: wait before checking again.",
		},
		Delete: []string{
			"Open the profile icon → API Key Management.",
			"Find the old key by its remark and the first characters of its API Key ({fingerprint}).",
			"Click Delete next to it and pass the security verification.",
		},
	}
}

// fixes are what to do about each problem, in Gate's words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "Gate's API is not answering normally: check gate.com/announcements for maintenance; the bot cannot trade until it ends.",
		exchanges.FixClock:            "Gate refuses requests whose Timestamp is more than 60 s off (REQUEST_EXPIRED). Turn on automatic time sync (Linux: `sudo timedatectl set-ntp true` or chrony; macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Sync now).",
		exchanges.FixBadKey:           "Gate does not know this API Key on {env} (INVALID_KEY): copy it again from API Key Management, or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixExpired:          "The key has expired on Gate: create a new key on API Key Management and replace it with `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "Gate knows the API Key but the Secret Key does not match it (INVALID_SIGNATURE). The Secret Key is shown only once: delete the key on API Key Management, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "Gate refused this machine's address (IP_FORBIDDEN): on API Key Management edit the key, add {ip} under IP Permissions and save. It can take up to 5 minutes to apply.",
		exchanges.FixWrongEnvironment: "This key belongs to another Gate environment: live keys work on api.gateio.ws, Futures TestNet APIKeys on api-testnet.gateapi.io. Create the key where the bot trades, or set the profile's environment (now {env}) to match.",
		exchanges.FixReadMissing:      "On API Key Management edit the key, set Account and Spot to Read Only (or Read and Write), then save.",
		exchanges.FixTradeMissing:     "On API Key Management edit the key and set {permission}, then save; it can take up to 5 minutes to apply.",
		exchanges.FixWithdrawOn:       "On API Key Management edit the key and switch off Withdraw, then save. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Open the key on API Key Management and verify that Withdraw is off.",
		exchanges.FixIPUnrestricted:   "On API Key Management edit the key and bind {ips} under IP Permissions, then save.",
		exchanges.FixIPMissing:        "On API Key Management edit the key and add {ips} under IP Permissions, then save; it can take up to 5 minutes to apply.",
		exchanges.FixBalanceEmpty:     "The Gate spot account is empty: deposit, or transfer funds into Spot (or Perpetual Futures) under Assets → Transfer before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on API Key Management, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date}: create a new key on API Key Management and run `keywarden rotate {name}` before then.",
		exchanges.FixRateLimited:      "Gate is rate-limiting this account (TOO_MANY_REQUESTS; private limits are per account and endpoint, shared by every bot on it): slow the bots down and check again after the reset time.",
	}
}
