package harbortest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// apiStep is one request of a resource test and what Harbor answers to it
// (as recorded in testdata/harbor-captures/set2).
type apiStep struct {
	name           string
	method, path   string
	user, password string // "" is anonymous; user "admin" uses the admin password
	body           string
	status         int
	want           []string          // substrings the body must contain
	wantNot        []string          // substrings the body must not contain
	header         map[string]string // headers that must have exactly this value
}

// runSteps sends the steps in order to srv and checks each answer.
func runSteps(t *testing.T, srv *harbortest.Server, steps []apiStep) {
	t.Helper()
	for _, st := range steps {
		user, pass := st.user, st.password
		if user == "admin" && pass == "" {
			pass = srv.AdminPassword
		}
		status, hdr, body := call(t, srv, st.method, st.path, user, pass, st.body)
		label := st.name
		if label == "" {
			label = st.method + " " + st.path
		}
		if status != st.status {
			t.Errorf("%s: status %d, want %d (%s)", label, status, st.status, body)
			continue
		}
		for _, w := range st.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body %q lacks %q", label, body, w)
			}
		}
		for _, w := range st.wantNot {
			if strings.Contains(body, w) {
				t.Errorf("%s: body %q has %q", label, body, w)
			}
		}
		for k, v := range st.header {
			if got := hdr.Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", label, k, got, v)
			}
		}
	}
}

// errBody is a Harbor error body with one error.
func errBody(code, msg string) string {
	return `{"errors":[{"code":"` + code + `","message":"` + msg + `"}]}`
}

var (
	ok      = http.StatusOK
	created = http.StatusCreated
)

// jsonField returns the value at a dotted path ("0.id", "name") of a JSON
// body, as text.
func jsonField(t *testing.T, body, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %q", body)
	}
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				t.Fatalf("no %s in %s", path, body)
			}
			v = x[i]
		case map[string]any:
			v = x[p]
		default:
			t.Fatalf("no %s in %s", path, body)
		}
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprint(v)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
