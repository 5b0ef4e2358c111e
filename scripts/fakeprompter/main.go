//go:build linux

// Command fakeprompter answers GNOME Keyring's password prompts on a
// headless machine, for scripts/os-keychain.sh only.
//
// GNOME Keyring asks for the password of a new collection (keywarden's
// "keywarden") through a system prompter on the session bus: gcr's
// org.gnome.keyring.SystemPrompter, a graphical dialog. A CI machine has
// no display, so the first `keywarden add --backend os` would fail there.
// This program owns that bus name in the test's private session and
// answers every password prompt with the password it reads from stdin,
// and every confirmation with yes, speaking gcr's prompter protocol
// (org.gnome.keyring.internal.Prompter, with its "sx-aes-1" secret
// exchange: DH over the 1536-bit IKE group, HKDF-SHA256, AES-128-CBC).
// It prints "ready" once it owns the name, and one line per prompt
// answered (never the password) on stderr.
package main

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"

	"github.com/godbus/dbus"
)

const (
	busName      = "org.gnome.keyring.SystemPrompter"
	prompterPath = "/org/gnome/keyring/Prompter"
	prompterIfc  = "org.gnome.keyring.internal.Prompter"
	callbackIfc  = "org.gnome.keyring.internal.Prompter.Callback"
	protocol     = "sx-aes-1"
)

// modp1536 is the 1536-bit MODP group of RFC 3526 (generator 2), gcr's
// "ietf-ike-grp-modp-1536".
var modp1536, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"+
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5"+
	"AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"+
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327"+
	"FFFFFFFFFFFFFFFF", 16)

// exchange is the prompter's side of one secret exchange.
type exchange struct {
	priv, pub *big.Int
	key       []byte // AES-128 key, once the peer's public key is known
}

func newExchange() (*exchange, error) {
	max := new(big.Int).Rsh(modp1536, 1)
	priv, err := rand.Int(rand.Reader, max)
	if err != nil {
		return nil, err
	}
	priv.Add(priv, big.NewInt(1))
	return &exchange{priv: priv, pub: new(big.Int).Exp(big.NewInt(2), priv, modp1536)}, nil
}

// receive reads the peer's exchange string and derives the transport key.
func (x *exchange) receive(s string) error {
	var peer string
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "public="); ok {
			peer = v
		}
	}
	b, err := base64.StdEncoding.DecodeString(peer)
	if err != nil || len(b) == 0 {
		return errors.New("no public key in the exchange")
	}
	shared := new(big.Int).Exp(new(big.Int).SetBytes(b), x.priv, modp1536).Bytes()
	x.key, err = hkdf.Key(sha256.New, shared, nil, "", 16)
	return err
}

// send is the exchange string to the peer, with secret encrypted when set.
func (x *exchange) send(secret []byte) (string, error) {
	out := "[" + protocol + "]\npublic=" + base64.StdEncoding.EncodeToString(x.pub.Bytes()) + "\n"
	if secret == nil {
		return out, nil
	}
	block, err := aes.NewCipher(x.key)
	if err != nil {
		return "", err
	}
	pad := aes.BlockSize - len(secret)%aes.BlockSize
	plain := append(append([]byte(nil), secret...), bytesOf(byte(pad), pad)...)
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, plain)
	return out + "secret=" + base64.StdEncoding.EncodeToString(ct) + "\niv=" + base64.StdEncoding.EncodeToString(iv) + "\n", nil
}

func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

// prompter is the exported D-Bus object.
type prompter struct {
	conn     *dbus.Conn
	password []byte
	mu       sync.Mutex
	active   map[string]*exchange // by caller and callback path
}

func (p *prompter) callback(sender dbus.Sender, path dbus.ObjectPath) dbus.BusObject {
	return p.conn.Object(string(sender), path)
}

// BeginPrompting: the caller wants to prompt; say we are ready.
func (p *prompter) BeginPrompting(sender dbus.Sender, cb dbus.ObjectPath) *dbus.Error {
	x, err := newExchange()
	if err != nil {
		return dbus.MakeFailedError(err)
	}
	p.mu.Lock()
	p.active[string(sender)+string(cb)] = x
	p.mu.Unlock()
	go p.ready(sender, cb, "", x, nil, map[string]dbus.Variant{})
	return nil
}

// PerformPrompt: answer a password prompt with the password, a
// confirmation with yes.
func (p *prompter) PerformPrompt(sender dbus.Sender, cb dbus.ObjectPath, kind string, props map[string]dbus.Variant, exch string) *dbus.Error {
	p.mu.Lock()
	x := p.active[string(sender)+string(cb)]
	p.mu.Unlock()
	if x == nil {
		return dbus.MakeFailedError(errors.New("not prompting"))
	}
	if err := x.receive(exch); err != nil {
		return dbus.MakeFailedError(err)
	}
	var secret []byte
	answer := map[string]dbus.Variant{}
	if kind == "password" {
		secret = p.password
	}
	msg, _ := props["message"].Value().(string)
	fmt.Fprintf(os.Stderr, "fakeprompter: answered the %s prompt %q\n", kind, msg)
	go p.ready(sender, cb, "yes", x, secret, answer)
	return nil
}

// StopPrompting: the caller is done.
func (p *prompter) StopPrompting(sender dbus.Sender, cb dbus.ObjectPath) *dbus.Error {
	p.mu.Lock()
	delete(p.active, string(sender)+string(cb))
	p.mu.Unlock()
	go p.callback(sender, cb).Call(callbackIfc+".PromptDone", dbus.FlagNoAutoStart)
	return nil
}

func (p *prompter) ready(sender dbus.Sender, cb dbus.ObjectPath, reply string, x *exchange, secret []byte, props map[string]dbus.Variant) {
	s, err := x.send(secret)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeprompter:", err)
		return
	}
	call := p.callback(sender, cb).Call(callbackIfc+".PromptReady", dbus.FlagNoAutoStart, reply, props, s)
	if call.Err != nil {
		fmt.Fprintln(os.Stderr, "fakeprompter: PromptReady:", call.Err)
	}
}

func main() {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(os.Stderr, "fakeprompter: give the password on stdin")
		os.Exit(2)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeprompter: session bus:", err)
		os.Exit(1)
	}
	p := &prompter{conn: conn, password: []byte(strings.TrimRight(line, "\r\n")), active: map[string]*exchange{}}
	if err := conn.Export(p, prompterPath, prompterIfc); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprompter: export:", err)
		os.Exit(1)
	}
	reply, err := conn.RequestName(busName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		fmt.Fprintf(os.Stderr, "fakeprompter: could not own %s (%v, reply %d)\n", busName, err, reply)
		os.Exit(1)
	}
	fmt.Println("ready")
	// Serve until the bus goes away: godbus closes signal channels when
	// the connection ends, so the program never outlives the session.
	ch := make(chan *dbus.Signal, 16)
	conn.Signal(ch)
	for range ch {
	}
}
