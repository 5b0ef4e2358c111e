package bitmex

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through, in BitMEX's words: the API Keys
// page, the order / orderCancel / withdraw permissions, the CIDR
// restriction. BitMEX documents no way to change a key's permissions or
// IP restriction after it is created (its API only enables, disables and
// deletes keys), so the fixes make a new key and rotate to it.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in, open Account → API Keys",
		URL: map[exchanges.Environment]string{
			exchanges.Live:    "https://www.bitmex.com/app/apiKeys",
			exchanges.Testnet: "https://testnet.bitmex.com/app/apiKeys",
		},
		Create: []string{
			"Type {name} as the key's name.",
			"Choose the permissions below and, to restrict the key to the bot's IP, fill in the IP restriction (CIDR).",
			"Click Create API Key (BitMEX may ask for 2FA) and copy the key's ID and Secret.",
		},
		Read: "no permission needed: every BitMEX key can read positions, margin, orders and executions",
		Trade: map[exchanges.Market]string{
			exchanges.Futures: "the Order permission (order; Order Cancel only cancels)",
		},
		KeepOff: []string{
			"Withdraw (withdraw): a trading bot never needs it",
		},
		IPWhitelist: "Enter {ip}/32 in the key's IP restriction (CIDR) field, so the key works only from {ip}.",
		Notes: []string{
			"Testnet keys come from testnet.bitmex.com, a separate account: they do not work on www.bitmex.com, and live keys do not work on testnet.",
			"Order and Order Cancel exclude each other: Order Cancel is for risk tools that only cancel.",
			"BitMEX bans an IP for an hour after many errors in a short time: a bot with a broken key can lock itself out.",
			"A key's permissions and IP restriction are chosen when it is created: to change them, create a new key and rotate to it.",
		},
		Delete: []string{
			"Open Account → API Keys on the BitMEX environment of the old key.",
			"Find the old key by its name and ID ({fingerprint}).",
			"Delete it.",
		},
	}
}

// fixes are what to do about each problem, in BitMEX's words.
func fixes() map[exchanges.Problem]string {
	const newKey = "On Account → API Keys create a new key "
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "BitMEX is down or in maintenance: wait for it to end (status.bitmex.com); the bot cannot trade until then.",
		exchanges.FixClock:            "BitMEX refuses requests whose api-expires has passed on its clock: turn on automatic time sync. Linux: `sudo timedatectl set-ntp true` (or install chrony); macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Date & time → Sync now.",
		exchanges.FixBadKey:           "BitMEX does not know this key ID on {env}: copy the ID again from Account → API Keys (check the key is enabled), or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixExpired:          "BitMEX no longer accepts the key: create a new one on Account → API Keys and switch with `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "BitMEX knows the key ID but the Secret does not match it: copy the Secret of this key again, or create a new key on Account → API Keys and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     newKey + "whose IP restriction (CIDR) includes {ip}, switch with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixWrongEnvironment: "The key was made on the other BitMEX environment (live keys on www.bitmex.com, testnet keys on testnet.bitmex.com): create a key where the bot trades, or change the profile's environment (now {env}).",
		exchanges.FixReadMissing:      "Every BitMEX key can read; if reading fails, the account itself is restricted: contact BitMEX support.",
		exchanges.FixTradeMissing:     newKey + "with {permission}, switch with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixWithdrawOn:       newKey + "without the Withdraw permission, switch with `keywarden rotate {name}`, then delete this key: a trading bot never needs to withdraw.",
		exchanges.FixWithdrawUnknown:  "Open Account → API Keys and check that this key's permissions do not include Withdraw.",
		exchanges.FixIPUnrestricted:   newKey + "with its IP restriction (CIDR) set to {ips} (append /32 to a single IPv4 address), switch with `keywarden rotate {name}`, then delete the unrestricted key.",
		exchanges.FixIPMissing:        newKey + "whose IP restriction (CIDR) covers {ips}, switch with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixBalanceEmpty:     "The BitMEX account holds nothing: deposit (or transfer to the account the key belongs to) before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on Account → API Keys, switch the bot with `keywarden rotate {name}`, then delete the old key.",
		exchanges.FixKeyExpiring:      "Create a new key on Account → API Keys and switch with `keywarden rotate {name}` before {date}.",
		exchanges.FixRateLimited:      "BitMEX is rate-limiting this key (120 requests a minute, shared by every bot using it); repeated errors can ban the IP for an hour: slow the bots down and check again in a minute.",
	}
}
