package scan

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestZZModCache(t *testing.T) {
	root := os.Getenv("KW_MODCACHE")
	if root == "" {
		t.Skip()
	}
	res, err := Run(t.Context(), Options{Root: root, Infos: infos(), MinSeverity: Info})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	reasons := map[string]int{}
	for _, f := range res.Findings {
		count[f.Kind+" "+f.Severity.String()]++
		if f.Severity == Info {
			i := strings.Index(f.What, " — ")
			r := "encrypted"
			if i >= 0 {
				r = f.What[i:]
				if j := strings.Index(r, "("); j >= 0 {
					r = r[j:]
					if strings.HasPrefix(r, "(under ") {
						r = "(under a test folder)"
					}
				}
			}
			reasons[f.Kind+" "+r]++
		} else {
			fmt.Printf("DEFAULT %s %s %s:%d %s\n", f.Kind, f.Severity, f.Path, f.Line, f.What)
		}
	}
	fmt.Println("files", res.Files, "notes", res.Notes)
	var keys []string
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(count[k], k)
	}
	for k, v := range reasons {
		fmt.Println("  info:", v, k)
	}
}
