package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// The control endpoint lives on the simulator's own port under
// controlPrefix and answers loopback clients only:
//
//	GET   /_sim/scenario        the scenario in force
//	PUT   /_sim/scenario        replace it (a whole scenario document)
//	PATCH /_sim/scenario        merge a patch into it (see MergeScenario)
//	GET   /_sim/requests[?since=SEQ]  the request log, oldest first
//	GET   /_sim/ip              the client IP the scenario pretends to see
//
// A change applies from the next request on. A refused change answers
// 400 with {"error": "..."} and leaves the scenario as it was.
const controlPrefix = "/_sim/"

// maxControlBody bounds a scenario sent to the control endpoint.
const maxControlBody = 1 << 20

func (s *Sim) control(w http.ResponseWriter, r *http.Request) {
	if !loopbackClient(r.RemoteAddr) {
		controlErr(w, http.StatusForbidden, "the simulator's control endpoint answers loopback clients only")
		return
	}
	switch r.URL.Path {
	case IPPath:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, s.st.Scenario().ClientIP+"\n")
	case controlPrefix + "scenario":
		s.controlScenario(w, r)
	case controlPrefix + "requests":
		if r.Method != http.MethodGet {
			notAllowed(w, "GET")
			return
		}
		since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
		WriteJSON(w, http.StatusOK, map[string]any{"requests": s.log.Since(since)})
	default:
		controlErr(w, http.StatusNotFound, "no such control path; the simulator has /_sim/scenario, /_sim/requests and /_sim/ip")
	}
}

func (s *Sim) controlScenario(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		WriteJSON(w, http.StatusOK, s.Scenario())
		return
	case http.MethodPut, http.MethodPatch:
	default:
		notAllowed(w, "GET, PUT, PATCH")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxControlBody+1))
	if err != nil {
		controlErr(w, http.StatusBadRequest, "read the scenario: "+err.Error())
		return
	}
	if len(body) > maxControlBody {
		controlErr(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("a scenario is at most %d bytes", maxControlBody))
		return
	}
	if r.Method == http.MethodPut {
		var sc Scenario
		if sc, err = ParseScenario(body); err == nil {
			err = s.SetScenario(sc)
		}
	} else {
		_, err = s.Patch(body)
	}
	if err != nil {
		controlErr(w, http.StatusBadRequest, err.Error()+"; the scenario in force is unchanged")
		return
	}
	WriteJSON(w, http.StatusOK, s.Scenario())
}

func loopbackClient(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func controlErr(w http.ResponseWriter, status int, msg string) {
	WriteJSON(w, status, map[string]string{"error": msg})
}

func notAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	controlErr(w, http.StatusMethodNotAllowed, "method not allowed here; use "+allow)
}

// MergeScenario applies a JSON merge patch (RFC 7396) to sc and returns
// the validated result; sc itself is not changed.
//
// One exception to RFC 7396: "keys" merges element by element, by index.
// Element i of the patch's array is merged into key i (a new key when
// there is none yet), so {"keys":[{"permissions":["read"]}]} takes trading
// away from the first key and leaves its secret, balances and the other
// keys alone; a null element leaves its key unchanged
// ({"keys":[null,{"ips":["198.51.100.7"]}]} changes only the second key).
// Inside a key, RFC 7396 applies again: "permissions" and "ips" are
// replaced whole, "balances" merge by asset, null removes a field. To
// remove keys, PUT the whole scenario.
func MergeScenario(sc Scenario, patch []byte) (Scenario, error) {
	p, err := decodeJSON(patch)
	if err != nil {
		return Scenario{}, fmt.Errorf("scenario patch: %w", err)
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return Scenario{}, errors.New(`scenario patch: a merge patch must be a JSON object, e.g. {"maintenance":"ongoing"}`)
	}
	cur, err := json.Marshal(sc)
	if err != nil {
		return Scenario{}, fmt.Errorf("scenario patch: %w", err)
	}
	doc, err := decodeJSON(cur)
	if err != nil {
		return Scenario{}, fmt.Errorf("scenario patch: %w", err)
	}
	dm := doc.(map[string]any)
	if keys, ok := pm["keys"].([]any); ok {
		dm["keys"] = mergeKeys(dm["keys"], keys)
		delete(pm, "keys")
	}
	merged, err := json.Marshal(mergePatch(dm, pm))
	if err != nil {
		return Scenario{}, fmt.Errorf("scenario patch: %w", err)
	}
	return ParseScenario(merged)
}

func mergeKeys(cur any, patch []any) []any {
	keys, _ := cur.([]any)
	out := append([]any(nil), keys...)
	for i, p := range patch {
		if p == nil {
			continue
		}
		if i >= len(out) {
			out = append(out, mergePatch(map[string]any{}, p))
			continue
		}
		out[i] = mergePatch(out[i], p)
	}
	return out
}

// mergePatch is RFC 7396's MergePatch(Target, Patch).
func mergePatch(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergePatch(tm[k], v)
	}
	return tm
}

// decodeJSON decodes exactly one JSON value, keeping numbers as written.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if err := dec.Decode(new(any)); err != io.EOF {
		return nil, errors.New("more than one JSON document")
	}
	return v, nil
}
