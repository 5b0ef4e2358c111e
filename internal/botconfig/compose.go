package botconfig

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// readCompose reads services.*.environment of a docker-compose file, in
// both forms: a mapping (NAME: value) and a list ("NAME=value"). Values
// set through anchors, aliases or merge keys are skipped (their text is
// elsewhere in the file), and so are values written as block scalars.
func readCompose(data []byte) (vs []Value, err error) {
	defer func() {
		// The YAML parser is third-party code fed hostile input: a
		// panic in it is a file we cannot read, not a crash.
		if r := recover(); r != nil {
			vs, err = nil, errors.New("not valid YAML")
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not valid YAML: %s", firstLine(err.Error()))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	services := member(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil, errors.New("no services: mapping: not a docker-compose file")
	}
	lines := lineStarts(data)
	var out []Value
	for i := 0; i+1 < len(services.Content); i += 2 {
		svc := services.Content[i].Value
		env := member(services.Content[i+1], "environment")
		if env == nil {
			continue
		}
		switch env.Kind {
		case yaml.MappingNode:
			for j := 0; j+1 < len(env.Content); j += 2 {
				k, v := env.Content[j], env.Content[j+1]
				if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
					continue
				}
				if val, ok := scalarValue(data, lines, v, 0, v.Value); ok {
					out = appendValue(out, k.Value, svc, val)
				}
			}
		case yaml.SequenceNode:
			for _, item := range env.Content {
				if item.Kind != yaml.ScalarNode {
					continue
				}
				name, value, found := strings.Cut(item.Value, "=")
				if !found {
					continue
				}
				if val, ok := scalarValue(data, lines, item, len(name)+1, value); ok {
					out = appendValue(out, name, svc, val)
				}
			}
		}
	}
	return out, nil
}

func appendValue(out []Value, name, service string, v Value) []Value {
	field, group, style, ok := classify(name)
	if !ok || v.Value == "" {
		return out
	}
	v.Field, v.Group, v.Style, v.Name, v.Service = field, group, style, strings.TrimSpace(name), service
	return append(out, v)
}

// member returns the value of key in a mapping node.
func member(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scalarValue locates a scalar's text in data: skip bytes into the
// scalar's value (the "NAME=" of a list item), value the part wanted. The
// span is exact when the file holds value verbatim there (plain, or quoted
// without escapes); otherwise the value is still reported, not exact.
func scalarValue(data []byte, lines []int, n *yaml.Node, skip int, value string) (Value, bool) {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Alias != nil || n.Anchor != "" {
		return Value{}, false
	}
	start, ok := offsetOf(data, lines, n.Line, n.Column)
	if !ok {
		return Value{}, false
	}
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	if quoted {
		start++ // the opening quote
	}
	s := start + skip
	e := s + len(value)
	v := Value{Value: value, Start: s, End: e, Line: n.Line}
	if e <= len(data) && string(data[s:e]) == value {
		v.Exact = true
		if quoted && (e >= len(data) || (data[e] != '"' && data[e] != '\'')) {
			v.Exact = false // an escape or a doubled quote inside
		}
	}
	if !v.Exact {
		v.Start, v.End = s, s
	}
	return v, true
}

// lineStarts is the byte offset of each line's start.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offsetOf turns YAML's 1-based line and column (counted in characters)
// into a byte offset.
func offsetOf(data []byte, lines []int, line, col int) (int, bool) {
	if line < 1 || line > len(lines) || col < 1 {
		return 0, false
	}
	off := lines[line-1]
	for c := 1; c < col; c++ {
		if off >= len(data) || data[off] == '\n' {
			return 0, false
		}
		_, w := utf8.DecodeRune(data[off:])
		off += w
	}
	return off, true
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.ToValidUTF8(s, "?")
}
