package okx

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through. OKX's own names are used where
// its documentation gives them (the API page at /account/my-api, the
// permissions Read, Trade and Withdraw, the IP address field, Demo
// Trading's "Trade → Demo Trading → Personal Center → Demo Trading API");
// elsewhere the text stays plain rather than guess a menu name.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in at okx.com and open the API page (okx.com/account/my-api, also in the profile menu at the top right). For Demo Trading: Trade → Demo Trading → Personal Center → Demo Trading API",
		URL: map[exchanges.Environment]string{
			exchanges.Live: "https://www.okx.com/account/my-api",
			exchanges.Demo: "https://www.okx.com/account/my-api",
		},
		Create: []string{
			"Click the button to create an API key (in Demo Trading: Create Demo Trading API Key). If OKX asks what the key is for, choose API trading, not a third-party app.",
			"Name the key {name} and choose a Passphrase for it: a new one, used only for this key.",
			"Tick the permissions below, enter the IP address, and confirm with your verification codes.",
			"Copy the API key, the Secret key and the Passphrase into keywarden now. OKX cannot show the Passphrase again: if it is lost, the key must be replaced.",
		},
		Read: "Read (always on)",
		Trade: map[exchanges.Market]string{
			exchanges.Spot:    "Trade",
			exchanges.Futures: "Trade (on OKX one permission covers spot, margin and derivatives)",
			exchanges.Margin:  "Trade (on OKX one permission covers spot, margin and derivatives)",
		},
		KeepOff: []string{
			"Withdraw",
		},
		IPWhitelist: "In the IP address field enter {ip} (up to 20 addresses; IPv4, IPv6 or ranges). OKX deletes a key with Trade or Withdraw and no IP address after 14 days without use.",
		Notes: []string{
			"The Passphrase is the API passphrase you chose when creating this key, not your OKX login password or fund password. OKX keeps only a salted hash of it and cannot recover it.",
			"OKX's Trade permission also allows funding transfers between your own OKX accounts; there is no separate box to switch them off.",
			"Demo Trading keys are made in Demo Trading and work only there; a live key is refused in Demo Trading and the other way round (OKX code 50101).",
			"EEA accounts (my.okx.com) and US/AU accounts (app.okx.com) use their own API hosts, eea.okx.com and us.okx.com: give it with --base-url.",
		},
		Delete: []string{
			"Open the API page (okx.com/account/my-api).",
			"Find the old key by its name and the first characters of its API key ({fingerprint}).",
			"Delete it and confirm with your verification codes.",
		},
	}
}

// fixes are what to do about each problem, in OKX's words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "OKX is upgrading its trading service: wait for it to finish (okx.com/status lists the window); the bot cannot trade until then.",
		exchanges.FixBadKey:           "OKX does not know this API key in {env}: copy it again from the API page (okx.com/account/my-api), or create a new key and run `keywarden rotate {name}`. A key with Trade or Withdraw and no IP address is deleted by OKX after 14 days without use.",
		exchanges.FixExpired:          "OKX has deleted or frozen this key: create a new one on the API page and run `keywarden rotate {name}`; bind an IP address so it does not expire.",
		exchanges.FixBadSignature:     "OKX knows the API key but the Secret key does not match it: copy the Secret key again, or delete the key on the API page, create a new one and run `keywarden rotate {name}`.",
		exchanges.FixBadPassphrase:    "OKX refused the Passphrase: it is the API passphrase chosen when the key was created, not the login or fund password. OKX cannot recover it: if it is lost, create a new key on the API page and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "On the API page (okx.com/account/my-api) edit this key and add {ip} to its IP addresses, then confirm.",
		exchanges.FixWrongEnvironment: "This key belongs to the other OKX environment: live keys come from the API page, Demo Trading keys from Trade → Demo Trading → Personal Center → Demo Trading API. Create the key where the bot trades, or set the profile's environment to match (now {env}).",
		exchanges.FixReadMissing:      "On the API page edit this key and make sure Read is ticked; OKX needs it for every account request.",
		exchanges.FixTradeMissing:     "On the API page edit this key and tick {permission}, then confirm. If the key cannot be edited, create a new one with Read and Trade and run `keywarden rotate {name}`.",
		exchanges.FixWithdrawOn:       "On the API page edit this key and untick Withdraw (or replace the key with one without it). A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Open the key on the API page (okx.com/account/my-api) and check that Withdraw is not ticked.",
		exchanges.FixIPUnrestricted:   "On the API page (okx.com/account/my-api) edit this key and enter {ips} as its IP addresses, then confirm.",
		exchanges.FixIPMissing:        "On the API page edit this key and add {ips} to its IP addresses (up to 20), then confirm.",
		exchanges.FixBalanceEmpty:     "The Trading account is empty: deposit, or transfer funds from the Funding account to the Trading account, before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on the API page, switch the bot with `keywarden rotate {name}`, then delete the old key there.",
		exchanges.FixKeyExpiring:      "The {what} expires on {date}: bind the bot's IP address to the key on the API page (OKX then keeps it), or make sure the bot uses it before then.",
		exchanges.FixRateLimited:      "OKX is rate-limiting this account (private limits count per user ID, shared by every key and bot of the account): slow the bots down and check again in a few seconds.",
	}
}
