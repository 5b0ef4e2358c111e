package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validProfilesJSON(t testing.TB) []byte {
	b, err := encodeProfiles(&profilesFile{Backend: BackendFile, Profiles: []Profile{{
		Name: "main", Exchange: "okx", Environment: "demo", Markets: []string{"spot", "futures"},
		BotIPs: []string{"203.0.113.9"}, Fingerprint: "ABCD…WXYZ", AddedAt: time.Unix(1700000000, 0).UTC(),
		RotationDays: 30, LastCheck: &CheckSummary{Counts: map[string]int{"pass": 3}, Worst: "pass"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func validKeyringJSON(t testing.TB) []byte {
	kf, _, err := newKeyringFile(testPass, *testKDF())
	if err != nil {
		t.Fatal(err)
	}
	kf.Items = "items.3"
	b, err := encodeKeyringFile(kf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCorruptFilesGiveClearErrors(t *testing.T) {
	prof := []string{
		"", "   ", "null", "[]", "{", `{"version":1,"profiles":[{"name":"../x"}]}`,
		`{"version":1,"profiles":[{"name":"a"},{"name":"a"}]}`, `{"version":2,"profiles":[]}`,
		`{"profiles":[]}`, `{"version":1,"backend":"gnome"}`, `{"version":1,"profiles":{}}`,
		`{"version":1,"profiles":[{"name":"a","rotation_days":-1}]}`, `{"version":"1"}`,
	}
	for _, doc := range prof {
		_, err := parseProfiles("/k/profiles.json", []byte(doc))
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "/k/profiles.json") {
			t.Errorf("profiles %q: err = %v", doc, err)
		}
	}
	kr := []string{
		"", "{}", "{", `{"version":1,"kdf":"scrypt"}`, `{"version":9}`,
		`{"version":1,"kdf":"argon2id","v":19,"t":3,"m":65536,"p":4,"salt":"AAAA","verifier":"AAAA","items":"items.1"}`,
		`{"version":1,"kdf":"argon2id","v":19,"t":99,"m":65536,"p":4}`,
		`{"version":1,"kdf":"argon2id","v":19,"t":3,"m":99999999999,"p":4}`,
		`{"version":1,"kdf":"argon2id","v":19,"t":3,"m":65536,"p":0}`,
		`{"version":1,"kdf":"argon2id","v":16,"t":3,"m":65536,"p":4}`,
	}
	good := string(validKeyringJSON(t))
	kr = append(kr, strings.Replace(good, `"items.3"`, `"../x"`, 1), strings.Replace(good, `"items.3"`, `"items.0"`, 1))
	for _, doc := range kr {
		_, err := parseKeyringFile("/k/keyring.json", []byte(doc))
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "/k/keyring.json") {
			t.Errorf("keyring %q: err = %v", doc, err)
		}
	}
	if _, err := parseKeyringFile("k", []byte(good)); err != nil {
		t.Fatalf("valid keyring.json refused: %v", err)
	}
}

func FuzzParseProfiles(f *testing.F) {
	f.Add(validProfilesJSON(f))
	f.Add([]byte(`{"version":1,"profiles":[]}`))
	f.Add([]byte(`{"version":1,"profiles":[{"name":"a","last_check":{"counts":{"pass":-1}}}]}`))
	f.Add([]byte(`{"version":1,"profiles":[{"name":"a","added_at":"not a time"}]}`))
	f.Add([]byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := parseProfiles("profiles.json", data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		// What parses must survive a write and a read unchanged.
		b, err := encodeProfiles(pf)
		if err != nil {
			t.Fatal(err)
		}
		pf2, err := parseProfiles("profiles.json", b)
		if err != nil {
			t.Fatalf("re-parse of own output: %v", err)
		}
		b2, _ := encodeProfiles(pf2)
		if string(b) != string(b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
	})
}

func FuzzParseKeyringFile(f *testing.F) {
	f.Add(validKeyringJSON(f))
	f.Add([]byte(`{"version":1,"kdf":"argon2id","v":19,"t":1,"m":8,"p":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","verifier":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","items":"items.1"}`))
	f.Add([]byte(`{"version":1,"t":-1,"m":-5,"p":300}`))
	f.Add([]byte(`{"salt":"%%%"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kf, err := parseKeyringFile("keyring.json", data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		p := kf.params()
		// Whatever parses is safe to hand to Argon2id: bounded cost.
		if p.Time < 1 || p.Time > maxKDFTime || p.Memory > maxKDFMemory || p.Threads < 1 ||
			p.Threads > maxKDFThreads || p.Memory < 8*uint32(p.Threads) || int64(p.Threads) != kf.Threads {
			t.Fatalf("out-of-bounds params accepted: %+v", kf)
		}
		if len(kf.Salt) < minSaltLen || len(kf.Verifier) != 32 || !generationPattern.MatchString(kf.Items) {
			t.Fatalf("bad salt, verifier or items accepted: %+v", kf)
		}
	})
}

// FuzzParseJournal: journal.json is read back after a crash; whatever it
// holds, parsing never panics, and only the three operations keywarden
// writes, naming item folders and profiles it could have written, pass.
func FuzzParseJournal(f *testing.F) {
	for _, s := range []string{
		`{"op":"create","to":"items.1"}`, `{"op":"rekey","from":"items.1","to":"items.2"}`,
		`{"op":"remove","profile":"main"}`, `{"op":"rekey","from":"items.1","to":"items.1"}`,
		`{"op":"remove","profile":"../x"}`, `{"op":"create","to":"../../etc"}`, `{"op":"x"}`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := parseJournal(data)
		if err != nil {
			return
		}
		for _, g := range []string{j.From, j.To} {
			if g != "" && !generationPattern.MatchString(g) {
				t.Fatalf("accepted item folder %q", g)
			}
		}
		if j.Profile != "" && ValidName(j.Profile) != nil {
			t.Fatalf("accepted profile %q", j.Profile)
		}
		if j.describe() == "" {
			t.Fatal("no description")
		}
	})
}
