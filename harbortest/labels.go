package harbortest

import (
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

type label struct {
	id               int64
	name             string
	description      string
	color            string
	scope            string // "g" global or "p" project
	projectID        int64
	created, updated time.Time
}

type labelState struct {
	nextID int64
	byID   map[int64]*label
}

func (st *state) labelState() *labelState {
	return lazy(&st.labels, func() *labelState { return &labelState{nextID: 1, byID: map[int64]*label{}} })
}

// labelJSON is Harbor's Label; empty strings and a zero project id are omitted.
type labelJSON struct {
	Color        string `json:"color,omitempty"`
	CreationTime string `json:"creation_time"`
	Description  string `json:"description,omitempty"`
	ID           int64  `json:"id"`
	Name         string `json:"name,omitempty"`
	ProjectID    int64  `json:"project_id,omitempty"`
	Scope        string `json:"scope,omitempty"`
	UpdateTime   string `json:"update_time"`
}

func (l *label) toJSON() labelJSON {
	return labelJSON{Color: l.color, CreationTime: harborTime(l.created), Description: l.description,
		ID: l.id, Name: l.name, ProjectID: l.projectID, Scope: l.scope, UpdateTime: harborTime(l.updated)}
}

func (ls *labelState) add(l label) *label {
	l.id = newID(&ls.nextID)
	ls.byID[l.id] = &l
	return &l
}

// named returns the label of scope (and project) called name, other than label except, or nil.
func (ls *labelState) named(name, scope string, projectID, except int64) *label {
	for _, l := range ls.byID {
		if l.id != except && l.name == name && l.scope == scope && (scope == "g" || l.projectID == projectID) {
			return l
		}
	}
	return nil
}

// requireLabel checks access to a label: system access for global ones, project access for others.
func (s *Server) requireLabel(id identity, scope string, projectID int64, action string) *apiError {
	switch p := s.state.projects[projectID]; {
	case scope == "g":
		return s.requireSystem(id, "label", action)
	case p != nil:
		return s.requireProject(id, p, "label", action)
	case id.sysAdmin():
		return nil // Harbor stores project labels without a project for admins
	case !id.authenticated():
		return errUnauthorized()
	}
	return errForbidden("forbidden")
}

func (s *Server) listLabels(r *request, pp pageParams) (answer, *apiError) {
	pid, ie := queryInt(r, "project_id")
	lq, qe := parseQuery(r)
	if e := cmp.Or(ie, qe); e != nil {
		return answer{}, e
	}
	scope := r.URL.Query().Get("scope")
	p := s.state.projects[pid]
	switch {
	case scope != "g" && scope != "p":
		return answer{}, errBadRequest("invalid scope: " + scope)
	case scope == "p" && pid == 0:
		return answer{}, errBadRequest("must with project ID when to query project labels")
	case scope == "p" && p == nil:
		return answer{}, errNotFound(fmt.Sprintf("project %d not found", pid))
	case scope == "p":
		if e := s.requireProject(r.id, p, "label", "list"); e != nil {
			return answer{}, e
		}
	}
	name := r.URL.Query().Get("name")
	var out []labelJSON
	for _, l := range s.state.labelState().byID {
		if l.scope == scope && (scope == "g" || l.projectID == pid) && strings.Contains(l.name, name) && lq.str("name", l.name) {
			out = append(out, l.toJSON())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return page(r, out, pp)
}

// labelRequest is the body of POST and PUT /labels, named in a 422 ("Go struct field labelRequest.name").
type labelRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Color       string `json:"color"`
	Scope       string `json:"scope"`
	ProjectID   int64  `json:"project_id"`
}

// tooLong reports whether a column of Harbor's harbor_label table refuses
// the label (name varchar(128), color varchar(16)): a database error, 500.
func (req *labelRequest) tooLong() bool { return len(req.Name) > 128 || len(req.Color) > 16 }

func (s *Server) createLabel(r *request, req *labelRequest) (answer, *apiError) {
	ls := s.state.labelState()
	switch e := s.requireLabel(r.id, req.Scope, req.ProjectID, "create"); {
	case req.Scope != "g" && req.Scope != "p":
		return answer{}, errBadRequest("unsupported label scope") // before any access check, as in Harbor
	case e != nil:
		return answer{}, e
	case req.tooLong():
		return answer{}, errInternal()
	case ls.named(req.Name, req.Scope, req.ProjectID, 0) != nil:
		return answer{}, errConflict(fmt.Sprintf("label %s already exists", req.Name))
	}
	if req.Scope == "g" {
		req.ProjectID = 0
	}
	now := s.now()
	l := ls.add(label{name: req.Name, description: req.Description, color: req.Color, scope: req.Scope,
		projectID: req.ProjectID, created: now, updated: now})
	return r.created(apiPrefix + "/labels/" + strconv.FormatInt(l.id, 10))
}

// labelFromPath resolves {label_id} and checks access for action.
func (s *Server) labelFromPath(r *request, action string) (*label, *apiError) {
	lid, e := pathID(r, "label_id")
	l := s.state.labelState().byID[lid]
	switch {
	case e != nil:
		return nil, e
	case l == nil && !r.id.authenticated():
		return nil, errUnauthorized()
	case l == nil:
		return nil, errNotFound(fmt.Sprintf("label %d not found", lid))
	}
	return l, s.requireLabel(r.id, l.scope, l.projectID, action)
}

func (s *Server) getLabel(r *request) (answer, *apiError) {
	l, e := s.labelFromPath(r, "read")
	return replyWith(l, e, (*label).toJSON)
}

// updateLabel replaces name, description and color; scope and project stay.
func (s *Server) updateLabel(r *request, l *label, req *labelRequest) (answer, *apiError) {
	switch {
	case req.tooLong():
		return answer{}, errInternal()
	case req.Name != l.name && s.state.labelState().named(req.Name, l.scope, l.projectID, l.id) != nil:
		return answer{}, errConflict(fmt.Sprintf("label %s already exists", req.Name))
	}
	l.name, l.description, l.color = req.Name, req.Description, req.Color
	l.updated = s.now()
	return reply(nil)
}

func (s *Server) deleteLabel(r *request, l *label) (answer, *apiError) {
	delete(s.state.labelState().byID, l.id)
	return reply(nil)
}
