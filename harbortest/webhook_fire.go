package harbortest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/harborkit/harbor-sdk-go/internal/uuid"
	"github.com/harborkit/harbor-sdk-go/webhook"
)

// Webhook firing: Harbor's event data (src/pkg/notifier/model) in the webhook package's types, sent
// to each target of the project's enabled policies listing its type, retried like Harbor's jobservice.

// hookExecution is one event sent to one target: an execution and its one task.
type hookExecution struct {
	id, taskID, policyID int64
	eventType, vendor    string // vendor: WEBHOOK or SLACK
	payload              string
	created              time.Time
	status               string // the task's: Running, Success, Error
	runs                 int
	start, end, prevEnd  time.Time // of the latest attempt; prevEnd of the one before
	log                  string
}

type scanWatch struct {
	p    *project
	repo *repository
	a    *artifact
	sc   *scanRun // a vulnerability scan, or
	sbom *sbomRun // an SBOM scan
	tag  string
	op   string // who asked for the scan
}

// hookAttempts is Harbor's default (JOBSERVICE_WEBHOOK_JOB_MAX_RETRY unset).
const hookAttempts = 3

// hookClients are by the target's skip_cert_verify.
var hookClients = map[bool]*http.Client{
	false: {Timeout: 3 * time.Second},
	true:  {Timeout: 3 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}, // #nosec G402
}

// hostPort is Harbor's EXT_ENDPOINT without scheme, as in resource_url.
func (s *Server) hostPort() string {
	if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
		return u.Host
	}
	return "harbortest"
}

func hookRepo(p *project, fullName string) *webhook.Repository {
	_, name, _ := strings.Cut(fullName, "/")
	return &webhook.Repository{Name: name, Namespace: p.name, RepoFullName: fullName,
		RepoType: map[bool]string{false: "private", true: "public"}[p.public]}
}

// resource is a in repo with tag ("" for none): resource_url names the tag, else the digest.
func (s *Server) resource(repo *repository, a *artifact, tag string) webhook.Resource {
	url := s.hostPort() + "/" + repo.name + "@" + a.digest
	if tag != "" && !strings.HasPrefix(tag, "sha256:") {
		url = s.hostPort() + "/" + repo.name + ":" + tag
	}
	return webhook.Resource{Digest: a.digest, Tag: tag, ResourceURL: url}
}

// artifactEvent is PUSH_, PULL_ or DELETE_ARTIFACT for a at ref (a tag, or "": the digest, as Harbor).
func (s *Server) artifactEvent(typ string, p *project, repo *repository, a *artifact, ref, operator, requestID string) event {
	if ref == "" {
		ref = a.digest
	}
	hr := hookRepo(p, repo.name)
	hr.DateCreated = repo.created.Unix()
	return event{typ, p.id, operator, requestID, webhook.EventData{Repository: hr,
		Resources: []webhook.Resource{s.resource(repo, a, ref)}}}
}

// deliver fires the events a request's handler recorded (the adapter calls it after releasing s.mu).
func (s *Server) deliver(events []event) {
	if len(events) == 0 { // most requests: no second lock
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range events {
		s.fireLocked(e)
	}
}

// watchScan notes a scan started by reference ref, to announce its end. Callers hold s.mu.
func (s *Server) watchScan(p *project, repo *repository, a *artifact, ref, operator string, sbom bool) {
	if strings.HasPrefix(ref, "sha256:") {
		ref = ""
	}
	w := scanWatch{p: p, repo: repo, a: a, tag: ref, op: operator}
	var wait time.Duration
	if sbom {
		w.sbom, wait = a.sbom, a.sbom.done.Sub(a.sbom.start)
	} else {
		w.sc, wait = a.scan, a.scan.done.Sub(a.scan.start)
	}
	hs := s.state.webhookState()
	hs.scans = append(hs.scans, w)
	time.AfterFunc(wait, func() { s.mu.Lock(); s.fireDueScansLocked(); s.mu.Unlock() })
}

// fireDueScansLocked announces, and forgets, the scans that ended by the server's clock.
func (s *Server) fireDueScansLocked() {
	hs, now := s.state.webhookState(), s.now()
	hs.scans = slices.DeleteFunc(hs.scans, func(w scanWatch) bool {
		announce := func(typ, scanType string, res webhook.Resource) {
			s.fireLocked(event{typ, w.p.id, w.op, uuid.New(), webhook.EventData{Repository: hookRepo(w.p, w.repo.name),
				Scan: &webhook.Scan{ScanType: scanType}, Resources: []webhook.Resource{res}}})
		}
		if w.sbom != nil { // an SBOM scan: its overview as the artifact API shows it
			ended := !now.Before(w.sbom.done)
			if ended && w.a.sbom == w.sbom {
				res := s.resource(w.repo, w.a, w.tag)
				res.SBOMOverview = rawValues(s.sbomOverview(w.a))
				announce("SCANNING_COMPLETED", "sbom", res)
			}
			return ended
		}
		st := w.sc.status(now)
		if ended := st != "Pending" && st != "Running"; !ended || w.a.scan != w.sc { // or replaced by a later scan
			return ended
		}
		end, over := w.sc.done, map[string]webhook.ScanSummary{}
		if w.sc.stopped {
			end = now
		}
		for mime, id := range w.sc.reportIDs {
			o := webhook.ScanSummary{ReportID: id, ScanStatus: st, Duration: int64(end.Sub(w.sc.start) / time.Second),
				StartTime: w.sc.start.UTC().Truncate(time.Second), EndTime: end.UTC().Truncate(time.Second)}
			if st == "Success" {
				sum := w.sc.summarize(mime)
				sc := webhook.Scanner(w.sc.scanner)
				o.Severity, o.CompletePercent, o.Scanner = sum.severity, 100, &sc
				o.Summary = &webhook.VulnerabilitySummary{Total: sum.total, Fixable: sum.fixable, Summary: sum.counts}
			}
			over[mime] = o
		}
		typ := map[string]string{"Success": "SCANNING_COMPLETED", "Error": "SCANNING_FAILED", "Stopped": "SCANNING_STOPPED"}[st]
		// An index is announced by its children, untagged, never by itself (w060, w063).
		arts, tag := []*artifact{w.a}, w.tag
		if kids := indexChildren(w.repo, w.a); len(kids) > 0 {
			arts, tag = kids, ""
		}
		for _, a := range arts {
			res := s.resource(w.repo, a, tag)
			res.ScanOverview = over
			announce(typ, "vulnerability", res)
		}
		return true
	})
}

// indexChildren returns the artifacts of repo that index a references.
func indexChildren(repo *repository, a *artifact) (kids []*artifact) {
	for _, ref := range a.references {
		if m, ok := ref.(map[string]any); ok {
			if c := findArtifact(repo, fmt.Sprint(m["child_digest"])); c != nil {
				kids = append(kids, c)
			}
		}
	}
	return kids
}

// fireLocked sends e, asynchronously, to the targets of its project's enabled policies listing its type.
func (s *Server) fireLocked(e event) {
	data, _ := json.Marshal(e.data) // the webhook package's types: no error
	hs, now := s.state.webhookState(), s.now()
	for _, wp := range s.projectWebhooks(e.projectID) {
		if !wp.Enabled || !slices.Contains(wp.EventTypes, e.kind) {
			continue
		}
		hs.lastTrigger[strconv.FormatInt(wp.ID, 10)+" "+e.kind] = now
		source := fmt.Sprintf("/projects/%d/webhook/policies/%d", e.projectID, wp.ID)
		for _, t := range wp.Targets {
			body, ctype, vendor := hookBody(e, source, t, now, data)
			ex := &hookExecution{id: newID(&hs.nextExecID), taskID: newID(&hs.nextExecID), policyID: wp.ID,
				eventType: e.kind, vendor: vendor, payload: string(body), created: now, status: "Running", start: now}
			hs.executions = append(hs.executions, ex)
			if hs.pending == 0 {
				hs.idle = make(chan struct{})
			}
			hs.pending++
			go s.deliverHook(hs, ex, t, body, ctype)
		}
	}
}

// hookBody renders the payload for target t: Default, CloudEvents (every
// attribute in the body, source the policy) or Harbor's Slack template (not JSON).
func hookBody(e event, source string, t webhookTargetJSON, at time.Time, data []byte) (body []byte, ctype, vendor string) {
	switch {
	case t.Type == "slack":
		var ind, b bytes.Buffer
		_ = json.Indent(&ind, data, "", "\t")
		esc := strings.ReplaceAll(strings.ReplaceAll(ind.String(), `"`, `\"`), `\\"`, `\\\"`)
		_ = slackTemplate.Execute(&b, map[string]any{"Type": e.kind, "OccurAt": at.Unix(), "Operator": e.operator,
			"EventData": "```" + esc + "```"})
		return b.Bytes(), "application/json", "SLACK"
	case t.PayloadFormat == "CloudEvents":
		body, _ = json.Marshal(struct {
			SpecVersion     string          `json:"specversion"`
			ID              string          `json:"id"`
			Source          string          `json:"source"`
			Type            string          `json:"type"`
			DataContentType string          `json:"datacontenttype"`
			Time            string          `json:"time"`
			Data            json.RawMessage `json:"data"`
			Operator        string          `json:"operator"`
			RequestID       string          `json:"requestid"`
		}{"1.0", uuid.New(), source, webhook.EventType(e.kind).CloudEventsType(), "application/json", at.UTC().Format(time.RFC3339), data,
			e.operator, e.requestID})
		return body, "application/cloudevents+json", "WEBHOOK"
	}
	body, _ = json.Marshal(struct {
		Type      string          `json:"type"`
		OccurAt   int64           `json:"occur_at"`
		Operator  string          `json:"operator"`
		EventData json.RawMessage `json:"event_data"`
	}{e.kind, at.Unix(), e.operator, data})
	return body, "application/json", "WEBHOOK"
}

// slackTemplate is SlackBodyTemplate of src/pkg/notifier/handler/notification/slack_handler.go, verbatim.
var slackTemplate = template.Must(template.New("slack").Parse("{\n\t\"blocks\": [\n\t\t{\n            \"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"*Harbor webhook events*\"\n\t\t\t}\n        },\n        {\n            \"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"*event_type:* {{.Type}}\"\n\t\t\t}\n        },\n        {\n            \"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"*occur_at:* <!date^{{.OccurAt}}^{date} at {time}|February 18th, 2014 at 6:39 AM PST>\"\n\t\t\t}\n        },\n        {\t\"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"*operator:* {{.Operator}}\"\n\t\t\t}\n\t\t},\n        {\t\"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"*event_data:*\"\n\t\t\t}\n\t\t},\n\t\t{\t\"type\": \"section\",\n\t\t\t\"text\": {\n\t\t\t\t\"type\": \"mrkdwn\",\n\t\t\t\t\"text\": \"{{.EventData}}\"\n\t\t\t}\n\t\t}\n    ]}"))

// deliverHook makes up to hookAttempts attempts of the same bytes; a non-2xx status or no answer fails.
func (s *Server) deliverHook(hs *webhookState, ex *hookExecution, t webhookTargetJSON, body []byte, ctype string) {
	defer func() {
		s.mu.Lock()
		if hs.pending--; hs.pending == 0 {
			close(hs.idle)
		}
		s.mu.Unlock()
	}()
	// The log lines of Harbor's webhook_job.go and slack_job.go: start, send, success, error.
	kind, lines := strings.ToLower(ex.vendor), [4]int{73, 118, 80, 76}
	if kind == "slack" {
		lines = [4]int{95, 134, 101, 99}
	}
	at := func(stamp, level string, line int) string {
		return fmt.Sprintf("%s [%s] [/harbor/src/jobservice/job/impl/notification/%s_job.go:%d]: ", stamp, level, kind, line)
	}
	for attempt := 1; attempt <= hookAttempts && hs.ctx.Err() == nil; attempt++ {
		start := s.now()
		req, err := http.NewRequestWithContext(hs.ctx, http.MethodPost, t.Address, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", ctype)
			if t.AuthHeader != "" && t.Type != "slack" {
				req.Header.Set("Authorization", t.AuthHeader)
			}
			err = sendHook(hookClients[t.SkipCertVerify], req)
		}
		s.mu.Lock()
		end := s.now()
		stamp := end.UTC().Format(time.RFC3339)
		ex.runs, ex.prevEnd, ex.start, ex.end, ex.status = attempt, ex.end, start, end, "Success"
		last := at(stamp, "INFO", lines[2]) + "success to run " + kind + " job\n"
		if err != nil {
			ex.status, last = "Error", at(stamp, "ERROR", lines[3])+"exit "+kind+" job, error: "+err.Error()+"\n"
		}
		ex.log = at(stamp, "INFO", lines[0]) + "start to run " + kind + " job\n" +
			at(stamp, "INFO", lines[1]) + "send request to remote endpoint, body: " + string(body) + "\n" + last
		s.mu.Unlock()
		if err == nil {
			return
		}
	}
}

func sendHook(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("error to send request: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return fmt.Errorf("abnormal response code: %d, body: %s", resp.StatusCode, b)
	}
	return nil
}

// WaitWebhooks blocks until every webhook delivery fired so far has succeeded or made its last
// attempt (3 in all, as Harbor's jobservice, with no wait between them), or ctx ends. Scans that
// ended by the server's clock are announced first.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	s.mu.Lock()
	s.fireDueScansLocked()
	idle := s.state.webhookState().idle
	s.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stopWebhooks cancels the deliveries in flight (Close).
func (s *Server) stopWebhooks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.webhookState().stop()
}

// hookPushLocked fires PUSH_ARTIFACT for a seeded artifact: one per tag, as one manifest PUT per tag
// does, or one by digest; and QUOTA_WARNING after each while 85 % of the storage quota is used.
func (s *Server) hookPushLocked(projectName string, repo *repository, a *artifact, tags ...string) {
	p := s.state.projectByName[projectName]
	if len(tags) == 0 {
		tags = []string{""}
	}
	used, hard := s.projectUsedStorage(p), p.storageLimit
	for _, t := range tags {
		s.fireLocked(s.artifactEvent("PUSH_ARTIFACT", p, repo, a, t, s.AdminUsername, uuid.New()))
		if hard > 0 && used*100 >= hard*85 {
			s.fireLocked(event{"QUOTA_WARNING", p.id, s.AdminUsername, uuid.New(), webhook.EventData{
				Resources:        []webhook.Resource{{Digest: a.digest, Tag: t}},
				Repository:       hookRepo(p, repo.name),
				CustomAttributes: map[string]string{"Details": fmt.Sprintf("quota usage reach 85%%: resource storage used %s of %s", displaySize(used), displaySize(hard))},
			}})
		}
	}
}

// quotaRefusesLocked reports whether adding size bytes to project/repo exceeds the project's
// storage quota, and then fires QUOTA_EXCEED as Harbor does when it refuses the upload.
func (s *Server) quotaRefusesLocked(projectName, repo string, size int64) bool {
	p := s.state.projectByName[projectName]
	if p == nil || p.storageLimit <= 0 || s.projectUsedStorage(p)+size <= p.storageLimit {
		return false
	}
	s.fireLocked(event{"QUOTA_EXCEED", p.id, s.AdminUsername, uuid.New(), webhook.EventData{
		Repository: hookRepo(p, projectName+"/"+repo),
		CustomAttributes: map[string]string{"Details": fmt.Sprintf("adding %s of storage resource, which when updated to current usage of %s will exceed the configured upper limit of %s.",
			displaySize(size), displaySize(s.projectUsedStorage(p)), displaySize(p.storageLimit))},
	}})
	return true
}

// rawValues encodes each value of m, for the webhook fields Harbor fills from free-form maps.
func rawValues(m map[string]any) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k], _ = json.Marshal(v) // values decoded from JSON or built of plain types
	}
	return out
}

// displaySize is Harbor's byteCountToDisplaySize (src/pkg/quota/types/format.go).
func displaySize(v int64) string {
	if v < 1024 {
		return fmt.Sprintf("%d B", v)
	}
	div, exp := int64(1024), 0
	for n := v / 1024; n >= 1024; n /= 1024 {
		div *= 1024
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(v)/float64(div), "KMGTPE"[exp])
}

// deleteEvent is DELETE_ARTIFACT for an artifact deleted through the API, with its first tag as in Harbor.
func (s *Server) deleteEvent(r *request, p *project, repo *repository, a *artifact) event {
	ref := ""
	if len(a.tags) > 0 {
		ref = a.tags[0].name
	}
	return s.artifactEvent("DELETE_ARTIFACT", p, repo, a, ref, r.id.name(s.state.robotPrefix), r.header.Get("X-Request-Id"))
}

// fireRetention fires TAG_RETENTION for a real (not dry) run of pol, which here retains every artifact.
func (s *Server) fireRetention(r *request, pol *retentionPolicy, ex *execution) {
	p := s.state.projects[pol.Scope.Ref]
	if p == nil || ex.dryRun {
		return
	}
	ret := &webhook.RetentionData{HarborHostname: strings.Split(s.hostPort(), ":")[0], ProjectName: p.name,
		RetentionPolicyID: pol.ID, Result: "SUCCESS"}
	for _, t := range ex.tasks {
		ret.Total += t.total
	}
	ret.Retained = ret.Total
	selectors := func(in []selectorJSON) []webhook.Selector {
		out := make([]webhook.Selector, len(in))
		for i, x := range in {
			out[i] = webhook.Selector{Kind: x.Kind, Decoration: x.Decoration, Pattern: x.Pattern, Extras: x.Extras}
		}
		return out
	}
	for _, r := range pol.Rules {
		hr := webhook.RetentionRule{Template: r.Template, Params: rawValues(r.Params), TagSelectors: selectors(r.TagSelectors),
			ScopeSelectors: map[string][]webhook.Selector{}}
		for k, v := range r.ScopeSelectors {
			hr.ScopeSelectors[k] = selectors(v)
		}
		ret.RetentionRules = append(ret.RetentionRules, hr)
	}
	r.fire(event{"TAG_RETENTION", p.id, r.id.name(s.state.robotPrefix), uuid.New(), webhook.EventData{Retention: ret}})
}

// fireReplication fires REPLICATION twice per task (Running, then Success) to the local project:
// the source of a push, the destination of a pull. As in Harbor, a push's payload swaps the namespaces.
func (s *Server) fireReplication(r *request, pol *replicationPolicy, ex *execution) {
	operator, push := r.id.name(s.state.robotPrefix), pol.srcRegistry == 0
	remote := s.registryOrLocal(cmp.Or(pol.srcRegistry, pol.destRegistry)) // the side that is not local
	for _, t := range ex.tasks {
		srcNS, srcName, _ := strings.Cut(t.src, "/")
		dstNS, dstName, _ := strings.Cut(t.dst, "/")
		local := &webhook.ReplicationResource{RegistryType: "harbor", Endpoint: s.URL, Namespace: dstNS}
		rem := &webhook.ReplicationResource{RegistryName: remote.Name, RegistryType: remote.Type, Endpoint: remote.URL, Namespace: srcNS}
		rep := webhook.ReplicationData{HarborHostname: strings.Split(s.hostPort(), ":")[0], Description: pol.Description,
			ArtifactType: "artifact", AuthenticationType: remote.Credential.Type, OverrideMode: pol.Override,
			TriggerType: strings.ToUpper(ex.trigger), PolicyCreator: operator, ExecutionTimestamp: ex.started.Unix(),
			SrcResource: rem, DestResource: local, ExecutionID: ex.id, TaskID: t.id}
		projectName, nameTag := dstNS, dstName
		if push {
			rep.SrcResource, rep.DestResource, projectName, nameTag = local, rem, srcNS, srcName
		}
		p := s.state.projectByName[projectName]
		if p == nil {
			continue
		}
		for _, status := range []string{"Running", "Success"} {
			d := rep
			d.JobStatus = status
			if status == "Success" { // references: strings.Split of harbortest's empty task references, as Harbor
				d.SuccessfulArtifact = []webhook.ArtifactInfo{{Type: "artifact", Status: "Success", NameAndTag: nameTag, References: []string{""}}}
			}
			r.fire(event{"REPLICATION", p.id, operator, uuid.New(), webhook.EventData{Replication: &d}})
		}
	}
}

// Pull records a pull of the artifact at reference (a tag or a digest) of project/repo as a registry
// GET of its manifest would: its pull time (and the tag's) and PULL_ARTIFACT, whose tag is the digest
// when pulled by digest. It panics if the artifact does not exist.
func (s *Server) Pull(projectName, repo, reference string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, r, a := s.mustArtifact(projectName, repo, reference)
	now := s.now()
	a.pullTime = now
	tag := ""
	for _, t := range a.tags {
		if t.name == reference {
			t.pullTime, tag = now, reference
		}
	}
	s.fireLocked(s.artifactEvent("PULL_ARTIFACT", p, r, a, tag, s.AdminUsername, uuid.New()))
}
