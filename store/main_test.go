package store

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// childEnv selects a child mode: the tests re-run this test binary
// (os.Args[0]) as separate keywarden processes.
const childEnv = "KEYWARDEN_STORE_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		if err := runChild(mode); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childStore opens KW_DIR with the test KDF and passphrase pass.
func childStore(pass string) (*Store, error) {
	return open(Options{Dir: os.Getenv("KW_DIR"), Passphrase: func(bool) (string, error) { return pass, nil }},
		hooks{kdf: testKDF()})
}

func runChild(mode string) error {
	switch mode {
	case "add-one":
		return childAddOne()
	case "churn":
		return childChurn()
	case "change":
		return childChange()
	}
	return fmt.Errorf("unknown child mode %q", mode)
}

// childAddOne waits for the start file, then adds one profile.
func childAddOne() error {
	s, err := childStore(os.Getenv("KW_PASS"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(os.Getenv("KW_GO")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return errors.New("no start signal")
		}
		time.Sleep(time.Millisecond)
	}
	name := os.Getenv("KW_NAME")
	return s.Add(profile(name), creds(name))
}

// childChurn adds profiles, replaces the keys of base ones and removes the
// oldest added ones, forever,
// reporting each finished operation on stdout.
func childChurn() error {
	s, err := childStore(os.Getenv("KW_PASS"))
	if err != nil {
		return err
	}
	if err := s.Unlock(); err != nil {
		return err
	}
	fmt.Println("ready")
	prefix := os.Getenv("KW_PREFIX")
	for i := 0; ; i++ {
		name := fmt.Sprintf("%s-%03d", prefix, i)
		if err := s.Add(profile(name), creds(name)); err != nil {
			return err
		}
		fmt.Println("added", name)
		// Rotate a base profile's key in place (to the same values, so
		// the parent knows what to expect): overwrites a live item.
		base := fmt.Sprintf("base-%d", i%3)
		if err := s.Replace(base, creds(base), nil); err != nil {
			return err
		}
		fmt.Println("replaced", base)
		ps, err := s.List()
		if err != nil {
			return err
		}
		var churned []string
		for _, p := range ps {
			if strings.HasPrefix(p.Name, "c") {
				churned = append(churned, p.Name)
			}
		}
		sort.Strings(churned)
		if len(churned) > 6 {
			if err := s.Remove(churned[0]); err != nil {
				return err
			}
			fmt.Println("removed", churned[0])
		}
	}
}

// childChange flips the passphrase between KW_PASS_A and KW_PASS_B forever.
func childChange() error {
	cur, other := os.Getenv("KW_PASS_A"), os.Getenv("KW_PASS_B")
	s, err := childStore(cur)
	if err != nil {
		return err
	}
	err = s.Unlock()
	if errors.Is(err, ErrWrongPassphrase) {
		cur, other = other, cur
		if s, err = childStore(cur); err == nil {
			err = s.Unlock()
		}
	}
	if err != nil {
		return err
	}
	fmt.Println("ready")
	for {
		if err := s.ChangePassphrase(other); err != nil {
			return err
		}
		fmt.Println("changed")
		cur, other = other, cur
	}
}
