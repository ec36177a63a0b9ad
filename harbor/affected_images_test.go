package harbor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/models"
	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// auditRegistry seeds two projects: an image, an index of two platforms
// (both children affected) and its copy in a second project, an
// unaffected image and an unscanned one. It returns the admin client.
func auditRegistry(t *testing.T) (*harbortest.Server, *harbor.Client) {
	t.Helper()
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	sample := harbortest.SampleVulnerabilities()
	srv.AddProject("capart1", false)
	srv.AddProject("capart2", true)
	srv.AddImage("capart1", "team/app", "1.0")
	srv.SetReport("capart1", "team/app", "1.0", sample)
	for _, p := range []string{"capart1", "capart2"} {
		_, kids := srv.AddIndex(p, "multi", []string{"linux/amd64", "linux/arm64/v8"}, "v1", "stable")
		srv.AddTag(p, "multi", kids[1], "arm64-build")
		srv.SetReport(p, "multi", kids[0], sample[:2])
		srv.SetReport(p, "multi", kids[1], sample[:1])
	}
	srv.AddImage("capart2", "web", "1")
	srv.SetReport("capart2", "web", "1", sample[1:])
	srv.AddImage("capart2", "web", "2") // never scanned
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	return srv, c
}

func TestAffectedImagesHubAndWalkAgree(t *testing.T) {
	ctx := context.Background()
	srv, c := auditRegistry(t)
	srv.ResetRequests()
	hub, err := c.AffectedImages(ctx, []string{"CVE-2023-4863"}, nil)
	require.NoError(t, err)
	hubRequests := len(apiRequests(srv)) // a user's client also logs in (POST /c/login), not counted
	require.Equal(t, harbor.PathSecurityHub, hub.Path)
	require.Empty(t, hub.WhyWalk)
	// summary, one hub page, one listing per affected repository (3)
	require.Equal(t, 5, hubRequests)

	require.Len(t, hub.Images, 5, "%+v", hub.Images)
	var arm *harbor.AffectedImage
	for i, img := range hub.Images {
		require.Len(t, img.Findings, 1)
		require.Equal(t, "CVE-2023-4863", img.Findings[0].ID)
		require.Equal(t, []string{img.Digest}, img.Findings[0].ArtifactDigests)
		require.Equal(t, 8.8, img.Findings[0].CVSSv3(), "the hub's float32 read back as the report's 8.8")
		if img.Project == "capart2" && img.Platform == "linux/arm64/v8" {
			arm = &hub.Images[i]
		}
	}
	require.NotNil(t, arm, "%+v", hub.Images)
	require.Equal(t, []string{"arm64-build"}, arm.Tags)
	require.Len(t, arm.Indexes, 1)
	require.ElementsMatch(t, []string{"v1", "stable"}, arm.Indexes[0].Tags)
	require.Equal(t, 6, hub.Scanned) // team/app, 4 children, web:1
	require.Equal(t, 9, hub.Total)

	srv.ResetRequests()
	walk, err := c.AffectedImages(ctx, []string{"CVE-2023-4863"}, &harbor.AuditOptions{Walk: true, Concurrency: 4})
	require.NoError(t, err)
	require.Equal(t, harbor.PathWalk, walk.Path)
	require.Equal(t, "AuditOptions.Walk is set", walk.WhyWalk)
	require.Equal(t, hub.Images, walk.Images, "both paths give the same answer")
	require.Greater(t, len(apiRequests(srv)), hubRequests)
	require.Len(t, walk.Unscanned, 1)
	require.Contains(t, walk.Unscanned[0], "capart2/web@")
	// Harbor does not list an index's untagged children (the amd64 ones):
	// the walk finds them through the index's report.
	require.Equal(t, hub.Total-2, walk.Total)
}

// walkingRobot returns a client of a new system robot that may walk every
// project (project:list; repository:list, artifact:list/read,
// artifact-addition:read) and has the system permissions extra.
func walkingRobot(t *testing.T, admin *harbor.Client, name string, extra ...*models.Access) *harbor.Client {
	t.Helper()
	rc := harbor.SystemRobot(name, 1, append(extra, harbor.Allow(harbor.ResourceProject, harbor.ActionList))...)
	rc.Permissions = append(rc.Permissions, harbor.ProjectPermission("*",
		harbor.Allow(harbor.ResourceRepository, harbor.ActionList), harbor.Allow(harbor.ResourceArtifact, harbor.ActionList),
		harbor.Allow(harbor.ResourceArtifact, harbor.ActionRead), harbor.Allow(harbor.ResourceArtifactAddition, harbor.ActionRead)))
	created, err := admin.CreateRobot(context.Background(), rc)
	require.NoError(t, err)
	bot, err := admin.With(harbor.WithCredentials(*harbor.RobotCredentials(rc, created)))
	require.NoError(t, err)
	return bot
}

func TestAffectedImagesWalksWhenTheHubIsRefusedAbsentOrDisabled(t *testing.T) {
	ctx := context.Background()
	srv, admin := auditRegistry(t)
	want, err := admin.AffectedImages(ctx, []string{"CVE-2023-4863", "CVE-2023-38545"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathSecurityHub, want.Path)
	require.Len(t, want.Images, 6) // web:1 has CVE-2023-38545

	// A robot without security-hub permission: 403, so it walks.
	bot := walkingRobot(t, admin, "auditor")
	got, err := bot.AffectedImages(ctx, []string{"CVE-2023-4863", "CVE-2023-38545"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathWalk, got.Path)
	require.Contains(t, got.WhyWalk, "403")
	require.Equal(t, want.Images, got.Images)

	// An older Harbor: 404.
	srv.FailNext(1, http.StatusNotFound, harbortest.OnPath("/api/v2.0/security/"))
	got, err = admin.AffectedImages(ctx, []string{"CVE-2023-4863", "CVE-2023-38545"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathWalk, got.Path)
	require.Contains(t, got.WhyWalk, "404")
	require.Equal(t, want.Images, got.Images)

	// A 500 is not a reason to walk: it is the answer.
	srv.FailNext(1, http.StatusInternalServerError, harbortest.OnPath("/api/v2.0/security/"))
	_, err = admin.AffectedImages(ctx, []string{"CVE-2023-4863"}, &harbor.AuditOptions{})
	require.ErrorContains(t, err, "500")

	// Wrong credentials: the hub says 401, and no anonymous walk follows.
	bad, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth("admin", "wrong"))
	require.NoError(t, err)
	_, err = bad.AffectedImages(ctx, []string{"CVE-2023-4863"}, nil)
	require.ErrorIs(t, err, harbor.ErrUnauthorized)
	_, err = bad.AffectedImages(ctx, []string{"CVE-2023-4863"}, &harbor.AuditOptions{Walk: true})
	require.ErrorIs(t, err, harbor.ErrUnauthorized)
	require.ErrorContains(t, err, "harbor: AffectedImages: not walking")
}

func TestAffectedImagesProjectsFilter(t *testing.T) {
	_, c := auditRegistry(t)
	for _, walk := range []bool{false, true} {
		res, err := c.AffectedImages(context.Background(), []string{"CVE-2023-4863"}, &harbor.AuditOptions{Projects: []string{"capart2"}, Walk: walk})
		require.NoError(t, err)
		require.Len(t, res.Images, 2, "walk=%v", walk)
		for _, img := range res.Images {
			require.Equal(t, "capart2", img.Project)
		}
	}
}

func TestAffectedImagesBadInputBeforeAnyRequest(t *testing.T) {
	srv, c := auditRegistry(t)
	srv.ResetRequests()
	for _, tc := range []struct {
		ids  []string
		o    *harbor.AuditOptions
		want string
	}{
		{nil, nil, "name at least one"},
		{[]string{"CVE-1", ""}, nil, "none empty"},
		{[]string{"CVE-1"}, &harbor.AuditOptions{Projects: []string{"Bad/Name"}}, `project "Bad/Name"`},
	} {
		_, err := c.AffectedImages(context.Background(), tc.ids, tc.o)
		require.ErrorContains(t, err, "harbor: AffectedImages: ")
		require.ErrorContains(t, err, tc.want)
	}
	var nilCtx context.Context
	_, err := c.AffectedImages(nilCtx, []string{"CVE-1"}, nil)
	require.Error(t, err)
	require.Empty(t, srv.Requests())
}

// The recorded hub answers of a real Harbor v2.15.2 (set2 v034, v037) and
// the recorded listings of the affected repositories (p032, p054, b203),
// replayed through the facade: 5 platform images, the index's two children
// in two projects named by digest with the index's tags.
func TestAffectedImagesAgainstRecordedHub(t *testing.T) {
	routes := map[string]string{
		"/api/v2.0/security/summary":                                     "v034_security_summary.txt",
		"/api/v2.0/security/vul":                                         "v037_security_vul_q_severity.txt", // its 10 rows are all CVE-2023-4863's (the one Critical CVE)
		"/api/v2.0/projects/capart1/repositories/team%252Fapp/artifacts": "p032_list_artifacts_default.txt",
		"/api/v2.0/projects/capart1/repositories/multi/artifacts":        "p054_list_artifacts_multi_index.txt",
		"/api/v2.0/projects/capart2/repositories/multi/artifacts":        "b203_list_artifacts_replicated_target.txt",
	}
	var seen []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := routes[r.URL.EscapedPath()]
		if strings.HasPrefix(r.URL.Path, "/api/") {
			seen = append(seen, r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveCapture(t, w, name)
	}))
	defer ts.Close()
	c, err := harbor.NewClient(ts.URL, harbor.WithBasicAuth("admin", "Harbor12345"))
	require.NoError(t, err)
	res, err := c.AffectedImages(context.Background(), []string{"CVE-2023-4863"}, nil)
	require.NoError(t, err, "%q", seen)
	require.Equal(t, harbor.PathSecurityHub, res.Path)
	require.Len(t, seen, 5)
	require.Contains(t, seen[1], "q=cve_id%3DCVE-2023-4863")
	require.Equal(t, 5, res.Scanned)
	require.Equal(t, 12, res.Total)
	type row struct{ ref, platform, index string }
	var rows []row
	for _, img := range res.Images {
		r := row{img.Project + "/" + img.Repository + "@" + img.Digest[:15], img.Platform, ""}
		for _, ix := range img.Indexes {
			r.index = ix.Digest[:15] + " " + strings.Join(ix.Tags, ",")
		}
		rows = append(rows, r)
		require.Equal(t, "libwebp7", img.Findings[0].Package)
		require.Equal(t, "1.2.4-0.2+deb12u1", img.Findings[0].FixVersion)
	}
	require.Equal(t, []row{
		{"capart1/multi@sha256:82d87f89", "linux/arm64", "sha256:d568d3f0 stable,v1"},
		{"capart1/multi@sha256:92a9b70b", "linux/amd64", "sha256:d568d3f0 stable,v1"},
		{"capart1/team/app@sha256:9bffcba1", "linux/amd64", ""},
		{"capart2/multi@sha256:82d87f89", "linux/arm64", "sha256:d568d3f0 v1,stable"},
		{"capart2/multi@sha256:92a9b70b", "linux/amd64", "sha256:d568d3f0 v1,stable"},
	}, rows)
}

// serveCapture answers with a set2 capture's status, headers and body.
func serveCapture(t *testing.T, w http.ResponseWriter, name string) {
	data, err := os.ReadFile("../testdata/harbor-captures/set2/" + name)
	require.NoError(t, err)
	_, resp, _ := strings.Cut(strings.ReplaceAll(string(data), "\r\n", "\n"), "### RESPONSE\n")
	head, body, _ := strings.Cut(resp, "\n\n")
	lines := strings.Split(head, "\n")
	status := 200
	if f := strings.Fields(lines[0]); len(f) > 1 {
		status = map[string]int{"200": 200, "400": 400, "403": 403, "401": 401}[f[1]]
	}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ": ")
		if k == "Content-Type" || k == "X-Total-Count" || k == "Link" {
			w.Header().Set(k, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(strings.TrimSpace(body)))
}

// Disabled: without a default scanner Harbor's hub answers an empty
// summary; a robot allowed the summary but not the list is refused there.
// Both walk, and say why.
func TestAffectedImagesHubDisabledOrListRefused(t *testing.T) {
	ctx := context.Background()
	srv := harbortest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject("p", false)
	srv.AddImage("p", "app", "1")
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	require.NoError(t, err)
	res, err := c.AffectedImages(ctx, []string{"CVE-2023-4863"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathWalk, res.Path)
	require.Contains(t, res.WhyWalk, "counts no artifact")
	require.Empty(t, res.Images)
	require.Len(t, res.Unscanned, 1)

	srv.SetReport("p", "app", "1", harbortest.SampleVulnerabilities())
	bot := walkingRobot(t, c, "reader", harbor.Allow(harbor.ResourceSecurityHub, harbor.ActionRead))
	res, err = bot.AffectedImages(ctx, []string{"CVE-2023-4863"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathWalk, res.Path)
	require.Contains(t, res.WhyWalk, "403")
	require.Len(t, res.Images, 1)
}

// Which images contain a CVE: the security hub answers in a few requests
// (here 4: the summary, one hub page, one listing for the index's
// repository and one for the image's); the index's two platform images are
// named with the index's tags. Images are sorted by project, repository
// and digest.
func ExampleClient_AffectedImages() {
	srv := harbortest.NewServer()
	defer srv.Close()
	srv.AddProject("shop", false)
	_, children := srv.AddIndex("shop", "web", []string{"linux/amd64", "linux/arm64"}, "2.1")
	for _, d := range children {
		srv.SetReport("shop", "web", d, harbortest.SampleVulnerabilities()[:1])
	}
	srv.AddImage("shop", "api", "1.0")
	srv.SetReport("shop", "api", "1.0", harbortest.SampleVulnerabilities()[:1])

	c, _ := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	res, err := c.AffectedImages(context.Background(), []string{"CVE-2023-4863"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("path:", res.Path)
	for _, img := range res.Images {
		var index []string
		for _, ix := range img.Indexes {
			index = append(index, ix.Tags...)
		}
		f := img.Findings[0]
		fmt.Println(img.Project+"/"+img.Repository, img.Platform, "tags", img.Tags, "index tags", index, f.Package, "fixed in", f.FixVersion)
	}
	// Output:
	// path: security-hub
	// shop/api linux/amd64 tags [1.0] index tags [] libwebp7 fixed in 1.2.4-0.2+deb12u1
	// shop/web linux/arm64 tags [] index tags [2.1] libwebp7 fixed in 1.2.4-0.2+deb12u1
	// shop/web linux/amd64 tags [] index tags [2.1] libwebp7 fixed in 1.2.4-0.2+deb12u1
}

// A hostile or odd server: null items in the hub's page and in the
// listing, null references, platforms and extra_attrs: no panic, the image
// still named. A severity sent as a number fails the hub page with an
// error naming the helper.
func TestAffectedImagesNullsFromTheServer(t *testing.T) {
	const d = "sha256:82d87f890b92d4ea69687f43a754ead6f63e5b7f2d3c57833dcf7686c94ef75b"
	severity := `"High"`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2.0/security/summary":
			_, _ = w.Write([]byte(`{"scanned_cnt":1,"total_artifact":2}`))
		case "/api/v2.0/security/vul":
			_, _ = w.Write([]byte(`[null,{"cve_id":"CVE-1","digest":"` + d + `","repository_name":"p/app","project_id":1,"severity":` + severity + `,"links":null,"tags":null}]`))
		default:
			_, _ = w.Write([]byte(`[null,{"digest":"sha256:1","tags":[null],"extra_attrs":null,"references":[null,{"child_digest":"` + d + `","platform":null}]},
				{"digest":"` + d + `","tags":null,"extra_attrs":{"os":7}}]`))
		}
	}))
	defer ts.Close()
	c, err := harbor.NewClient(ts.URL, harbor.WithBasicAuth("u", "p"))
	require.NoError(t, err)
	res, err := c.AffectedImages(context.Background(), []string{"CVE-1"}, nil)
	require.NoError(t, err)
	require.Len(t, res.Images, 1)
	require.Equal(t, d, res.Images[0].Digest)
	require.Equal(t, "", res.Images[0].Platform)
	require.Equal(t, []harbor.IndexRef{{Digest: "sha256:1", Tags: []string{}}}, res.Images[0].Indexes)
	require.Nil(t, res.Images[0].Findings[0].Links)

	severity = "7"
	_, err = c.AffectedImages(context.Background(), []string{"CVE-1"}, nil)
	require.ErrorContains(t, err, "harbor: AffectedImages: asking the security hub: ")
	require.ErrorIs(t, err, harbor.ErrUnexpectedContent)
}

// On the hub path, a repository whose listing is refused keeps its
// affected images (with the hub's tags) and is named in Errors.
func TestAffectedImagesHubListingRefused(t *testing.T) {
	srv, c := auditRegistry(t)
	srv.FailNext(1, http.StatusForbidden, harbortest.OnPath("/api/v2.0/projects/capart2/repositories/multi/artifacts"))
	res, err := c.AffectedImages(context.Background(), []string{"CVE-2023-4863"}, nil)
	require.NoError(t, err)
	require.Equal(t, harbor.PathSecurityHub, res.Path)
	require.Len(t, res.Images, 5)
	require.Len(t, res.Errors, 1)
	require.ErrorContains(t, res.Errors[0], "capart2/multi: listing its indexes and tags: ")
	require.True(t, harbor.IsStatus(res.Errors[0], http.StatusForbidden))
	var hubTags [][]string
	for _, img := range res.Images {
		if img.Project == "capart2" {
			require.Empty(t, img.Indexes)
			require.Empty(t, img.Platform)
			hubTags = append(hubTags, img.Tags)
		}
	}
	require.ElementsMatch(t, [][]string{{"arm64-build"}, nil}, hubTags, "the hub's own tags")
}
