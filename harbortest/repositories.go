package harbortest

import (
	"fmt"
	"net/http"
)

// repositoryRoutes serves repositories and artifacts.
func (s *Server) repositoryRoutes() []route {
	return []route{
		{"listRepositories", "GET", "/projects/{project_name}/repositories", s.listRepositories},
		{"listArtifacts", "GET", "/projects/{project_name}/repositories/{repository_name}/artifacts", s.listArtifacts},
	}
}

type repositoryJSON struct {
	ArtifactCount int    `json:"artifact_count"`
	CreationTime  string `json:"creation_time"`
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	ProjectID     int64  `json:"project_id"`
	PullCount     int    `json:"pull_count"`
	UpdateTime    string `json:"update_time"`
}

type artifactJSON struct {
	Digest            string `json:"digest"`
	ID                int64  `json:"id"`
	ManifestMediaType string `json:"manifest_media_type"`
	MediaType         string `json:"media_type"`
	ProjectID         int64  `json:"project_id"`
	PullTime          string `json:"pull_time"`
	PushTime          string `json:"push_time"`
	RepositoryID      int64  `json:"repository_id"`
	Size              int64  `json:"size"`
	Type              string `json:"type"`
}

func (s *Server) listRepositories(w http.ResponseWriter, r *http.Request) {
	nameOrID := pathParam(r, "project_name")
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q, qerr := parseQuery(r)
	if qerr != nil {
		writeError(w, qerr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	p, e := s.findProject(r, nameOrID)
	if e == nil {
		e = s.requireProject(id, p, "repository", "list")
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	var names []string
	for _, n := range p.repoNames {
		if q.str("name", p.name+"/"+n) {
			names = append(names, n)
		}
	}
	start, end := pp.bounds(len(names))
	out := make([]repositoryJSON, 0, end-start)
	for _, n := range names[start:end] {
		repo := p.repos[n]
		out = append(out, repositoryJSON{ArtifactCount: len(repo.artifacts), CreationTime: harborTime(repo.created),
			ID: repo.id, Name: repo.name, ProjectID: p.id, UpdateTime: harborTime(repo.updated)})
	}
	s.mu.Unlock()
	setPagination(w, r, len(names), pp)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listArtifacts(w http.ResponseWriter, r *http.Request) {
	nameOrID, repoName := pathParam(r, "project_name"), pathParam(r, "repository_name")
	pp, perr := parsePage(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	s.mu.Lock()
	id := s.authenticate(r)
	p, e := s.findProject(r, nameOrID)
	if e == nil {
		e = s.requireProject(id, p, "artifact", "list")
	}
	var repo *repository
	if e == nil {
		if repo = p.repos[repoName]; repo == nil {
			e = errNotFound(fmt.Sprintf("repository %s/%s not found", p.name, repoName))
		}
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	// newest first, as Harbor sorts by push time
	arts := make([]*artifact, len(repo.artifacts))
	for i, a := range repo.artifacts {
		arts[len(arts)-1-i] = a
	}
	start, end := pp.bounds(len(arts))
	out := make([]artifactJSON, 0, end-start)
	for _, a := range arts[start:end] {
		out = append(out, artifactJSON{Digest: a.digest, ID: a.id,
			ManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
			MediaType:         "application/vnd.oci.image.config.v1+json",
			ProjectID:         p.id, PullTime: zeroTime, PushTime: harborTime(a.pushTime),
			RepositoryID: repo.id, Size: 1024, Type: "IMAGE"})
	}
	s.mu.Unlock()
	setPagination(w, r, len(arts), pp)
	writeJSON(w, http.StatusOK, out)
}
