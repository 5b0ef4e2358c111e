package bitget

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through. Bitget's own names are used
// where its documentation gives them (API Key Management, Passphrase,
// read-only or read/write permissions, the per-product permissions of the
// account information: Spot trade, Futures orders and holdings, Margin
// trade, Wallet transfer and withdraw); elsewhere the text stays plain.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in at bitget.com and open API Key Management (profile icon at the top right → API keys; bitget.com/account/newapi). For demo trading, switch to demo trading first and create the key there",
		URL: map[exchanges.Environment]string{
			exchanges.Live: "https://www.bitget.com/account/newapi",
			exchanges.Demo: "https://www.bitget.com/account/newapi",
		},
		Create: []string{
			"Click Create API Key and choose the system-generated (HMAC) key.",
			"Enter {name} as the note, and set a Passphrase: a new one, used only for this key.",
			"Choose read/write permissions and tick only what the bot needs (below), bind the IP address, and confirm with your verification codes.",
			"Copy the API Key, the Secret Key and the Passphrase into keywarden now. Bitget cannot show the Passphrase again: if it is lost, the key must be recreated.",
		},
		Read: "Read-only permission for Spot (always included with read/write)",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Spot: Trade (read/write)",
			exchanges.Futures: "Futures: Orders and Holdings (read/write)",
			exchanges.Margin:  "Margin: Trade (read/write)",
		},
		KeepOff: []string{
			"Wallet: Withdraw",
			"Wallet: Transfer (unless the bot moves funds between your own accounts)",
		},
		IPWhitelist: "Bind the IP address {ip} to the key. Bitget allows withdrawals only through a key bound to a whitelisted IP.",
		Notes: []string{
			"The Passphrase is the API passphrase you set when creating this key (8–32 letters and digits), not your login password or fund password. Bitget cannot retrieve it: if it is lost, the key must be recreated.",
			"Each account can hold 10 API keys: delete keys you no longer use.",
			"Demo trading keys are created after switching to demo trading and work only there; a live key is refused in demo trading and the other way round (Bitget code 40099).",
		},
		Delete: []string{
			"Open API Key Management (bitget.com/account/newapi).",
			"Find the old key by its note and the first characters of its API Key ({fingerprint}).",
			"Delete it and confirm with your verification codes.",
		},
	}
}

// fixes are what to do about each problem, in Bitget's words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "Bitget is upgrading its servers: wait for it to finish (announcements: bitget.com/support/announcement-center); the bot cannot trade until then.",
		exchanges.FixBadKey:           "Bitget does not know this API Key in {env}: copy it again from API Key Management (bitget.com/account/newapi), or create a new key and run `keywarden rotate {name}`.",
		exchanges.FixExpired:          "Bitget no longer accepts this key: create a new one in API Key Management and run `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "Bitget knows the API Key but the Secret Key does not match it: copy the Secret Key again, or delete the key in API Key Management, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixBadPassphrase:    "Bitget refused the Passphrase: it is the API passphrase set when the key was created, not the login or fund password. Bitget cannot retrieve it: if it is lost, create a new key in API Key Management and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "In API Key Management edit this key and add {ip} to its bound IP addresses, then confirm.",
		exchanges.FixWrongEnvironment: "This key belongs to the other Bitget environment: live keys are made in API Key Management, demo keys after switching to demo trading. Create the key where the bot trades, or set the profile's environment to match (now {env}).",
		exchanges.FixReadMissing:      "In API Key Management edit this key and give it at least read-only permission for Spot; Bitget needs it to show the account and balances.",
		exchanges.FixTradeMissing:     "In API Key Management edit this key, choose read/write and tick {permission}, then confirm.",
		exchanges.FixWithdrawOn:       "In API Key Management edit this key and untick Wallet: Withdraw. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Open the key in API Key Management (bitget.com/account/newapi) and check that Wallet: Withdraw is not ticked.",
		exchanges.FixIPUnrestricted:   "In API Key Management edit this key and bind {ips} as its IP addresses, then confirm.",
		exchanges.FixIPMissing:        "In API Key Management edit this key and add {ips} to its bound IP addresses, then confirm.",
		exchanges.FixBalanceEmpty:     "The spot account is empty: deposit, or transfer funds into the spot account (or the USDT-M futures account) before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key in API Key Management, switch the bot with `keywarden rotate {name}`, then delete the old key there.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date}: create a new key in API Key Management and run `keywarden rotate {name}` before then.",
		exchanges.FixRateLimited:      "Bitget is rate-limiting this account (most private limits count per user ID, e.g. 1 request per second for the account information): slow the bots down and check again in a few seconds.",
	}
}
