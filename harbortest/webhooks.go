package harbortest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/harborkit/harbor-sdk-go/webhook"
)

// webhookEventTypes is GET /projects/{p}/webhook/events of Harbor v2.15.2 (b283).
const webhookEventTypes = `{"event_type":["PUSH_ARTIFACT","PULL_ARTIFACT","DELETE_ARTIFACT","QUOTA_EXCEED","QUOTA_WARNING","SCANNING_FAILED","SCANNING_STOPPED","SCANNING_COMPLETED","REPLICATION","TAG_RETENTION"],"notify_type":["http","slack"],"payload_formats":[{"formats":["Default","CloudEvents"],"notify_type":"http"}]}`

type webhookTargetJSON struct {
	Address        string `json:"address,omitempty"`
	AuthHeader     string `json:"auth_header,omitempty"`
	PayloadFormat  string `json:"payload_format,omitempty"`
	SkipCertVerify bool   `json:"skip_cert_verify,omitempty"`
	Type           string `json:"type,omitempty"`
}

// webhookPolicy is Harbor's WebhookPolicy: a request's body, stored as Harbor returns it.
type webhookPolicy struct {
	CreationTime string              `json:"creation_time"`
	Description  string              `json:"description,omitempty"`
	Enabled      bool                `json:"enabled"`
	EventTypes   []string            `json:"event_types"`
	ID           int64               `json:"id"`
	Name         string              `json:"name"`
	ProjectID    int64               `json:"project_id"`
	Targets      []webhookTargetJSON `json:"targets"`
	UpdateTime   string              `json:"update_time"`
}

// webhookState is the policies and their deliveries (webhook_fire.go).
type webhookState struct {
	nextID      int64
	policies    map[int64]*webhookPolicy
	executions  []*hookExecution // by id
	nextExecID  int64
	lastTrigger map[string]time.Time // policy id + " " + event type
	scans       []scanWatch          // scans whose end is not announced yet
	pending     int                  // deliveries not finished
	idle        chan struct{}        // closed when pending drops to 0
	ctx         context.Context      // ends when the server closes
	stop        context.CancelFunc
}

func (st *state) webhookState() *webhookState {
	return lazy(&st.webhooks, func() *webhookState {
		ctx, stop := context.WithCancel(context.Background())
		return &webhookState{nextID: 1, nextExecID: 1, policies: map[int64]*webhookPolicy{},
			lastTrigger: map[string]time.Time{}, ctx: ctx, stop: stop}
	})
}

// projectWebhooks returns the policies of project pid by id.
func (s *Server) projectWebhooks(pid int64) []*webhookPolicy {
	byID := func(a, b *webhookPolicy) int { return cmp.Compare(a.ID, b.ID) }
	all := slices.SortedFunc(maps.Values(s.state.webhookState().policies), byID)
	return slices.DeleteFunc(all, func(wp *webhookPolicy) bool { return wp.ProjectID != pid })
}

// validateWebhook checks a policy body for project pid as Harbor's handler, manager and name check
// do (policy self may keep its name); an http target's payload format defaults to Default.
func (s *Server) validateWebhook(req *webhookPolicy, pid, self int64) *apiError {
	if len(req.EventTypes) == 0 {
		return errBadRequest("empty event type")
	}
	for _, ev := range req.EventTypes {
		if webhook.EventType(ev).CloudEventsType() == "" { // every supported type has one
			return errBadRequest("unsupported event type " + ev)
		}
	}
	if len(req.Targets) == 0 {
		return errBadRequest("empty notification target with policy " + req.Name)
	}
	for i, t := range req.Targets {
		switch e := parseEndpoint(t.Address); {
		case e != nil:
			return e
		case t.Type != "http" && t.Type != "slack":
			return errBadRequest(fmt.Sprintf("unsupported target type %s with policy %s", t.Type, req.Name))
		case t.Type == "slack" && t.PayloadFormat != "":
			return errBadRequest("set payload format is not allowed for slack")
		case t.PayloadFormat != "" && t.PayloadFormat != "Default" && t.PayloadFormat != "CloudEvents":
			return errBadRequest("unsupported payload format type: " + t.PayloadFormat)
		case t.PayloadFormat == "" && t.Type == "http":
			req.Targets[i].PayloadFormat = "Default"
		}
	}
	for _, o := range s.projectWebhooks(pid) {
		if o.Name == req.Name && o.ID != self {
			return errConflict(fmt.Sprintf("notification policy named %s already exists", req.Name))
		}
	}
	return nil
}

// parseEndpoint checks an address as Harbor's utils.ParseEndpoint does (no scheme is
// http). Harbor cuts its copy to scheme://host/path and stores the address as sent (set4/u073).
func parseEndpoint(raw string) *apiError {
	raw = strings.TrimRight(strings.Trim(raw, " "), "/")
	scheme, _, found := strings.Cut(raw, "://")
	switch {
	case raw == "":
		return errBadRequest("empty URL")
	case !found:
		raw = "http://" + raw
	case scheme != "http" && scheme != "https":
		return errBadRequest("invalid scheme: " + scheme)
	}
	if _, err := url.ParseRequestURI(raw); err != nil {
		return errBadRequest(err.Error())
	}
	return nil
}

func (s *Server) listWebhookPolicies(r *request, p *project, pp pageParams) (answer, *apiError) {
	lq, e := parseQuery(r)
	if e != nil {
		return answer{}, e
	}
	pols := s.projectWebhooks(p.id)
	slices.Reverse(pols) // newest first
	return page(r, slices.DeleteFunc(pols, func(wp *webhookPolicy) bool { return !lq.str("name", wp.Name) }), pp)
}

func (s *Server) createWebhookPolicy(r *request, p *project, req *webhookPolicy) (answer, *apiError) {
	if e := s.validateWebhook(req, p.id, 0); e != nil {
		return answer{}, e
	}
	ws, now := s.state.webhookState(), harborTime(s.now())
	req.ID, req.ProjectID, req.CreationTime, req.UpdateTime = newID(&ws.nextID), p.id, now, now
	ws.policies[req.ID] = req
	return r.created(apiPrefix + "/projects/" + pathParam(r, "project_name_or_id") + "/webhook/policies/" + strconv.FormatInt(req.ID, 10))
}

// webhookFromPath resolves {webhook_policy_id} within the path's project.
func (s *Server) webhookFromPath(r *request, action string) (*webhookPolicy, *apiError) {
	p, e := s.projectFromPath(r, r.id, "notification-policy", action)
	if e != nil {
		return nil, e
	}
	wid, e := pathID(r, "webhook_policy_id")
	wp := s.state.webhookState().policies[wid]
	switch {
	case e != nil:
		return nil, e
	case wp == nil:
		return nil, errNotFound(fmt.Sprintf("notificationPolicy %d not found", wid))
	case wp.ProjectID != p.id:
		return nil, errNotFound(fmt.Sprintf("resource not found: project id:%d, webhook policy id: %d not found", p.id, wid))
	}
	return wp, nil
}

func (s *Server) getWebhookPolicy(r *request) (answer, *apiError) {
	return replyOr(s.webhookFromPath(r, "read"))
}

func (s *Server) updateWebhookPolicy(r *request, wp, req *webhookPolicy) (answer, *apiError) {
	if e := s.validateWebhook(req, wp.ProjectID, wp.ID); e != nil {
		return answer{}, e
	}
	// Harbor writes the whole row, so the creation time becomes zero (b299).
	req.ID, req.ProjectID, req.CreationTime, req.UpdateTime = wp.ID, wp.ProjectID, zeroTime, harborTime(s.now())
	*wp = *req
	return reply(nil)
}

// deleteWebhookPolicy deletes the policy and, as Harbor, its executions, unless one is not final (b307).
func (s *Server) deleteWebhookPolicy(r *request, wp *webhookPolicy) (answer, *apiError) {
	for _, ex := range s.policyExecutions(wp) {
		if st, _ := ex.execStatus(); st == "Running" {
			return answer{}, &apiError{http.StatusPreconditionFailed, codeUnknown, fmt.Sprintf("failed to delete executions for webhook of policy %d: contains executions that aren't in final status, stop the execution first", wp.ID)}
		}
	}
	hs := s.state.webhookState()
	hs.executions = slices.DeleteFunc(hs.executions, func(ex *hookExecution) bool { return ex.policyID == wp.ID })
	delete(hs.policies, wp.ID)
	return reply(nil)
}

// webhookLastTrigger lists each policy's event types and when each last fired.
func (s *Server) webhookLastTrigger(r *request, p *project) (answer, *apiError) {
	out := []map[string]any{}
	for _, wp := range s.projectWebhooks(p.id) {
		for _, ev := range wp.EventTypes {
			last := s.state.webhookState().lastTrigger[strconv.FormatInt(wp.ID, 10)+" "+ev]
			out = append(out, map[string]any{"creation_time": wp.CreationTime, "enabled": wp.Enabled,
				"event_type": ev, "last_trigger_time": harborTime(last), "policy_name": wp.Name})
		}
	}
	return reply(out)
}

func (s *Server) webhookEvents(r *request, _ *project) (answer, *apiError) {
	return reply(verbatim(webhookEventTypes + "\n"))
}
