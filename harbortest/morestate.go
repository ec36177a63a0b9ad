package harbortest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// moreState holds the state of P2P preheat, the job service, scan all and
// CVE export. Harbor keeps the executions of all of them in one table, so
// they share nextExecID. Guarded by Server.mu.
type moreState struct {
	instances      []*preheatInstance // in Harbor's (physical) row order
	nextInstanceID int64
	policies       map[int64]*preheatPolicy
	nextPolicyID   int64
	preheatExecs   executions
	nextTaskID     int64
	nextExecID     int64
	pausedQueues   map[string]bool
	pool           *workerPool
	nextScheduleID int64 // Harbor's schedule table: scan all, preheat, GC, purge and retention share it
	scanAll        scanAllState
	exports        map[int64]*cveExport
	exportSize     int64  // SetCVEExportSize; 0 = the header only
	secret         string // InternalSecret
}

// extra returns the moreState of st, created on first use.
func (st *state) extra() *moreState {
	return lazy(&st.more, func() *moreState {
		return &moreState{
			nextInstanceID: 1,
			policies:       map[int64]*preheatPolicy{},
			nextPolicyID:   1,
			preheatExecs:   executions{},
			nextTaskID:     1,
			nextExecID:     1,
			pausedQueues:   map[string]bool{},
			nextScheduleID: 1,
			exports:        map[int64]*cveExport{},
			secret:         randomHex(16),
		}
	})
}

// probeTimeout bounds the checks ping operations (preheat instances, OIDC)
// really make, so a test can point them at an httptest server of its own.
const probeTimeout = 3 * time.Second

// probe reports whether a GET of url answers 2xx within probeTimeout.
func probe(ctx context.Context, url string) bool { return probeJSON(ctx, url, nil) }

// probeJSON is probe that also decodes the body (up to 1 MiB) into v, if not nil.
func probeJSON(ctx context.Context, url string, v any) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	return ok && (v == nil || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v) == nil)
}
