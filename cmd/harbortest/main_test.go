package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// clientFor returns a client trusting the CA certificate in pemFile, as a
// user of -tls would configure one.
func clientFor(t *testing.T, pemFile string) *http.Client {
	t.Helper()
	pemBytes, err := os.ReadFile(pemFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no PEM certificate", pemFile)
	}
	return &http.Client{Timeout: time.Minute,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
}

// TestRunServesSeedsAndStops runs the command as a function: TLS on a free
// port, seeded projects, user, robot and artifacts; it calls it as a client
// would (trusting only the written CA file), then stops it like a signal does.
func TestRunServesSeedsAndStops(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"-addr", "127.0.0.1:0", "-tls", "-ca-file", caFile, "-projects", "3",
			"-project", "web:public", "-user", "alice:Alice12345", "-robot", "ci", "-artifacts", "team/app:2"}, pw, io.Discard)
		pw.Close()
		done <- code
	}()
	sc := bufio.NewScanner(pr)
	var url, robotLine string
	var out []string
	for sc.Scan() {
		line := sc.Text()
		out = append(out, line)
		if u, ok := strings.CutPrefix(line, "harbortest: Harbor v2.15.2 API (in memory) at "); ok {
			url = strings.TrimSuffix(u, "/api/v2.0")
		}
		if strings.HasPrefix(line, "robot: ") {
			robotLine = line
		}
		if strings.HasPrefix(line, "ready") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if url == "" || !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("no https URL in output:\n%s", strings.Join(out, "\n"))
	}
	if !strings.Contains(strings.Join(out, "\n"), "admin credentials: admin / Harbor12345") {
		t.Fatalf("admin credentials not printed:\n%s", strings.Join(out, "\n"))
	}
	name, secret, ok := strings.Cut(strings.TrimPrefix(robotLine, "robot: "), " / ")
	if !ok || name != "robot$ci" || secret == "" {
		t.Fatalf("robot line %q", robotLine)
	}

	c := clientFor(t, caFile)
	get := func(path, user, pass string) (int, string) {
		req, _ := http.NewRequest("GET", url+path, nil)
		req.SetBasicAuth(user, pass)
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st, body := get("/api/v2.0/projects?page_size=0", "admin", "Harbor12345")
	var projects []struct {
		Name      string `json:"name"`
		RepoCount int    `json:"repo_count"`
	}
	if err := json.Unmarshal([]byte(body), &projects); st != 200 || err != nil || len(projects) != 6 {
		t.Fatalf("projects: %d %v %s", st, err, body)
	}
	st, body = get("/api/v2.0/users/current", "alice", "Alice12345")
	if st != 200 || !strings.Contains(body, `"username":"alice"`) {
		t.Fatalf("alice: %d %s", st, body)
	}
	st, body = get("/api/v2.0/projects/team/repositories/app/artifacts", name, secret)
	if st != 200 || strings.Count(body, `"digest"`) != 2 {
		t.Fatalf("artifacts as the robot: %d %s", st, body)
	}
	st, body = get("/api/v2.0/systeminfo", "admin", "Harbor12345")
	if st != 200 || !strings.Contains(body, `"external_url":"`+url+`"`) {
		t.Fatalf("systeminfo does not report %s: %s", url, body)
	}

	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(time.Minute): // a failure detector, not a timing assertion
		t.Fatal("did not stop")
	}
	if _, err := c.Get(url + "/api/v2.0/ping"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-projects", "-1"}, 2, "-projects must not be negative"},
		{[]string{"-addr", "127.0.0.1:0", "-user", "bob"}, 2, `-user "bob": want name:password`},
		{[]string{"-addr", "127.0.0.1:0", "-project", "Bad"}, 2, `AddProject: name "Bad"`},
		{[]string{"-addr", "127.0.0.1:0", "-artifacts", "web/app"}, 2, `-artifacts "web/app"`},
		{[]string{"-addr", "256.0.0.1:1"}, 1, "listen on 256.0.0.1:1"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), c.args, io.Discard, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr.String(), c.code, c.want)
		}
	}
}

// A password may hold ":": -user splits at the first one, and a final
// ":admin" still makes an administrator (issue 18 item 9).
func TestSeedUserPasswordWithColon(t *testing.T) {
	srv := harbortest.NewServer()
	defer srv.Close()
	o := &options{users: listFlag{"carol:Ca:rol12345", "dave:Da:ve12345:admin", "erin::Erin12345"}}
	if _, err := seed(srv, o); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name, pass string
		admin      bool
	}{{"carol", "Ca:rol12345", false}, {"dave", "Da:ve12345", true}, {"erin", ":Erin12345", false}} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v2.0/users/current", nil)
		req.SetBasicAuth(u.name, u.pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var me struct {
			Username string `json:"username"`
			Admin    bool   `json:"sysadmin_flag"`
		}
		err = json.NewDecoder(resp.Body).Decode(&me)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil || me.Username != u.name || me.Admin != u.admin {
			t.Errorf("%s / %q: %d %v %+v", u.name, u.pass, resp.StatusCode, err, me)
		}
	}
	for _, bad := range []string{"bob", ":Bob12345", "bob:", "bob::admin"} {
		if _, err := seed(srv, &options{users: listFlag{bad}}); err == nil || !strings.Contains(err.Error(), "want name:password") {
			t.Errorf("-user %q: %v", bad, err)
		}
	}
}
