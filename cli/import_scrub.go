package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/internal/botconfig"
	"github.com/keywarden/keywarden/store"
)

// execStyle is the env-style the bot should be started with, and
// whether the file's own names are exec's (else placeholders name exec's
// generic variables).
func execStyle(format botconfig.Format, cred found) string {
	switch {
	case format == botconfig.Freqtrade:
		return styleFreqtrade
	case cred.style != "":
		return cred.style
	}
	return styleGeneric
}

// execVar is the variable exec sets for a field in a style.
func execVar(style, exchangeID, field string) string {
	marks := exchanges.Credentials{Key: "\x00" + botconfig.FieldKey, Secret: exchanges.NewSecret("\x00" + botconfig.FieldSecret),
		Passphrase: exchanges.NewSecret("\x00" + botconfig.FieldPassphrase)}
	for _, kv := range styleVars(style, exchangeID, true, marks) {
		if kv[1] == "\x00"+field {
			return kv[0]
		}
	}
	return ""
}

// scrubEdits replaces each credential value with its placeholder: "" in a
// freqtrade config, ${VAR} elsewhere (a quoted .env value loses its
// quotes: dotenv loaders do not expand inside single quotes).
func scrubEdits(format botconfig.Format, data []byte, cred found, style, exchangeID string) ([]botconfig.Edit, error) {
	var edits []botconfig.Edit
	for _, field := range []string{botconfig.FieldKey, botconfig.FieldSecret, botconfig.FieldPassphrase} {
		v, ok := cred.values[field]
		if !ok {
			continue
		}
		if !v.Exact {
			return nil, fmt.Errorf("%s (line %d) is written with escapes or folded: replace its value by hand", v.Name, v.Line)
		}
		e := botconfig.Edit{Start: v.Start, End: v.End}
		if format != botconfig.Freqtrade {
			e.With = "${" + execVar(style, exchangeID, field) + "}"
			if format == botconfig.Env && e.Start > 0 && e.End < len(data) && (data[e.Start-1] == '\'' || data[e.Start-1] == '"') && data[e.End] == data[e.Start-1] {
				e.Start, e.End = e.Start-1, e.End+1
			}
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// execLine is the command that starts the bot with its key from now on.
func execLine(format botconfig.Format, name, style, file string) string {
	flag := ""
	if style != styleGeneric {
		flag = " --env-style " + style
	}
	q := shQuote(file)
	if strings.Trim(file, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-") == "" {
		q = file
	}
	switch format {
	case botconfig.Freqtrade:
		return fmt.Sprintf("keywarden exec %s%s -- freqtrade trade --config %s", name, flag, q)
	case botconfig.Compose:
		return fmt.Sprintf("keywarden exec %s%s -- docker compose -f %s up -d", name, flag, q)
	}
	return fmt.Sprintf("keywarden exec %s%s -- BOT   (BOT: the command that starts your bot, which reads %s)", name, flag, q)
}

// scrub replaces the values in the file when the user confirms or gave
// --scrub: backup first, then an atomic rewrite keeping the file's mode.
func (a *app) scrub(o importOptions, p store.Profile, format botconfig.Format, cred found, data []byte, mode fs.FileMode) error {
	style := execStyle(format, cred)
	line := execLine(format, p.Name, style, o.file)
	edits, err := scrubEdits(format, data, cred, style, p.Exchange)
	if err != nil {
		fmt.Fprintf(a.io.Out, "\n%s was not changed: %v.\nThen start the bot with:\n  %s\n", o.file, err, line)
		return nil
	}
	if !o.scrub && !a.ask(fmt.Sprintf("Replace the key in %s with placeholders now?", o.file)) {
		fmt.Fprintf(a.io.Out, "\nNothing in %s was changed: the key is still in it. To replace it with placeholders:\n  keywarden import %s --scrub\n", o.file, shQuote(o.file))
		fmt.Fprintf(a.io.Out, "then start the bot with:\n  %s\n", line)
		return nil
	}
	if !unchanged(o.file, data) {
		return fmt.Errorf("%s changed while it was being imported: nothing was rewritten; run the import again", o.file)
	}
	out, err := botconfig.Apply(data, edits)
	if err != nil {
		return err
	}
	bak, err := a.backup(o.file, data)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(o.file, out, mode); err != nil {
		return errors.Join(err, fmt.Errorf("the original is safe in %s", bak))
	}
	var names []string
	for _, fld := range []string{botconfig.FieldKey, botconfig.FieldSecret, botconfig.FieldPassphrase} {
		if v, ok := cred.values[fld]; ok {
			names = append(names, v.Name)
		}
	}
	fmt.Fprintf(a.io.Out, "\nReplaced %s in %s with placeholders. From now on, start the bot with:\n  %s\n", strings.Join(names, ", "), o.file, line)
	if format != botconfig.Freqtrade {
		fmt.Fprintf(a.io.Out, "(the file now says ${%s} and so on: exec sets those variables, and docker compose and python-dotenv expand them)\n",
			execVar(style, p.Exchange, botconfig.FieldKey))
	}
	switch {
	case o.removeBackup || a.ask(fmt.Sprintf("The original is backed up in %s. Remove the backup now?", bak)):
		if err := os.Remove(bak); err != nil {
			return fmt.Errorf("remove the backup %s: %w", bak, err)
		}
		fmt.Fprintln(a.io.Out, "The backup of the original was removed.")
	default:
		fmt.Fprintf(a.io.Out, "The original is backed up in %s (readable by you alone).\nOnce the bot runs with the line above, remove it:  rm %s\n", bak, shQuote(bak))
	}
	return nil
}
