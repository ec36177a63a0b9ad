package harbortest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
)

// scanner is a registration as sent; GET never shows the credential (b509).
type scanner struct {
	scannerRequest
	uuid    string
	created time.Time
	updated time.Time
}

type scannerState struct {
	byUUID         map[string]*scanner
	defaultUUID    string
	projectScanner map[int64]string // project id -> uuid as set (may be unknown)
}

func (st *state) scannerState() *scannerState {
	return lazy(&st.scanners, func() *scannerState {
		return &scannerState{byUUID: map[string]*scanner{}, projectScanner: map[int64]string{}}
	})
}

type scannerJSON struct {
	AccessCredential string          `json:"access_credential"`
	Adapter          string          `json:"adapter,omitempty"`
	Auth             string          `json:"auth"`
	Capabilities     map[string]bool `json:"capabilities"`
	CreateTime       string          `json:"create_time"`
	Description      string          `json:"description,omitempty"`
	Disabled         bool            `json:"disabled"`
	Health           string          `json:"health,omitempty"`
	IsDefault        bool            `json:"is_default"`
	Name             string          `json:"name"`
	SkipCertVerify   bool            `json:"skip_certVerify"`
	UpdateTime       string          `json:"update_time"`
	URL              string          `json:"url"`
	UseInternalAddr  bool            `json:"use_internal_addr"`
	UUID             string          `json:"uuid"`
	Vendor           string          `json:"vendor,omitempty"`
	Version          string          `json:"version,omitempty"`
}

func (s *Server) scannerToJSON(sc *scanner) scannerJSON {
	return scannerJSON{Auth: sc.Auth, Capabilities: map[string]bool{"support_sbom": true, "support_vulnerability": true},
		CreateTime: harborTime(sc.created), Description: sc.Description, Disabled: sc.Disabled,
		IsDefault: s.state.scannerState().defaultUUID == sc.uuid, Name: sc.Name,
		SkipCertVerify: sc.SkipCertVerify, UpdateTime: harborTime(sc.updated), URL: sc.URL,
		UseInternalAddr: sc.UseInternalAddr, UUID: sc.uuid}
}

type scannerRequest struct {
	Name             string `json:"name"`
	Description      string `json:"description"`
	URL              string `json:"url"`
	Auth             string `json:"auth"`
	AccessCredential string `json:"access_credential"`
	SkipCertVerify   bool   `json:"skip_certVerify"`
	UseInternalAddr  bool   `json:"use_internal_addr"`
	Disabled         bool   `json:"disabled"`
}

// scannerBody is a registration as sent: binding requires name and url, a URI, before any
// other check, as go-swagger's model validation does (set4). Name and URL are pointers to
// tell a missing field from an empty one; encoding/json fills them, not the embedded
// fields of the same name, and validate copies them there.
type scannerBody struct {
	scannerRequest
	Name *string `json:"name"`
	URL  *string `json:"url"`
}

func (b *scannerBody) validate() *apiError {
	var errs []string
	if b.Name == nil {
		errs = append(errs, "name in body is required")
	}
	if b.URL == nil {
		errs = append(errs, "url in body is required")
	} else if _, err := url.ParseRequestURI(*b.URL); err != nil || !strings.Contains(*b.URL, "://") {
		errs = append(errs, fmt.Sprintf("url in body must be of type uri: %q", *b.URL))
	}
	if len(errs) > 0 {
		return errModel(errs...)
	}
	b.scannerRequest.Name, b.scannerRequest.URL = *b.Name, *b.URL
	return nil
}

// scannerAuths are the auth types that need an access_credential.
var scannerAuths = set("Basic", "Bearer", "X-ScannerAdapter-API-Key")

// validateScanner checks a registration as Harbor does: name, auth and credential (400),
// reachability (500), then for op create or update a name or URL taken (409).
func (s *Server) validateScanner(req *scannerRequest, self *scanner, op string) *apiError {
	switch {
	case req.Name == "":
		return errBadRequest("missing registration name")
	case req.Auth != "" && !scannerAuths[req.Auth]:
		return errBadRequest(fmt.Sprintf("auth type %s is not supported", req.Auth))
	case req.Auth != "" && req.AccessCredential == "":
		return errBadRequest("access_credential is required for auth type " + req.Auth)
	case s.state.registryState().unreachable[strings.TrimSuffix(req.URL, "/")]:
		return errInternal()
	}
	for _, o := range s.state.scannerState().byUUID {
		if op != "" && o != self && (o.Name == req.Name || o.URL == req.URL) {
			return &apiError{http.StatusConflict, codeUnknown, "dao: " + op + " registration: registration name or url already exists"}
		}
	}
	return nil
}

// listScanners lists registrations oldest first by q, name, description, url (fuzzy), ex_name, ex_url.
func (s *Server) listScanners(r *request, pp pageParams) (answer, *apiError) {
	lq, e := parseQuery(r)
	if e != nil {
		return answer{}, e
	}
	v := r.URL.Query()
	all := mapped(slices.Collect(maps.Values(s.state.scannerState().byUUID)), s.scannerToJSON)
	out := slices.DeleteFunc(all, func(sc scannerJSON) bool {
		for k, field := range map[string]string{"name": sc.Name, "description": sc.Description, "url": sc.URL} {
			if f := v.Get(k); f != "" && !strings.Contains(field, f) || !lq.str(k, field) {
				return true
			}
		}
		return v.Get("ex_name") != "" && v.Get("ex_name") != sc.Name || v.Get("ex_url") != "" && v.Get("ex_url") != sc.URL
	})
	slices.SortFunc(out, func(a, b scannerJSON) int {
		return cmp.Or(strings.Compare(a.CreateTime, b.CreateTime), strings.Compare(a.Name, b.Name))
	})
	return page(r, out, pp)
}

// createScanner registers a scanner; the first one becomes the default.
func (s *Server) createScanner(r *request, b *scannerBody) (answer, *apiError) {
	req := &b.scannerRequest
	if e := s.validateScanner(req, nil, "create"); e != nil {
		return answer{}, e
	}
	ss, now := s.state.scannerState(), s.now()
	sc := &scanner{scannerRequest: *req, uuid: uuid.New(), created: now, updated: now}
	ss.byUUID[sc.uuid] = sc
	if ss.byUUID[ss.defaultUUID] == nil {
		ss.defaultUUID = sc.uuid
	}
	return r.created(apiPrefix + "/scanners/" + sc.uuid)
}

// pingScanner validates a registration; Harbor checks scanner:read for a ping, not create.
func (s *Server) pingScanner(r *request, b *scannerBody) (answer, *apiError) {
	return replyOr[any](nil, s.validateScanner(&b.scannerRequest, nil, ""))
}

// scannerAt resolves {registration_id} for at; Harbor's 404 calls it noun ("scanner" or "registration").
func (s *Server) scannerAt(noun string) func(*request, string) (*scanner, *apiError) {
	return func(r *request, action string) (*scanner, *apiError) {
		if e := s.requireSystem(r.id, "scanner", action); e != nil {
			return nil, e
		}
		id := pathParam(r, "registration_id")
		if sc := s.state.scannerState().byUUID[id]; sc != nil {
			return sc, nil
		}
		return nil, errNotFound(fmt.Sprintf("%s %s not found", noun, id))
	}
}

func (s *Server) getScanner(r *request, sc *scanner) (answer, *apiError) {
	return reply(s.scannerToJSON(sc))
}

func (s *Server) updateScanner(r *request, sc *scanner, b *scannerBody) (answer, *apiError) {
	req := &b.scannerRequest
	// GET never shows the credential: an empty one keeps the stored one.
	if req.AccessCredential == "" && scannerAuths[req.Auth] {
		req.AccessCredential = sc.AccessCredential
	}
	e := s.validateScanner(req, sc, "update")
	if e == nil {
		sc.scannerRequest, sc.updated = *req, s.now()
	}
	return replyOr[any](nil, e)
}

// deleteScanner answers the deleted registration (capabilities null).
func (s *Server) deleteScanner(r *request, sc *scanner) (answer, *apiError) {
	out := s.scannerToJSON(sc)
	out.Capabilities = nil
	delete(s.state.scannerState().byUUID, sc.uuid)
	return reply(out)
}

type scannerDefaultReq = struct {
	IsDefault bool `json:"is_default"`
}

func (s *Server) setScannerAsDefault(r *request, req *scannerDefaultReq) (answer, *apiError) {
	if !req.IsDefault { // Harbor only acts (and looks the registration up) for true
		return s.systemReply(r, "scanner", "update", nil)
	}
	sc, e := s.scannerAt("registration")(r, "update")
	if e == nil {
		s.state.scannerState().defaultUUID = sc.uuid
	}
	return replyOr[any](nil, e)
}

// getScannerMetadata answers the recorded fake adapter's metadata for any registration (b486).
func (s *Server) getScannerMetadata(r *request, _ *scanner) (answer, *apiError) {
	return reply(verbatim(`{"capabilities":[{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json","application/vnd.docker.distribution.manifest.v2+json"],"produces_mime_types":["application/vnd.security.vulnerability.report; version=1.1","application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"],"type":"vulnerability"},{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json","application/vnd.docker.distribution.manifest.v2+json"],"produces_mime_types":["application/vnd.security.sbom.report+json; version=1.0"],"type":"sbom"}],"properties":{"harbor.scanner-adapter/scanner-type":"os-package-vulnerability","harbor.scanner-adapter/vulnerability-database-updated-at":"2026-11-29T00:00:00Z","org.label-schema.version":"0.3.0"},"scanner":{"name":"FakeScan","vendor":"harbor-rig","version":"0.3.0"}}` + "\n"))
}

// projectScanner is the registration set for p if it still exists, else the default.
func (s *Server) projectScanner(p *project) *scanner {
	ss := s.state.scannerState()
	if sc := ss.byUUID[ss.projectScanner[p.id]]; sc != nil {
		return sc
	}
	return ss.byUUID[ss.defaultUUID]
}

func (s *Server) getProjectScanner(r *request, p *project) (answer, *apiError) {
	sc := s.projectScanner(p)
	if sc == nil {
		return answer{}, noScanner(p)
	}
	out := s.scannerToJSON(sc)
	out.Adapter, out.Vendor, out.Version, out.Health = "FakeScan", "harbor-rig", "0.3.0", "healthy"
	return reply(out)
}

type projectScannerReq struct {
	UUID *string `json:"uuid"`
}

// validate is go-swagger's: uuid is required, before access (set4).
func (b *projectScannerReq) validate() *apiError {
	if b.UUID == nil {
		return errModel("uuid in body is required")
	}
	return nil
}

// setProjectScanner stores the uuid as given; Harbor accepts an unknown one.
func (s *Server) setProjectScanner(r *request, p *project, req *projectScannerReq) (answer, *apiError) {
	s.state.scannerState().projectScanner[p.id] = *req.UUID
	return reply(nil)
}

func (s *Server) listProjectScannerCandidates(r *request, _ *project, pp pageParams) (answer, *apiError) {
	return s.listScanners(r, pp)
}
