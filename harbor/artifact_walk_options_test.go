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

// A bad WalkOptions field is yielded once, naming the field and its value,
// and the walk stops before any request.
func TestWalkArtifactsRefusesBadOptions(t *testing.T) {
	cases := []struct {
		name string
		opts harbor.WalkOptions
		want string
	}{
		{"negative workers", harbor.WalkOptions{Concurrency: -1}, "WalkOptions.Concurrency -1: want 1 to 64 (0 means 1)"},
		{"absurd workers", harbor.WalkOptions{Concurrency: 65}, "WalkOptions.Concurrency 65"},
		{"empty project", harbor.WalkOptions{Projects: []string{"a", ""}}, `WalkOptions.Projects: "": the project name is empty`},
		{"project with slash", harbor.WalkOptions{Projects: []string{"a/b"}}, `WalkOptions.Projects: "a/b": a project name has no "/"`},
		{"upper-case project", harbor.WalkOptions{Projects: []string{"Team"}}, `WalkOptions.Projects: "Team": a project name has only lower case`},
		{"project ends with dash", harbor.WalkOptions{Projects: []string{"team-"}}, `WalkOptions.Projects: "team-": a project name starts and ends`},
		{"repository without project", harbor.WalkOptions{Repositories: []string{"bad"}}, `WalkOptions.Repositories: "bad": want project/repository`},
		{"empty repository", harbor.WalkOptions{Repositories: []string{"p/"}}, `WalkOptions.Repositories: "p/": repository "": the repository name is empty`},
		{"empty project part", harbor.WalkOptions{Repositories: []string{"/app"}}, `WalkOptions.Repositories: "/app": project "": the project name is empty`},
		{"double slash", harbor.WalkOptions{Repositories: []string{"p/team//app"}}, `the repository name has an empty component`},
		{"upper-case repository", harbor.WalkOptions{Repositories: []string{"p/App"}}, `WalkOptions.Repositories: "p/App": repository "App": a repository name has only lower case`},
		{"empty tag", harbor.WalkOptions{Tags: []string{""}}, `WalkOptions.Tags: "": the tag is empty`},
		{"tag with space", harbor.WalkOptions{Tags: []string{"1 0"}}, `WalkOptions.Tags: "1 0": a tag has only letters`},
		{"tag starting with dot", harbor.WalkOptions{Tags: []string{".x"}}, `WalkOptions.Tags: ".x": a tag starts with`},
		{"query without =", harbor.WalkOptions{RepositoryQuery: "name"}, `WalkOptions.RepositoryQuery "name": term "name" is not key=value`},
		{"query without key", harbor.WalkOptions{ArtifactQuery: "=x"}, `WalkOptions.ArtifactQuery "=x": term "=x" has no key`},
		{"query without value", harbor.WalkOptions{ArtifactQuery: "tags="}, `term "tags=" has no value`},
		{"fuzzy without value", harbor.WalkOptions{RepositoryQuery: "name=~"}, `term "name=~" has no value`},
		{"unclosed set", harbor.WalkOptions{ArtifactQuery: "labels=(3"}, `term "labels=(3" opens ( without closing it with )`},
		{"range without tilde", harbor.WalkOptions{ProjectQuery: "creation_time=[1 2]"}, `WalkOptions.ProjectQuery "creation_time=[1 2]": term "creation_time=[1 2]" is a range without "~"`},
		{"empty term", harbor.WalkOptions{ArtifactQuery: "tags=1,"}, `term "" is not key=value`},
		{"unknown report type", harbor.WalkOptions{Reports: "application/json"}, `WalkOptions.Reports "application/json": unknown report type`},
		{"repositories and projects", harbor.WalkOptions{Repositories: []string{"p/app"}, Projects: []string{"p"}}, "WalkOptions.Repositories and Projects exclude each other"},
		{"repositories and project query", harbor.WalkOptions{Repositories: []string{"p/app"}, ProjectQuery: "name=p"}, "ProjectQuery and RepositoryQuery do not apply"},
		{"repositories and repository query", harbor.WalkOptions{RepositoryQuery: "name=~a", Repositories: []string{"p/app"}}, "ProjectQuery and RepositoryQuery do not apply"},
		{"projects and project query", harbor.WalkOptions{Projects: []string{"p"}, ProjectQuery: "name=p"}, "WalkOptions.Projects lists no project: ProjectQuery does not apply"},
	}
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			var errs []error
			for _, err := range admin.WalkArtifacts(t.Context(), &tc.opts) {
				require.Error(t, err, "a bad option yields only its error")
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], "harbor: WalkArtifacts: ")
			assert.ErrorContains(t, errs[0], tc.want)
			assert.Empty(t, srv.Requests(), "no request before the refusal")
		})
	}
}

// Good values of every field are accepted and walk.
func TestWalkArtifactsAcceptsGoodOptions(t *testing.T) {
	srv, admin := newServer(t)
	srv.AddProject("p", false)
	srv.AddImage("p", "team/app", "1.0")
	opts := &harbor.WalkOptions{
		Projects:        []string{"p"},
		Tags:            []string{"1.0", "latest", "_x", "v1.2-rc.1"},
		RepositoryQuery: "name=~app",
		ArtifactQuery:   "type=IMAGE",
		Reports:         harbor.ReportNative,
		Concurrency:     64,
	}
	n := 0
	for a, err := range admin.WalkArtifacts(t.Context(), opts) {
		// The image is not scanned: a state, not an error.
		require.NoError(t, err)
		assert.Equal(t, "", a.Scan.Status)
		assert.Nil(t, a.Report)
		assert.Equal(t, "team/app", a.Repository)
		n++
	}
	assert.Equal(t, 1, n)
	n = 0
	for a, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{ProjectQuery: "name=p", ArtifactQuery: "tags=1.0"}) {
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
			for _, err := range admin.WalkArtifacts(nilCtx, nil) {
				return err
			}
			return nil
		},
		"ScanArtifact": func() error { return admin.ScanArtifact(nilCtx, "p", "team/app", "1.0") },
		"ScanAndWait": func() error {
			_, err := admin.ScanAndWait(nilCtx, "p", "team/app", "1.0", harbor.ReportGeneric)
			return err
		},
		"WaitForScan": func() error {
			_, err := admin.WaitForScan(nilCtx, "p", "team/app", "1.0", harbor.ReportGeneric)
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
		for a, err := range admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Reports: harbor.ReportGeneric, Concurrency: workers}) {
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
	seq := admin.WalkArtifacts(t.Context(), &harbor.WalkOptions{Projects: []string{"c"}, Concurrency: 4})
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
