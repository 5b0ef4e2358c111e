package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// maxScenarioFile bounds a watched scenario file.
const maxScenarioFile = 1 << 20

// Watch reloads the scenario file at path into s whenever its content
// changes, checking every interval, until ctx ends. A file that cannot be
// read or does not validate leaves the scenario in force as it was;
// report is told once per change, good or bad, in a line a person can act
// on. A change is applied once the file reads the same on two checks in a
// row, so a file caught half-written is not reported; an empty file is
// taken for one being written and waited for. loaded is the
// content the scenario in force came from.
func Watch(ctx context.Context, s *Sim, path string, loaded []byte, interval time.Duration, report func(string)) {
	last := loaded
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastReadErr string
	var pending []byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		b, err := readBounded(path)
		if err != nil {
			// A file being replaced may be missing for a moment; a
			// lasting read error is told once.
			if msg := err.Error(); msg != lastReadErr {
				lastReadErr = msg
				report(fmt.Sprintf("scenario %s not reloaded: %v; the previous scenario stays in force", path, err))
			}
			continue
		}
		lastReadErr = ""
		if len(bytes.TrimSpace(b)) == 0 {
			continue // truncated by a writer that has not written yet
		}
		if bytes.Equal(b, last) {
			pending = nil
			continue
		}
		// An editor (or os.WriteFile) may be half-way through writing:
		// act on a change once the content reads the same twice.
		if !bytes.Equal(b, pending) {
			pending = b
			continue
		}
		last, pending = b, nil
		sc, err := core.ParseScenario(b)
		if err == nil {
			err = s.SetScenario(sc)
		}
		if err != nil {
			report(fmt.Sprintf("scenario %s not reloaded: %v; the previous scenario stays in force until the file is fixed", path, err))
			continue
		}
		report(fmt.Sprintf("scenario reloaded from %s", path))
	}
}

// ReadScenarioFile reads and parses a scenario file, returning its
// content too (for Watch).
func ReadScenarioFile(path string) (Scenario, []byte, error) {
	b, err := readBounded(path)
	if err != nil {
		return Scenario{}, nil, fmt.Errorf("read scenario: %w", err)
	}
	sc, err := core.ParseScenario(b)
	return sc, b, err
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxScenarioFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxScenarioFile {
		return nil, fmt.Errorf("the file is larger than %d bytes", maxScenarioFile)
	}
	return b, nil
}
