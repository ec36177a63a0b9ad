package harbortest

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
)

// scannerMetadata is what every scanner registered in harbortest reports
// (GET /scanners/{id}/metadata): the answer of the fake adapter the
// recordings used (b486). harbortest never calls the scanner's URL.
const scannerMetadata = `{"capabilities":[{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json","application/vnd.docker.distribution.manifest.v2+json"],"produces_mime_types":["application/vnd.security.vulnerability.report; version=1.1","application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"],"type":"vulnerability"},{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json","application/vnd.docker.distribution.manifest.v2+json"],"produces_mime_types":["application/vnd.security.sbom.report+json; version=1.0"],"type":"sbom"}],"properties":{"harbor.scanner-adapter/scanner-type":"os-package-vulnerability","harbor.scanner-adapter/vulnerability-database-updated-at":"2026-11-29T00:00:00Z","org.label-schema.version":"0.3.0"},"scanner":{"name":"FakeScan","vendor":"harbor-rig","version":"0.3.0"}}`

type scanner struct {
	uuid            string
	name            string
	description     string
	url             string
	auth            string
	credential      string // never shown: Harbor answers "" (b509)
	skipCertVerify  bool
	useInternalAddr bool
	disabled        bool
	created         time.Time
	updated         time.Time
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

type capabilitiesJSON struct {
	SupportSBOM          bool `json:"support_sbom"`
	SupportVulnerability bool `json:"support_vulnerability"`
}

type scannerJSON struct {
	AccessCredential string            `json:"access_credential"`
	Adapter          string            `json:"adapter,omitempty"`
	Auth             string            `json:"auth"`
	Capabilities     *capabilitiesJSON `json:"capabilities"`
	CreateTime       string            `json:"create_time"`
	Description      string            `json:"description,omitempty"`
	Disabled         bool              `json:"disabled"`
	Health           string            `json:"health,omitempty"`
	IsDefault        bool              `json:"is_default"`
	Name             string            `json:"name"`
	SkipCertVerify   bool              `json:"skip_certVerify"`
	UpdateTime       string            `json:"update_time"`
	URL              string            `json:"url"`
	UseInternalAddr  bool              `json:"use_internal_addr"`
	UUID             string            `json:"uuid"`
	Vendor           string            `json:"vendor,omitempty"`
	Version          string            `json:"version,omitempty"`
}

// toJSON renders a registration; the credential is never shown (Harbor
// answers "" even when one is set).
func (s *Server) scannerToJSON(sc *scanner) scannerJSON {
	return scannerJSON{Auth: sc.auth, Capabilities: &capabilitiesJSON{true, true},
		CreateTime: harborTime(sc.created), Description: sc.description, Disabled: sc.disabled,
		IsDefault: s.state.scannerState().defaultUUID == sc.uuid, Name: sc.name,
		SkipCertVerify: sc.skipCertVerify, UpdateTime: harborTime(sc.updated), URL: sc.url,
		UseInternalAddr: sc.useInternalAddr, UUID: sc.uuid}
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

// scannerAuths are the auth types that need an access_credential.
var scannerAuths = set("Basic", "Bearer", "X-ScannerAdapter-API-Key")

// validateScanner checks a registration body like Harbor: the URL's format (422),
// the auth type and its credential (400), then reachability (500).
func (s *Server) validateScanner(req *scannerRequest) *apiError {
	if _, err := url.ParseRequestURI(req.URL); err != nil || !strings.Contains(req.URL, "://") {
		return errUnprocessable(fmt.Sprintf("validation failure list:\nurl in body must be of type uri: %q", req.URL))
	}
	switch {
	case req.Auth != "" && !scannerAuths[req.Auth]:
		return errBadRequest(fmt.Sprintf("auth type %s is not supported", req.Auth))
	case req.Auth != "" && req.AccessCredential == "":
		return errBadRequest("access_credential is required for auth type " + req.Auth)
	}
	if s.state.registryState().unreachable[strings.TrimSuffix(req.URL, "/")] {
		return errInternal()
	}
	return nil
}

func (s *Server) listScanners(r *request) (answer, *apiError) {
	return s.scannerList(r, func() *apiError { return s.requireSystem(r.id, "scanner", "list") })
}

// scannerList answers registrations oldest first to a caller allowed
// passes, filtered by q and by the older query parameters Harbor still
// reads (name, description and url fuzzy; ex_name and ex_url exact).
func (s *Server) scannerList(r *request, allowed func() *apiError) (answer, *apiError) {
	pp, e := parsePage(r)
	if e == nil {
		e = allowed()
	}
	var lq *query
	if e == nil {
		lq, e = parseQuery(r)
	}
	if e != nil {
		return answer{}, e
	}
	v := r.URL.Query()
	keep := func(sc *scanner) bool {
		for k, field := range map[string]string{"name": sc.name, "description": sc.description, "url": sc.url} {
			if f := v.Get(k); f != "" && !strings.Contains(field, f) || !lq.str(k, field) {
				return false
			}
		}
		return (v.Get("ex_name") == "" || v.Get("ex_name") == sc.name) && (v.Get("ex_url") == "" || v.Get("ex_url") == sc.url)
	}
	var out []scannerJSON
	for _, sc := range s.state.scannerState().byUUID {
		if keep(sc) {
			out = append(out, s.scannerToJSON(sc))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CreateTime != out[j].CreateTime {
			return out[i].CreateTime < out[j].CreateTime
		}
		return out[i].Name < out[j].Name
	})
	return page(r, out, pp)
}

// createScanner registers a scanner; the first one becomes the default.
func (s *Server) createScanner(r *request) (answer, *apiError) {
	var req scannerRequest
	if e := decodeBody(r, &req, "registration"); e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, "scanner", "create"); e != nil {
		return answer{}, e
	}
	if e := s.validateScanner(&req); e != nil {
		return answer{}, e
	}
	if e := s.scannerClash(nil, &req, "create"); e != nil {
		return answer{}, e
	}
	ss := s.state.scannerState()
	now := s.now()
	sc := &scanner{uuid: uuid.New(), created: now}
	sc.set(&req, now)
	ss.byUUID[sc.uuid] = sc
	if ss.byUUID[ss.defaultUUID] == nil {
		ss.defaultUUID = sc.uuid
	}
	return r.created(apiPrefix + "/scanners/" + sc.uuid)
}

// scannerClash is the 409 of Harbor's database when another registration
// than self has the name or URL of req.
func (s *Server) scannerClash(self *scanner, req *scannerRequest, op string) *apiError {
	for _, o := range s.state.scannerState().byUUID {
		if o != self && (o.name == req.Name || o.url == req.URL) {
			return &apiError{http.StatusConflict, codeUnknown, "dao: " + op + " registration: registration name or url already exists"}
		}
	}
	return nil
}

func (s *Server) pingScanner(r *request) (answer, *apiError) {
	var req scannerRequest
	if e := decodeBody(r, &req, "settings"); e != nil {
		return answer{}, e
	}
	if e := s.requireSystem(r.id, "scanner", "read"); e != nil { // Harbor checks read for a ping
		return answer{}, e
	}
	if e := s.validateScanner(&req); e != nil {
		return answer{}, e
	}
	return reply(nil)
}

// scannerFromPath resolves {registration_id}; the 404 message differs
// between operations ("scanner x not found", "registration x not found").
func (s *Server) scannerFromPath(r *request, action, noun string) (*scanner, *apiError) {
	if e := s.requireSystem(r.id, "scanner", action); e != nil {
		return nil, e
	}
	id := pathParam(r, "registration_id")
	sc := s.state.scannerState().byUUID[id]
	if sc == nil {
		return nil, errNotFound(fmt.Sprintf("%s %s not found", noun, id))
	}
	return sc, nil
}

func (s *Server) getScanner(r *request) (answer, *apiError) {
	sc, e := s.scannerFromPath(r, "read", "scanner")
	return replyWith(sc, e, s.scannerToJSON)
}

func (s *Server) updateScanner(r *request) (answer, *apiError) {
	var req scannerRequest
	if e := decodeBody(r, &req, "registration"); e != nil {
		return answer{}, e
	}
	sc, e := s.scannerFromPath(r, "update", "scanner")
	if e != nil {
		return answer{}, e
	}
	// GET never shows the credential, so an empty one in the body keeps the
	// stored one when the auth type needs it.
	if req.AccessCredential == "" && scannerAuths[req.Auth] {
		req.AccessCredential = sc.credential
	}
	if e := s.validateScanner(&req); e != nil {
		return answer{}, e
	}
	if e := s.scannerClash(sc, &req, "update"); e != nil {
		return answer{}, e
	}
	sc.set(&req, s.now())
	return reply(nil)
}

// set stores a validated registration body.
func (sc *scanner) set(req *scannerRequest, now time.Time) {
	sc.name, sc.description, sc.url, sc.auth, sc.credential = req.Name, req.Description, req.URL, req.Auth, req.AccessCredential
	sc.skipCertVerify, sc.useInternalAddr, sc.disabled, sc.updated = req.SkipCertVerify, req.UseInternalAddr, req.Disabled, now
}

// deleteScanner answers the deleted registration (capabilities null);
// projects using it fall back to the default.
func (s *Server) deleteScanner(r *request) (answer, *apiError) {
	sc, e := s.scannerFromPath(r, "delete", "scanner")
	if e != nil {
		return answer{}, e
	}
	out := s.scannerToJSON(sc)
	out.Capabilities = nil
	delete(s.state.scannerState().byUUID, sc.uuid)
	return reply(out)
}

func (s *Server) setScannerAsDefault(r *request) (answer, *apiError) {
	var req struct {
		IsDefault bool `json:"is_default"`
	}
	if e := decodeBody(r, &req, "payload"); e != nil {
		return answer{}, e
	}
	if !req.IsDefault { // Harbor only acts (and looks the registration up) for true
		if e := s.requireSystem(r.id, "scanner", "update"); e != nil {
			return answer{}, e
		}
		return reply(nil)
	}
	sc, e := s.scannerFromPath(r, "update", "registration")
	if e != nil {
		return answer{}, e
	}
	s.state.scannerState().defaultUUID = sc.uuid
	return reply(nil)
}

func (s *Server) getScannerMetadata(r *request) (answer, *apiError) {
	if _, e := s.scannerFromPath(r, "read", "registration"); e != nil {
		return answer{}, e
	}
	return reply(verbatim(scannerMetadata + "\n"))
}

// projectScanner is the registration a project uses: the one set for it if
// it still exists, else the default.
func (s *Server) projectScanner(p *project) *scanner {
	ss := s.state.scannerState()
	if sc := ss.byUUID[ss.projectScanner[p.id]]; sc != nil {
		return sc
	}
	return ss.byUUID[ss.defaultUUID]
}

func (s *Server) getProjectScanner(r *request) (answer, *apiError) {
	p, e := s.projectFromPath(r, r.id, "scanner", "read")
	if e != nil {
		return answer{}, e
	}
	sc := s.projectScanner(p)
	if sc == nil {
		return answer{}, errNotFound(fmt.Sprintf("no scanner registration configured for project: %d", p.id))
	}
	out := s.scannerToJSON(sc)
	out.Adapter, out.Vendor, out.Version, out.Health = "FakeScan", "harbor-rig", "0.3.0", "healthy"
	return reply(out)
}

// setProjectScanner stores the uuid as given; Harbor accepts an unknown one.
func (s *Server) setProjectScanner(r *request) (answer, *apiError) {
	var req struct {
		UUID string `json:"uuid"`
	}
	if e := decodeBody(r, &req, "payload"); e != nil {
		return answer{}, e
	}
	p, e := s.projectFromPath(r, r.id, "scanner", "create")
	if e != nil {
		return answer{}, e
	}
	s.state.scannerState().projectScanner[p.id] = req.UUID
	return reply(nil)
}

func (s *Server) listProjectScannerCandidates(r *request) (answer, *apiError) {
	return s.scannerList(r, func() *apiError {
		_, e := s.projectFromPath(r, r.id, "scanner", "create")
		return e
	})
}
