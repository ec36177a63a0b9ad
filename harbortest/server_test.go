package harbortest_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/require"
)

func TestStartRefusesBadOptions(t *testing.T) {
	for _, c := range []struct {
		opt  harbortest.Option
		want string
	}{
		{harbortest.WithAddress(""), "WithAddress: address is empty"},
		{harbortest.WithRobotNamePrefix(""), "WithRobotNamePrefix: prefix is empty"},
		{harbortest.WithAdminPassword(""), "WithAdminPassword: password is empty"},
		{harbortest.WithClock(nil), "WithClock: clock is nil"},
		{harbortest.WithRequestLogLimit(-1), "WithRequestLogLimit(-1): the limit must be 0 or more"},
		{nil, "option 0 is nil"},
	} {
		srv, err := harbortest.Start(c.opt)
		require.Nil(t, srv)
		require.ErrorContains(t, err, c.want)
	}
}

func TestWithAddress(t *testing.T) {
	busy := harbortest.New(t)
	addr := strings.TrimPrefix(busy.URL, "http://")
	_, err := harbortest.Start(harbortest.WithAddress(addr))
	require.ErrorContains(t, err, "listen on "+addr)

	// A port free a moment ago may be taken by another process (any
	// connection's local port) before Start binds it: try a few.
	var srv *harbortest.Server
	var free string
	for attempt := 1; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		free = l.Addr().String()
		require.NoError(t, l.Close())
		srv, err = harbortest.Start(harbortest.WithAddress(free), harbortest.WithTLS())
		if err == nil {
			break
		}
		require.Less(t, attempt, 5, "Start on a free port: %v", err)
		require.ErrorContains(t, err, "listen on "+free)
	}
	defer srv.Close()
	require.Equal(t, "https://"+free, srv.URL)
	st, _, body := call(t, srv, "GET", "/api/v2.0/systeminfo", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, `"external_url":"https://`+free+`"`)
	require.Contains(t, body, `"has_ca_root":true`)
	st, _, cert := call(t, srv, "GET", "/api/v2.0/systeminfo/getcert", "admin", "Harbor12345", "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, string(srv.CertPEM()), cert)
}

func TestHandlerMountsElsewhere(t *testing.T) {
	srv := harbortest.New(t)
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	req, _ := http.NewRequest("POST", other.URL+"/api/v2.0/projects", strings.NewReader(`{"project_name":"mounted"}`))
	req.SetBasicAuth("admin", srv.AdminPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	// same state behind both listeners
	require.Len(t, srv.Projects(), 2)
	// systeminfo reports the address the client used
	req, _ = http.NewRequest("GET", other.URL+"/api/v2.0/systeminfo", nil)
	req.SetBasicAuth("admin", srv.AdminPassword)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), `"external_url":"`+other.URL+`"`)
}

func TestNewClosesOnCleanup(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := harbortest.New(t)
		url = srv.URL
		st, _, _ := call(t, srv, "GET", "/api/v2.0/ping", "", "", "")
		require.Equal(t, http.StatusOK, st)
	})
	c := &http.Client{Timeout: 5 * time.Second}
	_, err := c.Get(url + "/api/v2.0/ping")
	require.Error(t, err, "server still answers after its test finished")
}
