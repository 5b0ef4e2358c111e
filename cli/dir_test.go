package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmptyDirRefused: `--dir ""` and a set but empty KEYWARDEN_DIR are
// refused, never silently replaced by the default folder.
func TestEmptyDirRefused(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"flag", nil, []string{"--dir", "", "list"}, "--dir is empty"},
		{"flag with =", nil, []string{"--dir=", "list"}, "--dir is empty"},
		{"blank flag", nil, []string{"--dir", "  ", "list"}, "--dir is empty"},
		{"env", map[string]string{"KEYWARDEN_DIR": ""}, []string{"list"}, "KEYWARDEN_DIR is set but empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			delete(c.env, "KEYWARDEN_DIR")
			for k, v := range tc.env {
				c.env[k] = v
			}
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			_, e, code := c.run("", tc.args...)
			if code != 2 || !strings.Contains(e, tc.want) {
				t.Fatalf("exit %d, want 2 with %q: %s", code, tc.want, e)
			}
			if _, err := os.Stat(filepath.Join(home, ".config", "keywarden")); !os.IsNotExist(err) {
				t.Fatalf("the default folder was used: %v", err)
			}
		})
	}
}
