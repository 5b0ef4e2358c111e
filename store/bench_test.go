package store

import (
	"testing"
)

// BenchmarkOpenAndRead is what every keywarden command that needs a key
// pays: open the folder, derive the key with the shipped Argon2id
// parameters (t=3, m=64 MiB, p=4), check the verifier, decrypt one item.
func BenchmarkOpenAndRead(b *testing.B) {
	dir := b.TempDir()
	pass := func(bool) (string, error) { return testPass, nil }
	s, err := Open(Options{Dir: dir, Passphrase: pass})
	if err != nil {
		b.Fatal(err)
	}
	mustAdd(b, s, "main")
	for b.Loop() {
		s, err := Open(Options{Dir: dir, Passphrase: pass})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Credentials("main"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCached is a read with the key already derived.
func BenchmarkReadCached(b *testing.B) {
	s, _ := openTest(b, b.TempDir(), testPass)
	mustAdd(b, s, "main")
	for b.Loop() {
		if _, err := s.Credentials("main"); err != nil {
			b.Fatal(err)
		}
	}
}
