package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The history log: one JSON object per line in Dir/history.jsonl, each the
// record of one event in a key's life. It is append-only: lines are added
// under the folder's exclusive lock with O_APPEND and fsync'd, and never
// rewritten, so a crash loses at most the line being written (a torn last
// line is skipped on reading, and the next append starts on a fresh line).
// It never holds a secret: only the event, the time, the profile, the
// exchange, the key's fingerprint and a short detail chosen by the caller.

// historyFileName is the log's file in Dir.
const historyFileName = "history.jsonl"

// The events of a key's life.
const (
	EventAdded   = "added"   // the profile was created
	EventChecked = "checked" // a health check ran; Result and Counts say how it went
	EventRotated = "rotated" // the key was replaced; Fingerprint is the new key's
	EventRemoved = "removed" // the profile and its secret were deleted
	EventExec    = "exec"    // the key was handed to a bot; Detail names the program
)

// maxHistoryDetail bounds an event's detail, in characters.
const maxHistoryDetail = 300

// maxHistoryLine bounds one line when reading; longer lines are skipped.
const maxHistoryLine = 64 << 10

// Event is one line of the history log.
type Event struct {
	// Time is when it happened (UTC, whole seconds).
	Time time.Time `json:"time"`
	// Event is one of the Event* constants.
	Event string `json:"event"`
	// Profile is the profile's name.
	Profile string `json:"profile"`
	// Exchange is the exchange id, when known.
	Exchange string `json:"exchange,omitempty"`
	// Fingerprint is the key's fingerprint (first and last 4 characters of
	// the public key), when known.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Detail is a short human sentence: the check's summary, the program a
	// bot ran, the old key of a rotation.
	Detail string `json:"detail,omitempty"`
	// Result is the worst status of a check ("pass", "warn", "fail").
	Result string `json:"result,omitempty"`
	// Counts maps a status to its count, for a check.
	Counts map[string]int `json:"counts,omitempty"`
}

func knownEvent(e string) bool {
	switch e {
	case EventAdded, EventChecked, EventRotated, EventRemoved, EventExec:
		return true
	}
	return false
}

// AppendHistory adds e to the history log, under the folder's exclusive
// lock, and makes it durable before returning. A zero Time is now. The
// detail is made one line and cut to a few hundred characters. It needs no
// passphrase.
func (s *Store) AppendHistory(e Event) error {
	if err := ValidName(e.Profile); err != nil {
		return err
	}
	if !knownEvent(e.Event) {
		return fmt.Errorf("%w: unknown history event %q", ErrBadInput, clip(e.Event))
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC().Truncate(time.Second)
	e.Detail = oneLine(e.Detail, maxHistoryDetail)
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("history: encode event: %w", err)
	}
	line = append(line, '\n')
	return s.locked(true, func() error { return appendLine(s.dir, historyFileName, line) })
}

// appendLine appends line to dir/name (created 0600), starting a new line
// first if a crash left the file without a final newline, then fsyncs it
// (and the folder, when the file is new).
func appendLine(dir, name string, line []byte) (err error) {
	path := filepath.Join(dir, name)
	_, statErr := os.Lstat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	f, err := openNoFollow(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, fileMode)
	if errors.Is(err, ErrUnsafe) {
		return err
	}
	if err != nil {
		return fmt.Errorf("history: open %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("history: close %s: %w", path, cerr)
		}
	}()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file; move it out of the keyring folder", ErrUnsafe, path)
	} else if err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("history: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("history: sync %s: %w", path, err)
	}
	if created {
		if err := syncDir(dir); err != nil {
			return fmt.Errorf("history: sync %s: %w", dir, err)
		}
	}
	return nil
}

// History returns the logged events of profile name, or of every profile
// when name is "", oldest first. Damaged lines (a torn write, an edited
// file) are skipped and counted in a warning. A missing log is no events.
// It needs no passphrase.
func (s *Store) History(name string) ([]Event, error) {
	if name != "" {
		if err := ValidName(name); err != nil {
			return nil, err
		}
	}
	var out []Event
	var bad int
	err := s.locked(false, func() error {
		f, err := openNoFollow(filepath.Join(s.dir, historyFileName), os.O_RDONLY|oNonBlock, 0)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if errors.Is(err, ErrUnsafe) {
			return err
		}
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file; move it out of the keyring folder", ErrUnsafe, f.Name())
		}
		return readLines(f, maxHistoryLine, func(line []byte) {
			if len(bytes.TrimSpace(line)) == 0 {
				return
			}
			e, err := ParseEvent(line)
			if err != nil {
				bad++
				return
			}
			if name == "" || e.Profile == name {
				out = append(out, e)
			}
		})
	})
	if err != nil {
		return nil, err
	}
	if bad > 0 {
		s.warn(fmt.Sprintf("history: skipped %d damaged line(s) in %s", bad, filepath.Join(s.dir, historyFileName)))
	}
	return out, nil
}

// ParseEvent decodes one line of the log strictly: unknown fields, an
// unknown event, an invalid profile name or a missing time are refused.
// Its errors never quote the line.
func ParseEvent(line []byte) (Event, error) {
	var e Event
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Event{}, errors.New("history: a line is not a valid event")
	}
	if dec.More() {
		return Event{}, errors.New("history: extra data after an event")
	}
	switch {
	case !knownEvent(e.Event):
		return Event{}, errors.New("history: unknown event")
	case ValidName(e.Profile) != nil:
		return Event{}, errors.New("history: invalid profile name")
	case e.Time.IsZero():
		return Event{}, errors.New("history: event without a time")
	}
	return e, nil
}

// readLines calls fn for each line of r (without the newline); lines longer
// than max are skipped whole.
func readLines(r io.Reader, max int, fn func([]byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	skipping := false
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !skipping {
				long = append(long, chunk...)
				if len(long) > max {
					skipping, long = true, nil
				}
			}
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return fmt.Errorf("history: read: %w", err)
		}
		if !skipping {
			line := bytes.TrimSuffix(append(long, chunk...), []byte("\n"))
			if len(line) <= max && !(err != nil && len(line) == 0 && len(long) == 0) {
				fn(line)
			}
		}
		long, skipping = long[:0], false
		if err != nil { // io.EOF
			return nil
		}
	}
}

// oneLine makes s a single line of printable characters, at most n of them.
func oneLine(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case !unicode.IsPrint(r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n-1]) + "…"
	}
	return s
}
