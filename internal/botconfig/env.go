package botconfig

import (
	"bytes"
	"strings"
)

// readEnv reads NAME=value lines the way dotenv loaders do: "export " is
// allowed before the name, spaces around '=', a value unquoted (ending at
// " #" or the line's end), in single quotes (taken as is) or in double
// quotes (escapes allowed, may span lines). Lines it cannot read are
// skipped.
func readEnv(data []byte) []Value {
	var out []Value
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		next := end + 1
		line := data[off:end]
		i := skipSpace(line, 0)
		if rest, ok := bytes.CutPrefix(line[i:], []byte("export ")); ok {
			i = len(line) - len(rest)
			i = skipSpace(line, i)
		}
		nameStart := i
		for i < len(line) && nameByte(line[i]) {
			i++
		}
		name := string(line[nameStart:i])
		i = skipSpace(line, i)
		if name == "" || i >= len(line) || line[i] != '=' {
			off = next
			continue
		}
		i = skipSpace(line, i+1)
		vStart := off + i
		var v Value
		switch {
		case i < len(line) && line[i] == '\'':
			close := bytes.IndexByte(line[i+1:], '\'')
			if close < 0 {
				off = next
				continue
			}
			s, e := vStart+1, vStart+1+close
			v = Value{Value: string(data[s:e]), Start: s, End: e, Exact: true}
		case i < len(line) && line[i] == '"':
			s := vStart + 1
			e, val, exact, ok := doubleQuoted(data, s)
			if !ok {
				off = next
				continue
			}
			v = Value{Value: val, Start: s, End: e, Exact: exact}
			if nl := bytes.IndexByte(data[e:], '\n'); nl >= 0 {
				next = e + nl + 1
			} else {
				next = len(data)
			}
		default:
			e := off + len(line)
			if c := bytes.Index(line[i:], []byte(" #")); c >= 0 {
				e = vStart + c
			}
			raw := strings.TrimRight(string(data[vStart:e]), " \t\r")
			v = Value{Value: raw, Start: vStart, End: vStart + len(raw), Exact: true}
		}
		field, group, style, ok := classify(name)
		if ok && v.Value != "" {
			v.Field, v.Group, v.Style, v.Name, v.Line = field, group, style, name, lineOf(data, v.Start)
			out = append(out, v)
		}
		off = next
	}
	return out
}

// doubleQuoted reads a double-quoted value starting after its opening
// quote at s: where it ends (the closing quote), its value with \n, \t,
// \", \\ unescaped, and whether it had no escape at all.
func doubleQuoted(data []byte, s int) (end int, val string, exact, ok bool) {
	var b strings.Builder
	exact = true
	for i := s; i < len(data); i++ {
		c := data[i]
		switch c {
		case '"':
			return i, b.String(), exact, true
		case '\\':
			exact = false
			if i+1 >= len(data) {
				return 0, "", false, false
			}
			i++
			switch data[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(data[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return 0, "", false, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}
