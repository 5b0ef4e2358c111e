package coinbase

import "github.com/keywarden/keywarden/exchanges"

// The menu names below are those of the Coinbase Developer Platform (CDP)
// portal as Coinbase's documentation gives them ("Secret API Keys" under
// the "API Keys" tab, "Create API key", "API restrictions", "IP
// allowlist", "Manage", "Edit Key"; permissions View, Trade, Transfer).

const portal = "https://portal.cdp.coinbase.com/projects/api-keys"

// guide is the key-creation walk-through, in Coinbase's own words.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in to the Coinbase Developer Platform (portal.cdp.coinbase.com) with your Coinbase account, open the API Keys tab and choose Secret API Keys",
		URL:   map[exchanges.Environment]string{exchanges.Live: portal},
		Create: []string{
			"Click Create API key and enter the API key nickname {name}.",
			"Expand API restrictions (and Advanced Settings): choose the portfolio the bot trades (e.g. Default) and tick the permissions below.",
			"Signature algorithm: Ed25519 (the default) and ECDSA both work with keywarden and Advanced Trade; Coinbase recommends ECDSA if a bot's own library does the signing.",
			"Click Create API key and complete the 2-step verification.",
			"Copy the API key name (organizations/…/apiKeys/… for ECDSA, the key id for Ed25519) and the Private key, or download the key's JSON file: Coinbase shows the private key only once.",
		},
		Read: "View",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Trade",
			exchanges.Futures: "Trade (one permission covers spot, futures and perpetuals of the key's portfolio)",
		},
		KeepOff: []string{
			"Transfer (it allows withdrawals and transfers out of the portfolio; a trading bot never needs it)",
			"any other permission the dialog offers beyond View and Trade",
		},
		IPWhitelist: "Under API restrictions, enter {ip} in the IP allowlist (separate several IPs with commas; IPv4, IPv6 and CIDR ranges work). For an existing key: API Keys → Secret API Keys → Manage → Edit Key → API restrictions → IP allowlist, then save.",
		Notes: []string{
			"CDP keys have no passphrase: only the API key name and the private key.",
			"Coinbase's API does not reveal a key's IP allowlist, creation date or expiry: keywarden can only prove that the key works from this machine. Check the rest on the portal.",
			"The private key in the JSON download contains \\n escapes; paste it as it is, keywarden turns them into line breaks.",
			"Legacy API keys from coinbase.com/settings/api (a 16-character key and a secret) are not CDP keys: create a new key on the portal.",
		},
		Delete: []string{
			"Open portal.cdp.coinbase.com → API Keys → Secret API Keys.",
			"Find the old key by its nickname and key id ({fingerprint}).",
			"Click Manage next to it and delete the key.",
		},
	}
}

// fixes are what to do about each problem, in Coinbase's own words.
func fixes() map[exchanges.Problem]string {
	const keys = "the CDP portal (portal.cdp.coinbase.com → API Keys → Secret API Keys)"
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:     "Coinbase reports trouble with Advanced Trade: wait until status.coinbase.com shows it operational again; the bot cannot trade until then.",
		exchanges.FixClock:           "Coinbase checks each JWT's nbf and exp against its own clock: turn on automatic time sync. Linux: `sudo timedatectl set-ntp true` (or install chrony); macOS: System Settings → General → Date & Time → Set time automatically; Windows: Settings → Time & language → Date & time → Sync now.",
		exchanges.FixBadKey:          "Coinbase answers the same 401 Unauthorized for every refused key, so check each cause on " + keys + ": the key still exists; the API key name was copied whole (organizations/…/apiKeys/…, or the key id for Ed25519); the private key is the one created with it; and if the key has an IP allowlist, it includes {ip}. If in doubt, create a new key and run `keywarden rotate {name}`.",
		exchanges.FixExpired:         "The key is no longer valid on Coinbase: create a new key on " + keys + " and run `keywarden rotate {name}`.",
		exchanges.FixBadSignature:    "The private key does not fit this API key, or was damaged while copying: copy it again whole from the key's JSON download. Coinbase shows the private key only once, so if it is lost, create a new key on " + keys + " and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:    "On " + keys + " click Manage next to the key, then Edit Key → API restrictions, add {ip} to the IP allowlist and save.",
		exchanges.FixReadMissing:     "The key lacks the View permission: on " + keys + " click Manage → Edit Key → API restrictions and tick View, or create a new key with View and Trade and run `keywarden rotate {name}`.",
		exchanges.FixTradeMissing:    "Trading {market} needs the key's Trade permission (one permission covers spot and futures): on " + keys + " click Manage → Edit Key → API restrictions and tick Trade, or create a new key with View and Trade and run `keywarden rotate {name}`.",
		exchanges.FixWithdrawOn:      "The key has the Transfer permission, which allows withdrawals: on " + keys + " click Manage → Edit Key → API restrictions and untick Transfer, or create a new key with View and Trade only and run `keywarden rotate {name}`.",
		exchanges.FixWithdrawUnknown: "Open the key on " + keys + " and verify that Transfer is not among its permissions.",
		exchanges.FixIPUnrestricted:  "On " + keys + " click Manage → Edit Key → API restrictions and enter {ips} in the IP allowlist, then save.",
		exchanges.FixIPMissing:       "On " + keys + " click Manage → Edit Key → API restrictions and add {ips} to the IP allowlist, then save.",
		exchanges.FixBalanceEmpty:    "The key's portfolio holds nothing: deposit, or move funds into the portfolio chosen for the key on coinbase.com, before the bot trades.",
		exchanges.FixKeyOld:          "Create a new key on " + keys + ", switch the bot with `keywarden rotate {name}`, then delete the old key (Manage → delete).",
		exchanges.FixKeyExpiring:     "The {what} expires on {date}: create a new key on " + keys + " and run `keywarden rotate {name}` before then.",
		exchanges.FixRateLimited:     "Coinbase is rate-limiting this key or IP: slow the bots down and run the check again after the wait Coinbase asked for.",
	}
}
