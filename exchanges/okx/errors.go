package okx

import (
	"github.com/keywarden/keywarden/exchanges"
)

// check classifies an answer: nil when OKX said code "0" with a 2xx
// status, else an *exchanges.Error with OKX's own code and message. OKX
// puts some errors in HTTP 200 answers (50011, 50119, 50120), so the code
// decides, not the status.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if err := classify(op, r); err != nil {
			return err
		}
		return nil
	}
}

// classify returns nil for success, or the classified error.
func classify(op string, r *exchanges.Response) *exchanges.Error {
	return exchanges.ClassifyCodeEnvelope(op, r, "OKX", "0", classOf)
}

// classOf maps OKX's codes (docs-v5 "Error Code → REST API → Public") into
// keywarden's classes; nil means not a code this table knows.
func classOf(code string) (cause string, class error) {
	switch code {
	case "50101":
		return "the key belongs to the other OKX environment: a Demo Trading key on live OKX, or a live key in Demo Trading", exchanges.ErrWrongEnvironment
	case "50102":
		return "OK-ACCESS-TIMESTAMP is more than 30 s away from OKX's clock", exchanges.ErrClockSkew
	case "50112", "50107":
		return "OKX could not read OK-ACCESS-TIMESTAMP", exchanges.ErrClockSkew
	case "50103", "50111", "50119", "50114":
		return "", exchanges.ErrBadKey
	case "50100":
		return "OKX has frozen this API key: contact OKX customer service, or create a new key", exchanges.ErrBadKey
	case "50007", "50008", "50012":
		return "OKX refuses the account behind this key", exchanges.ErrBadKey
	case "50104", "50105":
		return "", exchanges.ErrBadPassphrase
	case "50106", "50113":
		return "", exchanges.ErrBadSignature
	case "50110":
		return "", exchanges.ErrIPNotAllowed
	case "50121":
		return "OKX refuses service to this IP address (a regional restriction, not the key's IP whitelist)", exchanges.ErrUnavailable
	case "50120", "50030", "50035":
		return "", exchanges.ErrPermission
	case "50011", "50013", "50040", "50061":
		return "", exchanges.ErrRateLimited
	case "50001", "50004", "50005", "50026":
		return "", exchanges.ErrUnavailable
	case "50038":
		return "not offered in Demo Trading", exchanges.ErrUnsupported
	}
	return "", nil
}
