package deribit

import "github.com/keywarden/keywarden/exchanges"

// guide is the key-creation walk-through, in Deribit's own words: the API
// section of the Account panel, "Add new key", and the key's Scopes.
func guide() exchanges.Guide {
	return exchanges.Guide{
		Where: "Log in, open the Account panel (top right) → API",
		URL: map[exchanges.Environment]string{
			exchanges.Live:    "https://www.deribit.com/account/BTC/api",
			exchanges.Testnet: "https://test.deribit.com/account/BTC/api",
		},
		Create: []string{
			"If the bot trades a subaccount, switch to that subaccount first: every subaccount has its own keys.",
			"Press Add new key and choose a Deribit-generated key (keywarden signs with the Client Secret; self-generated Ed25519/RSA keys are not supported).",
			"Set the key's Scopes as below, and type {name} in the Name field so you can recognise the key later.",
			"Copy the Client ID and the Client Secret shown for the new key.",
		},
		Read: "Account set to read (account:read)",
		Trade: map[exchanges.Market]string{
			exchanges.Futures: "Trade set to read_write (trade:read_write)",
		},
		KeepOff: []string{
			"Wallet set to read or none, never read_write (wallet:read_write can withdraw and transfer funds)",
			"Account set to read, not read_write (account:read_write can change account settings and manage API keys)",
			"Block trade and Block RFQ set to none, unless the bot trades blocks",
		},
		IPWhitelist: "Edit the key on the API page and add {ip} to its IP whitelist; the key then works only from there.",
		Notes: []string{
			"Testnet keys are made on test.deribit.com, a separate account: they do not work on www.deribit.com, and live keys do not work on testnet.",
			"When the account protects the key list with security keys (2FA), keywarden cannot read the key's IP whitelist and reads its permissions from the login alone.",
		},
		Delete: []string{
			"Open Account → API on the Deribit environment of the old key.",
			"Find the old key by its name and Client ID ({fingerprint}).",
			"Remove it, and confirm with 2FA if asked.",
		},
	}
}

// fixes are what to do about each problem, in Deribit's own words.
func fixes() map[exchanges.Problem]string {
	return map[exchanges.Problem]string{
		exchanges.FixMaintenance:      "Deribit is in maintenance or has locked trading: wait for it to end (status.deribit.com); the bot cannot trade until then.",
		exchanges.FixBadKey:           "Deribit refused this Client ID with this Client Secret: on Account → API check that the key exists, is enabled and belongs to this environment (live keys on www.deribit.com, testnet keys on test.deribit.com), then copy both values again with `keywarden rotate {name}`, or press Add new key and rotate to the new key.",
		exchanges.FixExpired:          "Deribit no longer accepts the key: create a new one on Account → API (Add new key) and switch with `keywarden rotate {name}`.",
		exchanges.FixBadSignature:     "The Client Secret does not match the Client ID: copy both again from Account → API and run `keywarden rotate {name}`.",
		exchanges.FixIPNotAllowed:     "On Account → API edit the key and add {ip} to its IP whitelist, then save.",
		exchanges.FixWrongEnvironment: "The key was made on the other Deribit environment (live keys on www.deribit.com, testnet keys on test.deribit.com): create a key where the bot trades, or change the profile's environment (now {env}).",
		exchanges.FixReadMissing:      "On Account → API edit the key's Scopes and set Account to read (account:read), then save.",
		exchanges.FixTradeMissing:     "On Account → API edit the key's Scopes, with {permission}, then save.",
		exchanges.FixWithdrawOn:       "On Account → API edit the key's Scopes and set Wallet to read or none (wallet:read_write withdraws and transfers funds), then save. A trading bot never needs it.",
		exchanges.FixWithdrawUnknown:  "Open the key on Account → API and check that its Wallet scope is read or none, not read_write.",
		exchanges.FixIPUnrestricted:   "On Account → API edit the key and add {ips} to its IP whitelist, so the key works only from there.",
		exchanges.FixIPMissing:        "On Account → API edit the key and add {ips} to its IP whitelist, then save.",
		exchanges.FixBalanceEmpty:     "The Deribit account of this key holds nothing: deposit, or transfer funds to the subaccount the key belongs to, before the bot trades.",
		exchanges.FixKeyOld:           "Create a new key on Account → API (Add new key), switch the bot with `keywarden rotate {name}`, then remove the old key.",
		exchanges.FixKeyExpiring:      "Create a new key on Account → API and switch with `keywarden rotate {name}` before {date}.",
		exchanges.FixRateLimited:      "Deribit is rate-limiting the account (its request credits are shared by every key and bot of the account): slow the bots down, wait a few seconds and check again.",
	}
}
