package harbortest

//go:generate go run ../internal/cmd/harbortest-ops -spec ../swagger.yaml -out operations.go

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// operation is one operation of swagger.yaml (operations.go).
type operation struct{ id, method, path string }

// handlers maps each served operationId to its handler (alphabetical, case-insensitive).
func (s *Server) handlers() map[string]handler {
	m := map[string]handler{
		"actionGetJobLog":                  s.getJobLog,
		"actionPendingJobs":                withBody("actionRequest", s.actionPendingJobs),
		"addLabel":                         withBody("label", s.addLabel),
		"addProjectMetadatas":              withOptionalBody("metadata", s.putMetadata("create")),
		"CopyArtifact":                     s.copyArtifact,
		"CreateImmuRule":                   withBody("immutableRule", proj(s, "immutable-tag", "create", s.createImmutableRule)),
		"CreateInstance":                   withBody("instance", sys(s, "preheat-instance", "create", s.createPreheatInstance)),
		"CreateLabel":                      withBody("label", s.createLabel),
		"CreatePolicy":                     withBody("policy", atArg(s.preheatProject, "create", s.createPreheatPolicy)),
		"createProject":                    withBody("project", s.createProject),
		"createProjectMember":              withOptionalBody("projectMember", proj(s, "member", "create", s.createProjectMember)),
		"createRegistry":                   withBody("registry", sys(s, "registry", "create", s.createRegistry)),
		"createReplicationPolicy":          withBody("policy", sys(s, "replication-policy", "create", s.createReplicationPolicy)),
		"createRetention":                  withBody("policy", s.createRetention),
		"CreateRobot":                      withBody("robot", s.createRobot),
		"createScanAllSchedule":            s.setScanAllSchedule(true),
		"createScanner":                    withBody("registration", sys(s, "scanner", "create", s.createScanner)),
		"createTag":                        withBody("tag", s.createTag),
		"createUser":                       withBody("userReq", sys(s, "user", "create", s.createUser)),
		"createUserGroup":                  withOptionalBody("usergroup", sys(s, "user-group", "create", s.createUserGroup)),
		"CreateWebhookPolicyOfProject":     withBody("policy", proj(s, "notification-policy", "create", s.createWebhookPolicy)),
		"deleteArtifact":                   s.deleteArtifact,
		"DeleteImmuRule":                   s.deleteImmutableRule,
		"DeleteInstance":                   at(s.instanceAt, "delete", s.deletePreheatInstance),
		"DeleteLabel":                      at(s.labelFromPath, "delete", s.deleteLabel),
		"DeletePolicy":                     at(s.preheatPolicy, "delete", s.deletePreheatPolicy),
		"deleteProject":                    s.inProject("project", "delete", s.deleteProject),
		"deleteProjectMember":              at(s.memberAt, "delete", s.deleteProjectMember),
		"deleteProjectMetadata":            s.inProject("metadata", "delete", s.deleteProjectMetadata),
		"deleteRegistry":                   at(s.registryFromPath, "delete", s.deleteRegistry),
		"deleteReplicationPolicy":          at(s.policyFromPath, "delete", s.deleteReplicationPolicy),
		"deleteRepository":                 at(s.repositoryAt, "delete", s.deleteRepository),
		"deleteRetention":                  at(s.retentionAt, "delete", s.deleteRetention),
		"DeleteRobot":                      at(s.robotAccess, "delete", s.deleteRobot),
		"deleteScanner":                    at(s.scannerAt("scanner"), "delete", s.deleteScanner),
		"deleteTag":                        s.deleteTag,
		"deleteUser":                       s.deleteUser,
		"deleteUserGroup":                  at(s.groupAt, "delete", s.deleteUserGroup),
		"DeleteWebhookPolicyOfProject":     at(s.webhookFromPath, "delete", s.deleteWebhookPolicy),
		"downloadScanData":                 s.downloadScanData,
		"exportScanData":                   withBody("criteria", s.exportScanData),
		"getAddition":                      s.getAddition,
		"getArtifact":                      s.getArtifact,
		"getCert":                          s.getCert,
		"getConfigurations":                s.system("configuration", "read", s.getConfigurations),
		"getCurrentUserInfo":               s.currentUser,
		"getCurrentUserPermissions":        signedIn(s.currentUserPermissions),
		"GetExecution":                     s.getPreheatExecution,
		"getHealth":                        s.health,
		"getIcon":                          s.getIcon,
		"GetInstance":                      s.getPreheatInstance,
		"getInternalconfig":                s.getInternalConfig,
		"GetLabelByID":                     s.getLabel,
		"getLatestScanAllMetrics":          s.scanAll("read", s.getScanAllMetrics),
		"getLatestScheduledScanAllMetrics": s.scanAll("read", s.getScheduledScanAllMetrics),
		"getLogExts":                       withList(s.projectLogExts),
		"getLogs":                          withList(s.projectLogs),
		"GetLogsOfWebhookTask":             at(s.webhookExecution, "read", s.getWebhookTaskLog),
		"getPermissions":                   s.permissions,
		"getPing":                          s.ping,
		"GetPolicy":                        s.getPreheatPolicy,
		"GetPreheatLog":                    at(s.preheatExecution, "read", s.getPreheatLog),
		"getProject":                       s.inProject("project", "read", s.getProject),
		"getProjectDeletable":              s.inProject("project", "delete", s.projectDeletable),
		"getProjectMember":                 at(s.memberAt, "read", s.getProjectMember),
		"getProjectMetadata":               s.inProject("metadata", "read", s.getProjectMetadata),
		"getProjectSummary":                s.inProject("project", "read", s.projectSummary),
		"getQuota":                         s.getQuota,
		"getRegistry":                      s.getRegistry,
		"getRegistryInfo":                  at(s.registryFromPath, "read", s.getRegistryInfo),
		"getRentenitionMetadata":           signedIn(s.getRetentionMetadatas),
		"getReplicationExecution":          s.getReplicationExecution,
		"getReplicationLog":                at(s.executionFromPath, "read", s.getReplicationLog),
		"getReplicationPolicy":             s.getReplicationPolicy,
		"getReportLog":                     s.getReportLog,
		"getRepository":                    at(s.repositoryAt, "read", s.getRepository),
		"getRetention":                     s.getRetention,
		"getRetentionTaskLog":              at(s.retentionExecution, "read", s.getRetentionTaskLog),
		"GetRobotByID":                     at(s.robotAccess, "read", s.getRobot),
		"getScanAllSchedule":               s.scanAll("read", s.getScanAllSchedule),
		"getScanDataExportExecution":       s.getScanExport,
		"getScanDataExportExecutionList":   signedIn(s.listScanExports),
		"getScanner":                       at(s.scannerAt("scanner"), "read", s.getScanner),
		"getScannerMetadata":               at(s.scannerAt("registration"), "read", s.getScannerMetadata),
		"getScannerOfProject":              s.inProject("scanner", "read", s.getProjectScanner),
		"getSchedulePaused":                signedIn(s.getSchedulePaused),
		"getSecuritySummary":               s.system("security-hub", "read", s.securitySummary),
		"getStatistic":                     signedIn(s.statistics),
		"GetSupportedEventTypes":           s.inProject("notification-policy", "read", s.webhookEvents),
		"getSystemCVEAllowlist":            signedIn(s.getSystemAllowlist),
		"getSystemInfo":                    s.systemInfo,
		"getUser":                          s.getUser,
		"getUserGroup":                     at(s.groupAt, "read", s.getUserGroup),
		"getVolumes":                       s.volumes,
		"getVulnerabilitiesAddition":       s.getVulnerabilitiesAddition,
		"GetWebhookPolicyOfProject":        s.getWebhookPolicy,
		"getWorkerPools":                   s.system("jobservice-monitor", "list", s.getWorkerPools),
		"getWorkers":                       s.system("jobservice-monitor", "list", s.getWorkers),
		"headProject":                      s.headProject,
		"importLdapUser":                   withBody("uidList", sys(s, "ldap-user", "create", importLdapUser)),
		"LastTrigger":                      s.inProject("notification-policy", "read", s.webhookLastTrigger),
		"listAccessories":                  withList(s.listAccessories),
		"listAllRepositories":              withList(s.listAllRepositories),
		"listArtifacts":                    withList(s.listArtifacts),
		"listAuditLogEventTypes":           s.system("audit-log", "list", s.listAuditLogEventTypes),
		"listAuditLogExts":                 withList(s.listAuditLogExts),
		"listAuditLogs":                    withList(s.listAuditLogs),
		"ListExecutions":                   withList(s.listPreheatExecutions),
		"ListExecutionsOfWebhookPolicy":    withList(s.listWebhookExecutions),
		"ListImmuRules":                    withPage(proj(s, "immutable-tag", "list", s.listImmutableRules)),
		"ListInstances":                    withList(s.listPreheatInstances),
		"listJobQueues":                    s.listJobQueues,
		"ListLabels":                       withPage(s.listLabels),
		"ListPolicies":                     withList(s.listPreheatPolicies),
		"listProjectMembers":               withPage(proj(s, "member", "list", s.listProjectMembers)),
		"listProjectMetadatas":             s.inProject("metadata", "list", s.listProjectMetadatas),
		"listProjects":                     withList(s.listProjects),
		"ListProviders":                    s.listPreheatProviders,
		"ListProvidersUnderProject":        at(s.preheatProject, "read", s.listProjectPreheatProviders),
		"listQuotas":                       withList(s.listQuotas),
		"listRegistries":                   withPage(sys(s, "registry", "list", s.listRegistries)),
		"listRegistryProviderInfos":        s.listRegistryAdapterInfos,
		"listRegistryProviderTypes":        s.listRegistryAdapters,
		"listReplicationExecutions":        withPage(s.listReplicationExecutions),
		"listReplicationPolicies":          withPage(sys(s, "replication-policy", "list", s.listReplicationPolicies)),
		"listReplicationTasks":             withPage(atArg(s.executionFromPath, "list", s.listReplicationTasks)),
		"listRepositories":                 withList(s.listRepositories),
		"listRetentionExecutions":          withPage(atArg(s.retentionAt, "list", s.listRetentionExecutions)),
		"listRetentionTasks":               withPage(atArg(s.retentionExecution, "list", s.listRetentionTasks)),
		"ListRobot":                        withList(s.listRobots),
		"listScannerCandidatesOfProject":   withPage(proj(s, "scanner", "create", s.listProjectScannerCandidates)),
		"listScanners":                     withPage(sys(s, "scanner", "list", s.listScanners)),
		"listSchedules":                    withPage(sys(s, "jobservice-monitor", "list", s.listSchedules)),
		"listTags":                         withList(s.listTags),
		"ListTasks":                        withList(s.listPreheatTasks),
		"ListTasksOfWebhookExecution":      withPage(atArg(s.webhookExecution, "list", s.listWebhookTasks)),
		"listUserGroups":                   withPage(s.listUserGroups),
		"listUsers":                        withList(s.listUsers),
		"ListVulnerabilities":              withPage(sys(s, "security-hub", "list", s.listVulnerabilities)),
		"ListWebhookJobs":                  withPage(s.listWebhookJobs),
		"ListWebhookPoliciesOfProject":     withPage(proj(s, "notification-policy", "list", s.listWebhookPolicies)),
		"ManualPreheat":                    withBody("policy", atArg(s.preheatPolicy, "read", s.manualPreheat)),
		"operateRetentionExecution":        withBody("body", s.operateRetentionExecution),
		"PingInstances":                    withBody("instance", sys(s, "preheat-instance", "read", s.pingPreheatInstance)),
		"pingLdap":                         withOptionalBody("ldapconf", sys(s, "configuration", "read", s.pingLdap)),
		"pingOIDC":                         withBody("endpoint", sys(s, "configuration", "update", s.pingOIDC)),
		"pingRegistry":                     withBody("registry", sys(s, "registry", "read", s.pingRegistry)),
		"pingScanner":                      withBody("settings", sys(s, "scanner", "read", s.pingScanner)),
		"putSystemCVEAllowlist":            withOptionalBody("allowlist", sys(s, "configuration", "update", s.putSystemAllowlist)),
		"RefreshSec":                       withBody("robotSec", atArg(s.robotAccess, "update", s.refreshRobotSecret)),
		"removeLabel":                      s.removeLabel,
		"scanArtifact":                     withOptionalBody("scanType", s.scanArtifact),
		"search":                           s.search,
		"searchLdapGroup":                  s.system("ldap-user", "list", noLdap),
		"searchLdapUser":                   s.system("ldap-user", "list", noLdap),
		"searchUserGroups":                 withPage(s.searchUserGroups),
		"searchUsers":                      withPage(s.searchUsers),
		"setCliSecret":                     withBody("secret", s.setCliSecret),
		"setScannerAsDefault":              withBody("payload", s.setScannerAsDefault),
		"setScannerOfProject":              withBody("payload", proj(s, "scanner", "create", s.setProjectScanner)),
		"setUserSysAdmin":                  withBody("sysadminFlag", s.setUserSysAdmin),
		"startReplication":                 withBody("execution", sys(s, "replication", "create", s.startReplication)),
		"StopExecution":                    withBody("execution", atArg(s.preheatExecution, "update", s.stopPreheatExecution)),
		"stopReplication":                  s.stopReplication,
		"stopRunningJob":                   s.stopRunningJob,
		"stopScanAll":                      s.scanAll("stop", s.stopScanAll),
		"stopScanArtifact":                 withBody("scanType", s.stopScanArtifact),
		"triggerRetentionExecution":        withBody("body", atArg(s.retentionAt, "update", s.triggerRetention)),
		"updateConfigurations":             s.updateConfigurations,
		"UpdateImmuRule":                   withBody("immutableRule", s.updateImmutableRule),
		"UpdateInstance":                   withBody("instance", sys(s, "preheat-instance", "update", s.updatePreheatInstance)),
		"UpdateLabel":                      withBody("label", atArg(s.labelFromPath, "update", s.updateLabel)),
		"UpdatePolicy":                     withBody("policy", atArg(s.preheatProject, "update", s.updatePreheatPolicy)),
		"updateProject":                    withBody("project", proj(s, "project", "update", s.updateProject)),
		"updateProjectMember":              withOptionalBody("role", atArg(s.memberAt, "update", s.updateProjectMember)),
		"updateProjectMetadata":            withOptionalBody("metadata", s.putMetadata("update")),
		"updateQuota":                      withBody("hard", sys(s, "quota", "update", s.updateQuota)),
		"updateRegistry":                   withBody("registry", atArg(s.registryFromPath, "update", s.updateRegistry)),
		"updateReplicationPolicy":          withBody("policy", atArg(s.policyFromPath, "update", s.updateReplicationPolicy)),
		"updateRepository":                 withBody("repository", atArg(s.repositoryAt, "update", s.updateRepository)),
		"updateRetention":                  withBody("policy", s.updateRetention),
		"UpdateRobot":                      withBody("robot", s.updateRobot),
		"updateScanAllSchedule":            s.setScanAllSchedule(false),
		"updateScanner":                    withBody("registration", atArg(s.scannerAt("scanner"), "update", s.updateScanner)),
		"updateUserGroup":                  withOptionalBody("usergroup", sys(s, "user-group", "update", s.updateUserGroup)),
		"updateUserPassword":               withBody("password", s.updateUserPassword),
		"updateUserProfile":                withBody("profile", s.updateUserProfile),
		"UpdateWebhookPolicyOfProject":     withBody("policy", atArg(s.webhookFromPath, "update", s.updateWebhookPolicy)),
	}
	s.jobHandlers(m, &gcJob, "/system/gc", "gc_id", "getGCHistory", "getGC", "stopGC", "getGCLog",
		"getGCSchedule", "createGCSchedule", "updateGCSchedule")
	s.jobHandlers(m, &purgeJob, "/system/purgeaudit", "purge_id", "getPurgeHistory", "getPurgeJob",
		"stopPurge", "getPurgeJobLog", "getPurgeSchedule", "createPurgeSchedule", "updatePurgeSchedule")
	return m
}

// pathParam returns path parameter name unescaped once more, as Harbor does ("team%252Fapp" is "team/app").
func pathParam(r *request, name string) string {
	v := r.PathValue(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// muxPatterns turns a swagger path into ServeMux patterns; ".../metadatas/" matches with or without "/".
func muxPatterns(method, path string) []string {
	p := method + " " + apiPrefix + path
	if strings.HasSuffix(path, "/") {
		return []string{p + "{$}", strings.TrimSuffix(p, "/")}
	}
	return []string{p}
}

// methodOrder orders a 405's methods as recorded ("[DELETE,PUT,GET]"; Harbor's order varies).
var methodOrder = map[string]int{"DELETE": 0, "PUT": 1, "PATCH": 2, "POST": 3, "HEAD": 4, "GET": 5}

// newMux routes every operation (501 if not served), Harbor's 405 and 404 for other requests, and /c/.
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	hs := s.handlers()
	allowed := map[string][]string{} // path template -> methods
	for _, op := range operations {
		allowed[op.path] = append(allowed[op.path], op.method)
		h := notImplemented(op)
		if hh := hs[op.id]; hh != nil {
			h = s.adapt(hh)
			delete(hs, op.id)
		}
		for _, p := range muxPatterns(op.method, op.path) {
			mux.Handle(p, h)
		}
	}
	refuseIf(len(hs) > 0, "handlers %v are not operations of swagger.yaml", slices.Sorted(maps.Keys(hs)))
	other := http.NewServeMux()
	for path, methods := range allowed {
		slices.SortFunc(methods, func(a, b string) int { return methodOrder[a] - methodOrder[b] })
		for _, p := range muxPatterns("", path) {
			other.Handle(strings.TrimSpace(p), methodNotAllowed(methods))
		}
	}
	other.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p, _ := r.Context().Value(linkPathKey{}).(string) // as sent, before its slash was cut
		if p = cmp.Or(p, r.URL.EscapedPath()); strings.HasPrefix(p, apiPrefix) {
			writeError(w, errNotFound("path "+p+" was not found")) // go-swagger's router (b469, b472)
			return
		}
		writeError(w, errNotFound("resource not found: "+r.URL.Path))
	})
	mux.Handle("/", other)
	mux.HandleFunc("/c/login", s.login)
	mux.HandleFunc("/c/log_out", s.logout)
	return mux
}

// notImplemented answers 501 for an operation not served, never a Harbor-like 404.
func notImplemented(op operation) http.HandlerFunc {
	msg := "harbortest does not implement " + op.id + " (" + op.method + " " + op.path + ")"
	return func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, errStatus(http.StatusNotImplemented, msg))
	}
}

// methodNotAllowed answers Harbor's 405.
func methodNotAllowed(methods []string) http.HandlerFunc {
	list := "[" + strings.Join(methods, ",") + "]"
	return func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errStatus(http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed, but "+list+" are"))
	}
}
