package harbortest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type linkJSON struct {
	Absolute bool   `json:"absolute"`
	Href     string `json:"href"`
}

type tagJSON struct {
	ArtifactID   int64  `json:"artifact_id"`
	ID           int64  `json:"id"`
	Immutable    bool   `json:"immutable"`
	Name         string `json:"name"`
	PullTime     string `json:"pull_time"`
	PushTime     string `json:"push_time"`
	RepositoryID int64  `json:"repository_id"`
}

// artifactJSON is Harbor's Artifact, null (not []) for no accessories, labels, references or tags.
type artifactJSON struct {
	Accessories       []accessoryJSON     `json:"accessories"`
	AdditionLinks     map[string]linkJSON `json:"addition_links,omitempty"`
	Annotations       map[string]string   `json:"annotations,omitempty"`
	ArtifactType      string              `json:"artifact_type,omitempty"`
	Digest            string              `json:"digest"`
	ExtraAttrs        map[string]any      `json:"extra_attrs,omitempty"`
	Icon              string              `json:"icon"`
	ID                int64               `json:"id"`
	Labels            []labelJSON         `json:"labels"`
	ManifestMediaType string              `json:"manifest_media_type"`
	MediaType         string              `json:"media_type"`
	ProjectID         int64               `json:"project_id"`
	PullTime          string              `json:"pull_time"`
	PushTime          string              `json:"push_time"`
	References        []any               `json:"references"`
	RepositoryID      int64               `json:"repository_id"`
	RepositoryName    string              `json:"repository_name"`
	SbomOverview      map[string]any      `json:"sbom_overview,omitempty"`
	ScanOverview      map[string]any      `json:"scan_overview,omitempty"`
	Size              int64               `json:"size"`
	Tags              []tagJSON           `json:"tags"`
	Type              string              `json:"type"`
}

// acceptedReport is Harbor's report type: generic 1.1 unless X-Accept-Vulnerabilities lists another first.
func acceptedReport(r *request) string {
	h := r.Header.Get("X-Accept-Vulnerabilities")
	first, _, _ := strings.Cut(h, ",")
	if h == "" || strings.TrimSpace(first) == mimeGenericReport {
		return mimeGenericReport
	}
	return mimeNativeReport
}

// toArtifactJSON renders an artifact as q's with_* flags ask, scan overview as accept. Callers hold s.mu.
func (s *Server) toArtifactJSON(p *project, repo *repository, a *artifact, q url.Values, accept string) artifactJSON {
	with := func(name string, def bool) bool { return swaggerBool(q.Get("with_"+name), def) }
	out := artifactJSON{AdditionLinks: map[string]linkJSON{}, Annotations: a.annotations, ArtifactType: a.artifactType,
		Digest: a.digest, ExtraAttrs: a.extraAttrs, ID: a.id, ManifestMediaType: a.manifestMediaType,
		MediaType: a.mediaType, ProjectID: p.id, PullTime: harborTime(a.pullTime), PushTime: harborTime(a.pushTime),
		References: a.references, RepositoryID: repo.id, RepositoryName: repo.name, Size: a.size, Type: a.typ}
	if out.Type == "" { // seeded by AddArtifactJSON without a type
		out.Type, out.MediaType, out.ManifestMediaType = "IMAGE", "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.manifest.v1+json"
		out.Size = 1024
	}
	escaped := strings.ReplaceAll(url.PathEscape(shortRepoName(repo)), "%", "%25") // Harbor's "team%252Fapp"
	base := apiPrefix + "/projects/" + p.name + "/repositories/" + escaped + "/artifacts/"
	link := func(name, digest, addition string) {
		out.AdditionLinks[name] = linkJSON{Href: base + digest + "/additions/" + addition}
	}
	_, _, hasScanner := s.scannerFor(p)
	switch out.Type {
	case "IMAGE":
		if a.references == nil { // an index has no build history
			link("build_history", a.digest, "build_history")
		}
		if hasScanner {
			sbomDigest := "" // until an SBOM exists, as Harbor links it (README 58)
			if a.sbom != nil && !s.now().Before(a.sbom.done) {
				sbomDigest = a.sbom.acc.art.digest
			}
			link("sboms", sbomDigest, "sbom")
			link("vulnerabilities", a.digest, "vulnerabilities")
		}
	case "CHART":
		for _, add := range []string{"dependencies", "readme.md", "values.yaml"} {
			link(add, a.digest, add)
		}
	}
	out.Icon = cmp.Or(a.icon, typeIcons[out.Type])
	if with("tag", true) {
		out.Tags = tagsJSON(repo, a)
	}
	if with("label", false) {
		out.Labels = mapped(a.labels, (*label).toJSON)
	}
	if with("accessory", false) {
		out.Accessories = accessoriesJSON(repo, a)
	}
	if with("sbom_overview", false) && a.sbom != nil {
		out.SbomOverview = s.sbomOverview(a)
	}
	s.syncIndexScan(repo, a)
	if with("scan_overview", false) && a.scan != nil && hasScanner {
		out.ScanOverview = map[string]any{accept: s.scanOverview(a, accept)}
	}
	return out
}

// tagsJSON renders a's tags newest first (nil for none).
func tagsJSON(repo *repository, a *artifact) []tagJSON {
	var out []tagJSON
	for _, t := range slices.Backward(a.tags) {
		out = append(out, tagJSON{ArtifactID: a.id, ID: t.id, Name: t.name, PullTime: harborTime(t.pullTime),
			PushTime: harborTime(t.pushTime), RepositoryID: repo.id})
	}
	return out
}

// matchArtifact is Harbor's artifact filter: tags (~fuzzy, {union}, * tagged, nil untagged), digest, type, labels.
func matchArtifact(q *query, a *artifact) bool {
	names := mapped(a.tags, func(t *tag) string { return t.name })
	if t, ok := q.term("tags"); ok && t.kind == qExact && (t.value == "*" || t.value == "nil") {
		if (t.value == "*") != (len(names) > 0) {
			return false
		}
	} else if !q.strs("tags", names) {
		return false
	}
	typ := cmp.Or(a.typ, "IMAGE")
	labels := mapped(a.labels, func(l *label) string { return strconv.FormatInt(l.id, 10) })
	return q.str("digest", a.digest) && q.str("type", typ) && q.strs("labels", labels)
}

// listArtifacts lists a repository's artifacts newest first; a missing repository is empty (README 9).
func (s *Server) listArtifacts(r *request, pp pageParams, q *query) (answer, *apiError) {
	p, repo, _, e := s.repoFromRequest(r, "artifact", "list")
	if e != nil {
		return answer{}, e
	}
	var arts []*artifact
	if repo != nil {
		for _, a := range slices.Backward(repo.artifacts) {
			// Not accessories, nor untagged children of an index (src/pkg/artifact/dao/dao.go).
			if a.subject == nil && (len(a.tags) > 0 || !referencedByIndex(repo, a)) && matchArtifact(q, a) {
				arts = append(arts, a)
			}
		}
	}
	flags, accept := r.URL.Query(), acceptedReport(r)
	return pageOf(r, arts, pp, func(a *artifact) artifactJSON { return s.toArtifactJSON(p, repo, a, flags, accept) })
}

// artifactFromRequest resolves the path's project, repository and reference. Callers hold s.mu.
func (s *Server) artifactFromRequest(r *request, resource, action string) (*project, *repository, *artifact, *apiError) {
	p, repo, name, e := s.repoFromRequest(r, resource, action)
	if e != nil {
		return nil, nil, nil, e
	}
	ref := r.PathValue("reference")
	if a := findArtifact(repo, ref); a != nil {
		return p, repo, a, nil
	}
	sep := ":" // Harbor's 404: "artifact capart1/team/app:9.9 not found", "...@sha256:..." for a digest
	if digestRe.MatchString(ref) {
		sep = "@"
	}
	return p, repo, nil, errNotFound(fmt.Sprintf("artifact %s/%s%s%s not found", p.name, name, sep, ref))
}

func (s *Server) getArtifact(r *request) (answer, *apiError) {
	p, repo, a, e := s.artifactFromRequest(r, "artifact", "read")
	return replyWith(a, e, func(a *artifact) artifactJSON {
		return s.toArtifactJSON(p, repo, a, r.URL.Query(), acceptedReport(r))
	})
}

func (s *Server) deleteArtifact(r *request) (answer, *apiError) {
	p, repo, a, e := s.artifactFromRequest(r, "artifact", "delete")
	if e != nil {
		return answer{}, e
	}
	for _, t := range slices.Backward(a.tags) { // newest first, as Harbor checks them
		if s.tagImmutable(p, shortRepoName(repo), t.name) {
			return answer{}, errPrecondition(fmt.Sprintf("the tag %s configured as immutable, cannot be deleted", t.name))
		}
	}
	if referencedByIndex(repo, a) {
		return answer{}, &apiError{http.StatusPreconditionFailed, "VIOLATE_FOREIGN_KEY_CONSTRAINT", "the deleting artifact is referenced by others"}
	}
	s.removeArtifactLocked(repo, a)
	r.fire(s.deleteEvent(r, p, repo, a))
	return reply(nil)
}

func referencedByIndex(repo *repository, a *artifact) bool {
	isIndexOfA := func(x *artifact) bool { return slices.Contains(indexChildren(repo, x), a) }
	return slices.ContainsFunc(repo.artifacts, isIndexOfA)
}

// copyArtifact copies ?from=project/repo:tag or @digest into the path's repository, as Harbor does.
func (s *Server) copyArtifact(r *request) (answer, *apiError) {
	from := r.URL.Query().Get("from")
	if from == "" {
		return answer{}, errUnprocessable("from in query is required")
	}
	i := strings.LastIndex(from, "@")
	if i <= 0 {
		i = strings.LastIndex(from, ":")
	}
	srcProject, srcName, ok := strings.Cut(from[:max(i, 0)], "/")
	ref := from[i+1:]
	if ref == "" || !ok || srcName == "" {
		return answer{}, errBadRequest(fmt.Sprintf("artifact %s not found", from))
	}
	dst, _, dstName, e := s.repoFromRequest(r, "artifact", "create")
	if e != nil {
		return answer{}, e
	}
	var src *artifact
	if sp := s.state.projectByName[srcProject]; sp != nil && s.canProject(r.id, sp, "repository", "pull") {
		src = findArtifact(sp.repos[srcName], ref)
	}
	if src == nil {
		return answer{}, errBadRequest(fmt.Sprintf("artifact %s not found", from))
	}
	dr := s.addRepositoryLocked(dst.name, dstName)
	now := s.now()
	c := findArtifact(dr, src.digest)
	if c == nil {
		d := src.artifactDetail
		d.tags, d.labels, d.scan, d.pullTime, d.subject, d.accessories, d.sbom = nil, nil, nil, time.Time{}, nil, nil, nil
		c = s.newArtifactLocked(dr, src.digest, now, d)
	}
	tag := ""
	if !strings.HasPrefix(ref, "sha256:") && findArtifact(dr, ref) == nil {
		s.addTagLocked(c, ref, now)
		tag = ref
	}
	dr.updated = now
	r.fire(s.artifactEvent("PUSH_ARTIFACT", dst, dr, c, tag, r.id.name(s.state.robotPrefix), r.header.Get("X-Request-Id")))
	return r.created(apiPrefix + "/projects/" + dst.name + "/repositories/" + url.PathEscape(dstName) + "/artifacts/" + ref)
}

func (s *Server) listTags(r *request, pp pageParams, q *query) (answer, *apiError) {
	_, repo, a, e := s.artifactFromRequest(r, "tag", "list")
	if e != nil {
		return answer{}, e
	}
	return page(r, slices.DeleteFunc(tagsJSON(repo, a), func(t tagJSON) bool { return !q.str("name", t.Name) }), pp)
}

type newTagReq = struct {
	Name string `json:"name"`
}

func (s *Server) createTag(r *request, body *newTagReq) (answer, *apiError) {
	_, repo, a, e := s.artifactFromRequest(r, "tag", "create")
	switch { // the body is checked first, as go-swagger validates it
	case body.Name == "":
		return answer{}, errModel("name in body is required")
	case !tagNameRe.MatchString(body.Name):
		return answer{}, errBadRequest(fmt.Sprintf("bad request: invalid tag name: %s", body.Name))
	case e != nil:
		return answer{}, e
	case findArtifact(repo, body.Name) != nil:
		return answer{}, errConflict(fmt.Sprintf("tag %s already exists under the repository %d", body.Name, repo.id))
	}
	s.addTagLocked(a, body.Name, s.now())
	return answer{status: http.StatusCreated}, nil
}

func (s *Server) deleteTag(r *request) (answer, *apiError) {
	p, repo, a, e := s.artifactFromRequest(r, "tag", "delete")
	if e != nil {
		return answer{}, e
	}
	name := r.PathValue("tag_name")
	i := slices.IndexFunc(a.tags, func(t *tag) bool { return t.name == name })
	switch {
	case s.tagImmutable(p, shortRepoName(repo), name):
		return answer{}, errPrecondition(fmt.Sprintf("the tag %s configured as immutable, cannot be deleted", name))
	case i < 0:
		return answer{}, errNotFound(fmt.Sprintf("tag %s attached to artifact %d not found", name, a.id))
	}
	a.tags = append(a.tags[:i:i], a.tags[i+1:]...)
	return reply(nil)
}

func (s *Server) listAccessories(r *request, pp pageParams, q *query) (answer, *apiError) {
	_, repo, a, e := s.artifactFromRequest(r, "accessory", "list")
	if e != nil {
		return answer{}, e
	}
	return page(r, slices.DeleteFunc(accessoriesJSON(repo, a), func(x accessoryJSON) bool {
		return !q.str("type", x.Type) || !q.str("digest", x.Digest)
	}), pp)
}

type labelIDReq = struct {
	ID int64 `json:"id"`
}

// addLabel attaches a global label or one of the artifact's project by id.
func (s *Server) addLabel(r *request, body *labelIDReq) (answer, *apiError) {
	p, _, a, e := s.artifactFromRequest(r, "artifact-label", "create")
	l := s.state.labelState().byID[body.ID]
	switch {
	case e != nil:
		return answer{}, e
	case l == nil:
		return answer{}, errNotFound(fmt.Sprintf("label %d not found", body.ID))
	case l.scope == "p" && l.projectID != p.id:
		return answer{}, errNotFound(fmt.Sprintf("project id %d, label %d not found", p.id, l.id))
	case slices.Contains(a.labels, l):
		return answer{}, errConflict(fmt.Sprintf("label %d is already added to the artifact %d", l.id, a.id))
	}
	a.labels = append(a.labels, l)
	return reply(nil)
}

func (s *Server) removeLabel(r *request) (answer, *apiError) {
	_, _, a, e := s.artifactFromRequest(r, "artifact-label", "delete")
	if e != nil {
		return answer{}, e
	}
	id, _ := strconv.ParseInt(r.PathValue("label_id"), 10, 64)
	i := slices.IndexFunc(a.labels, func(l *label) bool { return l.id == id })
	if i < 0 {
		return answer{}, errNotFound(fmt.Sprintf("reference with label %d and artifact %d not found", id, a.id))
	}
	a.labels = append(a.labels[:i:i], a.labels[i+1:]...)
	return reply(nil)
}

// getAddition serves build_history of images, chart files and SBOMs; other additions are 400 (README 15).
func (s *Server) getAddition(r *request) (answer, *apiError) {
	add := r.PathValue("addition")
	known := []string{"build_history", "values.yaml", "readme.md", "dependencies", "sbom", "license", "files"}
	if !slices.Contains(known, add) {
		return answer{}, errUnprocessable(fmt.Sprintf("addition in path should be one of %v", known))
	}
	p, repo, a, e := s.artifactFromRequest(r, "artifact-addition", "read")
	if e != nil {
		return answer{}, e
	}
	if _, _, ok := s.scannerFor(p); ok && add == "sbom" && a.typ == "SBOM" && a.subject != nil {
		r.header.Set("Content-Type", mediaSBOM)
		return reply(marshalled(s.sbomDocument(repo, a)))
	}
	typ := cmp.Or(a.typ, "IMAGE")
	file, isFile := a.chartFiles[add]
	var body any
	switch {
	case typ == "CHART" && isFile:
		r.header.Set("Content-Type", map[bool]string{false: "text/plain; charset=utf-8", true: "text/markdown; charset=utf-8"}[add == "readme.md"])
		return reply(verbatim(file))
	case typ == "CHART" && add == "dependencies":
		body = a.extraAttrs["dependencies"]
	case typ == "CHART":
		return answer{}, errBadRequest(fmt.Sprintf("addition %s isn't supported for CHART", strings.ToUpper(add)))
	case typ == "UNKNOWN":
		return answer{}, errBadRequest("the processor for artifact UNKNOWN not found, cannot get the addition")
	case a.references != nil: // an index
		return answer{}, errBadRequest(fmt.Sprintf("addition %s isn't supported", strings.ToUpper(add)))
	case typ != "IMAGE" || add != "build_history":
		return answer{}, errBadRequest(fmt.Sprintf("addition %s isn't supported for %s(manifest version 2)", strings.ToUpper(add), typ))
	case a.buildHistory != nil:
		body = a.buildHistory
	}
	if body == nil {
		body = []any{}
	}
	r.header.Set("Content-Type", "application/json; charset=utf-8")
	return reply(marshalled(body))
}

// LabelArtifact attaches the global label labelName (created as POST /labels would if missing) to the
// artifact at reference and returns the label's id. It panics if the artifact does not exist.
func (s *Server) LabelArtifact(projectName, repo, reference, labelName string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, a := s.mustArtifact(projectName, repo, reference)
	ls := s.state.labelState()
	l := ls.named(labelName, "g", 0, 0)
	if l == nil {
		now := s.now()
		l = ls.add(label{name: labelName, scope: "g", color: "#48960C", created: now, updated: now})
	}
	if !slices.Contains(a.labels, l) {
		a.labels = append(a.labels, l)
	}
	return l.id
}

// tagNameRe is the OCI distribution tag grammar.
var tagNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
