package harbortest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// concretePath fills a swagger path template with values that reach the
// handler: 1 for ids, "library" for project names, a nested repository name
// escaped twice as clients send it.
func concretePath(tmpl string) string {
	r := strings.NewReplacer(
		"{project_name_or_id}", "library", "{project_name}", "library",
		"{repository_name}", "team%252Fapp", "{reference}", "latest")
	p := r.Replace(tmpl)
	for {
		i := strings.Index(p, "{")
		if i < 0 {
			return p
		}
		j := strings.Index(p[i:], "}")
		p = p[:i] + "1" + p[i+j+1:]
	}
}

// TestEveryOperationAnswers walks every operationId of swagger.yaml (the
// generated table, kept fresh by internal/cmd/harbortest-ops) and checks it
// is served or answers Harbor-shaped 501 NOT_IMPLEMENTED naming it.
func TestEveryOperationAnswers(t *testing.T) {
	s := NewServer()
	defer s.Close()
	served := map[string]bool{}
	for _, rt := range s.routes() {
		served[rt.op] = true
	}
	if len(operations) != 203 {
		t.Fatalf("operations table has %d entries, swagger.yaml has 203", len(operations))
	}
	for _, op := range operations {
		req, err := http.NewRequest(op.method, s.URL+apiPrefix+concretePath(op.path), strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth("admin", s.AdminPassword)
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if served[op.id] {
			if resp.StatusCode == http.StatusNotImplemented || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s (%s %s) is served but answered %d: %s", op.id, op.method, op.path, resp.StatusCode, body)
			}
			continue
		}
		want := `{"errors":[{"code":"NOT_IMPLEMENTED","message":"harbortest does not implement ` +
			op.id + ` (` + op.method + ` ` + op.path + `)"}]}`
		if resp.StatusCode != http.StatusNotImplemented || strings.TrimSpace(string(body)) != want {
			t.Errorf("%s: got %d %s, want 501 %s", op.id, resp.StatusCode, body, want)
		}
	}
	t.Logf("%d of %d operations served, %d answer 501", len(served), len(operations), len(operations)-len(served))
}

func TestRouterNotFoundAndMethodNotAllowed(t *testing.T) {
	s := NewServer()
	defer s.Close()
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{"PATCH", "/api/v2.0/projects/capart1", 405,
			`{"errors":[{"code":"METHOD_NOT_ALLOWED","message":"method PATCH is not allowed, but [DELETE,PUT,GET] are"}]}`},
		{"HEAD", "/api/v2.0/ping", 405,
			`{"errors":[{"code":"METHOD_NOT_ALLOWED","message":"method HEAD is not allowed, but [GET] are"}]}`},
		{"GET", "/api/v2.0/nothing/here", 404,
			`{"errors":[{"code":"NOT_FOUND","message":"resource not found: /api/v2.0/nothing/here"}]}`},
		{"GET", "/v2/_catalog", 404,
			`{"errors":[{"code":"NOT_FOUND","message":"resource not found: /v2/_catalog"}]}`},
		{"GET", "/api/v2.0/projects/library/metadatas", 501, ""},
		{"GET", "/api/v2.0/projects/library/metadatas/", 501, ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, s.URL+c.path, nil)
		req.SetBasicAuth("admin", s.AdminPassword)
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d (%s)", c.method, c.path, resp.StatusCode, c.status, body)
		}
		if c.body != "" && c.method != "HEAD" && strings.TrimSpace(string(body)) != c.body {
			t.Errorf("%s %s: body %s, want %s", c.method, c.path, body, c.body)
		}
	}
}

func TestPathParamDoubleEscaped(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/x/team%252Fapp", "team/app"},
		{"/x/team%2Fapp", "team/app"},
		{"/x/tools", "tools"},
	} {
		mux := http.NewServeMux()
		var got string
		mux.HandleFunc("GET /x/{name}", func(_ http.ResponseWriter, r *http.Request) { got = pathParam(r, "name") })
		req, _ := http.NewRequest("GET", "http://h"+tc.path, nil)
		mux.ServeHTTP(discard{}, req)
		if got != tc.want {
			t.Errorf("%s: pathParam = %q, want %q", tc.path, got, tc.want)
		}
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
