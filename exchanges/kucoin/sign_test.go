package kucoin

import "testing"

// The KuCoin doc secret from "Signing a Message" (kucoin-api-docs).
const docSecret = "f03a5284-5c39-4aaa-9b20-dea10bdcf8e3"

// Published vector (reference A.1): the curl example's KC-API-SIGN.
func TestSignPublishedVector(t *testing.T) {
	pre := Prehash("1547015186532", "POST", "/api/v1/deposit-addresses", `{"currency":"BTC"}`)
	if pre != `1547015186532POST/api/v1/deposit-addresses{"currency":"BTC"}` {
		t.Fatalf("prehash = %q", pre)
	}
	if got, want := Sign(docSecret, pre), "7QP/oM0ykidMdrfNEUmng8eZjg/ZvPafjIqmxiVfYu4="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// Derived vectors (reference A.2): a GET and the v2/v3 passphrase.
func TestSignDerivedVectors(t *testing.T) {
	if got, want := Sign(docSecret, Prehash("1547015186532", "GET", "/api/v1/accounts", "")), "LzU6+3FbWQMNM8RFHTcMr6MopjKAd/KBTPL3dipxL6o="; got != want {
		t.Errorf("GET /api/v1/accounts: Sign = %s, want %s", got, want)
	}
	if got, want := Passphrase(docSecret, "Ab12345678)(*&^%$#@"), "F2p2bNS1bBehHvC/Z4YkB7l1Wd0Pq2iV/oLHM/DyE+I="; got != want {
		t.Errorf("Passphrase = %s, want %s", got, want)
	}
	// The doc's own KC-API-PASSPHRASE header is plain base64 of the
	// passphrase (a version 1 leftover), not the v2 form: it must differ.
	if Passphrase(docSecret, "Ab12345678)(*&^%$#@") == "QWIxMjM0NTY3OCkoKiZeJSQjQA==" {
		t.Error("the v2 passphrase equals the doc's plain base64 header")
	}
}
