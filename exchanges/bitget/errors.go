package bitget

import (
	"github.com/keywarden/keywarden/exchanges"
)

// check classifies an answer: nil when Bitget said "00000" with a 2xx
// status, else an *exchanges.Error with Bitget's own code and message.
func check(op string) func(*exchanges.Response) error {
	return func(r *exchanges.Response) error {
		if err := classify(op, r); err != nil {
			return err
		}
		return nil
	}
}

func classify(op string, r *exchanges.Response) *exchanges.Error {
	return exchanges.ClassifyCodeEnvelope(op, r, "Bitget", success, classOf)
}

// classOf maps Bitget's codes (api-doc common error codes, ccxt's table)
// into keywarden's classes; nil means not a code this table knows.
func classOf(code string) (cause string, class error) {
	switch code {
	case "40001", "40006", "40037":
		return "", exchanges.ErrBadKey
	case "40013", "40031":
		return "Bitget refuses the account behind this key (frozen or closed)", exchanges.ErrBadKey
	case "40002", "40003", "40009", "40010":
		return "", exchanges.ErrBadSignature
	case "40011", "40012":
		return "", exchanges.ErrBadPassphrase
	case "40004", "40008":
		return "ACCESS-TIMESTAMP is too far from Bitget's clock", exchanges.ErrClockSkew
	case "40005":
		return "Bitget could not read ACCESS-TIMESTAMP", exchanges.ErrClockSkew
	case "40018":
		return "", exchanges.ErrIPNotAllowed
	case "40099":
		return "the key belongs to the other Bitget environment: a demo key on live Bitget, or a live key in demo trading", exchanges.ErrWrongEnvironment
	case "40014":
		return "", exchanges.ErrPermission
	case "40016":
		return "Bitget wants a phone number or Google Authenticator bound to the account first", exchanges.ErrPermission
	case "429":
		return "", exchanges.ErrRateLimited
	case "40200":
		return "Bitget is upgrading its servers", exchanges.ErrUnavailable
	case "40308", "41114":
		return "the market is in maintenance", exchanges.ErrUnavailable
	case "40015":
		return "", exchanges.ErrUnavailable
	}
	return "", nil
}
