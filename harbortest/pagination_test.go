package harbortest_test

import (
	"fmt"
	"testing"

	"github.com/harborkit/harbor-sdk-go/harbortest"
	"github.com/stretchr/testify/assert"
)

func TestPaginationHeaders(t *testing.T) {
	t.Parallel()
	srv := harbortest.NewServer()
	defer srv.Close()
	list := func(path string) (string, string, string) {
		st, h, body := call(t, srv, "GET", path, "admin", "Harbor12345", "")
		assert.Equal(t, 200, st, body)
		return h.Get("X-Total-Count"), h.Get("Link"), body
	}

	// 0 items
	total, link, body := list("/api/v2.0/projects/library/repositories")
	assert.Equal(t, "0", total)
	assert.Empty(t, link)
	assert.Equal(t, "[]\n", body)

	// 1 item
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "1", total)
	assert.Empty(t, link)

	// exactly one page
	srv.AddProjects(9)
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "10", total)
	assert.Empty(t, link)

	// one page and one item
	srv.AddProjects(1)
	total, link, _ = list("/api/v2.0/projects")
	assert.Equal(t, "11", total)
	assert.Equal(t, `</api/v2.0/projects?page=2&page_size=10>; rel="next"`, link)
	_, link, _ = list("/api/v2.0/projects?page=2")
	assert.Equal(t, `</api/v2.0/projects?page=1&page_size=10>; rel="prev"`, link)

	// middle page, other query parameters kept (sorted, unescaped)
	_, link, _ = list("/api/v2.0/projects?page=2&page_size=2&q=name%3D~project")
	assert.Equal(t, `</api/v2.0/projects?page=1&page_size=2&q=name=~project>; rel="prev" , </api/v2.0/projects?page=3&page_size=2&q=name=~project>; rel="next"`, link)

	// page_size limits
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects?page_size=101", "admin", "Harbor12345", "")
	assert.Equal(t, 422, st)
	assert.Contains(t, body, "page_size in query should be less than or equal to 100")
}

func TestLargeProjectList(t *testing.T) {
	t.Parallel()
	srv := harbortest.NewServer()
	defer srv.Close()
	ids := srv.AddProjects(10000)
	assert.Len(t, ids, 10000)
	st, h, _ := call(t, srv, "GET", "/api/v2.0/projects?page=100&page_size=100", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "10001", h.Get("X-Total-Count"))
	assert.Equal(t, `</api/v2.0/projects?page=99&page_size=100>; rel="prev" , </api/v2.0/projects?page=101&page_size=100>; rel="next"`, h.Get("Link"))
	st, _, body := call(t, srv, "GET", "/api/v2.0/projects?name=project-00042", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `"name":"project-00042"`)
	assert.Len(t, srv.Projects(), 10001)
}

func TestArtifactsAndAuditLogs(t *testing.T) {
	t.Parallel()
	srv := harbortest.NewServer()
	defer srv.Close()
	for i := 0; i < 3; i++ {
		srv.AddArtifact("library", "nginx", fmt.Sprintf("sha256:%064d", i))
	}
	srv.AddAuditLog("create", "library/nginx:latest", "artifact", "admin")
	st, h, body := call(t, srv, "GET", "/api/v2.0/projects/library/repositories/nginx/artifacts?page_size=2", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st, body)
	assert.Equal(t, "3", h.Get("X-Total-Count"))
	assert.Equal(t, `</api/v2.0/projects/library/repositories/nginx/artifacts?page=2&page_size=2>; rel="next"`, h.Get("Link"))
	st, h, _ = call(t, srv, "GET", "/api/v2.0/audit-logs", "admin", "Harbor12345", "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	st, _, _ = call(t, srv, "DELETE", "/api/v2.0/projects/library", "admin", "Harbor12345", "")
	assert.Equal(t, 412, st)
}
