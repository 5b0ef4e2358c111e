package main

// runHome shows the home screen; until it exists, the help.
func runHome(a *app) error { return errHomeNotYet }

var errHomeNotYet = usageErr(errorString("the home screen is not available in this build yet; see `keywarden --help`"))

type errorString string

func (e errorString) Error() string { return string(e) }
