package harbor

import (
	"github.com/go-openapi/runtime"
	"github.com/go-openapi/strfmt"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/gen/client/artifact"
	"github.com/harborkit/harbor-sdk-go/gen/client/auditlog"
	"github.com/harborkit/harbor-sdk-go/gen/client/configure"
	"github.com/harborkit/harbor-sdk-go/gen/client/gc"
	"github.com/harborkit/harbor-sdk-go/gen/client/health"
	"github.com/harborkit/harbor-sdk-go/gen/client/icon"
	"github.com/harborkit/harbor-sdk-go/gen/client/immutable"
	"github.com/harborkit/harbor-sdk-go/gen/client/jobservice"
	"github.com/harborkit/harbor-sdk-go/gen/client/label"
	"github.com/harborkit/harbor-sdk-go/gen/client/ldap"
	"github.com/harborkit/harbor-sdk-go/gen/client/member"
	"github.com/harborkit/harbor-sdk-go/gen/client/oidc"
	"github.com/harborkit/harbor-sdk-go/gen/client/permissions"
	"github.com/harborkit/harbor-sdk-go/gen/client/ping"
	"github.com/harborkit/harbor-sdk-go/gen/client/preheat"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/project_metadata"
	"github.com/harborkit/harbor-sdk-go/gen/client/purge"
	"github.com/harborkit/harbor-sdk-go/gen/client/quota"
	"github.com/harborkit/harbor-sdk-go/gen/client/registry"
	"github.com/harborkit/harbor-sdk-go/gen/client/replication"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/client/retention"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/client/scan"
	"github.com/harborkit/harbor-sdk-go/gen/client/scan_all"
	"github.com/harborkit/harbor-sdk-go/gen/client/scan_data_export"
	"github.com/harborkit/harbor-sdk-go/gen/client/scanner"
	"github.com/harborkit/harbor-sdk-go/gen/client/schedule"
	"github.com/harborkit/harbor-sdk-go/gen/client/search"
	"github.com/harborkit/harbor-sdk-go/gen/client/securityhub"
	"github.com/harborkit/harbor-sdk-go/gen/client/statistic"
	"github.com/harborkit/harbor-sdk-go/gen/client/system_cve_allowlist"
	"github.com/harborkit/harbor-sdk-go/gen/client/systeminfo"
	"github.com/harborkit/harbor-sdk-go/gen/client/user"
	"github.com/harborkit/harbor-sdk-go/gen/client/usergroup"
	"github.com/harborkit/harbor-sdk-go/gen/client/webhook"
	"github.com/harborkit/harbor-sdk-go/gen/client/webhookjob"
)

// newAPI returns the generated client with every API tag submitting
// through t (gen/client's New would submit straight to go-openapi's
// runtime, past submit.go). TestAPIWiresEveryTag checks every tag is here.
func newAPI(t runtime.ContextualTransport) *client.HarborAPI {
	f := strfmt.Default
	return &client.HarborAPI{
		Transport:          t,
		Artifact:           artifact.New(t, f, nil),
		Auditlog:           auditlog.New(t, f, nil),
		Configure:          configure.New(t, f, nil),
		GC:                 gc.New(t, f, nil),
		Health:             health.New(t, f, nil),
		Icon:               icon.New(t, f, nil),
		Immutable:          immutable.New(t, f, nil),
		Jobservice:         jobservice.New(t, f, nil),
		Label:              label.New(t, f, nil),
		Ldap:               ldap.New(t, f, nil),
		Member:             member.New(t, f, nil),
		OIDC:               oidc.New(t, f, nil),
		Permissions:        permissions.New(t, f, nil),
		Ping:               ping.New(t, f, nil),
		Preheat:            preheat.New(t, f, nil),
		Project:            project.New(t, f, nil),
		ProjectMetadata:    project_metadata.New(t, f, nil),
		Purge:              purge.New(t, f, nil),
		Quota:              quota.New(t, f, nil),
		Registry:           registry.New(t, f, nil),
		Replication:        replication.New(t, f, nil),
		Repository:         repository.New(t, f, nil),
		Retention:          retention.New(t, f, nil),
		Robot:              robot.New(t, f, nil),
		Scan:               scan.New(t, f, nil),
		ScanAll:            scan_all.New(t, f, nil),
		ScanDataExport:     scan_data_export.New(t, f, nil),
		Scanner:            scanner.New(t, f, nil),
		Schedule:           schedule.New(t, f, nil),
		Search:             search.New(t, f, nil),
		Securityhub:        securityhub.New(t, f, nil),
		Statistic:          statistic.New(t, f, nil),
		SystemCVEAllowlist: system_cve_allowlist.New(t, f, nil),
		Systeminfo:         systeminfo.New(t, f, nil),
		User:               user.New(t, f, nil),
		Usergroup:          usergroup.New(t, f, nil),
		Webhook:            webhook.New(t, f, nil),
		Webhookjob:         webhookjob.New(t, f, nil),
	}
}
