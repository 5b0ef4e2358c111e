package scan

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
)

// A key-shaped Binance secret the detector finds without a keyring.
const shapedLine = "BINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n"

// shapedPy is the same key as Python holds it: in code, only a quoted
// value is taken for one.
const shapedPy = "BINANCE_API_SECRET = \"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\"\n"

func staged(t *testing.T, dir string, stored ...Stored) Result {
	t.Helper()
	res, err := Staged(context.Background(), Options{Root: dir, Stored: stored, Infos: infos()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func paths(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path+":"+itoa(f.Line)+":"+f.Kind)
	}
	return out
}

func TestStagedReadsTheIndexNotTheWorkingTree(t *testing.T) {
	s, k := storedKey(t)
	r := newRepo(t)

	// Before the first commit: everything in the index is new.
	r.write("bot.py", "import os\n")
	r.write("notes.txt", "a\nauth "+base64.StdEncoding.EncodeToString([]byte(k.Secret))+"\n")
	r.git("add", "bot.py", "notes.txt")
	res := staged(t, r.dir, s)
	if got := paths(res.Findings); len(got) != 1 || got[0] != "notes.txt:2:stored-secret" || res.Files != 2 {
		t.Fatalf("unborn branch: %v (files %d)", got, res.Files)
	}
	if f := res.Findings[0]; f.Git != GitStaged || f.Encoding != "base64" || f.Profile != "main" || !validFingerprint(f.Fingerprint) {
		t.Errorf("%+v", f)
	}
	r.write("notes.txt", "clean\n")
	r.commit("start")

	// Staged with a key, then cleaned in the working tree only: the
	// commit would still record the key.
	r.write("settings.env", "# bot\n"+shapedLine)
	r.git("add", "settings.env")
	r.write("settings.env", "# bot\n")
	if got := strings.Join(paths(staged(t, r.dir).Findings), " "); got != "settings.env:0:exposed-file settings.env:2:key-shaped" {
		t.Errorf("staged key not found: %v", got)
	}
	r.git("reset", "-q")

	// The opposite: a key in the working tree, not staged.
	r.write("bot.py", "import os\n"+shapedPy)
	r.write("cfg/other.py", shapedPy)
	if got := staged(t, r.dir).Findings; len(got) != 0 {
		t.Errorf("unstaged changes reported: %v", paths(got))
	}

	// A rename with a change: reported under the new name, with the
	// line of the staged content.
	r.git("checkout", "-q", "--", "bot.py")
	r.git("mv", "bot.py", "strategy.py")
	r.write("strategy.py", "import os\n\n\n"+shapedPy)
	r.git("add", "strategy.py")
	got := staged(t, r.dir).Findings
	if len(got) != 1 || got[0].Path != "strategy.py" || got[0].Line != 4 || got[0].Kind != KindShaped {
		t.Errorf("rename: %v", paths(got))
	}
	r.commit("rename")

	// Deleting a file with a key stages nothing to scan.
	r.git("rm", "-q", "strategy.py")
	if got := staged(t, r.dir); len(got.Findings) != 0 || got.Files != 0 {
		t.Errorf("deletion: %v, files %d", paths(got.Findings), got.Files)
	}
}

// `git commit -a` and `git commit FILE` run the hook with GIT_INDEX_FILE
// set to the index git is about to commit.
func TestStagedHonoursGitIndexFile(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "a\n")
	r.commit("a")
	alt := filepath.Join(t.TempDir(), "index")
	r.git("read-tree", "--index-output="+alt, "HEAD")
	r.write("b.env", shapedLine)
	t.Setenv("GIT_INDEX_FILE", alt)
	r.git("add", "b.env")
	if got := staged(t, r.dir).Findings; len(got) == 0 {
		t.Error("the index named by GIT_INDEX_FILE was not read")
	}
	t.Setenv("GIT_INDEX_FILE", filepath.Join(r.dir, ".git", "index"))
	if got := staged(t, r.dir).Findings; len(got) != 0 {
		t.Errorf("the default index has nothing staged: %v", paths(got))
	}
}

func TestStagedOutsideARepository(t *testing.T) {
	_, err := Staged(context.Background(), Options{Root: t.TempDir(), Infos: infos()})
	if err == nil || !strings.Contains(err.Error(), "not inside a git repository") {
		t.Errorf("%v", err)
	}
}

// The fingerprint of a finding is the same staged, in the working tree and
// in the history, and survives lines added above it.
func TestFingerprintStableAcrossPlaces(t *testing.T) {
	r := newRepo(t)
	r.write("README.md", "x\n")
	r.commit("start")
	r.write("keys.env", "# keys\n"+shapedLine)
	r.git("add", "keys.env")
	st := staged(t, r.dir)
	var fp string
	for _, f := range st.Findings {
		if f.Kind == KindShaped {
			fp = f.Fingerprint
		}
	}
	if fp == "" {
		t.Fatalf("nothing staged found: %v", paths(st.Findings))
	}
	r.commit("keys")
	r.write("keys.env", "# keys\n# more\n"+shapedLine)
	res, err := Run(context.Background(), Options{Root: r.dir, Infos: infos()})
	if err != nil {
		t.Fatal(err)
	}
	if err := Fingerprint(context.Background(), r.dir, &res); err != nil {
		t.Fatal(err)
	}
	places := 0
	for _, f := range res.Findings {
		if f.Kind != KindShaped {
			continue
		}
		places++
		if f.Fingerprint != fp {
			t.Errorf("%s line %d commit %q: fingerprint %s, staged was %s", f.Path, f.Line, f.Commit, f.Fingerprint, fp)
		}
	}
	if places != 2 {
		t.Errorf("want the working tree and the history finding: %v", paths(res.Findings))
	}
}

func TestFingerprintHidesPassphrases(t *testing.T) {
	a := Finding{Kind: KindStored, Field: FieldPassphrase, Profile: "okx", Path: ".env", Line: 1}
	one := fingerprint(a, []byte("OKX_PASSPHRASE=hunter2\n"))
	two := fingerprint(a, []byte("OKX_PASSPHRASE=Tr4d1ng!\n"))
	if one != two {
		t.Error("a passphrase's fingerprint depends on its value: it could be guessed from it")
	}
	s := Finding{Kind: KindShaped, Field: FieldSecret, Path: ".env", Line: 1}
	if fingerprint(s, []byte("S=abc123abc123abc123\n")) == fingerprint(s, []byte("S=xyz789xyz789xyz789\n")) {
		t.Error("two different keys share a fingerprint")
	}
	if !validFingerprint(one) {
		t.Errorf("%q", one)
	}
}

func TestParseRawDiff(t *testing.T) {
	z := "\x00"
	out := ":000000 100644 " + strings.Repeat("0", 40) + " " + strings.Repeat("a", 40) + " A" + z + "new file.txt" + z +
		":100644 100644 " + strings.Repeat("b", 40) + " " + strings.Repeat("c", 40) + " R087" + z + "old.txt" + z + "dir/new.txt" + z +
		":000000 160000 " + strings.Repeat("0", 40) + " " + strings.Repeat("d", 40) + " A" + z + "sub" + z +
		":000000 120000 " + strings.Repeat("0", 40) + " " + strings.Repeat("e", 40) + " A" + z + "link" + z
	files, err := parseRawDiff([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != "new file.txt" || files[1].Path != "dir/new.txt" || files[1].Blob != strings.Repeat("c", 40) {
		t.Errorf("%+v", files)
	}
	for _, bad := range []string{"junk" + z + "x" + z, ":1 2 3 4 A" + z, ":100644 100644 a b R" + z + "x" + z} {
		if _, err := parseRawDiff([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseRawDiff(f *testing.F) {
	f.Add([]byte(":000000 100644 0000 aaaa A\x00a.txt\x00"))
	f.Add([]byte(":100644 100644 bbbb cccc R100\x00old\x00new\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		files, err := parseRawDiff(b)
		if err == nil {
			for _, f := range files {
				if f.Blob == "" {
					t.Fatalf("empty blob: %+v", f)
				}
			}
		}
	})
}
