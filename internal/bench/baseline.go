package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Baseline is the hand-written contender: net/http and encoding/json
// decoding into the small structs above, with what any careful client does
// (status check, body drained so the connection is reused) and nothing more.
type Baseline struct {
	hc  *http.Client
	api string
}

// NewBaseline returns a baseline client for apiURL (…/api/v2.0) with its own
// clone of http.DefaultTransport.
func NewBaseline(apiURL string) *Baseline {
	return &Baseline{hc: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}, api: apiURL}
}

// ListProjects is GET /projects?page=1&page_size=100.
func (b *Baseline) ListProjects(ctx context.Context) ([]Project, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.api+"/projects?page=1&page_size=100", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	var out []Project
	return out, b.do(req, http.StatusOK, &out)
}

// CreateRobot is POST /robots.
func (b *Baseline) CreateRobot(ctx context.Context, rc *RobotCreate) (*RobotCreated, error) {
	body, err := json.Marshal(rc)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.api+"/robots", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	out := new(RobotCreated)
	return out, b.do(req, http.StatusCreated, out)
}

func (b *Baseline) do(req *http.Request, want int, v any) error {
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// CloseIdleConnections closes the baseline's idle connections.
func (b *Baseline) CloseIdleConnections() { b.hc.CloseIdleConnections() }
