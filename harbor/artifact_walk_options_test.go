package harbor_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// A bad WalkOption is yielded once, naming the option and its value, and
// the walk stops before any request.
func TestWalkArtifactsRefusesBadOptions(t *testing.T) {
	cases := []struct {
		name string
		opt  harbor.WalkOption
		want string
	}{
		{"zero workers", harbor.WalkConcurrency(0), "WalkConcurrency(0): workers must be 1 to 64"},
		{"negative workers", harbor.WalkConcurrency(-1), "WalkConcurrency(-1)"},
		{"absurd workers", harbor.WalkConcurrency(65), "WalkConcurrency(65)"},
		{"no project", harbor.WalkProjects(), "WalkProjects(): no project named"},
		{"empty project", harbor.WalkProjects("a", ""), `WalkProjects(""): the project name is empty`},
		{"project with slash", harbor.WalkProjects("a/b"), `WalkProjects("a/b"): a project name has no "/"`},
		{"upper-case project", harbor.WalkProjects("Team"), `WalkProjects("Team"): a project name has only lower case`},
		{"project ends with dash", harbor.WalkProjects("team-"), `WalkProjects("team-"): a project name starts and ends`},
		{"no repository", harbor.WalkRepositories(), "WalkRepositories(): no repository named"},
		{"repository without project", harbor.WalkRepositories("bad"), `WalkRepositories("bad"): want project/repository`},
		{"empty repository", harbor.WalkRepositories("p/"), `WalkRepositories("p/"): repository "": the repository name is empty`},
		{"empty project part", harbor.WalkRepositories("/app"), `WalkRepositories("/app"): project "": the project name is empty`},
		{"double slash", harbor.WalkRepositories("p/team//app"), `the repository name has an empty component`},
		{"upper-case repository", harbor.WalkRepositories("p/App"), `WalkRepositories("p/App"): repository "App": a repository name has only lower case`},
		{"no tag", harbor.WalkTags(), "WalkTags(): no tag named"},
		{"empty tag", harbor.WalkTags(""), `WalkTags(""): the tag is empty`},
		{"tag with space", harbor.WalkTags("1 0"), `WalkTags("1 0"): a tag has only letters`},
		{"tag starting with dot", harbor.WalkTags(".x"), `WalkTags(".x"): a tag starts with`},
		{"empty project query", harbor.WalkProjectQuery(""), `WalkProjectQuery(""): the query is empty`},
		{"query without =", harbor.WalkRepositoryQuery("name"), `WalkRepositoryQuery("name"): term "name" is not key=value`},
		{"query without key", harbor.WalkArtifactQuery("=x"), `WalkArtifactQuery("=x"): term "=x" has no key`},
		{"query without value", harbor.WalkArtifactQuery("tags="), `term "tags=" has no value`},
		{"fuzzy without value", harbor.WalkRepositoryQuery("name=~"), `term "name=~" has no value`},
		{"unclosed set", harbor.WalkArtifactQuery("labels=(3"), `term "labels=(3" opens ( without closing it with )`},
		{"range without tilde", harbor.WalkProjectQuery("creation_time=[1 2]"), `is a range without "~"`},
		{"empty term", harbor.WalkArtifactQuery("tags=1,"), `term "" is not key=value`},
		{"empty report type", harbor.WalkReports(""), `WalkReports(""): the report type is empty`},
		{"unknown report type", harbor.WalkReports("application/json"), `WalkReports("application/json"): unknown report type`},
	}
	conflicts := []struct {
		name string
		opts []harbor.WalkOption
		want string
	}{
		{"repositories and projects", []harbor.WalkOption{harbor.WalkRepositories("p/app"), harbor.WalkProjects("p")}, "WalkRepositories and WalkProjects exclude each other"},
		{"repositories and project query", []harbor.WalkOption{harbor.WalkRepositories("p/app"), harbor.WalkProjectQuery("name=p")}, "WalkProjectQuery and WalkRepositoryQuery do not apply"},
		{"repositories and repository query", []harbor.WalkOption{harbor.WalkRepositoryQuery("name=~a"), harbor.WalkRepositories("p/app")}, "WalkProjectQuery and WalkRepositoryQuery do not apply"},
		{"projects and project query", []harbor.WalkOption{harbor.WalkProjects("p"), harbor.WalkProjectQuery("name=p")}, "WalkProjects lists no project: WalkProjectQuery does not apply"},
	}
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	refused := func(t *testing.T, want string, opts ...harbor.WalkOption) {
		srv.ResetRequests()
		var errs []error
		for _, err := range admin.WalkArtifacts(t.Context(), append([]harbor.WalkOption{nil, harbor.WalkConcurrency(2)}, opts...)...) {
			require.Error(t, err, "a bad option yields only its error")
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorContains(t, errs[0], "harbor: WalkArtifacts: ")
		assert.ErrorContains(t, errs[0], want)
		assert.Empty(t, srv.Requests(), "no request before the refusal")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { refused(t, tc.want, tc.opt) })
	}
	for _, tc := range conflicts {
		t.Run(tc.name, func(t *testing.T) { refused(t, tc.want, tc.opts...) })
	}
}

// Good values of every option are accepted (nil ones skipped) and walk.
func TestWalkArtifactsAcceptsGoodOptions(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	opts := []harbor.WalkOption{
		nil,
		harbor.WalkProjects("p"),
		harbor.WalkTags("1.0", "latest", "_x", "v1.2-rc.1"),
		harbor.WalkRepositoryQuery("name=~app"),
		harbor.WalkArtifactQuery("type=IMAGE"),
		harbor.WalkReports(harbor.ReportNative),
		harbor.WalkConcurrency(64),
	}
	n := 0
	for a, err := range admin.WalkArtifacts(t.Context(), opts...) {
		// The image is not scanned: a state, not an error.
		require.NoError(t, err)
		assert.Equal(t, "", a.Scan.Status)
		assert.Nil(t, a.Report)
		assert.Equal(t, "team/app", a.Repository)
		n++
	}
	assert.Equal(t, 1, n)
	n = 0
	for a, err := range admin.WalkArtifacts(t.Context(), harbor.WalkProjectQuery("name=p"), harbor.WalkArtifactQuery("tags=1.0")) {
		require.NoError(t, err)
		assert.Equal(t, []string{"1.0"}, a.Tags())
		n++
	}
	assert.Equal(t, 1, n)
}

// A nil ctx is refused by every walk and scan call, naming it, before any
// request.
func TestArtifactCallsRefuseNilContext(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	srv.ResetRequests()
	var nilCtx context.Context
	calls := map[string]func() error{
		"WalkArtifacts": func() error {
			for _, err := range admin.WalkArtifacts(nilCtx) {
				return err
			}
			return nil
		},
		"ScanArtifact": func() error { return admin.ScanArtifact(nilCtx, "p", "team/app", "1.0") },
		"ScanAndWait": func() error {
			_, err := admin.ScanAndWait(nilCtx, "p", "team/app", "1.0")
			return err
		},
		"WaitForScan": func() error {
			_, err := admin.WaitForScan(nilCtx, "p", "team/app", "1.0")
			return err
		},
		"VulnerabilityReport": func() error {
			_, err := admin.VulnerabilityReport(nilCtx, "p", "team/app", "1.0", "")
			return err
		},
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.ErrorContains(t, err, "harbor: "+name+": ctx is nil", name)
	}
	assert.Empty(t, srv.Requests())
}

// Requests per walk: one per page of projects, of repositories and of
// artifacts, one per report, nothing more. 200 repositories (two full
// pages) cost two requests: the second page's Link has rel="prev" and no
// "next", which ends the listing. A single full page (100 artifacts) has
// no Link at all, as in Harbor, and All does not end a listing on
// X-Total-Count alone: that costs one request for an empty page.
func TestWalkArtifactsRequestCountExactPages(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("c", false)
	srv.AddProject("d", false)
	for i := range 200 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	for i := range 100 {
		srv.AddImage("d", "big", fmt.Sprintf("t%03d", i))
	}
	for _, tag := range []string{"t000", "t050", "t099"} {
		srv.SetReport("d", "big", tag, harbortest.SampleVulnerabilities())
	}
	for _, workers := range []int{1, 8} {
		srv.ResetRequests()
		items, reports := 0, 0
		for a, err := range admin.WalkArtifacts(t.Context(), harbor.WalkReports(harbor.ReportGeneric), harbor.WalkConcurrency(workers)) {
			items++
			require.NoError(t, err)
			if a.Report != nil {
				reports++
				continue
			}
			assert.Equal(t, "", a.Scan.Status, a.Reference())
		}
		assert.Equal(t, 300, items)
		assert.Equal(t, 3, reports)
		// 1 page of projects (library, c, d); repositories: 2 pages of c,
		// 1 of d, 1 of library; artifacts: 200 pages of c's, 1+1 of d/big;
		// 3 reports.
		reqs := apiRequests(srv)
		assert.Equal(t, 1+(2+1+1)+(200+2)+3, len(reqs), "workers=%d", workers)
		assert.Equal(t, 2, countPath(reqs, "/api/v2.0/projects/c/repositories"), "workers=%d", workers)
		assert.Equal(t, 2, countPath(reqs, "/api/v2.0/projects/d/repositories/big/artifacts"), "workers=%d", workers)
	}
}

func countPath(reqs []harbortest.RecordedRequest, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Path == path {
			n++
		}
	}
	return n
}

// The same iterator ranged over twice at the same time: each range walks
// everything (run with -race).
func TestWalkArtifactsRangedTwiceConcurrently(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("c", false)
	for i := range 20 {
		srv.AddImage("c", fmt.Sprintf("r%03d", i), "v1")
	}
	seq := admin.WalkArtifacts(t.Context(), harbor.WalkProjects("c"), harbor.WalkConcurrency(4))
	counts := make(chan int, 2)
	for range 2 {
		go func() {
			n := 0
			for _, err := range seq {
				if err == nil {
					n++
				}
			}
			counts <- n
		}()
	}
	assert.Equal(t, 20, <-counts)
	assert.Equal(t, 20, <-counts)
}
