package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os/exec"
)

// maxCats bounds the cat-file processes a history scan runs.
const maxCats = 4

// cats are `git cat-file --batch` processes fed by one rev-list. A blob
// goes to a process by its path, so that the versions of one file, which
// git stores as deltas of each other, are resolved by one process, from
// its cache.
type cats struct {
	cmds []*exec.Cmd
	ins  []io.WriteCloser
	outs []io.ReadCloser
	errs []*bytes.Buffer
}

func startCats(ctx context.Context, r repoInfo, n int) (*cats, error) {
	c := &cats{}
	for i := 0; i < max(1, n); i++ {
		cmd := r.cmd(ctx, "cat-file", "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)")
		in, err := cmd.StdinPipe()
		if err != nil {
			c.kill()
			return nil, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			c.kill()
			return nil, err
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			c.kill()
			return nil, fmt.Errorf("git cat-file: %w", err)
		}
		c.cmds, c.ins, c.outs, c.errs = append(c.cmds, cmd), append(c.ins, in), append(c.outs, out), append(c.errs, &stderr)
	}
	return c, nil
}

// feed routes rev-list's blob lines ("sha path") to the processes, and
// closes their input at the end; commits (no path) are left out.
func (c *cats) feed(list io.Reader) {
	ws := make([]*bufio.Writer, len(c.ins))
	for i, in := range c.ins {
		ws[i] = bufio.NewWriterSize(in, 64<<10)
	}
	sc := bufio.NewScanner(list)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		sp := bytes.IndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		h := fnv.New32a()
		_, _ = h.Write(line[sp+1:])
		w := ws[int(h.Sum32()%uint32(len(ws)))]
		_, _ = w.Write(line)
		_ = w.WriteByte('\n')
	}
	for i, w := range ws {
		_ = w.Flush()
		_ = c.ins[i].Close()
	}
}

// wait waits for every process and reports the first that failed.
func (c *cats) wait() error {
	var errs []error
	for i, cmd := range c.cmds {
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("git cat-file: %v: %s", err, firstLine(c.errs[i].String())))
		}
	}
	return errors.Join(errs...)
}

func (c *cats) kill() {
	for _, cmd := range c.cmds {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}
