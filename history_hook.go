package main

// recordHistory appends an event to the key's history log. The log itself
// is built with `keywarden history`; until then events are not kept.
func (a *app) recordHistory(profile, event, detail string) {}
