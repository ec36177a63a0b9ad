package interop_test

import (
	"io"
	"strconv"
	"testing"

	"github.com/go-openapi/strfmt"
	v2client "github.com/goharbor/go-client/pkg/sdk/v2.0/client"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/auditlog"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/configure"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/gc"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/immutable"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/project_metadata"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/purge"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/registry"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/replication"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/retention"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/robot"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/scanner"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/search"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/statistic"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/system_cve_allowlist"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/systeminfo"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/user"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/usergroup"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/webhook"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/models"
)

// The resource groups below (project metadata, user groups, replication,
// immutable tag rules, retention, webhooks, scanners, the system CVE
// allowlist and GC) are driven the same way as the ones in
// goclient_test.go: the recordings' names and bodies, one call per
// recording, the answer compared with what Harbor v2.15.2 sent.

func TestProjectMetadata(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	pid := h.srv.AddProject("capart1", false)
	md := func() *project_metadata.AddProjectMetadatasParams {
		return project_metadata.NewAddProjectMetadatasParams().WithProjectNameOrID("capart1")
	}
	h.call(t, expect{capture: "set2/b074_list_project_metadatas", same: []string{""}}, func() error {
		res, err := a.ProjectMetadata.ListProjectMetadatas(ctx, project_metadata.NewListProjectMetadatasParams().WithProjectNameOrID("capart1"))
		if err == nil && res.Payload["public"] != "false" {
			t.Errorf("go-client decoded metadata %v", res.Payload)
		}
		return err
	})
	for capture, m := range map[string]map[string]string{
		"set2/b075_add_project_metadata":             {"auto_scan": "true", "severity": "high"},
		"set2/b076_add_project_metadata_unknown_key": {"foo": "bar"},
		"set2/b077_add_project_metadata_bad_value":   {"prevent_vul": "maybe"},
	} {
		h.call(t, expect{capture: capture}, func() error {
			_, err := a.ProjectMetadata.AddProjectMetadatas(ctx, md().WithMetadata(m))
			return err
		})
	}
	h.call(t, expect{capture: "set2/b078_add_project_metadata_existing"}, func() error {
		_, err := a.ProjectMetadata.AddProjectMetadatas(ctx, md().WithMetadata(map[string]string{"auto_scan": "false"}))
		return err
	})
	h.call(t, expect{capture: "set2/b079_get_project_metadata", same: []string{""}}, func() error {
		_, err := a.ProjectMetadata.GetProjectMetadata(ctx, project_metadata.NewGetProjectMetadataParams().
			WithProjectNameOrID("capart1").WithMetaName("auto_scan"))
		return err
	})
	h.call(t, expect{capture: "set2/b080_get_project_metadata_missing", same: []string{""}}, func() error {
		_, err := a.ProjectMetadata.GetProjectMetadata(ctx, project_metadata.NewGetProjectMetadataParams().
			WithProjectNameOrID("capart1").WithMetaName("prevent_vul"))
		return err
	})
	update := func(name string, m map[string]string) error {
		_, err := a.ProjectMetadata.UpdateProjectMetadata(ctx, project_metadata.NewUpdateProjectMetadataParams().
			WithProjectNameOrID("capart1").WithMetaName(name).WithMetadata(m))
		return err
	}
	h.call(t, expect{capture: "set2/b081_update_project_metadata"}, func() error {
		return update("auto_scan", map[string]string{"auto_scan": "false"})
	})
	h.call(t, expect{capture: "set2/b082_update_project_metadata_name_mismatch"}, func() error {
		return update("auto_scan", map[string]string{"severity": "low"})
	})
	h.call(t, expect{capture: "set2/b083_list_project_metadatas_after_update", same: []string{""}}, func() error {
		_, err := a.ProjectMetadata.ListProjectMetadatas(ctx, project_metadata.NewListProjectMetadatasParams().WithProjectNameOrID("capart1"))
		return err
	})
	del := func(name string) error {
		_, err := a.ProjectMetadata.DeleteProjectMetadata(ctx, project_metadata.NewDeleteProjectMetadataParams().
			WithProjectNameOrID("capart1").WithMetaName(name))
		return err
	}
	h.call(t, expect{capture: "set2/b084_delete_project_metadata"}, func() error { return del("severity") })
	h.call(t, expect{capture: "set2/b085_delete_project_metadata_missing"}, func() error { return del("severity") })
	h.call(t, expect{capture: "set2/b086_delete_project_metadata_public"}, func() error { return del("public") })
	h.call(t, expect{capture: "set2/b087_list_project_metadatas_by_id", same: []string{""}}, func() error {
		_, err := a.ProjectMetadata.ListProjectMetadatas(ctx, project_metadata.NewListProjectMetadatasParams().
			WithProjectNameOrID(strconv.FormatInt(pid, 10)))
		return err
	})
	for capture, m := range map[string]map[string]string{
		"set2/b112_add_project_metadata_public_back": {"public": "false"},
		"set2/b113_add_project_metadata_severity":    {"severity": "high"},
		"set2/b114_add_project_metadata_prevent_vul": {"prevent_vul": "true"},
	} {
		h.call(t, expect{capture: capture}, func() error {
			_, err := a.ProjectMetadata.AddProjectMetadatas(ctx, md().WithMetadata(m))
			return err
		})
	}
	h.call(t, expect{capture: "set2/b115_list_project_metadatas_final", same: []string{""}}, func() error {
		_, err := a.ProjectMetadata.ListProjectMetadatas(ctx, project_metadata.NewListProjectMetadatasParams().WithProjectNameOrID("capart1"))
		return err
	})
	h.call(t, expect{capture: "set2/b116_update_project_metadata_prevent_vul_off"}, func() error {
		return update("prevent_vul", map[string]string{"prevent_vul": "false"})
	})
}

func TestUserGroups(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	create := func(name string, typ int64) (int64, error) {
		_, err := a.Usergroup.CreateUserGroup(ctx, usergroup.NewCreateUserGroupParams().
			WithUsergroup(&models.UserGroup{GroupName: name, GroupType: typ}))
		if err != nil {
			return 0, err
		}
		return h.createdID(t), nil
	}
	var httpGroup int64
	h.call(t, expect{capture: "set2/b040_create_usergroup_ldap_type"}, func() error {
		_, err := a.Usergroup.CreateUserGroup(ctx, usergroup.NewCreateUserGroupParams().WithUsergroup(&models.UserGroup{
			GroupName: "capgroup-ldap", GroupType: 1, LdapGroupDn: "cn=capgroup,ou=groups,dc=example,dc=com"}))
		return err
	})
	h.call(t, expect{capture: "set2/b041_create_usergroup_http_type"}, func() (err error) {
		httpGroup, err = create("capgroup-http", 2)
		return err
	})
	h.call(t, expect{capture: "set2/b042_create_usergroup_oidc_type"}, func() error { _, err := create("capgroup-oidc", 3); return err })
	h.call(t, expect{capture: "set2/b043_create_usergroup_bad_type"}, func() error { _, err := create("capgroup-bad", 9); return err })
	h.call(t, expect{capture: "set2/b044_search_usergroups", fields: []string{"0.id", "0.group_name", "0.group_type"},
		same: []string{"0.group_name", "0.group_type", "1.group_name", "2.group_name"}}, func() error {
		res, err := a.Usergroup.SearchUserGroups(ctx, usergroup.NewSearchUserGroupsParams().WithGroupname("capgroup"))
		if err == nil && len(res.Payload) != 3 {
			t.Errorf("go-client decoded %d groups, want 3", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/b045_get_usergroup_not_found"}, func() error {
		_, err := a.Usergroup.GetUserGroup(ctx, usergroup.NewGetUserGroupParams().WithGroupID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b046_get_usergroup", same: []string{""}}, func() error {
		_, err := a.Usergroup.GetUserGroup(ctx, usergroup.NewGetUserGroupParams().WithGroupID(httpGroup))
		return err
	})
	h.call(t, expect{capture: "set2/b047_update_usergroup"}, func() error {
		_, err := a.Usergroup.UpdateUserGroup(ctx, usergroup.NewUpdateUserGroupParams().WithGroupID(httpGroup).
			WithUsergroup(&models.UserGroup{GroupName: "capgroup-http-renamed", GroupType: 2}))
		return err
	})
	h.call(t, expect{capture: "set2/b048_get_usergroup_after_update", same: []string{""}}, func() error {
		res, err := a.Usergroup.GetUserGroup(ctx, usergroup.NewGetUserGroupParams().WithGroupID(httpGroup))
		if err == nil && res.Payload.GroupName != "capgroup-http-renamed" {
			t.Errorf("go-client decoded group %q", res.Payload.GroupName)
		}
		return err
	})
}

// harborRegistry registers harbortest itself as a remote registry reached
// as localhost (as b167 did with the recorded Harbor) and returns its id.
func (h *harness) harborRegistry(t *testing.T) int64 {
	t.Helper()
	_, err := h.admin.Registry.CreateRegistry(ctx, registry.NewCreateRegistryParams().WithRegistry(&models.Registry{
		Name: "cap-harbor-self", Type: "harbor", URL: localhostURL(t, h.srv.URL), Insecure: true,
		Credential: &models.RegistryCredential{Type: "basic", AccessKey: "admin", AccessSecret: "Harbor12345"}}))
	if err != nil {
		t.Fatalf("registering a remote registry: %v", err)
	}
	return h.createdID(t)
}

// replicationPolicy is the body of b184 with the destination registry dest.
func replicationPolicy(name string, dest int64) *models.ReplicationPolicy {
	return &models.ReplicationPolicy{Name: name, Description: "push capart1/multi to this harbor's capart2",
		DestRegistry: &models.Registry{ID: dest}, DestNamespace: "capart2", DestNamespaceReplaceCount: ptr(int8(1)),
		Filters: []*models.ReplicationFilter{{Type: "name", Value: "capart1/multi"}, {Type: "tag", Value: "v1"}},
		Trigger: &models.ReplicationTrigger{Type: "manual", TriggerSettings: &models.ReplicationTriggerSettings{}},
		Enabled: true, Override: true, Speed: ptr(int32(-1)), CopyByChunk: ptr(false)}
}

func TestReplication(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	h.srv.AddProject("capart2", true)
	h.call(t, expect{capture: "set2/b146_list_replication_policies_empty", same: []string{""}}, func() error {
		_, err := a.Replication.ListReplicationPolicies(ctx, replication.NewListReplicationPoliciesParams().WithName(ptr("cap-")))
		return err
	})
	h.call(t, expect{capture: "set2/b149_create_replication_policy_no_registry"}, func() error {
		_, err := a.Replication.CreateReplicationPolicy(ctx, replication.NewCreateReplicationPolicyParams().WithPolicy(
			&models.ReplicationPolicy{Name: "cap-repl-bad", Trigger: &models.ReplicationTrigger{Type: "manual"}, Enabled: true}))
		return err
	})
	h.call(t, expect{capture: "set2/b160_start_replication_execution_missing_policy"}, func() error {
		_, err := a.Replication.StartReplication(ctx, replication.NewStartReplicationParams().
			WithExecution(&models.StartReplicationExecution{PolicyID: 999999}))
		return err
	})
	h.call(t, expect{capture: "set2/b163_list_replication_executions_all", same: []string{""}}, func() error {
		_, err := a.Replication.ListReplicationExecutions(ctx, replication.NewListReplicationExecutionsParams().WithPageSize(ptr(int64(5))))
		return err
	})
	h.call(t, expect{capture: "set2/b165_get_replication_execution_not_found"}, func() error {
		_, err := a.Replication.GetReplicationExecution(ctx, replication.NewGetReplicationExecutionParams().WithID(999999))
		return err
	})
	dest := h.harborRegistry(t)
	count(t, func(g *tally) { g.made++ })
	var pid int64
	h.call(t, expect{capture: "set2/b184_create_replication_policy"}, func() error {
		_, err := a.Replication.CreateReplicationPolicy(ctx, replication.NewCreateReplicationPolicyParams().
			WithPolicy(replicationPolicy("cap-repl", dest)))
		if err == nil {
			pid = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b185_create_replication_policy_duplicate"}, func() error {
		_, err := a.Replication.CreateReplicationPolicy(ctx, replication.NewCreateReplicationPolicyParams().WithPolicy(
			&models.ReplicationPolicy{Name: "cap-repl", DestRegistry: &models.Registry{ID: dest},
				Trigger: &models.ReplicationTrigger{Type: "manual"}, Enabled: true}))
		return err
	})
	h.call(t, expect{capture: "set2/b187_create_replication_policy_bad_cron"}, func() error {
		_, err := a.Replication.CreateReplicationPolicy(ctx, replication.NewCreateReplicationPolicyParams().WithPolicy(
			&models.ReplicationPolicy{Name: "cap-repl-cron", DestRegistry: &models.Registry{ID: dest}, Enabled: true,
				Trigger: &models.ReplicationTrigger{Type: "scheduled",
					TriggerSettings: &models.ReplicationTriggerSettings{Cron: "every minute"}}}))
		return err
	})
	h.call(t, expect{capture: "set2/b188_create_replication_policy_unknown_registry"}, func() error {
		_, err := a.Replication.CreateReplicationPolicy(ctx, replication.NewCreateReplicationPolicyParams().WithPolicy(
			&models.ReplicationPolicy{Name: "cap-repl-unk", DestRegistry: &models.Registry{ID: 999999},
				Trigger: &models.ReplicationTrigger{Type: "manual"}, Enabled: true}))
		return err
	})
	policyFields := []string{"id", "name", "description", "dest_namespace", "dest_namespace_replace_count", "dest_registry",
		"dest_registry.name", "filters", "trigger", "trigger.type", "enabled", "override", "speed", "copy_by_chunk", "src_registry",
		"single_active_replication", "creation_time", "update_time"}
	h.call(t, expect{capture: "set2/b189_list_replication_policies", fields: prefixed("0.", policyFields),
		same: []string{"0.name", "0.description", "0.dest_namespace", "0.filters", "0.trigger", "0.enabled", "0.override"}},
		func() error {
			res, err := a.Replication.ListReplicationPolicies(ctx, replication.NewListReplicationPoliciesParams().
				WithPage(ptr(int64(1))).WithPageSize(ptr(int64(10))).WithName(ptr("cap-")))
			if err == nil && len(res.Payload) != 1 {
				t.Errorf("go-client decoded %d policies, want 1", len(res.Payload))
			}
			return err
		})
	h.call(t, expect{capture: "set2/b191_get_replication_policy", fields: policyFields,
		same: []string{"name", "description", "dest_namespace", "filters", "trigger", "enabled", "override", "speed"}},
		func() error {
			_, err := a.Replication.GetReplicationPolicy(ctx, replication.NewGetReplicationPolicyParams().WithID(pid))
			return err
		})
	h.call(t, expect{capture: "set2/b192_update_replication_policy"}, func() error {
		p := replicationPolicy("cap-repl", dest)
		p.Description, p.Filters = "updated", p.Filters[:1]
		_, err := a.Replication.UpdateReplicationPolicy(ctx, replication.NewUpdateReplicationPolicyParams().WithID(pid).WithPolicy(p))
		return err
	})
	h.call(t, expect{capture: "set2/b193_update_replication_policy_not_found"}, func() error {
		_, err := a.Replication.UpdateReplicationPolicy(ctx, replication.NewUpdateReplicationPolicyParams().WithID(999999).WithPolicy(
			&models.ReplicationPolicy{Name: "x", DestRegistry: &models.Registry{ID: dest}, Trigger: &models.ReplicationTrigger{Type: "manual"}}))
		return err
	})
	h.call(t, expect{capture: "set2/b194_get_replication_policy_after_update", fields: policyFields,
		same: []string{"name", "description", "filters"}}, func() error {
		_, err := a.Replication.GetReplicationPolicy(ctx, replication.NewGetReplicationPolicyParams().WithID(pid))
		return err
	})
	var eid int64
	h.call(t, expect{capture: "set2/b195_start_replication_execution"}, func() error {
		_, err := a.Replication.StartReplication(ctx, replication.NewStartReplicationParams().
			WithExecution(&models.StartReplicationExecution{PolicyID: pid}))
		if err == nil {
			eid = h.createdID(t)
		}
		return err
	})
	executionFields := []string{"id", "policy_id", "status", "status_text", "trigger", "start_time", "end_time",
		"total", "failed", "succeed", "in_progress", "stopped"}
	h.call(t, expect{capture: "set2/b198_get_replication_execution", fields: executionFields, same: []string{"trigger"}},
		func() error {
			_, err := a.Replication.GetReplicationExecution(ctx, replication.NewGetReplicationExecutionParams().WithID(eid))
			return err
		})
	h.call(t, expect{capture: "set2/b197_list_replication_executions", fields: prefixed("0.", executionFields)}, func() error {
		_, err := a.Replication.ListReplicationExecutions(ctx, replication.NewListReplicationExecutionsParams().WithPolicyID(&pid))
		return err
	})
	h.call(t, expect{capture: "set2/b199_list_replication_tasks",
		fields: []string{"0.id", "0.execution_id", "0.status", "0.operation", "0.resource_type", "0.src_resource", "0.dst_resource",
			"0.job_id", "0.start_time", "0.end_time"}}, func() error {
		_, err := a.Replication.ListReplicationTasks(ctx, replication.NewListReplicationTasksParams().WithID(eid))
		return err
	})
	h.call(t, expect{capture: "set2/b201_get_replication_task_log_not_found"}, func() error {
		_, err := a.Replication.GetReplicationLog(ctx, replication.NewGetReplicationLogParams().WithID(eid).WithTaskID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b202_stop_replication_execution_finished"}, func() error {
		_, err := a.Replication.StopReplication(ctx, replication.NewStopReplicationParams().WithID(eid))
		return err
	})
	h.call(t, expect{capture: "set2/b205_delete_registry_used_by_policy"}, func() error {
		_, err := a.Registry.DeleteRegistry(ctx, registry.NewDeleteRegistryParams().WithID(dest))
		return err
	})
	h.call(t, expect{capture: "set2/b206_delete_replication_policy"}, func() error {
		_, err := a.Replication.DeleteReplicationPolicy(ctx, replication.NewDeleteReplicationPolicyParams().WithID(pid))
		return err
	})
	h.call(t, expect{capture: "set2/b207_delete_replication_policy_again"}, func() error {
		_, err := a.Replication.DeleteReplicationPolicy(ctx, replication.NewDeleteReplicationPolicyParams().WithID(pid))
		return err
	})
}

// immutableRule is the body of b244 with disabled set as given.
func immutableRule(disabled bool) *models.ImmutableRule {
	return &models.ImmutableRule{Disabled: disabled, Action: "immutable", Template: "immutable_template",
		TagSelectors: []*models.ImmutableSelector{{Kind: "doublestar", Decoration: "matches", Pattern: "1.0*"}},
		ScopeSelectors: map[string][]models.ImmutableSelector{
			"repository": {{Kind: "doublestar", Decoration: "repoMatches", Pattern: "team/**"}}}}
}

func TestImmutableRules(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	list := func() error {
		_, err := a.Immutable.ListImmuRules(ctx, immutable.NewListImmuRulesParams().WithProjectNameOrID("capart1"))
		return err
	}
	create := func(project string, r *models.ImmutableRule) error {
		_, err := a.Immutable.CreateImmuRule(ctx, immutable.NewCreateImmuRuleParams().WithProjectNameOrID(project).WithImmutableRule(r))
		return err
	}
	h.call(t, expect{capture: "set2/b243_list_immutable_rules_empty", same: []string{""}}, list)
	var rid int64
	h.call(t, expect{capture: "set2/b244_create_immutable_rule"}, func() error {
		err := create("capart1", immutableRule(false))
		if err == nil {
			rid = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b245_create_immutable_rule_duplicate"}, func() error { return create("capart1", immutableRule(false)) })
	h.call(t, expect{capture: "set2/b248_create_immutable_rule_project_missing"}, func() error { return create("nosuchproj", immutableRule(false)) })
	h.call(t, expect{capture: "set2/b249_list_immutable_rules",
		fields: []string{"0.id", "0.action", "0.template", "0.tag_selectors", "0.scope_selectors"},
		same:   []string{"0.action", "0.template", "0.tag_selectors", "0.scope_selectors"}}, list)
	update := func(id int64, r *models.ImmutableRule) error {
		_, err := a.Immutable.UpdateImmuRule(ctx, immutable.NewUpdateImmuRuleParams().WithProjectNameOrID("capart1").
			WithImmutableRuleID(id).WithImmutableRule(r))
		return err
	}
	h.call(t, expect{capture: "set2/b256_update_immutable_rule_disable"}, func() error {
		r := immutableRule(true)
		r.ID = rid
		return update(rid, r)
	})
	h.call(t, expect{capture: "set2/b258_update_immutable_rule_not_found"}, func() error {
		r := immutableRule(false)
		r.ID = 999999
		return update(999999, r)
	})
	del := func() error {
		_, err := a.Immutable.DeleteImmuRule(ctx, immutable.NewDeleteImmuRuleParams().WithProjectNameOrID("capart1").WithImmutableRuleID(rid))
		return err
	}
	h.call(t, expect{capture: "set2/b259_delete_immutable_rule"}, del)
	h.call(t, expect{capture: "set2/b260_delete_immutable_rule_again"}, del)
}

// retentionPolicy is the body of b263 for project pid, keeping the k most
// recently pushed artifacts.
func retentionPolicy(pid int64, template string, k int64) *models.RetentionPolicy {
	return &models.RetentionPolicy{Algorithm: "or",
		Rules: []*models.RetentionRule{{Action: "retain", Template: template, Params: map[string]any{"latestPushedK": k},
			TagSelectors: []*models.RetentionSelector{{Kind: "doublestar", Decoration: "matches", Pattern: "**"}},
			ScopeSelectors: map[string][]models.RetentionSelector{
				"repository": {{Kind: "doublestar", Decoration: "repoMatches", Pattern: "**"}}}}},
		Trigger: &models.RetentionRuleTrigger{Kind: "Schedule", Settings: map[string]any{"cron": ""}, References: map[string]any{}},
		Scope:   &models.RetentionPolicyScope{Level: "project", Ref: pid}}
}

func TestRetention(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	pid := h.srv.AddProject("capart1", false)
	h.srv.AddRepository("capart1", "team/app")
	h.call(t, expect{capture: "set2/b262_retention_metadatas", fields: []string{"templates", "scope_selectors", "tag_selectors"},
		same: []string{""}}, func() error {
		_, err := a.Retention.GetRentenitionMetadata(ctx, retention.NewGetRentenitionMetadataParams())
		return err
	})
	create := func(p *models.RetentionPolicy) error {
		_, err := a.Retention.CreateRetention(ctx, retention.NewCreateRetentionParams().WithPolicy(p))
		return err
	}
	var rid int64
	h.call(t, expect{capture: "set2/b263_create_retention"}, func() error {
		err := create(retentionPolicy(pid, "latestPushedK", 1))
		if err == nil {
			rid = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b264_create_retention_second_for_same_project"}, func() error {
		return create(retentionPolicy(pid, "latestPushedK", 1))
	})
	h.call(t, expect{capture: "set2/b267_create_retention_project_missing"}, func() error {
		return create(retentionPolicy(999999, "latestPushedK", 1))
	})
	h.call(t, expect{capture: "set2/b268_get_project_shows_retention_id", fields: []string{"retention_id"}}, func() error {
		res, err := a.ProjectMetadata.GetProjectMetadata(ctx, project_metadata.NewGetProjectMetadataParams().
			WithProjectNameOrID("capart1").WithMetaName("retention_id"))
		if err == nil && res.Payload["retention_id"] != strconv.FormatInt(rid, 10) {
			t.Errorf("retention_id %q, want %d", res.Payload["retention_id"], rid)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b269_get_retention", fields: []string{"id", "algorithm", "rules", "trigger", "scope", "scope.ref"},
		same: []string{"algorithm", "rules", "trigger", "scope.level"}}, func() error {
		_, err := a.Retention.GetRetention(ctx, retention.NewGetRetentionParams().WithID(rid))
		return err
	})
	h.call(t, expect{capture: "set2/b270_get_retention_not_found"}, func() error {
		_, err := a.Retention.GetRetention(ctx, retention.NewGetRetentionParams().WithID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b273_update_retention_not_found"}, func() error {
		p := retentionPolicy(pid, "latestPushedK", 3)
		p.ID = 999999
		_, err := a.Retention.UpdateRetention(ctx, retention.NewUpdateRetentionParams().WithID(999999).WithPolicy(p))
		return err
	})
	var eid int64
	h.call(t, expect{capture: "set2/b274_trigger_retention_dry_run"}, func() error {
		_, _, err := a.Retention.TriggerRetentionExecution(ctx, retention.NewTriggerRetentionExecutionParams().WithID(rid).
			WithBody(retention.TriggerRetentionExecutionBody{DryRun: true}))
		if err == nil {
			eid = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b275_list_retention_executions",
		fields: []string{"0.id", "0.policy_id", "0.dry_run", "0.status", "0.trigger", "0.start_time", "0.end_time"},
		same:   []string{"0.dry_run", "0.trigger"}}, func() error {
		_, err := a.Retention.ListRetentionExecutions(ctx, retention.NewListRetentionExecutionsParams().WithID(rid))
		return err
	})
	h.call(t, expect{capture: "set2/b276_list_retention_executions_done",
		fields: []string{"0.id", "0.policy_id", "0.dry_run", "0.status", "0.trigger", "0.start_time", "0.end_time"},
		same:   []string{"0.dry_run", "0.trigger"}}, func() error {
		_, err := a.Retention.ListRetentionExecutions(ctx, retention.NewListRetentionExecutionsParams().WithID(rid).
			WithPage(ptr(int64(1))).WithPageSize(ptr(int64(5))))
		return err
	})
	h.call(t, expect{capture: "set2/b277_list_retention_tasks",
		fields: []string{"0.id", "0.execution_id", "0.repository", "0.job_id", "0.status", "0.status_code", "0.total", "0.retained",
			"0.start_time", "0.end_time"}}, func() error {
		_, err := a.Retention.ListRetentionTasks(ctx, retention.NewListRetentionTasksParams().WithID(rid).WithEid(eid))
		return err
	})
	h.call(t, expect{capture: "set2/b279_get_retention_task_log_not_found"}, func() error {
		_, err := a.Retention.GetRetentionTaskLog(ctx, retention.NewGetRetentionTaskLogParams().WithID(rid).WithEid(eid).WithTid(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b280_stop_retention_execution_finished"}, func() error {
		_, err := a.Retention.OperateRetentionExecution(ctx, retention.NewOperateRetentionExecutionParams().WithID(rid).WithEid(eid).
			WithBody(retention.OperateRetentionExecutionBody{Action: "stop"}))
		return err
	})
	h.call(t, expect{capture: "set2/b281_list_retention_executions_not_found"}, func() error {
		_, err := a.Retention.ListRetentionExecutions(ctx, retention.NewListRetentionExecutionsParams().WithID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b368_delete_retention"}, func() error {
		_, err := a.Retention.DeleteRetention(ctx, retention.NewDeleteRetentionParams().WithID(rid))
		return err
	})
	h.call(t, expect{capture: "set2/b369_delete_retention_again"}, func() error {
		_, err := a.Retention.DeleteRetention(ctx, retention.NewDeleteRetentionParams().WithID(rid))
		return err
	})
}

// webhookPolicy is the body of b285 named name.
func webhookPolicy(name string) *models.WebhookPolicy {
	return &models.WebhookPolicy{Name: name, Description: "rig webhook", Enabled: true,
		EventTypes: []string{"PUSH_ARTIFACT", "DELETE_ARTIFACT", "TAG_RETENTION", "SCANNING_COMPLETED", "SCANNING_FAILED"},
		Targets: []*models.WebhookTargetObject{{Type: "http", Address: "http://127.0.0.1:15998/harbor-hook",
			AuthHeader: "Bearer hooksecret", SkipCertVerify: true, PayloadFormat: "Default"}}}
}

func TestWebhooks(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	h.srv.AddProject("capart2", true)
	h.call(t, expect{capture: "set2/b283_webhook_event_types", same: []string{""}}, func() error {
		_, err := a.Webhook.GetSupportedEventTypes(ctx, webhook.NewGetSupportedEventTypesParams().WithProjectNameOrID("capart1"))
		return err
	})
	list := func(q *string) error {
		_, err := a.Webhook.ListWebhookPoliciesOfProject(ctx, webhook.NewListWebhookPoliciesOfProjectParams().
			WithProjectNameOrID("capart1").WithQ(q))
		return err
	}
	h.call(t, expect{capture: "set2/b284_list_webhook_policies_empty", same: []string{""}}, func() error { return list(nil) })
	create := func(p *models.WebhookPolicy) error {
		_, err := a.Webhook.CreateWebhookPolicyOfProject(ctx, webhook.NewCreateWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithPolicy(p))
		return err
	}
	var hook int64
	h.call(t, expect{capture: "set2/b285_create_webhook_policy"}, func() error {
		err := create(webhookPolicy("cap-hook"))
		if err == nil {
			hook = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b286_create_webhook_policy_cloudevents"}, func() error {
		p := webhookPolicy("cap-hook-ce")
		p.EventTypes = []string{"PULL_ARTIFACT"}
		p.Targets[0].Address, p.Targets[0].PayloadFormat = "http://127.0.0.1:15998/ce", "CloudEvents"
		return create(p)
	})
	h.call(t, expect{capture: "set2/b287_create_webhook_policy_duplicate_name"}, func() error { return create(webhookPolicy("cap-hook")) })
	h.call(t, expect{capture: "set2/b288_create_webhook_policy_no_targets"}, func() error {
		p := webhookPolicy("cap-hook-nt")
		p.Targets = []*models.WebhookTargetObject{}
		return create(p)
	})
	h.call(t, expect{capture: "set2/b289_create_webhook_policy_bad_event_type"}, func() error {
		p := webhookPolicy("cap-hook-be")
		p.EventTypes = []string{"NO_SUCH_EVENT"}
		return create(p)
	})
	h.call(t, expect{capture: "set2/b290_create_webhook_policy_bad_address"}, func() error {
		p := webhookPolicy("cap-hook-ba")
		p.Targets[0].Address = "ftp://x"
		return create(p)
	})
	policyFields := []string{"id", "name", "description", "project_id", "targets", "event_types", "creation_time",
		"update_time", "enabled"}
	h.call(t, expect{capture: "set2/b293_list_webhook_policies_q_name", fields: prefixed("0.", policyFields),
		same: []string{"0.name", "0.description", "0.targets", "0.event_types", "0.enabled"}},
		func() error { return list(ptr("name=~ce")) })
	h.call(t, expect{capture: "set2/b294_get_webhook_policy", fields: policyFields,
		same: []string{"name", "description", "targets", "event_types", "enabled"}}, func() error {
		_, err := a.Webhook.GetWebhookPolicyOfProject(ctx, webhook.NewGetWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(hook))
		return err
	})
	h.call(t, expect{capture: "set2/b295_get_webhook_policy_not_found"}, func() error {
		_, err := a.Webhook.GetWebhookPolicyOfProject(ctx, webhook.NewGetWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b296_get_webhook_policy_other_project"}, func() error {
		_, err := a.Webhook.GetWebhookPolicyOfProject(ctx, webhook.NewGetWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart2").WithWebhookPolicyID(hook))
		return err
	})
	h.call(t, expect{capture: "set2/b297_update_webhook_policy"}, func() error {
		p := webhookPolicy("cap-hook")
		p.Description, p.EventTypes = "updated", []string{"PUSH_ARTIFACT", "DELETE_ARTIFACT"}
		_, err := a.Webhook.UpdateWebhookPolicyOfProject(ctx, webhook.NewUpdateWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(hook).WithPolicy(p))
		return err
	})
	h.call(t, expect{capture: "set2/b298_update_webhook_policy_not_found"}, func() error {
		_, err := a.Webhook.UpdateWebhookPolicyOfProject(ctx, webhook.NewUpdateWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(999999).WithPolicy(webhookPolicy("cap-hook")))
		return err
	})
	// b299 was recorded after pushes had fired the policy; harbortest fires
	// no events, so only the shape of the entries is compared.
	h.call(t, expect{capture: "set2/b299_webhook_last_trigger",
		fields: []string{"0.policy_name", "0.event_type", "0.enabled", "0.creation_time"}}, func() error {
		res, err := a.Webhook.LastTrigger(ctx, webhook.NewLastTriggerParams().WithProjectNameOrID("capart1"))
		if err == nil && len(res.Payload) == 0 {
			t.Error("go-client decoded no last-trigger entries")
		}
		return err
	})
	h.call(t, expect{capture: "set2/b360_delete_webhook_policy_later"}, func() error {
		_, err := a.Webhook.DeleteWebhookPolicyOfProject(ctx, webhook.NewDeleteWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(hook))
		return err
	})
	h.call(t, expect{capture: "set2/b361_delete_webhook_policy_again"}, func() error {
		_, err := a.Webhook.DeleteWebhookPolicyOfProject(ctx, webhook.NewDeleteWebhookPolicyOfProjectParams().
			WithProjectNameOrID("capart1").WithWebhookPolicyID(hook))
		return err
	})
}

// fakeScanner is the body of b479.
func fakeScanner(name, u, auth, credential string, disabled bool) *models.ScannerRegistrationReq {
	uri := strfmt.URI(u)
	return &models.ScannerRegistrationReq{Name: &name, Description: "rig fake adapter (pluggable scanner API v1.1)", URL: &uri,
		Auth: auth, AccessCredential: credential, SkipCertVerify: ptr(true), UseInternalAddr: ptr(false), Disabled: &disabled}
}

func TestScanners(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.call(t, expect{capture: "set2/b326_list_scanners_empty", same: []string{""}}, func() error {
		_, err := a.Scanner.ListScanners(ctx, scanner.NewListScannersParams())
		return err
	})
	h.call(t, expect{capture: "set2/b478_ping_scanner_fake"}, func() error {
		u := strfmt.URI("http://127.0.0.1:15004")
		_, err := a.Scanner.PingScanner(ctx, scanner.NewPingScannerParams().WithSettings(&models.ScannerRegistrationSettings{
			Name: ptr("fake-scanner"), URL: &u}))
		return err
	})
	create := func(r *models.ScannerRegistrationReq) error {
		_, err := a.Scanner.CreateScanner(ctx, scanner.NewCreateScannerParams().WithRegistration(r))
		return err
	}
	var uuid string
	h.call(t, expect{capture: "set2/b479_create_scanner_fake"}, func() error {
		err := create(fakeScanner("fake-scanner", "http://127.0.0.1:15004", "", "", false))
		if err == nil {
			loc := h.last().Header.Get("Location")
			uuid = loc[len("/api/v2.0/scanners/"):]
		}
		return err
	})
	h.call(t, expect{capture: "set2/b481_create_scanner_duplicate_name"}, func() error {
		return create(fakeScanner("fake-scanner", "http://127.0.0.1:15004", "", "", false))
	})
	h.call(t, expect{capture: "set2/b480_create_scanner_fake_second_basic_auth"}, func() error {
		r := fakeScanner("fake-scanner-basic", "http://127.0.0.1:15004", "Basic", "scanuser:scanpass", false)
		r.Description = "same adapter, basic auth"
		return create(r)
	})
	h.call(t, expect{capture: "set2/b484_list_scanners_q_name", same: []string{""}}, func() error {
		_, err := a.Scanner.ListScanners(ctx, scanner.NewListScannersParams().WithQ(ptr("name=~basic")).WithPageSize(ptr(int64(5))))
		return err
	})
	h.call(t, expect{capture: "set2/b482_create_scanner_bearer_auth_no_credential"}, func() error {
		return create(fakeScanner("fake-bearer", "http://127.0.0.1:15004", "Bearer", "", false))
	})
	h.call(t, expect{capture: "set2/b332_create_scanner_bad_auth"}, func() error {
		return create(fakeScanner("cap-badauth", "http://127.0.0.1:15993", "Digest", "", false))
	})
	scannerFields := []string{"uuid", "name", "description", "url", "auth", "access_credential", "disabled", "is_default",
		"skip_certVerify", "use_internal_addr", "create_time", "update_time", "capabilities"}
	h.call(t, expect{capture: "set2/b483_list_scanners", fields: prefixed("0.", scannerFields),
		same: []string{"0.name", "0.description", "0.auth", "0.access_credential", "0.disabled", "0.is_default", "0.capabilities"}},
		func() error {
			_, err := a.Scanner.ListScanners(ctx, scanner.NewListScannersParams())
			return err
		})
	h.call(t, expect{capture: "set2/b485_get_scanner", fields: scannerFields,
		same: []string{"name", "description", "auth", "disabled", "is_default", "skip_certVerify", "capabilities"}}, func() error {
		_, err := a.Scanner.GetScanner(ctx, scanner.NewGetScannerParams().WithRegistrationID(uuid))
		return err
	})
	h.call(t, expect{capture: "set2/b334_get_scanner_not_found"}, func() error {
		_, err := a.Scanner.GetScanner(ctx, scanner.NewGetScannerParams().WithRegistrationID("no-such-uuid"))
		return err
	})
	h.call(t, expect{capture: "set2/b486_get_scanner_metadata", fields: []string{"scanner", "capabilities", "properties"},
		same: []string{"scanner", "capabilities"}}, func() error {
		_, err := a.Scanner.GetScannerMetadata(ctx, scanner.NewGetScannerMetadataParams().WithRegistrationID(uuid))
		return err
	})
	h.call(t, expect{capture: "set2/b487_get_scanner_metadata_not_found"}, func() error {
		_, err := a.Scanner.GetScannerMetadata(ctx, scanner.NewGetScannerMetadataParams().WithRegistrationID("no-such-uuid"))
		return err
	})
	h.call(t, expect{capture: "set2/b488_set_scanner_default"}, func() error {
		_, err := a.Scanner.SetScannerAsDefault(ctx, scanner.NewSetScannerAsDefaultParams().WithRegistrationID(uuid).
			WithPayload(&models.IsDefault{IsDefault: true}))
		return err
	})
	h.call(t, expect{capture: "set2/b489_set_scanner_default_not_found"}, func() error {
		_, err := a.Scanner.SetScannerAsDefault(ctx, scanner.NewSetScannerAsDefaultParams().WithRegistrationID("no-such-uuid").
			WithPayload(&models.IsDefault{IsDefault: true}))
		return err
	})
	h.call(t, expect{capture: "set2/b514_update_scanner_not_found"}, func() error {
		_, err := a.Scanner.UpdateScanner(ctx, scanner.NewUpdateScannerParams().WithRegistrationID("no-such-uuid").
			WithRegistration(fakeScanner("x", "http://127.0.0.1:15992", "", "", false)))
		return err
	})
	h.call(t, expect{capture: "set2/b500_delete_scanner_default", fields: scannerFields[:len(scannerFields)-1],
		same: []string{"name", "description", "is_default", "capabilities"}}, func() error {
		_, err := a.Scanner.DeleteScanner(ctx, scanner.NewDeleteScannerParams().WithRegistrationID(uuid))
		return err
	})
	h.call(t, expect{capture: "set2/b503_delete_scanner_not_found"}, func() error {
		_, err := a.Scanner.DeleteScanner(ctx, scanner.NewDeleteScannerParams().WithRegistrationID("no-such-uuid"))
		return err
	})
	h.call(t, expect{capture: "set2/b505_create_scanner_fake_again"}, func() error {
		return create(fakeScanner("fake-scanner", "http://127.0.0.1:15004", "", "", false))
	})
	var second string
	h.call(t, expect{capture: "set2/b506_create_scanner_second_localhost_basic_auth"}, func() error {
		r := fakeScanner("fake-scanner-basic", "http://localhost:15004", "Basic", "scanuser:scanpass", false)
		r.Description = "same adapter via localhost, basic auth"
		err := create(r)
		if err == nil {
			loc := h.last().Header.Get("Location")
			second = loc[len("/api/v2.0/scanners/"):]
		}
		return err
	})
	h.call(t, expect{capture: "set2/b510_update_scanner_disable"}, func() error {
		r := fakeScanner("fake-scanner-basic", "http://localhost:15004", "Basic", "scanuser:scanpass2", true)
		r.Description = "updated, now disabled"
		_, err := a.Scanner.UpdateScanner(ctx, scanner.NewUpdateScannerParams().WithRegistrationID(second).WithRegistration(r))
		return err
	})
	h.call(t, expect{capture: "set2/b511_get_scanner_after_update", fields: scannerFields,
		same: []string{"name", "description", "url", "auth", "access_credential", "disabled", "is_default", "capabilities"}},
		func() error {
			_, err := a.Scanner.GetScanner(ctx, scanner.NewGetScannerParams().WithRegistrationID(second))
			return err
		})
	deleteSecond := func() error {
		_, err := a.Scanner.DeleteScanner(ctx, scanner.NewDeleteScannerParams().WithRegistrationID(second))
		return err
	}
	h.call(t, expect{capture: "set2/b515_delete_scanner_in_use_by_project", same: []string{""}}, deleteSecond)
	h.call(t, expect{capture: "set2/b516_delete_scanner_again"}, deleteSecond)
}

func TestSystemCVEAllowlist(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	get := func() error {
		_, err := a.SystemCVEAllowlist.GetSystemCVEAllowlist(ctx, system_cve_allowlist.NewGetSystemCVEAllowlistParams())
		return err
	}
	put := func(l *models.CVEAllowlist) error {
		_, err := a.SystemCVEAllowlist.PutSystemCVEAllowlist(ctx, system_cve_allowlist.NewPutSystemCVEAllowlistParams().WithAllowlist(l))
		return err
	}
	items := func(ids ...string) []*models.CVEAllowlistItem {
		out := make([]*models.CVEAllowlistItem, len(ids))
		for i, id := range ids {
			out[i] = &models.CVEAllowlistItem{CVEID: id}
		}
		return out
	}
	h.call(t, expect{capture: "set2/b338_get_system_cve_allowlist", fields: []string{"items", "creation_time", "update_time"},
		same: []string{"items"}}, get)
	h.call(t, expect{capture: "set2/b339_put_system_cve_allowlist"}, func() error {
		return put(&models.CVEAllowlist{Items: items("CVE-2021-44228", "CVE-2022-22965"), ExpiresAt: ptr(int64(1893456000))})
	})
	h.call(t, expect{capture: "set2/b340_get_system_cve_allowlist_after_put",
		fields: []string{"id", "items", "expires_at", "creation_time", "update_time"}, same: []string{"items", "expires_at"}}, get)
	h.call(t, expect{capture: "set2/b341_put_system_cve_allowlist_bad_id"}, func() error {
		return put(&models.CVEAllowlist{Items: items("not-a-cve")})
	})
	h.call(t, expect{capture: "set2/b342_put_system_cve_allowlist_duplicates"}, func() error {
		return put(&models.CVEAllowlist{Items: items("CVE-2021-44228", "CVE-2021-44228")})
	})
	h.call(t, expect{capture: "set2/b349_put_system_cve_allowlist_clear"}, func() error {
		return put(&models.CVEAllowlist{Items: items()})
	})
}

func TestGC(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.call(t, expect{capture: "set2/b386_gc_schedule_get_initial"}, func() error {
		_, err := a.GC.GetGCSchedule(ctx, gc.NewGetGCScheduleParams())
		return err
	})
	h.call(t, expect{capture: "set2/b393_gc_get_not_found"}, func() error {
		_, err := a.GC.GetGC(ctx, gc.NewGetGCParams().WithGCID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b394_gc_log_not_found"}, func() error {
		_, err := a.GC.GetGCLog(ctx, gc.NewGetGCLogParams().WithGCID(999999))
		return err
	})
	put := func(s *models.Schedule) error {
		_, err := a.GC.UpdateGCSchedule(ctx, gc.NewUpdateGCScheduleParams().WithSchedule(s))
		return err
	}
	h.call(t, expect{capture: "set2/b395_gc_schedule_put_custom"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "Custom", Cron: "0 0 3 * * *"},
			Parameters: map[string]any{"delete_untagged": false, "workers": 2}})
	})
	h.call(t, expect{capture: "set2/b396_gc_schedule_get_after_put",
		fields: []string{"id", "job_kind", "job_parameters", "job_status", "schedule", "schedule.cron", "creation_time", "update_time"},
		same:   []string{"job_kind", "job_parameters", "schedule.cron", "schedule.type"}}, func() error {
		_, err := a.GC.GetGCSchedule(ctx, gc.NewGetGCScheduleParams())
		return err
	})
	h.call(t, expect{capture: "set2/b397_gc_schedule_put_bad_cron"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "Custom", Cron: "every night"}})
	})
	h.call(t, expect{capture: "set2/b398_gc_schedule_put_bad_type"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "Sometimes"}})
	})
	h.call(t, expect{capture: "set2/b399_gc_schedule_post_when_schedule_exists"}, func() error {
		_, err := a.GC.CreateGCSchedule(ctx, gc.NewCreateGCScheduleParams().WithSchedule(&models.Schedule{
			Schedule: &models.ScheduleObj{Type: "Daily"}, Parameters: map[string]any{"delete_untagged": false}}))
		return err
	})
	h.call(t, expect{capture: "set2/b400_gc_schedule_put_none"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "None"}})
	})
	var gcID int64
	h.call(t, expect{capture: "set2/b387_gc_run_now_dry_run"}, func() error {
		_, err := a.GC.CreateGCSchedule(ctx, gc.NewCreateGCScheduleParams().WithSchedule(&models.Schedule{
			Schedule: &models.ScheduleObj{Type: "Manual"}, Parameters: map[string]any{"delete_untagged": true, "dry_run": true, "workers": 1}}))
		if err == nil {
			gcID = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b390_gc_get_execution",
		fields: []string{"id", "job_name", "job_kind", "job_parameters", "job_status", "creation_time", "update_time"},
		same:   []string{"job_name", "job_kind"}}, func() error {
		_, err := a.GC.GetGC(ctx, gc.NewGetGCParams().WithGCID(gcID))
		return err
	})
	h.call(t, expect{capture: "set2/b389_gc_history", fields: []string{"0.id", "0.job_name", "0.job_kind", "0.job_status"}}, func() error {
		_, err := a.GC.GetGCHistory(ctx, gc.NewGetGCHistoryParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(5))))
		return err
	})
	h.call(t, expect{capture: "set2/b392_gc_stop_finished"}, func() error {
		_, err := a.GC.StopGC(ctx, gc.NewStopGCParams().WithGCID(gcID))
		return err
	})
}

func TestPurgeAudit(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.call(t, expect{capture: "set2/b403_purge_schedule_get_initial"}, func() error {
		_, err := a.Purge.GetPurgeSchedule(ctx, purge.NewGetPurgeScheduleParams())
		return err
	})
	create := func(p map[string]any) error {
		_, err := a.Purge.CreatePurgeSchedule(ctx, purge.NewCreatePurgeScheduleParams().WithSchedule(&models.Schedule{
			Schedule: &models.ScheduleObj{Type: "Manual"}, Parameters: p}))
		return err
	}
	var id int64
	h.call(t, expect{capture: "set2/b404_purge_run_now_dry_run"}, func() error {
		err := create(map[string]any{"audit_retention_hour": 168,
			"include_event_types": "create_artifact,delete_artifact,pull_artifact", "dry_run": true})
		if err == nil {
			id = h.createdID(t)
		}
		return err
	})
	jobFields := []string{"id", "job_name", "job_kind", "job_parameters", "job_status", "creation_time", "update_time"}
	h.call(t, expect{capture: "set2/b405_purge_history", fields: prefixed("0.", jobFields),
		same: []string{"0.job_name", "0.job_kind", "0.job_parameters"}}, func() error {
		_, err := a.Purge.GetPurgeHistory(ctx, purge.NewGetPurgeHistoryParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(5))))
		return err
	})
	h.call(t, expect{capture: "set2/b406_purge_get_execution", fields: jobFields, same: []string{"job_name", "job_kind", "job_parameters"}},
		func() error {
			_, err := a.Purge.GetPurgeJob(ctx, purge.NewGetPurgeJobParams().WithPurgeID(id))
			return err
		})
	h.call(t, expect{capture: "set2/b408_purge_get_not_found"}, func() error {
		_, err := a.Purge.GetPurgeJob(ctx, purge.NewGetPurgeJobParams().WithPurgeID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b409_purge_run_now_missing_retention_hour"}, func() error {
		return create(map[string]any{"dry_run": true})
	})
	put := func(s *models.Schedule) error {
		_, err := a.Purge.UpdatePurgeSchedule(ctx, purge.NewUpdatePurgeScheduleParams().WithSchedule(s))
		return err
	}
	h.call(t, expect{capture: "set2/b410_purge_schedule_put_custom"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "Custom", Cron: "0 0 2 * * 0"},
			Parameters: map[string]any{"audit_retention_hour": 720, "include_event_types": "create_artifact,delete_artifact", "dry_run": false}})
	})
	scheduleFields := []string{"id", "job_kind", "job_parameters", "job_status", "schedule", "schedule.cron", "creation_time", "update_time"}
	getSchedule := func() error {
		_, err := a.Purge.GetPurgeSchedule(ctx, purge.NewGetPurgeScheduleParams())
		return err
	}
	h.call(t, expect{capture: "set2/b411_purge_schedule_get_after_put", fields: scheduleFields,
		same: []string{"job_kind", "job_parameters", "schedule.cron", "schedule.type"}}, getSchedule)
	h.call(t, expect{capture: "set2/b412_purge_schedule_put_none"}, func() error {
		return put(&models.Schedule{Schedule: &models.ScheduleObj{Type: "None"}})
	})
	h.call(t, expect{capture: "set2/b413_purge_schedule_get_after_none", fields: scheduleFields,
		same: []string{"job_kind", "schedule.cron"}}, getSchedule)
}

func TestConfigurations(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	// Set 2 was recorded with users in the database: auth_mode is then
	// neither editable (b224) nor changeable (b233).
	h.srv.AddUser("capuser1", "CapUser12345", false)
	get := func(c *v2client.HarborAPI) func() error {
		return func() error {
			_, err := c.Configure.GetConfigurations(ctx, configure.NewGetConfigurationsParams())
			return err
		}
	}
	put := func(c *models.Configurations) func() error {
		return func() error {
			_, err := a.Configure.UpdateConfigurations(ctx, configure.NewUpdateConfigurationsParams().WithConfigurations(c))
			return err
		}
	}
	configFields := []string{"auth_mode", "auth_mode.value", "auth_mode.editable", "robot_name_prefix", "robot_name_prefix.value",
		"robot_token_duration", "project_creation_restriction", "self_registration", "read_only"}
	h.call(t, expect{capture: "set2/b224_get_configurations", fields: configFields,
		same: []string{"auth_mode", "robot_name_prefix", "robot_token_duration", "self_registration", "read_only"}}, get(a))
	h.call(t, expect{capture: "set2/b225_update_configurations_robot_prefix"}, put(&models.Configurations{RobotNamePrefix: ptr("bot$")}))
	h.call(t, expect{capture: "set2/b226_get_configurations_after_prefix_change", fields: configFields,
		same: []string{"robot_name_prefix"}}, get(a))
	var bot int64
	h.call(t, expect{capture: "set2/b227_create_robot_with_new_prefix", fields: []string{"id", "name", "secret", "expires_at"},
		same: []string{"name"}}, func() error {
		r := systemRobot("prefixbot", 1)
		r.Permissions[0].Access[0].Action = "list"
		res, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(r))
		if err == nil {
			bot = res.Payload.ID
		}
		return err
	})
	h.call(t, expect{capture: "set2/b228_update_configurations_robot_prefix_back"}, put(&models.Configurations{RobotNamePrefix: ptr("robot$")}))
	h.call(t, expect{capture: "set2/b229_get_robot_created_with_old_prefix", fields: robotFields, same: []string{"name", "level", "permissions"}},
		func() error {
			_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(bot))
			return err
		})
	h.call(t, expect{capture: "set2/b230_delete_robot_created_with_old_prefix"}, func() error {
		_, err := a.Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(bot))
		return err
	})
	h.call(t, expect{capture: "set2/b233_update_configurations_read_only_key"}, put(&models.Configurations{AuthMode: ptr("ldap_auth")}))
	h.call(t, expect{capture: "set2/b236_get_configurations_anonymous"}, get(h.as(t, "", "")))
	h.call(t, expect{capture: "set2/b237_get_configurations_plain_user"}, get(h.as(t, "capuser1", "CapUser12345")))
}

// TestSystemMore covers the system endpoints TestSystem leaves out:
// volumes, certificate, audit logs, permissions, statistics and search
// called by anonymous callers or with invalid parameters.
func TestSystemMore(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	anon := h.as(t, "", "")
	h.call(t, expect{capture: "62_systeminfo_volumes", same: []string{""}}, func() error {
		_, err := a.Systeminfo.GetVolumes(ctx, systeminfo.NewGetVolumesParams())
		return err
	})
	h.call(t, expect{capture: "63_systeminfo_getcert"}, func() error {
		_, err := a.Systeminfo.GetCert(ctx, systeminfo.NewGetCertParams(), io.Discard)
		return err
	})
	h.call(t, expect{capture: "76_audit_logs", same: []string{""}}, func() error {
		_, err := a.Auditlog.ListAuditLogs(ctx, auditlog.NewListAuditLogsParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(3))))
		return err
	})
	h.call(t, expect{capture: "set2/b463_audit_logs_page_size_101"}, func() error {
		_, err := a.Auditlog.ListAuditLogExts(ctx, auditlog.NewListAuditLogExtsParams().WithPageSize(ptr(int64(101))))
		return err
	})
	h.call(t, expect{capture: "a10_users_current_permissions_admin", same: []string{""}}, func() error {
		_, err := a.User.GetCurrentUserPermissions(ctx, user.NewGetCurrentUserPermissionsParams())
		return err
	})
	h.call(t, expect{capture: "a13_users_current_permissions_anonymous"}, func() error {
		_, err := anon.User.GetCurrentUserPermissions(ctx, user.NewGetCurrentUserPermissionsParams())
		return err
	})
	h.call(t, expect{capture: "set2/b467_statistics_anonymous"}, func() error {
		_, err := anon.Statistic.GetStatistic(ctx, statistic.NewGetStatisticParams())
		return err
	})
	h.call(t, expect{capture: "set2/p144_search_empty_q"}, func() error {
		_, err := a.Search.Search(ctx, search.NewSearchParams().WithQ(""))
		return err
	})
	h.call(t, expect{capture: "set2/b465_registries_page_size_101"}, func() error {
		_, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams().WithPageSize(ptr(int64(101))))
		return err
	})
}
