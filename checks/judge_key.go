package checks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
)

// authClasses orders errors by how much they tell: when both signed
// requests failed, the more specific cause is the one reported.
var authClasses = []error{
	exchanges.ErrIPNotAllowed, exchanges.ErrWrongEnvironment, exchanges.ErrBadPassphrase,
	exchanges.ErrBadSignature, exchanges.ErrExpired, exchanges.ErrBadKey, exchanges.ErrClockSkew,
	exchanges.ErrRedirect, exchanges.ErrRateLimited, exchanges.ErrTimeout, exchanges.ErrUnavailable, exchanges.ErrMalformed,
	exchanges.ErrUnsupported,
}

// authOutcome says whether the exchange accepted a signed request, and if
// not, the error that explains why. A permission error counts as accepted
// when the exchange itself said so (its own code or message, or evidence
// the adapter gathered): it knew who was asking and refused only the
// action. A bare HTTP 403 does not count: a firewall or proxy answers so
// without ever looking at the key.
func authOutcome(f Facts) (bool, error) {
	kErr, bErr := f.Key.Err, f.Balance.Err
	accepted := func(err error) bool { return err == nil || exchangeRefusedAction(err) }
	if (f.Key.Done && accepted(kErr)) || (f.Balance.Done && accepted(bErr)) {
		return true, nil
	}
	for _, c := range authClasses {
		for _, err := range []error{kErr, bErr} {
			if err != nil && errors.Is(err, c) {
				return false, err
			}
		}
	}
	if kErr != nil {
		return false, kErr
	}
	return false, bErr
}

// exchangeRefusedAction reports a permission error that the exchange
// explained, so the key itself was recognised.
func exchangeRefusedAction(err error) bool {
	if !errors.Is(err, exchanges.ErrPermission) {
		return false
	}
	e, ok := exchanges.AsError(err)
	return ok && (e.Code != "" || e.Message != "" || e.Cause != "")
}

func (f Facts) ipVar() string {
	if f.PublicIP.Err == nil && f.PublicIP.Value != "" {
		return f.PublicIP.Value
	}
	return "this machine's public IP"
}

func judgeAuth(f Facts) Result {
	r := Result{ID: "auth"}
	ok, err := authOutcome(f)
	if ok {
		r.Status = Pass
		r.Summary = "a signed request was accepted"
		r.Detail = "key " + f.Profile.Name + " on " + f.envName()
		return r
	}
	r.Status = Fail
	r.Detail = errDetail(err)
	name := f.Info.Name
	switch {
	case errors.Is(err, exchanges.ErrIPNotAllowed):
		r.Summary, r.Cause = fmt.Sprintf("rejected: this machine's IP %s is not on the key's whitelist", f.ipVar()), CauseIPNotAllowed
		r.Fix = f.fix(exchanges.FixIPNotAllowed, map[string]string{"ip": f.ipVar(), "ips": f.ipVar()})
	case errors.Is(err, exchanges.ErrWrongEnvironment):
		r.Summary, r.Cause = "rejected: the key belongs to another environment than "+f.envName(), CauseWrongEnv
		r.Fix = f.fix(exchanges.FixWrongEnvironment, nil)
	case errors.Is(err, exchanges.ErrBadPassphrase) && errors.Is(err, exchanges.ErrBadSignature):
		r.Summary, r.Cause = "rejected: wrong API passphrase or secret ("+name+" does not say which)", CauseBadPassphrase
		r.Fix = f.fix(exchanges.FixBadPassphrase, nil)
	case errors.Is(err, exchanges.ErrBadPassphrase):
		r.Summary, r.Cause = "rejected: wrong API passphrase", CauseBadPassphrase
		r.Fix = f.fix(exchanges.FixBadPassphrase, nil)
	case errors.Is(err, exchanges.ErrBadSignature):
		r.Summary, r.Cause = "rejected: the secret does not match the API key", CauseBadSignature
		r.Fix = f.fix(exchanges.FixBadSignature, nil)
	case errors.Is(err, exchanges.ErrExpired):
		r.Summary, r.Cause = "rejected: the key has expired", CauseExpired
		r.Fix = f.fix(exchanges.FixExpired, nil)
	case errors.Is(err, exchanges.ErrBadKey):
		r.Summary, r.Cause = "rejected: "+name+" does not accept this API key", CauseBadKey
		r.Fix = f.fix(exchanges.FixBadKey, nil)
	case errors.Is(err, exchanges.ErrClockSkew) && f.Info.Clock.Ahead == 0 && f.Info.Clock.Behind == 0:
		r.Summary, r.Cause = "rejected: "+name+" refused the request's nonce (the key already used a higher one)", CauseNonce
		r.Fix = f.fix(exchanges.FixClock, nil)
	case errors.Is(err, exchanges.ErrClockSkew):
		r.Summary, r.Cause = "rejected: the request's timestamp is outside "+name+"'s window (this machine's clock)", CauseClockSkew
		r.Fix = f.fix(exchanges.FixClock, nil)
	default:
		// Not learned is not verified: a fail with its cause.
		r = f.unreachable(r, "a signed request", err)
		r.Status = Fail
	}
	return r
}

// afterAuth returns a skip result when authentication failed.
func afterAuth(f Facts, id string) (Result, bool) {
	if ok, _ := authOutcome(f); ok {
		return Result{ID: id}, true
	}
	return Result{ID: id, Status: Skip, Summary: "skipped: the key was not accepted (see auth)", Cause: CauseSkipped}, false
}

func judgeRead(f Facts) Result {
	r, ok := afterAuth(f, "read")
	if !ok {
		return r
	}
	read := exchanges.Unknown
	if f.Key.Err == nil {
		read = f.Key.Value.Read
	}
	switch {
	case read == exchanges.No || (read == exchanges.Unknown && errors.Is(f.Balance.Err, exchanges.ErrPermission)):
		r.Status, r.Cause = Fail, CauseReadMissing
		r.Summary = "the key cannot read account data"
		if f.Balance.Err != nil {
			r.Detail = errDetail(f.Balance.Err)
		}
		r.Fix = f.fix(exchanges.FixReadMissing, nil)
	case read == exchanges.Yes:
		r.Status = Pass
		r.Summary = "read permission on"
		r.Detail = f.evidence("read")
	case f.Balance.Err == nil:
		r.Status = Pass
		r.Summary = "account data read"
	default:
		r.Status, r.Cause = Warn, CauseReadUnknown
		r.Summary = "read permission unknown: the account could not be read"
		r.Detail = errDetail(f.Balance.Err)
		r.Fix = f.fix(exchanges.FixReadMissing, nil)
	}
	return r
}

func judgeTrade(f Facts) Result {
	r, ok := afterAuth(f, "trade")
	if !ok {
		return r
	}
	if f.Key.Err != nil && errors.Is(f.Key.Err, exchanges.ErrUnsupported) {
		r.Status, r.Cause = Skip, CauseSkipped
		r.Summary = "skipped: " + f.envName() + " tells nothing about trade permissions"
		r.Detail = errDetail(f.Key.Err)
		return r
	}
	var missing, unknown, on []string
	var perms []string
	for _, m := range f.Profile.Markets {
		flag := exchanges.Unknown
		if f.Key.Err == nil && f.Info.HasMarket(m) {
			flag = f.Key.Value.TradeFor(m)
		}
		switch flag {
		case exchanges.Yes:
			on = append(on, string(m))
		case exchanges.No:
			missing = append(missing, string(m))
			if p := f.Info.Guide.Trade[m]; p != "" {
				perms = append(perms, p)
			}
		default:
			unknown = append(unknown, string(m))
		}
	}
	r.Detail = f.evidence("trade")
	switch {
	case len(missing) > 0:
		r.Status, r.Cause = Fail, CauseTradeMissing
		r.Summary = "trading is off for " + strings.Join(missing, ", ")
		perm := strings.Join(perms, "; ")
		if perm == "" {
			perm = strings.Join(missing, ", ") + " trading"
		}
		r.Fix = f.fix(exchanges.FixTradeMissing, map[string]string{"market": strings.Join(missing, ", "), "permission": perm})
	case len(unknown) > 0:
		r.Status, r.Cause = Warn, CauseTradeUnknown
		r.Summary = f.Info.Name + " does not tell whether the key may trade " + strings.Join(unknown, ", ")
		if f.Key.Err != nil {
			r.Detail = joinDetail(errDetail(f.Key.Err), r.Detail)
		}
		r.Fix = "Open the key on " + f.Info.Name + "'s API page and verify by hand that trading is on for " + strings.Join(unknown, ", ") + "."
	case len(on) == 0:
		r.Status, r.Cause = Skip, CauseSkipped
		r.Summary = "skipped: the profile trades no market"
	default:
		r.Status = Pass
		r.Summary = "trading on for " + strings.Join(on, ", ")
	}
	return r
}

func judgeWithdraw(f Facts) Result {
	r, ok := afterAuth(f, "withdraw_disabled")
	if !ok {
		return r
	}
	w := exchanges.Unknown
	if f.Key.Err == nil {
		w = f.Key.Value.Withdraw
		if f.Key.Value.Transfer == exchanges.Yes && w != exchanges.Yes {
			r.Detail = "internal transfers between your own accounts are allowed"
		}
		r.Detail = joinDetail(r.Detail, f.evidence("withdraw"))
	} else {
		r.Detail = errDetail(f.Key.Err)
	}
	switch w {
	case exchanges.No:
		r.Status = Pass
		r.Summary = "withdrawals are off"
	case exchanges.Yes:
		r.Status, r.Cause = Fail, CauseWithdrawalsOn
		r.Summary = "withdrawals are ON: whoever gets this key can move funds out"
		r.Fix = f.fix(exchanges.FixWithdrawOn, nil)
	default:
		r.Status, r.Cause = Warn, CauseWithdrawUnkn
		r.Summary = f.Info.Name + " does not tell whether withdrawals are on"
		r.Fix = f.fix(exchanges.FixWithdrawUnknown, nil)
	}
	return r
}
