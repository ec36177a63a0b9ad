package harbortest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// registry is an endpoint as GET /registries shows it (toJSON masks the secret), the secret apart.
type registry struct {
	registryJSON
	accessSecret     string
	created, updated time.Time
}

type registryState struct {
	nextID      int64
	byID        map[int64]*registry
	unreachable map[string]bool
}

func (st *state) registryState() *registryState {
	return lazy(&st.registries, func() *registryState {
		return &registryState{nextID: 1, byID: map[int64]*registry{}, unreachable: map[string]bool{}}
	})
}

// MarkRegistryUnreachable makes harbortest treat a registry or scanner endpoint URL as down:
// creating, updating or pinging a registry with it is Harbor's 400 "the registry is unhealthy",
// registering a scanner Harbor's 500. Other URLs are reachable; harbortest never connects to them.
func (s *Server) MarkRegistryUnreachable(rawURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.registryState().unreachable[strings.TrimSuffix(rawURL, "/")] = true
}

var registryTypes = []string{"ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry",
	"github-ghcr", "google-gcr", "harbor", "huawei-SWR", "jfrog-artifactory", "tencent-tcr", "volcengine-cr"}

type credentialJSON struct {
	AccessKey    string `json:"access_key,omitempty"`
	AccessSecret string `json:"access_secret,omitempty"`
	Type         string `json:"type,omitempty"`
}

type registryJSON struct {
	CreationTime string         `json:"creation_time"`
	Credential   credentialJSON `json:"credential"`
	Description  string         `json:"description,omitempty"`
	ID           int64          `json:"id"`
	Insecure     bool           `json:"insecure,omitempty"`
	Name         string         `json:"name"`
	Status       string         `json:"status"`
	Type         string         `json:"type"`
	UpdateTime   string         `json:"update_time"`
	URL          string         `json:"url"`
}

func (rg *registry) toJSON() registryJSON {
	out := rg.registryJSON
	out.CreationTime, out.UpdateTime, out.Status = harborTime(rg.created), harborTime(rg.updated), "healthy"
	out.Credential.AccessSecret = "*****"
	if out.Credential.Type == "" {
		out.Credential = credentialJSON{}
	}
	return out
}

// registryOrLocal is registry id as a replication policy shows it; 0 is this Harbor.
func (s *Server) registryOrLocal(id int64) registryJSON {
	if rg := s.state.registryState().byID[id]; id != 0 && rg != nil {
		return rg.toJSON()
	}
	return registryJSON{CreationTime: zeroTime, Credential: credentialJSON{AccessSecret: "*****", Type: "secret"},
		Insecure: true, Name: "Local", Status: "healthy", Type: "harbor", UpdateTime: zeroTime, URL: s.URL}
}

// normalizeRegistryURL is Harbor's lib.ValidateHTTPURL: a URL without a scheme gets
// http://, and only scheme, host and path are kept.
func normalizeRegistryURL(raw string) (string, *apiError) {
	raw = strings.TrimRight(strings.Trim(raw, " "), "/")
	if raw == "" {
		return "", errBadRequest("empty string")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", errBadRequest("invalid URL: " + err.Error())
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errBadRequest("invalid HTTP scheme: " + u.Scheme)
	}
	return u.Scheme + "://" + u.Host + u.Path, nil
}

// checkRegistry is Harbor's check of a registry written (its name, then its
// URL, set4) and returns the URL normalized.
func checkRegistry(name, rawURL string) (string, *apiError) {
	switch {
	case name == "":
		return "", errBadRequest("name cannot be empty")
	case len(name) > 64:
		return "", errBadRequest("the max length of name is 64")
	}
	return normalizeRegistryURL(rawURL)
}

// registryHealthy decides a ping: marked URLs are down, and so is a "harbor" endpoint at this
// server's URL with basic credentials (Harbor takes it for the local instance, b122).
func (s *Server) registryHealthy(typ, u string) bool {
	return !s.state.registryState().unreachable[u] && !(typ == "harbor" && u == s.URL)
}

func (s *Server) listRegistryAdapters(r *request) (answer, *apiError) {
	return s.systemReply(r, "replication-adapter", "list", registryTypes)
}

func (s *Server) listRegistryAdapterInfos(r *request) (answer, *apiError) {
	return s.systemReply(r, "replication-adapter", "list", verbatim(adapterInfos+"\n"))
}

// registryNameTaken is Harbor's 409 for a name another registry has.
func (s *Server) registryNameTaken(name string) *apiError {
	for _, o := range s.state.registryState().byID {
		if o.Name == name {
			return errConflict(fmt.Sprintf("registry %s already exists", name))
		}
	}
	return nil
}

type registryCreateReq = struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Type        string          `json:"type"`
	URL         string          `json:"url"`
	Insecure    bool            `json:"insecure"`
	Credential  *credentialJSON `json:"credential"`
}

func (s *Server) createRegistry(r *request, req *registryCreateReq) (answer, *apiError) {
	u, e := checkRegistry(req.Name, req.URL)
	switch {
	case e != nil:
	case !slices.Contains(registryTypes, req.Type):
		e = errInternal()
	case !s.registryHealthy(req.Type, u):
		e = errBadRequest("the registry is unhealthy")
	default:
		e = s.registryNameTaken(req.Name)
	}
	if e != nil {
		return answer{}, e
	}
	rs := s.state.registryState()
	now := s.now()
	rg := &registry{registryJSON: registryJSON{ID: newID(&rs.nextID), Name: req.Name, Description: req.Description,
		Type: req.Type, URL: u, Insecure: req.Insecure}, created: now, updated: now}
	if c := req.Credential; c != nil && (c.AccessKey != "" || c.AccessSecret != "") {
		rg.Credential = credentialJSON{AccessKey: c.AccessKey, Type: cmp.Or(c.Type, "basic")}
		rg.accessSecret = c.AccessSecret
	}
	rs.byID[rg.ID] = rg
	return r.created(apiPrefix + "/registries/" + strconv.FormatInt(rg.ID, 10))
}

func (s *Server) listRegistries(r *request, pp pageParams) (answer, *apiError) {
	lq, e := parseQuery(r) // after access, as Harbor
	if e != nil {
		return answer{}, e
	}
	var out []registryJSON
	name := r.URL.Query().Get("name")
	for _, rg := range s.state.registryState().byID {
		if strings.Contains(rg.Name, name) && lq.str("name", rg.Name) &&
			lq.str("type", rg.Type) && lq.str("url", rg.URL) {
			out = append(out, rg.toJSON())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return page(r, out, pp)
}

// registryFromPath resolves {id} after checking access for action.
func (s *Server) registryFromPath(r *request, action string) (*registry, *apiError) {
	return systemItem(s, r, "id", "registry", action, s.state.registryState().byID, "registry %d not found")
}

func (s *Server) getRegistry(r *request) (answer, *apiError) {
	rg, e := s.registryFromPath(r, "read")
	return replyWith(rg, e, (*registry).toJSON)
}

type registryPingReq = struct {
	ID       *int64 `json:"id"`
	Type     string `json:"type"`
	URL      string `json:"url"`
	Insecure *bool  `json:"insecure"`
}

// pingRegistry checks an endpoint given by id or by type and url; a "harbor" endpoint at this
// server's URL is an empty 500 (b178). Harbor requires registry:read, not create.
func (s *Server) pingRegistry(r *request, req *registryPingReq) (answer, *apiError) {
	typ, raw := req.Type, req.URL
	if req.ID != nil {
		rg := s.state.registryState().byID[*req.ID]
		if rg == nil {
			return answer{}, errNotFound(fmt.Sprintf("registry %d not found", *req.ID))
		}
		typ, raw = cmp.Or(typ, rg.Type), cmp.Or(raw, rg.URL)
	}
	if typ == "" || raw == "" {
		return answer{}, errBadRequest("type or url cannot be empty")
	}
	u, e := normalizeRegistryURL(raw)
	switch {
	case e != nil:
	case typ == "harbor" && u == s.URL:
		return answer{status: http.StatusInternalServerError}, nil
	case !s.registryHealthy(typ, u):
		e = errBadRequest("the registry is unhealthy")
	}
	return replyOr[any](nil, e)
}

type registryUpdateReq = struct {
	Name           *string `json:"name"`
	Description    *string `json:"description"`
	URL            *string `json:"url"`
	CredentialType *string `json:"credential_type"`
	AccessKey      *string `json:"access_key"`
	AccessSecret   *string `json:"access_secret"`
	Insecure       *bool   `json:"insecure"`
}

func (s *Server) updateRegistry(r *request, rg *registry, req *registryUpdateReq) (answer, *apiError) {
	name, raw := rg.Name, rg.URL
	setIf(&name, req.Name)
	setIf(&raw, req.URL)
	u, e := checkRegistry(name, raw)
	if e == nil && req.Name != nil && *req.Name != rg.Name {
		e = s.registryNameTaken(*req.Name)
	}
	if e == nil && !s.registryHealthy(rg.Type, u) {
		e = errBadRequest("the registry is unhealthy")
	}
	if e != nil {
		return answer{}, e
	}
	rg.URL = u
	setIf(&rg.Name, req.Name)
	setIf(&rg.Description, req.Description)
	setIf(&rg.Insecure, req.Insecure)
	setIf(&rg.Credential.Type, req.CredentialType)
	setIf(&rg.Credential.AccessKey, req.AccessKey)
	if req.AccessKey != nil && rg.Credential.Type == "" {
		rg.Credential.Type = "basic"
	}
	setIf(&rg.accessSecret, req.AccessSecret)
	rg.updated = s.now()
	return reply(nil)
}

// deleteRegistry refuses (412) while a replication policy uses the registry.
func (s *Server) deleteRegistry(r *request, rg *registry) (answer, *apiError) {
	for _, p := range s.state.replicationState().policies {
		if p.srcRegistry == rg.ID || p.destRegistry == rg.ID {
			return answer{}, errPrecondition(fmt.Sprintf("the registry %d is referenced by replication policies, cannot delete it", rg.ID))
		}
	}
	delete(s.state.registryState().byID, rg.ID)
	return reply(nil)
}

type resourceFilterJSON struct {
	Style  string   `json:"style"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// getRegistryInfo answers an adapter's filters and triggers (a Harbor's: the global labels as label values).
func (s *Server) getRegistryInfo(r *request, rg *registry) (answer, *apiError) {
	out := map[string]any{"supported_triggers": []string{"manual", "scheduled"}, "type": rg.Type}
	filters := []resourceFilterJSON{{"input", "name", nil}, {"input", "tag", nil}}
	resources := []string{"image"}
	if rg.Type == "harbor" {
		names, ls := []string{}, s.state.labelState()
		for _, id := range slices.Sorted(maps.Keys(ls.byID)) {
			if l := ls.byID[id]; l.scope == "g" {
				names = append(names, l.name)
			}
		}
		filters = append(filters, resourceFilterJSON{"list", "label", names})
		resources = append(resources, "artifact")
		out["supported_copy_by_chunk"] = true
	}
	out["supported_resource_filters"] = append(filters, resourceFilterJSON{"radio", "resource", resources})
	return reply(out)
}
