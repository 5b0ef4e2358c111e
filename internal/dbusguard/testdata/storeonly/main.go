// Command storeonly imports the store and nothing else of keywarden: the
// store must bring the guard along.
package main

import (
	"fmt"
	"os"

	"github.com/keywarden/keywarden/store"
)

func main() {
	if _, err := store.Open(store.Options{Dir: os.Args[1]}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}
