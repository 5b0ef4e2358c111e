package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
)

// plantedSecret stands for a secret pasted where a field name, or a value
// of the wrong type, was expected: no part of it may be printed.
const plantedSecret = "Zq9xK2vLw8PmN4tRb7YcH3sDf6GjA1eU"

// add never echoes any part of stdin: a problem is named by its position
// (field number, byte offset) and the names add accepts.
func TestAddNeverEchoesStdin(t *testing.T) {
	c := newCLI(t)
	key := `"key":"` + goodKey + `"`
	sec := `"secret":"` + goodSecret + `"`
	cases := []struct {
		name, stdin, want string
	}{
		{"secret as a field name", `{` + key + `,"` + plantedSecret + `":"x",` + sec + `}`, "field 2"},
		{"secret as the only field name", `{"` + plantedSecret + `": "` + plantedSecret + `"}`, "field 1"},
		{"field name with escapes", `{` + key + `,` + sec + `,"\u001b[2J` + plantedSecret + `":"x"}`, "field 3"},
		{"secret as a number value", `{"key": ` + "1" + plantedSecret[3:4] + `, ` + sec + `}`, "byte"},
		{"secret unquoted", `{"key": "` + goodKey + `", "secret": ` + plantedSecret + `}`, "not valid JSON"},
		{"secret in an object", `{` + key + `, "secret": {"` + plantedSecret + `": 1}}`, `"secret" must be a string`},
		{"secret in an array", `{` + key + `, "secret": ["` + plantedSecret + `"]}`, `"secret" must be a string`},
		{"secret in a duplicate", `{` + key + `, "secret": "` + plantedSecret + `", ` + sec + `}`, `"secret" appears twice`},
		{"secret after the object", `{` + key + `,` + sec + `} "` + plantedSecret + `"`, "extra data"},
		{"secret as a PEM type", `{"key": "` + goodKey + `", "secret": "-----BEGIN ` + plantedSecret + `-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END ` + plantedSecret + `-----"}`, "not a private key"},
		{"secret cut short", `{"key": "` + goodKey + `", "secret": "` + plantedSecret, "cut short"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := c.run(tc.stdin, "add", "x", "--exchange", "binance")
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, errOut)
			}
			for i := 0; i+8 <= len(plantedSecret); i++ {
				if part := plantedSecret[i : i+8]; strings.Contains(out+errOut, part) {
					t.Fatalf("output repeats %q of stdin: %s%s", part, out, errOut)
				}
			}
			if strings.Contains(out+errOut, "\x1b") {
				t.Errorf("an escape sequence from stdin reached the output: %q", errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not say %q", errOut, tc.want)
			}
		})
	}
}

// FuzzParseCredentials: whatever surrounds a planted secret on stdin, no
// error repeats any 8 characters of it, and a success holds only the
// accepted names.
func FuzzParseCredentials(f *testing.F) {
	for _, s := range [][2]string{
		{`{"`, `": "x"}`},
		{`{"key": "`, `"}`},
		{`{"key": `, `}`},
		{`{"key": "a", "`, `": 1}`},
		{`{"secret": ["`, `"]}`},
		{`{"key": "a"} "`, `"`},
		{`{"KEY": "a", "Secret": "`, `", "passphrase": null}`},
		{`{"key": "a", "key": "`, `"}`},
		{`[`, `]`},
		{`{"key": "\u00`, `"}`},
		{`{"\ud800`, `": ""}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Add(`{"key": "a", "secret": "-----BEGIN `, `-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END X-----"}`)
	infos := []exchanges.Info{}
	for _, ad := range all.Adapters() {
		infos = append(infos, ad.Info())
	}
	f.Fuzz(func(t *testing.T, prefix, suffix string) {
		in := []byte(prefix + plantedSecret + suffix)
		echoes := func(err error) {
			for i := 0; i+8 <= len(plantedSecret); i++ {
				if strings.Contains(err.Error(), plantedSecret[i:i+8]) {
					t.Fatalf("the error repeats stdin: %v", err)
				}
			}
		}
		if _, err := parseCredentials(in); err != nil {
			echoes(err)
			return
		}
		// The validators of every exchange see the values too.
		for _, info := range infos {
			if _, _, err := readCredentials(bytes.NewReader(in), info); err != nil {
				echoes(err)
			}
		}
	})
}
