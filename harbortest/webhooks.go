package harbortest

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// webhookEventTypes is GET /projects/{p}/webhook/events of Harbor v2.15.2 (b283).
const webhookEventTypes = `{"event_type":["PUSH_ARTIFACT","PULL_ARTIFACT","DELETE_ARTIFACT","QUOTA_EXCEED","QUOTA_WARNING","SCANNING_FAILED","SCANNING_STOPPED","SCANNING_COMPLETED","REPLICATION","TAG_RETENTION"],"notify_type":["http","slack"],"payload_formats":[{"formats":["Default","CloudEvents"],"notify_type":"http"}]}`

var supportedEvents = set("PUSH_ARTIFACT", "PULL_ARTIFACT", "DELETE_ARTIFACT", "QUOTA_EXCEED", "QUOTA_WARNING",
	"SCANNING_FAILED", "SCANNING_STOPPED", "SCANNING_COMPLETED", "REPLICATION", "TAG_RETENTION")

type webhookTargetJSON struct {
	Address        string `json:"address,omitempty"`
	AuthHeader     string `json:"auth_header,omitempty"`
	PayloadFormat  string `json:"payload_format,omitempty"`
	SkipCertVerify bool   `json:"skip_cert_verify,omitempty"`
	Type           string `json:"type,omitempty"`
}

type webhookPolicyJSON struct {
	CreationTime string              `json:"creation_time"`
	Description  string              `json:"description,omitempty"`
	Enabled      bool                `json:"enabled,omitempty"`
	EventTypes   []string            `json:"event_types"`
	ID           int64               `json:"id"`
	Name         string              `json:"name"`
	ProjectID    int64               `json:"project_id"`
	Targets      []webhookTargetJSON `json:"targets"`
	UpdateTime   string              `json:"update_time"`
}

type webhookPolicy struct {
	webhookPolicyJSON
	projectID int64
	created   time.Time
	updated   time.Time
}

type webhookState struct {
	nextID   int64
	policies map[int64]*webhookPolicy
	hooks    *hookState // deliveries (webhook_fire.go)
}

func (st *state) webhookState() *webhookState {
	if st.webhooks == nil {
		st.webhooks = &webhookState{nextID: 1, policies: map[int64]*webhookPolicy{}}
	}
	return st.webhooks
}

func (wp *webhookPolicy) toJSON() webhookPolicyJSON {
	out := wp.webhookPolicyJSON
	out.CreationTime, out.UpdateTime, out.ProjectID = harborTime(wp.created), harborTime(wp.updated), wp.projectID
	return out
}

// validateWebhook checks a policy body like Harbor's handler (event types,
// then targets) and manager (payload format), and normalizes each target
// address to scheme://host/path as Harbor does against SSRF.
func validateWebhook(req *webhookPolicyJSON) *apiError {
	if len(req.EventTypes) == 0 {
		return errBadRequest("empty event type")
	}
	for _, ev := range req.EventTypes {
		if !supportedEvents[ev] {
			return errBadRequest("unsupported event type " + ev)
		}
	}
	if len(req.Targets) == 0 {
		return errBadRequest("empty notification target with policy " + req.Name)
	}
	for i, t := range req.Targets {
		u, err := url.Parse(t.Address)
		if err != nil {
			return errBadRequest(err.Error())
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return errBadRequest("invalid scheme: " + u.Scheme)
		}
		req.Targets[i].Address = u.Scheme + "://" + u.Host + u.Path
		if t.Type != "http" && t.Type != "slack" {
			return errBadRequest(fmt.Sprintf("unsupported target type %s with policy %s", t.Type, req.Name))
		}
		if t.Type == "slack" && t.PayloadFormat != "" {
			return errBadRequest("set payload format is not allowed for slack")
		}
	}
	return nil
}

func (s *Server) listWebhookPolicies(r *request) (answer, *apiError) {
	pp, e := parsePage(r)
	if e != nil {
		return answer{}, e
	}
	p, e := s.projectFromPath(r, r.id, "notification-policy", "list")
	if e != nil {
		return answer{}, e
	}
	lq, e := parseQuery(r)
	if e != nil {
		return answer{}, e
	}
	var out []webhookPolicyJSON
	for _, wp := range s.state.webhookState().policies {
		if wp.projectID == p.id && lq.str("name", wp.Name) {
			out = append(out, wp.toJSON())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID }) // newest first
	return page(r, out, pp)
}

func (s *Server) createWebhookPolicy(r *request) (answer, *apiError) {
	var req webhookPolicyJSON
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	p, e := s.projectFromPath(r, r.id, "notification-policy", "create")
	if e != nil {
		return answer{}, e
	}
	if e := validateWebhook(&req); e != nil {
		return answer{}, e
	}
	ws := s.state.webhookState()
	for _, o := range ws.policies {
		if o.projectID == p.id && o.Name == req.Name {
			return answer{}, errConflict(fmt.Sprintf("notification policy named %s already exists", req.Name))
		}
	}
	now := s.now()
	wp := &webhookPolicy{webhookPolicyJSON: req, projectID: p.id, created: now, updated: now}
	wp.ID = ws.nextID
	ws.nextID++
	ws.policies[wp.ID] = wp
	return r.created(apiPrefix + "/projects/" + pathParam(r, "project_name_or_id") + "/webhook/policies/" + strconv.FormatInt(wp.ID, 10))
}

// webhookFromPath resolves project and {webhook_policy_id}.
func (s *Server) webhookFromPath(r *request, action string) (*project, *webhookPolicy, *apiError) {
	p, e := s.projectFromPath(r, r.id, "notification-policy", action)
	if e != nil {
		return nil, nil, e
	}
	wid, e := pathID(r, "webhook_policy_id")
	if e != nil {
		return nil, nil, e
	}
	wp := s.state.webhookState().policies[wid]
	if wp == nil {
		return nil, nil, errNotFound(fmt.Sprintf("notificationPolicy %d not found", wid))
	}
	if wp.projectID != p.id {
		return nil, nil, errNotFound(fmt.Sprintf("resource not found: project id:%d, webhook policy id: %d not found", p.id, wid))
	}
	return p, wp, nil
}

func (s *Server) getWebhookPolicy(r *request) (answer, *apiError) {
	_, wp, e := s.webhookFromPath(r, "read")
	if e != nil {
		return answer{}, e
	}
	return reply(wp.toJSON())
}

func (s *Server) updateWebhookPolicy(r *request) (answer, *apiError) {
	var req webhookPolicyJSON
	if e := decodeBody(r, &req, "policy"); e != nil {
		return answer{}, e
	}
	p, wp, e := s.webhookFromPath(r, "update")
	if e != nil {
		return answer{}, e
	}
	if e := validateWebhook(&req); e != nil {
		return answer{}, e
	}
	for _, o := range s.state.webhookState().policies {
		if o.projectID == p.id && o.Name == req.Name && o.ID != wp.ID {
			return answer{}, errConflict(fmt.Sprintf("notification policy named %s already exists", req.Name))
		}
	}
	// Harbor writes the whole row, so the creation time becomes zero (b299).
	id := wp.ID
	wp.webhookPolicyJSON = req
	wp.ID, wp.created, wp.updated = id, time.Time{}, s.now()
	return reply(nil)
}

func (s *Server) deleteWebhookPolicy(r *request) (answer, *apiError) {
	_, wp, e := s.webhookFromPath(r, "delete")
	if e == nil {
		e = s.deleteExecutionsLocked(wp)
	}
	if e != nil {
		return answer{}, e
	}
	delete(s.state.webhookState().policies, wp.ID)
	return reply(nil)
}

type lastTriggerJSON struct {
	CreationTime    string `json:"creation_time"`
	Enabled         bool   `json:"enabled"`
	EventType       string `json:"event_type"`
	LastTriggerTime string `json:"last_trigger_time"`
	PolicyName      string `json:"policy_name"`
}

// webhookLastTrigger lists each policy's event types and when each last fired.
func (s *Server) webhookLastTrigger(r *request) (answer, *apiError) {
	p, e := s.projectFromPath(r, r.id, "notification-policy", "read")
	if e != nil {
		return answer{}, e
	}
	var pols []*webhookPolicy
	for _, wp := range s.state.webhookState().policies {
		if wp.projectID == p.id {
			pols = append(pols, wp)
		}
	}
	sort.Slice(pols, func(i, j int) bool { return pols[i].ID < pols[j].ID })
	out := []lastTriggerJSON{}
	for _, wp := range pols {
		for _, ev := range wp.EventTypes {
			out = append(out, lastTriggerJSON{CreationTime: harborTime(wp.created), Enabled: wp.Enabled,
				EventType: ev, LastTriggerTime: s.lastTriggerTime(wp.ID, ev), PolicyName: wp.Name})
		}
	}
	return reply(out)
}

func (s *Server) webhookEvents(r *request) (answer, *apiError) {
	_, e := s.projectFromPath(r, r.id, "notification-policy", "read")
	if e != nil {
		return answer{}, e
	}
	return reply(verbatim(webhookEventTypes + "\n"))
}
