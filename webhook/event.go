package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// EventType is Harbor's name of an event type, as in a policy's event_types
// and a Default payload's "type".
type EventType string

// The ten event types of Harbor v2.15.2 (GET /projects/{p}/webhook/events).
const (
	PushArtifact      EventType = "PUSH_ARTIFACT"
	PullArtifact      EventType = "PULL_ARTIFACT"
	DeleteArtifact    EventType = "DELETE_ARTIFACT"
	ScanningCompleted EventType = "SCANNING_COMPLETED"
	ScanningFailed    EventType = "SCANNING_FAILED"
	ScanningStopped   EventType = "SCANNING_STOPPED"
	QuotaWarning      EventType = "QUOTA_WARNING"
	QuotaExceed       EventType = "QUOTA_EXCEED"
	TagRetention      EventType = "TAG_RETENTION"
	Replication       EventType = "REPLICATION"
)

// cloudEventsTypes is Harbor's mapping (src/pkg/notifier/formats/cloudevents.go).
var cloudEventsTypes = map[string]EventType{
	"harbor.artifact.pushed":            PushArtifact,
	"harbor.artifact.pulled":            PullArtifact,
	"harbor.artifact.deleted":           DeleteArtifact,
	"harbor.scan.completed":             ScanningCompleted,
	"harbor.scan.failed":                ScanningFailed,
	"harbor.scan.stopped":               ScanningStopped,
	"harbor.quota.warned":               QuotaWarning,
	"harbor.quota.exceeded":             QuotaExceed,
	"harbor.tag_retention.finished":     TagRetention,
	"harbor.replication.status.changed": Replication,
}

// CloudEventsType is the CloudEvents "type" Harbor sends for t
// ("harbor.artifact.pushed" for PUSH_ARTIFACT), or "" for an unknown type.
func (t EventType) CloudEventsType() string {
	for ce, et := range cloudEventsTypes {
		if et == t {
			return ce
		}
	}
	return ""
}

// Format is a policy target's payload_format.
type Format string

// The two payload formats of an http target. Slack targets get a Slack
// message, which is not a payload this package decodes (it is not even valid
// JSON: see the package documentation).
const (
	Default     Format = "Default"
	CloudEvents Format = "CloudEvents"
)

// Event is one decoded webhook delivery, the same for both formats.
type Event struct {
	// Type is Harbor's name of the event type in both formats (a CloudEvents
	// "harbor.artifact.pushed" is PushArtifact). An event type this package
	// does not know (a newer Harbor) is kept as sent.
	Type EventType
	// OccurAt is when the event happened, in UTC, whole seconds: Default's
	// "occur_at" (Unix seconds) or CloudEvents' "time".
	OccurAt time.Time
	// Operator is the user name, a robot's full name ("robot$p+ci") or
	// "harbor-jobservice" for deletions made by a retention run.
	Operator string
	// Data is the event data ("event_data" or "data"), decoded.
	Data EventData
	// RawData is the event data exactly as sent; byte-identical in both
	// formats for the same event.
	RawData json.RawMessage
	// Format says which payload format the delivery used.
	Format Format
	// Key identifies the delivery for idempotent handling: Harbor sends the
	// same bytes on every retry. It is the CloudEvents "id", and for a Default
	// payload "sha256:" and the hex SHA-256 of the body. See the package
	// documentation for what it does and does not tell apart.
	Key string

	// The CloudEvents attributes; empty for a Default payload.
	ID        string // random UUID per event and policy
	Source    string // "/projects/{project_id}/webhook/policies/{policy_id}"
	RequestID string // X-Request-Id of the request that caused the event
	// CloudEventsType is "type" as sent ("harbor.artifact.pushed").
	CloudEventsType string
}

// EventData is Harbor's event data. Which fields are set depends on the
// event type:
//
//   - PUSH_ARTIFACT, PULL_ARTIFACT, DELETE_ARTIFACT: Resources, Repository;
//   - SCANNING_COMPLETED, SCANNING_FAILED, SCANNING_STOPPED: Resources (with
//     ScanOverview), Repository (no DateCreated), Scan;
//   - QUOTA_WARNING, QUOTA_EXCEED: Repository, CustomAttributes["Details"],
//     and Resources only for the event raised by a manifest upload;
//   - TAG_RETENTION: Retention;
//   - REPLICATION: Replication.
type EventData struct {
	Resources        []Resource        `json:"resources,omitempty"`
	Repository       *Repository       `json:"repository,omitempty"`
	Replication      *ReplicationData  `json:"replication,omitempty"`
	Retention        *RetentionData    `json:"retention,omitempty"`
	Scan             *Scan             `json:"scan,omitempty"`
	CustomAttributes map[string]string `json:"custom_attributes,omitempty"`
}

// Resource is one artifact an event is about.
type Resource struct {
	Digest string `json:"digest,omitempty"`
	// Tag is the tag pushed, pulled or deleted. For a push or pull by
	// digest Harbor puts the digest here; the scan events of an index's
	// children have none. Use [Resource.Tagged].
	Tag string `json:"tag,omitempty"`
	// ResourceURL is "<host:port>/<project>/<repository>:<tag>" or
	// ".../<repository>@<digest>" (no scheme). Quota events have none.
	ResourceURL string `json:"resource_url,omitempty"`
	// ScanOverview is keyed by report MIME type, one entry per report type
	// the scanner produces (scan events only).
	ScanOverview map[string]ScanSummary `json:"scan_overview,omitempty"`
	// SBOMOverview is the overview of an SBOM scan, as sent.
	SBOMOverview map[string]json.RawMessage `json:"sbom_overview,omitempty"`
}

// Tagged reports whether Tag is a tag: not empty and not the digest Harbor
// puts there for a push or pull by digest (a tag cannot contain ':').
func (r Resource) Tagged() bool { return r.Tag != "" && !strings.Contains(r.Tag, ":") }

// Repository is the repository of the resources.
type Repository struct {
	// DateCreated is Unix seconds; absent (0) in scan and quota events.
	DateCreated  int64  `json:"date_created,omitempty"`
	Name         string `json:"name"`
	Namespace    string `json:"namespace"` // the project name
	RepoFullName string `json:"repo_full_name"`
	RepoType     string `json:"repo_type"` // "private" or "public"
}

// Scan says which kind of scan an event is about.
type Scan struct {
	ScanType string `json:"scan_type,omitempty"` // "vulnerability" or "sbom"
}

// ScanSummary is the vulnerability scan overview of one report type.
type ScanSummary struct {
	ReportID   string `json:"report_id"`
	ScanStatus string `json:"scan_status"` // "Success", "Error", "Stopped"
	Severity   string `json:"severity"`    // "" unless the scan succeeded
	Duration   int64  `json:"duration"`    // seconds
	// Summary is nil unless the scan succeeded.
	Summary         *VulnerabilitySummary `json:"summary"`
	StartTime       time.Time             `json:"start_time"`
	EndTime         time.Time             `json:"end_time"`
	Scanner         *Scanner              `json:"scanner,omitempty"`
	CompletePercent int                   `json:"complete_percent"`
}

// VulnerabilitySummary counts the findings of a report.
type VulnerabilitySummary struct {
	Total   int            `json:"total"`
	Fixable int            `json:"fixable"`
	Summary map[string]int `json:"summary"` // by severity: "Critical": 2, ...
}

// Scanner names the scanner that made a report.
type Scanner struct {
	Name    string `json:"name"`
	Vendor  string `json:"vendor"`
	Version string `json:"version"`
}

// ReplicationData is a REPLICATION event: one per replication task, with
// JobStatus "Running" when it starts and "Success" or "Error" when it ends.
type ReplicationData struct {
	// HarborHostname is the external URL cut at its first ':' (no port).
	HarborHostname     string `json:"harbor_hostname,omitempty"`
	JobStatus          string `json:"job_status,omitempty"`
	Description        string `json:"description,omitempty"`
	ArtifactType       string `json:"artifact_type,omitempty"`
	AuthenticationType string `json:"authentication_type,omitempty"`
	OverrideMode       bool   `json:"override_mode,omitempty"`
	TriggerType        string `json:"trigger_type,omitempty"`
	PolicyCreator      string `json:"policy_creator,omitempty"`
	ExecutionTimestamp int64  `json:"execution_timestamp,omitempty"` // Unix seconds
	// SrcResource and DestResource are as Harbor sends them: for a
	// push-mode replication their namespaces are swapped. Use
	// [ReplicationData.Namespaces].
	SrcResource        *ReplicationResource `json:"src_resource,omitempty"`
	DestResource       *ReplicationResource `json:"dest_resource,omitempty"`
	SuccessfulArtifact []ArtifactInfo       `json:"successful_artifact,omitempty"`
	FailedArtifact     []ArtifactInfo       `json:"failed_artifact,omitempty"`
	ExecutionID        int64                `json:"execution_id,omitempty"`
	TaskID             int64                `json:"task_id,omitempty"`
}

// Namespaces returns the source and destination namespaces of the
// replication. Harbor builds the remote registry's resource with the source
// namespace and its own with the destination namespace, then, in push mode
// (this Harbor is the source, its resource has no registry_name), puts its
// own as SrcResource: the namespaces arrive swapped. Namespaces swaps them
// back; pull-mode payloads are right as sent.
func (r *ReplicationData) Namespaces() (src, dest string) {
	if r.SrcResource == nil || r.DestResource == nil {
		return "", ""
	}
	src, dest = r.SrcResource.Namespace, r.DestResource.Namespace
	if r.SrcResource.RegistryName == "" { // push mode: the source is this Harbor
		src, dest = dest, src
	}
	return src, dest
}

// ReplicationResource is one side of a replication.
type ReplicationResource struct {
	RegistryName string `json:"registry_name,omitempty"` // absent for this Harbor
	RegistryType string `json:"registry_type"`
	Endpoint     string `json:"endpoint"`
	Provider     string `json:"provider,omitempty"`
	Namespace    string `json:"namespace,omitempty"`
}

// ArtifactInfo is an artifact a replication copied or a retention run
// deleted.
type ArtifactInfo struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	// NameAndTag is "app:1.0", or a summary such as "multi [3 item(s) in total]".
	NameAndTag string `json:"name_tag"`
	// References is nil (sent as null) for retention's deleted artifacts.
	References []string `json:"references"`
	FailReason string   `json:"fail_reason,omitempty"`
}

// RetentionData is a TAG_RETENTION event: one per real (not dry) run.
type RetentionData struct {
	Total             int             `json:"total"`
	Retained          int             `json:"retained"`
	HarborHostname    string          `json:"harbor_hostname,omitempty"`
	ProjectName       string          `json:"project_name,omitempty"`
	RetentionPolicyID int64           `json:"retention_policy_id,omitempty"`
	RetentionRules    []RetentionRule `json:"retention_rule,omitempty"`
	Result            string          `json:"result,omitempty"` // "SUCCESS", ...
	DeletedArtifact   []ArtifactInfo  `json:"deleted_artifact,omitempty"`
}

// RetentionRule is one rule of the retention policy that ran.
type RetentionRule struct {
	Template       string                     `json:"template,omitempty"`
	Params         map[string]json.RawMessage `json:"params,omitempty"`
	TagSelectors   []Selector                 `json:"tag_selectors,omitempty"`
	ScopeSelectors map[string][]Selector      `json:"scope_selectors,omitempty"`
}

// Selector selects tags or repositories in a retention rule.
type Selector struct {
	Kind       string `json:"kind"`
	Decoration string `json:"decoration"`
	Pattern    string `json:"pattern"`
	Extras     string `json:"extras"`
}

// defaultPayload is the Default format (src/pkg/notifier/model.Payload).
type defaultPayload struct {
	Type      *string         `json:"type"`
	OccurAt   *int64          `json:"occur_at"`
	Operator  string          `json:"operator"`
	EventData json.RawMessage `json:"event_data"`
}

// cloudEvent is a CloudEvents 1.0 event in structured mode, as Harbor sends
// it: every attribute in the body.
type cloudEvent struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	DataContentType string          `json:"datacontenttype"`
	Time            *time.Time      `json:"time"`
	Data            json.RawMessage `json:"data"`
	Operator        string          `json:"operator"`
	RequestID       string          `json:"requestid"`
}

// ErrNotHarborPayload is matched (errors.Is) by every error of [Decode]: the
// body is not a payload Harbor sends to an http target in either format.
var ErrNotHarborPayload = errors.New("not a Harbor webhook payload")

func badPayload(format string, a ...any) error {
	return fmt.Errorf("webhook: %w: "+format, append([]any{ErrNotHarborPayload}, a...)...)
}

// Decode decodes one delivery's body, in either format: a body with
// "specversion" is CloudEvents, any other Default. Fields this package does
// not know are ignored; RawData keeps them.
func Decode(body []byte) (*Event, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, badPayload("invalid JSON: %v", err)
	}
	var ev Event
	var data json.RawMessage
	if _, ok := probe["specversion"]; ok {
		var ce cloudEvent
		if err := json.Unmarshal(body, &ce); err != nil {
			return nil, badPayload("CloudEvents: %v", err)
		}
		if ce.SpecVersion != "1.0" {
			return nil, badPayload("CloudEvents specversion %q, want \"1.0\"", ce.SpecVersion)
		}
		if ce.ID == "" || ce.Type == "" || ce.Time == nil {
			return nil, badPayload("CloudEvents event without id, type or time")
		}
		ev.Type = cloudEventsTypes[ce.Type]
		if ev.Type == "" {
			ev.Type = EventType(ce.Type)
		}
		ev.Format, ev.OccurAt, ev.Operator, data = CloudEvents, ce.Time.UTC(), ce.Operator, ce.Data
		ev.Key, ev.ID, ev.Source, ev.RequestID, ev.CloudEventsType = ce.ID, ce.ID, ce.Source, ce.RequestID, ce.Type
	} else {
		var dp defaultPayload
		if err := json.Unmarshal(body, &dp); err != nil {
			return nil, badPayload("Default: %v", err)
		}
		if dp.Type == nil || *dp.Type == "" || dp.OccurAt == nil {
			return nil, badPayload("Default payload without type or occur_at")
		}
		sum := sha256.Sum256(body)
		ev.Format, ev.Type, ev.OccurAt, ev.Operator, data = Default, EventType(*dp.Type), time.Unix(*dp.OccurAt, 0).UTC(), dp.Operator, dp.EventData
		ev.Key = "sha256:" + hex.EncodeToString(sum[:])
	}
	if len(data) > 0 && !bytes.Equal(data, []byte("null")) {
		if err := json.Unmarshal(data, &ev.Data); err != nil {
			return nil, badPayload("%s event data: %v", ev.Type, err)
		}
		ev.RawData = data
	}
	return &ev, nil
}
