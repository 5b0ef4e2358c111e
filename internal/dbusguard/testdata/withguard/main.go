// Command withguard is how keywarden's main imports the guard and the store:
// it opens a file keyring and prints what the guard left in the environment.
package main

import (
	"fmt"
	"os"

	_ "github.com/keywarden/keywarden/internal/dbusguard"
	"github.com/keywarden/keywarden/store"
)

func main() {
	s, err := store.Open(store.Options{Dir: os.Args[1]})
	if err == nil {
		_, err = s.List()
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("DBUS_SESSION_BUS_ADDRESS=%s\nDISABLE_KWALLET=%s\n", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), os.Getenv("DISABLE_KWALLET"))
}
