package core

import (
	"encoding/binary"
	"fmt"
	"net"
	"time"
)

// NTPServer answers NTP queries on loopback with a clock shifted by the
// scenario's offset, so the clock check can be tested without the
// internet.
type NTPServer struct {
	Addr string // host:port to give the clock check
	conn net.PacketConn
}

// ntpEpoch is 1900-01-01, the NTP era 0 origin.
var ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// ServeNTP listens on addr (loopback only; "127.0.0.1:0" picks a port) and
// answers as a stratum-1 server whose clock is offset from the real one by
// offset(), read at every query so a changed scenario moves it too.
func ServeNTP(addr string, offset func() time.Duration) (*NTPServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sim ntp: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("sim ntp: address %q is not loopback", addr)
	}
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim ntp: listen: %w", err)
	}
	s := &NTPServer{Addr: conn.LocalAddr().String(), conn: conn}
	go s.serve(offset)
	return s, nil
}

// Close stops the server.
func (s *NTPServer) Close() error { return s.conn.Close() }

func (s *NTPServer) serve(clock func() time.Duration) {
	buf := make([]byte, 512)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 48 {
			continue
		}
		offset := clock()
		recv := time.Now().Add(offset)
		resp := make([]byte, 48)
		vn := (buf[0] >> 3) & 0x7
		resp[0] = vn<<3 | 4                        // LI 0, version as asked, mode 4 (server)
		resp[1] = 1                                // stratum 1
		resp[2] = buf[2]                           // poll
		resp[3] = 0xec                             // precision 2^-20
		binary.BigEndian.PutUint32(resp[8:], 1<<8) // root dispersion ~4 ms
		copy(resp[12:16], "SIM\x00")
		putNTPTime(resp[16:], recv.Add(-time.Second)) // reference time
		copy(resp[24:32], buf[40:48])                 // origin = client's transmit
		putNTPTime(resp[32:], recv)
		putNTPTime(resp[40:], time.Now().Add(offset))
		_, _ = s.conn.WriteTo(resp, from)
	}
}

func putNTPTime(b []byte, t time.Time) {
	d := t.Sub(ntpEpoch)
	sec := uint64(d / time.Second)
	frac := uint64(d%time.Second) << 32 / uint64(time.Second)
	binary.BigEndian.PutUint32(b, uint32(sec))
	binary.BigEndian.PutUint32(b[4:], uint32(frac))
}
