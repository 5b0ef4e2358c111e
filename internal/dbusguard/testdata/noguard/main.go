// Command noguard imports the keyring library without the guard: the
// control that proves the test's fake dbus-launch would see a call.
package main

import (
	"fmt"

	"github.com/99designs/keyring"
)

func main() { fmt.Println(keyring.AvailableBackends()) }
