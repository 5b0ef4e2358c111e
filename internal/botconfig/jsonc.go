package botconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// freqtradeFields are the credential members of freqtrade's top-level
// "exchange" object.
var freqtradeFields = map[string]string{"key": FieldKey, "secret": FieldSecret, "password": FieldPassphrase, "name": FieldExchange}

// readJSON reads a freqtrade config: JSON as freqtrade's loader accepts
// it (rapidjson with comments and trailing commas), reporting the string
// members key, secret, password and name of the top-level "exchange".
func readJSON(data []byte) ([]Value, error) {
	p := &jparser{data: data}
	p.ws()
	if err := p.value(nil); err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.data) {
		return nil, p.errf("extra text after the JSON value")
	}
	return p.out, nil
}

type jparser struct {
	data  []byte
	i     int
	depth int
	out   []Value
}

func (p *jparser) errf(format string, args ...any) error {
	return fmt.Errorf("not valid JSON at line %d: %s", lineOf(p.data, p.i), fmt.Sprintf(format, args...))
}

// ws skips white space and // and /* */ comments.
func (p *jparser) ws() {
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.i++
		case c == '/' && p.i+1 < len(p.data) && p.data[p.i+1] == '/':
			if nl := bytes.IndexByte(p.data[p.i:], '\n'); nl >= 0 {
				p.i += nl + 1
			} else {
				p.i = len(p.data)
			}
		case c == '/' && p.i+1 < len(p.data) && p.data[p.i+1] == '*':
			if end := bytes.Index(p.data[p.i+2:], []byte("*/")); end >= 0 {
				p.i += end + 4
			} else {
				p.i = len(p.data)
			}
		default:
			return
		}
	}
}

func (p *jparser) value(path []string) error {
	if p.i >= len(p.data) {
		return p.errf("the file ends where a value was expected")
	}
	switch p.data[p.i] {
	case '{':
		return p.nested(path, '}', true)
	case '[':
		return p.nested(path, ']', false)
	case '"':
		s, e, val, err := p.str()
		if err != nil {
			return err
		}
		if len(path) == 2 && path[0] == "exchange" {
			if f, ok := freqtradeFields[path[1]]; ok && val != "" {
				style := StyleFreqtrade
				if f == FieldExchange {
					style = ""
				}
				p.out = append(p.out, Value{Field: f, Group: "FREQTRADE", Name: "exchange." + path[1], Style: style, Value: val,
					Start: s, End: e, Line: lineOf(p.data, s), Exact: string(p.data[s:e]) == val}) // no escape, valid UTF-8
			}
		}
		return nil
	}
	start := p.i
	for p.i < len(p.data) && bytes.IndexByte([]byte("+-.0123456789eEtrufalsn"), p.data[p.i]) >= 0 {
		p.i++
	}
	if p.i == start {
		return p.errf("unexpected %q", p.data[p.i])
	}
	return nil
}

// nested reads an object (members) or an array up to close; a trailing
// comma is allowed, as freqtrade allows it.
func (p *jparser) nested(path []string, close byte, members bool) error {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return p.errf("nested more than %d levels", maxDepth)
	}
	p.i++
	for {
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == close {
			p.i++
			return nil
		}
		sub := append(append([]string(nil), path...), "[]") // an array's element
		if members {
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return p.errf("a member name in double quotes was expected")
			}
			_, _, name, err := p.str()
			if err != nil {
				return err
			}
			p.ws()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return p.errf("':' was expected after a member name")
			}
			p.i++
			p.ws()
			sub = append(append([]string(nil), path...), name)
		}
		if err := p.value(sub); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.data) {
			return p.errf("the file ends inside an object or array")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case close:
			p.i++
			return nil
		default:
			return p.errf("',' or '%c' was expected", close)
		}
	}
}

// str reads a string at p.i: the span of its content (inside the quotes)
// and its decoded value.
func (p *jparser) str() (start, end int, val string, err error) {
	start = p.i + 1
	for i := start; i < len(p.data); i++ {
		switch p.data[i] {
		case '\\':
			i++
		case '"':
			if err := json.Unmarshal(p.data[p.i:i+1], &val); err != nil {
				return 0, 0, "", p.errf("a string that is not valid JSON")
			}
			p.i = i + 1
			return start, i, val, nil
		}
	}
	return 0, 0, "", p.errf("a string is not closed")
}
