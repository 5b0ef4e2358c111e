// Package dbusguard stops the keyring library from starting dbus-launch.
//
// github.com/99designs/keyring registers its secret-service and kwallet
// backends from init functions that connect to the D-Bus session bus. When
// DBUS_SESSION_BUS_ADDRESS is unset and no per-user bus socket exists,
// godbus then execs dbus-launch: a hang on WSL and headless hosts, and a
// leaked dbus-daemon per run. This package's init runs before keyring's
// (packages initialise in import-path order once their dependencies are
// ready, and this one needs only os) and, when no address is set:
//
//   - points DBUS_SESSION_BUS_ADDRESS at the per-user bus socket
//     (/run/user/<uid>/bus) when it exists, which is what godbus would find
//     by itself, so `--backend os` keeps working over SSH on systemd hosts;
//   - otherwise sets it to "disabled:", an address that fails at once, so
//     those backends are simply not registered, and sets DISABLE_KWALLET=1
//     (unless the user set it) so kwallet does not even try.
//
// A desktop session with a real bus address is left untouched. The names
// of the variables it set are recorded in Marker, so that a process that
// hands its environment to a child (keywarden exec) can drop them with
// Clean.
//
// main blank-imports this package, and so does the store package, so that
// importing the store alone can never start dbus-launch. It imports only os
// to stay first in the initialisation order.
package dbusguard

import "os"

// Marker is the environment variable in which the guard lists, comma
// separated, the variables it set itself.
const Marker = "KEYWARDEN_DBUSGUARD_SET"

// Disabled is the bus address the guard sets when there is no session bus.
const Disabled = "disabled:"

func init() {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	set := "DBUS_SESSION_BUS_ADDRESS"
	if sock := userBus(); sock != "" {
		_ = os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)
	} else {
		_ = os.Setenv("DBUS_SESSION_BUS_ADDRESS", Disabled)
		if _, ok := os.LookupEnv("DISABLE_KWALLET"); !ok {
			_ = os.Setenv("DISABLE_KWALLET", "1")
			set += ",DISABLE_KWALLET"
		}
	}
	_ = os.Setenv(Marker, set)
}

// userBus returns the per-user session bus socket, or "".
func userBus() string {
	uid := os.Getuid()
	if uid < 0 { // Windows
		return ""
	}
	p := "/run/user/" + itoa(uid) + "/bus"
	if fi, err := os.Stat(p); err == nil && fi.Mode()&os.ModeSocket != 0 {
		return p
	}
	return ""
}

// itoa formats a non-negative int without importing strconv.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Clean returns env (in os.Environ form) without the variables the guard
// set in this process, so that a child process sees the environment the
// user gave keywarden.
func Clean(env []string) []string {
	set := os.Getenv(Marker)
	drop := map[string]bool{Marker: true}
	for start, i := 0, 0; i <= len(set); i++ {
		if i == len(set) || set[i] == ',' {
			if i > start {
				drop[set[start:i]] = true
			}
			start = i + 1
		}
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name := kv
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				name = kv[:i]
				break
			}
		}
		if !drop[name] {
			out = append(out, kv)
		}
	}
	return out
}
