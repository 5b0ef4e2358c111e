package exchanges

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
)

// CodeEnvelope is the answer OKX, Bitget and KuCoin wrap every result in:
// {"code": …, "msg": …, "data": …}, success being one code ("0",
// "00000", "200000"). The code is a string on the wire; a number is read
// the same way, so an odd gateway answer is still classified.
type CodeEnvelope struct {
	Code string
	Msg  string
	Data json.RawMessage
}

// ParseCodeEnvelope reads such an answer. It fails when the body is not
// one JSON object with a code; name is the exchange, for the error.
func ParseCodeEnvelope(body []byte, name string) (CodeEnvelope, error) {
	var raw struct {
		Code json.RawMessage `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	d := json.NewDecoder(bytes.NewReader(body))
	if d.Decode(&raw) != nil || len(bytes.TrimSpace(body[d.InputOffset():])) != 0 {
		return CodeEnvelope{}, errors.New("not the JSON " + name + " sends")
	}
	// "00000" is a string, not a JSON number: read either form.
	var code string
	if json.Unmarshal(raw.Code, &code) != nil {
		var n json.Number
		nd := json.NewDecoder(bytes.NewReader(raw.Code))
		nd.UseNumber()
		if nd.Decode(&n) == nil {
			code = n.String()
		}
	}
	if code == "" {
		return CodeEnvelope{}, errors.New("no code in the answer")
	}
	return CodeEnvelope{Code: code, Msg: raw.Msg, Data: raw.Data}, nil
}

// DecodeCodeEnvelope checks the answer says success and decodes its data
// into v (numbers into json.Number where v asks for one).
func DecodeCodeEnvelope(body []byte, success, name string, v any) error {
	e, err := ParseCodeEnvelope(body, name)
	if err != nil {
		return err
	}
	if e.Code != success {
		return errors.New("code " + e.Code + " where success (" + success + ") was expected")
	}
	if len(e.Data) == 0 || string(e.Data) == "null" {
		return errors.New("no data")
	}
	d := json.NewDecoder(bytes.NewReader(e.Data))
	d.UseNumber()
	if err := d.Decode(v); err != nil || len(bytes.TrimSpace(e.Data[d.InputOffset():])) != 0 {
		return errors.New("data is not what " + name + " sends")
	}
	return nil
}

// ClassifyCodeEnvelope classifies an answer in the {code, msg, data}
// envelope: nil for a 2xx with the success code, else an *Error keeping
// the exchange's code and message. classOf maps the exchange's codes
// (cause, class); a nil class falls back on the HTTP status. A rate limit
// keeps the Retry-After the exchange sent.
func ClassifyCodeEnvelope(op string, r *Response, name, success string, classOf func(code string) (string, error)) *Error {
	env, err := ParseCodeEnvelope(r.Body, name)
	ok2xx := r.Status >= 200 && r.Status < 300
	e := &Error{Op: op, HTTPStatus: r.Status}
	switch {
	case err != nil && ok2xx:
		e.Class, e.Cause = ErrMalformed, err.Error()
		return e
	case err != nil:
		e.Class = HTTPClass(r.Status)
	case env.Code == success && ok2xx:
		return nil
	default:
		e.Code, e.Message = env.Code, env.Msg
		e.Cause, e.Class = classOf(env.Code)
	}
	if e.Class == nil {
		switch {
		case r.Status == http.StatusTooManyRequests:
			e.Class = ErrRateLimited
		case r.Status >= 500:
			e.Class = ErrUnavailable
		case env.Code == success:
			// A success code with an error status: nothing to read.
			e.Class = HTTPClass(r.Status)
		default:
			e.Class, e.Cause = ErrMalformed, "unexpected answer"
		}
	}
	if e.Class == ErrRateLimited {
		e.RetryAfter = RetryAfter(r.Header, r.Recv)
	}
	return e
}
