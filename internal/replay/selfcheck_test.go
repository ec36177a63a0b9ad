package replay

import (
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

// The replay's own parts, on inputs whose answer is known, so that a
// replay that passes means something.

func loadSpec(t *testing.T) *specdiff.Spec {
	t.Helper()
	spec, err := specdiff.Load("../../swagger.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// capture builds a capture file from its request and response parts.
func capture(req, respHead, respBody string) []byte {
	return []byte("### REQUEST\n" + req + "\n### RESPONSE\n" +
		strings.ReplaceAll(respHead, "\n", "\r\n") + "\r\n\r\n" + respBody + "\n")
}

func TestParseExchange(t *testing.T) {
	x, err := parseExchange(capture("POST /api/v2.0/projects\nAuth: basic admin:x\nContent-Type: application/json\n\n{\"project_name\":\"a\"}",
		"HTTP/1.1 201 Created\nLocation: /api/v2.0/projects/2\nX-Request-Id: r1\nContent-Length: 0", ""))
	if err != nil {
		t.Fatal(err)
	}
	if x.Method != "POST" || x.Target != "/api/v2.0/projects" || string(x.ReqBody) != `{"project_name":"a"}` ||
		x.ReqHeaders.Get("Content-Type") != "application/json" || x.ReqHeaders.Get("Auth") != "" {
		t.Errorf("request: %+v", x)
	}
	if x.Status != 201 || x.RespHeaders.Get("Location") != "/api/v2.0/projects/2" || len(x.RespBody) != 0 {
		t.Errorf("response: %d %v %q", x.Status, x.RespHeaders, x.RespBody)
	}

	x, err = parseExchange(capture("GET /api/v2.0/ping\nAuth: none\n", "HTTP/1.1 200 OK\nContent-Type: application/json", `"Pong"`))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.ReqBody) != 0 || string(x.RespBody) != `"Pong"` {
		t.Errorf("request body %q, response body %q", x.ReqBody, x.RespBody)
	}
	if _, err := parseExchange([]byte("GET /x\n")); err == nil {
		t.Error("a file without ### RESPONSE parsed")
	}
}

func TestRouter(t *testing.T) {
	r := newRouter(loadSpec(t))
	for _, c := range []struct {
		method, path, id string
		params           map[string]string
	}{
		{"GET", "/api/v2.0/users/current", "getCurrentUserInfo", map[string]string{}},
		{"GET", "/api/v2.0/users/3", "getUser", map[string]string{"user_id": "3"}},
		{"GET", "/api/v2.0/projects/capart1/metadatas/", "listProjectMetadatas", map[string]string{"project_name_or_id": "capart1"}},
		{"GET", "/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts/sha256:ab", "getArtifact",
			map[string]string{"project_name": "capart1", "repository_name": "team%2Fapp", "reference": "sha256:ab"}},
	} {
		op, params, err := r.match(c.method, c.path)
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if op.ID != c.id || len(params) != len(c.params) {
			t.Errorf("%s %s: %s %v, want %s %v", c.method, c.path, op.ID, params, c.id, c.params)
		}
		for k, v := range c.params {
			if params[k] != v {
				t.Errorf("%s %s: %s=%q, want %q", c.method, c.path, k, params[k], v)
			}
		}
	}
	for _, p := range []string{"/v2/_catalog", "/api/v2.0/../../api/projects", "/api/v2.0/nosuchendpoint"} {
		if op, _, err := r.match("GET", p); err == nil {
			t.Errorf("GET %s matched %s", p, op.ID)
		}
	}
}

func TestJSONDiff(t *testing.T) {
	for _, c := range []struct {
		name, recorded, got string
		diffs, lost         int
	}{
		{"equal", `{"id":1,"name":"a","n":1.50}`, `{"id":1,"name":"a","n":1.5}`, 0, 0},
		{"same instant", `{"t":"0001-01-01T00:00:00Z"}`, `{"t":"0001-01-01T00:00:00.000Z"}`, 0, 0},
		{"empty values left out", `{"a":null,"b":[],"c":"","d":0,"e":false,"f":{}}`, `{}`, 0, 0},
		{"null array", `{"labels":null}`, `{"labels":[]}`, 0, 0},
		{"changed value", `{"size":1784}`, `{"size":1785}`, 1, 0},
		{"lost id", `{"x":{"project_id":1009}}`, `{"x":{}}`, 1, 0},
		{"lost other field", `{"OsFeatures":["a"]}`, `{}`, 0, 1},
		{"string became object", `{"a":"x"}`, `{"a":{"b":1}}`, 1, 0},
		{"shorter array", `[1,2]`, `[1]`, 1, 0},
	} {
		diffs, lost, _, _, err := jsonDiff([]byte(c.recorded), []byte(c.got))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(diffs) != c.diffs || len(lost) != c.lost {
			t.Errorf("%s: diffs %q, lost %q; want %d and %d", c.name, diffs, lost, c.diffs, c.lost)
		}
	}
}

// TestReplayFindsWhatItShould: without the facade helper, the generated
// getAddition fails on Harbor's JSON array (the class the helper is there
// for), and a POST is sent once.
func TestReplayFindsWhatItShould(t *testing.T) {
	rp := newReplayer(t, loadSpec(t), nil)
	x, err := parseExchange(capture("GET /api/v2.0/projects/p/repositories/team%252Fapp/artifacts/1.0/additions/build_history\nAuth: none\n",
		"HTTP/1.1 200 OK\nContent-Type: application/json; charset=utf-8", `[{"created":"2026-11-01T10:00:00Z"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if r := rp.replay(x); r.class != classDecode || !strings.Contains(r.detail, "cannot unmarshal array") {
		t.Errorf("generated getAddition on a JSON array: [%s] %s", r.class, r.detail)
	}

	x, err = parseExchange(capture("POST /api/v2.0/projects\nAuth: none\nContent-Type: application/json\n\n{\"project_name\":\"a\"}",
		"HTTP/1.1 500 Internal Server Error\nContent-Type: application/json; charset=utf-8\nX-Request-Id: r1",
		`{"errors":[{"code":"UNKNOWN","message":"boom"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := rp.replay(x)
	if n, _, _ := rp.srv.seen(); n != 1 {
		t.Errorf("a POST answered 500 arrived %d times", n)
	}
	for _, c := range []struct {
		req    string
		status string
		want   int
	}{
		{"GET /api/v2.0/projects/p\nAuth: none\n", "503 Service Unavailable", 3},
		{"POST /api/v2.0/projects\nAuth: none\nContent-Type: application/json\n\n{\"project_name\":\"a\"}", "503 Service Unavailable", 1},
	} {
		y, err := parseExchange(capture(c.req, "HTTP/1.1 "+c.status+"\nContent-Type: text/plain", "busy"))
		if err != nil {
			t.Fatal(err)
		}
		ry := rp.replay(y)
		if n, _, _ := rp.srv.seen(); n != c.want || wantRequests(y) != c.want || ry.class == classRetried {
			t.Errorf("%s answered %s: %d requests, want %d ([%s] %s)", y.Method, c.status, n, c.want, ry.class, ry.detail)
		}
	}
	if !r.isError || !r.asErrorOK {
		t.Errorf("a 500 to a POST: [%s] %s", r.class, r.detail)
	}

	items := []harbor.ErrorItem{{Code: "UNKNOWN", Message: "boom"}}
	if d := checkError(x, &harbor.Error{StatusCode: 500, RequestID: "r1", Errors: items}); d != "" {
		t.Errorf("the right *harbor.Error was refused: %s", d)
	}
	for _, he := range []*harbor.Error{
		{StatusCode: 500, RequestID: "other", Errors: items},
		{StatusCode: 502, RequestID: "r1", Errors: items},
		{StatusCode: 500, RequestID: "r1"},
		{StatusCode: 500, RequestID: "r1", Errors: []harbor.ErrorItem{{Code: "UNKNOWN", Message: "other"}}},
	} {
		if d := checkError(x, he); d == "" {
			t.Errorf("checkError accepted %+v", he)
		}
	}
}
