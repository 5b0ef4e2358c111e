// Package store keeps keywarden's profiles: non-secret metadata in
// profiles.json, and each profile's credentials as one encrypted item in a
// keyring built on github.com/99designs/keyring.
//
// The keyring library is used for what it does well (its file format and
// its OS keychain backends) and hardened where it is weak:
//
//   - Passphrase. The file backend's own KDF is PBKDF2 with 8192 rounds. The
//     store stretches the passphrase with Argon2id (t=3, m=64 MiB, p=4) and
//     hands keyring the base64 of the 32-byte result. Salt, parameters and a
//     verifier (HMAC-SHA256 of a fixed label under the key) live in
//     keyring.json, outside the item folder. The verifier is checked before
//     any item is read or written, so a wrong passphrase changes nothing and
//     the keyring never ends up under two passphrases. Empty passphrases are
//     refused, and new ones must have at least MinPassphraseLen characters.
//     The key is derived once per Store and cached.
//   - Crash safety. Items are written by the store itself with jose2go, in
//     the exact format keyring's file backend reads (minus its plaintext
//     "created" header): temp file in the sibling folder tmp/, fsync,
//     rename into the item folder, fsync the folder. profiles.json and
//     keyring.json are replaced atomically the same way. A passphrase
//     change builds a complete new generation folder items.N+1 and switches
//     to it by atomically replacing keyring.json, which names the current
//     generation; only then is the old one deleted. A journal
//     (journal.json) records each multi-file write before it starts, so
//     that the next write finishes or undoes exactly that one.
//   - Nothing is deleted because the metadata lost track of it. The
//     clean-up removes only what it can prove it wrote: temp files (by
//     name) and what the journal names. Items that no profile names are
//     kept, counted (UnnamedItems) and restored by doctor (Diagnose,
//     Recoverable, Restore): since item version 2 every item carries its
//     profile's metadata inside the encryption, so the profiles can be
//     rebuilt from the items alone.
//   - No links. Open resolves the keyring folder once (it may be reached
//     through symlinks) and refuses a folder owned by another user, and a
//     symbolic link or special file at any path it uses inside; every
//     later open passes O_NOFOLLOW as well (ErrUnsafe).
//   - Locking. Every operation holds a flock on the file "lock" (shared for
//     reads, exclusive for writes), so two keywarden processes never
//     interleave. The passphrase is asked (and verified) before the lock
//     is taken, so a person typing does not block other processes, and a
//     wrong one is refused before anything is read or written: also by
//     Remove, since deleting a secret deserves proof.
//   - Names. Item names are profile names, [a-z0-9][a-z0-9._-]{0,63}, so
//     "", "." and ".." never reach the library; Keys() is filtered.
//   - Permissions. The folder is 0700 and files 0600; looser modes found
//     at Open are tightened and reported through Options.Warn.
//
// On-disk layout of the file backend (Dir is Options.Dir):
//
//	Dir/               0700
//	  profiles.json    metadata of every profile (no secret)
//	  keyring.json     KDF params, salt, verifier, current item folder
//	  lock             flock target
//	  history.jsonl    the append-only log of each key's life
//	  journal.json     only while a multi-file write is under way
//	  items.N/         one JWE file per profile name (keyring's format)
//	  tmp/             temp files of item writes
//
// With the os backend, items go to the system keychain (service
// "keywarden") and Dir holds only profiles.json and lock.
//
// The store never prints: warnings go to Options.Warn. It never imports
// any UI package. It blank-imports internal/dbusguard, so that importing it
// can never start dbus-launch.
package store
