package scan

import "context"

// Committed scans only the git history of the repository holding
// opts.Root (no working tree): where, if anywhere, the stored values were
// ever committed, and the repository's top folder. It is what `keywarden import` asks before telling that
// moving a key does not undo a leak. No repository: no findings.
func Committed(ctx context.Context, opts Options) (findings []Finding, repoTop string, err error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = 8 << 20
	}
	repo := findRepo(ctx, opts.Root)
	if repo.top == "" {
		return nil, "", nil
	}
	var res Result
	fs, err := scanHistory(ctx, newDetector(opts.Stored, opts.Infos), opts, repo, &res, nil)
	if err != nil {
		return nil, repo.top, err
	}
	var out []Finding
	for _, f := range fs {
		if f.Kind == KindStored {
			out = append(out, f)
		}
	}
	sortFindings(out)
	return out, repo.top, nil
}
