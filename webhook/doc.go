// Package webhook decodes the webhook deliveries of Harbor (v2.15) and
// receives them over HTTP. It uses the standard library only.
//
// Harbor sends an event to every enabled policy of the project whose event
// types include it, to each target of the policy. An http target gets the
// event in the policy's payload format:
//
//   - Default: Content-Type application/json, a body
//     {"type","occur_at","operator","event_data"} with occur_at in Unix
//     seconds;
//   - CloudEvents: Content-Type application/cloudevents+json, CloudEvents 1.0
//     in structured mode: every attribute is in the body and there are no
//     ce-* headers. "type" is "harbor." and a mapped name
//     ([EventType.CloudEventsType]), "time" is RFC 3339 in UTC, "operator" and
//     "requestid" are extension attributes, "source" is
//     "/projects/{project_id}/webhook/policies/{policy_id}". "data" is
//     byte-identical to Default's "event_data" for the same event.
//
// [Decode] reads either into one [Event]. A slack target gets a Slack Block
// Kit message instead, which is not valid JSON (Harbor puts the indented
// event data into a JSON string with only '"' escaped): Decode refuses it.
//
// # Surprises, as Harbor v2.15.2 sends them
//
//   - A push or pull by digest puts the digest in [Resource].Tag and a
//     resource_url ending in "@sha256:..."; the scan events of an index's
//     children have no tag at all. [Resource.Tagged] tells a tag from these.
//   - Scanning an index sends SCANNING_COMPLETED for each child, none for
//     the index.
//   - REPLICATION is sent twice per replication task (job status "Running",
//     then "Success" or "Error"), to the policies of the local project. In a
//     push-mode replication the namespaces of src_resource and dest_resource
//     are swapped; [ReplicationData.Namespaces] gives them the right way round.
//   - QUOTA_WARNING is sent after every quota-checked upload while usage is
//     at or over 85 %, not once per crossing; only the one of a manifest
//     carries Resources. Its message is CustomAttributes["Details"].
//   - The Authorization header is the target's auth_header verbatim, with no
//     scheme added; a slack target sends none.
//
// # Retries and idempotency
//
// Harbor's jobservice retries every delivery answered with a non-2xx status
// (whatever the status) or not answered within 3 s: 3 attempts in all by
// default (JOBSERVICE_WEBHOOK_JOB_MAX_RETRY), the second 16-74 s after the
// first and the third 31-118 s after that. Every attempt sends the same bytes
// (the payload is built once). A receiver therefore sees some events more
// than once, and must handle them idempotently: [Event].Key is the
// CloudEvents id, or for a Default payload the SHA-256 of the body. Both are
// the same on every retry. The CloudEvents id is random per event and policy;
// the Default key also matches the same event sent to two policies of the
// same format, and two events whose bodies are byte-identical (QUOTA_WARNING
// of two blob uploads in the same second), which carry the same information.
//
// Harbor waits 3 s for the answer: a handle function that takes longer is
// retried even when it succeeded. Record the key and answer; do slow work
// afterwards.
//
// [Handler] (made with [NewHandler]) is an http.Handler that checks the
// method, the auth header (in constant time), the content type and the body
// size, decodes either format and calls the user's function; an error from
// it makes Harbor retry. See docs/webhooks.md for the event types and their
// data.
package webhook
