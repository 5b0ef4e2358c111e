package dbusguard

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// build compiles ./testdata/<name> into dir.
func build(t *testing.T, dir, name string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the probe programs")
	}
	bin := filepath.Join(dir, name)
	cmd := exec.Command(gobin, "build", "-o", bin, "./testdata/"+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", name, err, out)
	}
	return bin
}

// fakeDBusLaunch puts a dbus-launch first on PATH that records each call
// in the returned log file, and returns the environment to run with: this
// process's, without the variables the guard may have set.
func fakeDBusLaunch(t *testing.T, dir string) (env []string, log string) {
	t.Helper()
	bin := filepath.Join(dir, "fakebin")
	log = filepath.Join(dir, "dbus-launch.log")
	if err := os.Mkdir(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho called >> '" + log + "'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "DBUS_SESSION_BUS_ADDRESS", "DISABLE_KWALLET", Marker, "PATH":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return env, log
}

func calls(t *testing.T, log string) int {
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "called")
}

func hasUserBus() bool {
	fi, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus")
	return err == nil && fi.Mode()&os.ModeSocket != 0
}

func TestNoDBusLaunch(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("godbus execs dbus-launch only on Linux and the BSDs")
	}
	dir := t.TempDir()
	env, log := fakeDBusLaunch(t, dir)
	run := func(bin string, extra ...string) string {
		t.Helper()
		cmd := exec.Command(bin, filepath.Join(dir, "kw"))
		cmd.Env = append(append([]string{}, env...), extra...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", filepath.Base(bin), err, out)
		}
		return string(out)
	}

	// Control: without the guard, the fake dbus-launch is called.
	if hasUserBus() {
		t.Log("a per-user session bus exists: godbus would not call dbus-launch anyway; control skipped")
	} else {
		run(build(t, dir, "noguard"))
		if calls(t, log) == 0 {
			t.Fatal("control: keyring without the guard did not call the fake dbus-launch; the test cannot see calls")
		}
		_ = os.Remove(log)
	}

	withGuard := build(t, dir, "withguard")
	out := run(withGuard)
	if n := calls(t, log); n != 0 {
		t.Fatalf("with the guard, dbus-launch was called %d times", n)
	}
	if !hasUserBus() && (!strings.Contains(out, "DBUS_SESSION_BUS_ADDRESS="+Disabled+"\n") || !strings.Contains(out, "DISABLE_KWALLET=1\n")) {
		t.Fatalf("guard did not disable the bus:\n%s", out)
	}

	run(build(t, dir, "storeonly"))
	if n := calls(t, log); n != 0 {
		t.Fatalf("importing the store alone called dbus-launch %d times", n)
	}

	// A session that already has an address is left alone (and a dead
	// address still never leads to dbus-launch).
	out = run(withGuard, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(dir, "no-such-bus"))
	if !strings.Contains(out, "no-such-bus") || strings.Contains(out, "DISABLE_KWALLET=1") {
		t.Fatalf("guard changed a preset session bus:\n%s", out)
	}
	if n := calls(t, log); n != 0 {
		t.Fatalf("with a preset address, dbus-launch was called %d times", n)
	}
}

func TestClean(t *testing.T) {
	t.Setenv(Marker, "DBUS_SESSION_BUS_ADDRESS,DISABLE_KWALLET")
	in := []string{"PATH=/bin", "DBUS_SESSION_BUS_ADDRESS=disabled:", "DISABLE_KWALLET=1", Marker + "=x", "HOME=/h"}
	if got, want := Clean(in), []string{"PATH=/bin", "HOME=/h"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Clean = %v, want %v", got, want)
	}
	t.Setenv(Marker, "")
	in = []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1/bus", "DISABLE_KWALLET=1"}
	if got := Clean(in); !reflect.DeepEqual(got, in) {
		t.Fatalf("Clean removed variables the user set: %v", got)
	}
}

func TestItoa(t *testing.T) {
	for _, n := range []int{0, 7, 10, 1000, 65534} {
		if itoa(n) != strconv.Itoa(n) {
			t.Fatalf("itoa(%d) = %q", n, itoa(n))
		}
	}
}
