package harbor

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
)

const originSecret = "0rigin-S3cret"

func TestOriginContains(t *testing.T) {
	u, _ := url.Parse("https://Harbor.example.com/api/v2.0")
	o := newOrigin(u)
	for raw, want := range map[string]bool{
		"https://harbor.example.com/x":      true,
		"https://harbor.example.com:443/x":  true,
		"http://harbor.example.com/x":       false,
		"https://harbor.example.com:8443/x": false,
		"https://other.example.com/x":       false,
	} {
		v, _ := url.Parse(raw)
		assert.Equal(t, want, o.contains(v), raw)
	}
}

// Redirects: followed within the origin (with the credentials), refused
// with an error naming both URLs when they leave it: other host, other
// port, https to http. The other side never sees a request.
func TestRedirectsStayInOrigin(t *testing.T) {
	var elsewhere atomic.Int64
	other := newStub(t, func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) })
	var auths []string
	var target string
	srv := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		if r.URL.Path == "/api/v2.0/projects" {
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c := newStubClient(t, srv.URL, WithBasicAuth("u", originSecret))
	srvURL, _ := url.Parse(srv.URL)

	target = srv.URL + "/api/v2.0/projects-moved"
	require.NoError(t, listProjects(c, t.Context()), "same origin is followed")
	require.Len(t, auths, 2)
	assert.Equal(t, auths[0], auths[1], "with the credentials")

	tlsSrv := httptest.NewTLSServer(srv.Config.Handler) // the same handler behind https
	t.Cleanup(tlsSrv.Close)
	tlsURL, _ := url.Parse(tlsSrv.URL)
	tlsClient := newStubClient(t, tlsSrv.URL, WithBasicAuth("u", originSecret), WithInsecureSkipVerify())
	for name, tc := range map[string]struct {
		c  *Client
		to string
	}{
		"other port": {c, other.URL + "/api/v2.0/projects"},
		"other host": {c, "http://localhost:" + srvURL.Port() + "/api/v2.0/projects"},
		"downgrade":  {tlsClient, "http://" + tlsURL.Host + "/api/v2.0/projects"},
	} {
		target = tc.to
		err := listProjects(tc.c, t.Context())
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "redirect from ", name)
		assert.Contains(t, err.Error(), " to "+tc.to, name)
		assert.Contains(t, err.Error(), "refused", name)
		_, isAnswer := AsError(err)
		assert.False(t, isAnswer, name)
	}
	assert.Zero(t, elsewhere.Load(), "nothing was sent to the other origin")
}

// A hostile server echoing the Authorization header (and the password
// itself) back: no error text holds the secret in any form.
func TestErrorTextsNeverHoldTheSecret(t *testing.T) {
	token := base64.StdEncoding.EncodeToString([]byte("u:" + originSecret))
	for _, ct := range []string{"application/json", "text/plain"} {
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			echo := fmt.Sprintf("you sent %s, i.e. %s", r.Header.Get("Authorization"), originSecret)
			w.Header().Set("Location", "/x?auth="+originSecret)
			if ct == "text/plain" {
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(400)
				_, _ = w.Write([]byte(echo))
				return
			}
			writeJSON(w, 400, `{"errors":[{"code":"`+originSecret+`","message":"`+echo+`"}]}`)
		})
		c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret))
		_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("p"))
		he, ok := AsError(err)
		require.True(t, ok, "%v", err)
		texts := []string{err.Error(), fmt.Sprintf("%+v %#v", err, he), he.Body, he.Message(), he.Location}
		if g := he.Unwrap(); g != nil {
			texts = append(texts, g.Error())
		}
		for _, text := range texts {
			assert.NotContains(t, text, originSecret, ct)
			assert.NotContains(t, text, token, ct)
		}
		assert.Contains(t, err.Error(), "you sent Basic xxxxx", ct)
	}
}

// Every facade helper of this package sends the client's credentials: the
// server refuses any request without them.
func TestFacadeHelpersSendCredentials(t *testing.T) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+originSecret))
	var refused []string
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != want {
			refused = append(refused, r.Method+" "+r.URL.Path)
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}`)
			return
		}
		p := strings.TrimPrefix(r.URL.Path, "/api/v2.0")
		switch {
		case p == "/ping":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("Pong"))
		case p == "/users/current":
			writeJSON(w, 200, `{"user_id":1,"username":"u"}`)
		case p == "/systeminfo":
			writeJSON(w, 200, `{"harbor_version":"`+SpecVersion+`-abc"}`)
		case strings.Contains(p, "/additions/"):
			writeJSON(w, 200, `{"x":1}`)
		case p == "/projects":
			writeJSON(w, 200, `[{"name":"library"}]`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret))
	ctx := t.Context()
	require.NoError(t, c.Ping(ctx))
	_, err := c.Whoami(ctx)
	require.NoError(t, err)
	_, err = c.ServerVersion(ctx)
	require.NoError(t, err)
	_, err = c.CheckCompatibility(ctx)
	require.NoError(t, err)
	_, err = c.ArtifactAddition(ctx, "p", "team/app", "latest", "build_history")
	require.NoError(t, err)
	_, err = c.VulnerabilitiesAddition(ctx, "p", "team/app", "latest", "")
	require.NoError(t, err)
	for _, err := range All(ctx, c.API().Project.ListProjects, project.NewListProjectsParams()) {
		require.NoError(t, err)
	}
	assert.Empty(t, refused, "requests sent without the client's credentials")
}

// A hostile server quoting the secret where the facade builds other error
// texts from its answer: a 2xx body that does not decode (a timestamp), a
// content type, a redirect's Location.
func TestOtherErrorTextsNeverHoldTheSecret(t *testing.T) {
	token := base64.StdEncoding.EncodeToString([]byte("u:" + originSecret))
	answers := map[string]http.HandlerFunc{
		"timestamp": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `[{"name":"a","creation_time":"`+originSecret+`"}]`)
		},
		"content type": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; x="+originSecret)
			_, _ = w.Write([]byte("<html>"))
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://elsewhere.invalid/?auth="+url.QueryEscape(r.Header.Get("Authorization"))+"&p="+originSecret, http.StatusFound)
		},
	}
	for name, h := range answers {
		s := newStub(t, h)
		c := newStubClient(t, s.URL, WithBasicAuth("u", originSecret))
		err := listProjects(c, t.Context())
		require.Error(t, err, name)
		for e := err; e != nil; e = errors.Unwrap(e) {
			assert.NotContains(t, e.Error(), originSecret, name)
			assert.NotContains(t, e.Error(), token, name)
			assert.NotContains(t, e.Error(), url.QueryEscape(token), name)
		}
	}
}

// A server echoing the Basic token in another base64 form: without its "="
// padding, URL-safe, or both. Neither the error (text, fields, generated
// error) nor the log record holds any form. The password is chosen so that
// the token is padded and holds "/", so the four forms differ.
func TestEchoedTokenInEveryBase64FormIsRedacted(t *testing.T) {
	const password = "Pa?s>w0rd~~"
	pair := []byte("admin:" + password)
	forms := []string{base64.StdEncoding.EncodeToString(pair), base64.RawStdEncoding.EncodeToString(pair),
		base64.URLEncoding.EncodeToString(pair), base64.RawURLEncoding.EncodeToString(pair)}
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(forms))), 4, "the forms differ")
	for _, form := range forms {
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", form)
			writeJSON(w, 401, `{"errors":[{"code":"UNAUTHORIZED","message":"bad token `+form+`"}]}`)
		})
		var logs bytes.Buffer
		c := newStubClient(t, s.URL, WithBasicAuth("admin", password),
			WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		_, err := c.API().Project.GetProject(t.Context(), project.NewGetProjectParams().WithProjectNameOrID("p"))
		he, ok := AsError(err)
		require.True(t, ok, "%v", err)
		texts := []string{err.Error(), fmt.Sprintf("%+v %#v", err, he), he.Message(), he.RequestID, he.Unwrap().Error(),
			fmt.Sprintf("%+v", he.Unwrap()), logs.String()}
		for _, text := range texts {
			for _, f := range forms {
				assert.NotContains(t, text, strings.TrimRight(f, "="), form)
			}
		}
		assert.Contains(t, err.Error(), "bad token xxxxx", form)
	}
}
