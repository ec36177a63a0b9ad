package interop_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	goharbor "github.com/goharbor/go-client/pkg/harbor"
	v2client "github.com/goharbor/go-client/pkg/sdk/v2.0/client"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/artifact"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/configure"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/health"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/label"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/member"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/permissions"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/ping"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/project"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/quota"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/registry"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/repository"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/robot"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/statistic"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/systeminfo"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/user"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/client/usergroup"
	"github.com/goharbor/go-client/pkg/sdk/v2.0/models"
)

// The tests below drive goharbor/go-client v0.213.1, a Harbor client written
// elsewhere, against harbortest and compare each answer with the one a real
// Harbor v2.15.2 gave to the same request (testdata/harbor-captures). They
// use the names of the recordings (sdktest1, sdkbot, capart1, capuser1, ...)
// so that error messages compare too.

var ctx = context.Background()

// robotFields are the fields of a robot as GET /robots/{id} returns it.
var robotFields = []string{"id", "name", "level", "duration", "disable", "editable", "expires_at",
	"creation_time", "update_time", "creator_ref", "creator_type", "permissions"}

// TestConstructor uses go-client's own constructor, NewClientSet, as its
// README shows. It forces its TLS-skipping transport, so the server is HTTP.
func TestConstructor(t *testing.T) {
	h := newHarness(t)
	cs, err := goharbor.NewClientSet(&goharbor.ClientSetConfig{
		URL: h.srv.URL, Username: h.srv.AdminUsername, Password: h.srv.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	res, err := cs.V2().User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
	count(t, func(g *tally) { g.made++ })
	if err != nil {
		t.Fatal(err)
	}
	if res.Payload.Username != "admin" || !res.Payload.SysadminFlag {
		t.Errorf("current user %+v, want the admin", res.Payload)
	}
}

func TestSystem(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	// go-client asks for text/plain, as b433 did (01_ping asked for JSON).
	h.call(t, expect{capture: "set2/b433_ping_anonymous_text_accept", same: []string{""}}, func() error {
		res, err := h.as(t, "", "").Ping.GetPing(ctx, ping.NewGetPingParams())
		if err == nil && res.Payload != "Pong" {
			t.Errorf("go-client decoded %q", res.Payload)
		}
		return err
	})
	h.call(t, expect{capture: "02_systeminfo",
		fields: []string{"auth_mode", "harbor_version", "external_url", "registry_url", "current_time", "has_ca_root",
			"read_only", "self_registration", "project_creation_restriction", "primary_auth_mode", "notification_enable",
			"banner_message", "oidc_provider_name", "registry_storage_provider_name"},
		same: []string{"auth_mode", "harbor_version", "has_ca_root", "read_only", "self_registration",
			"project_creation_restriction", "primary_auth_mode"},
	}, func() error {
		res, err := a.Systeminfo.GetSystemInfo(ctx, systeminfo.NewGetSystemInfoParams())
		if err == nil && res.Payload.AuthMode == nil {
			t.Error("go-client decoded no auth_mode")
		}
		return err
	})
	h.call(t, expect{capture: "60_health", fields: []string{"status", "components", "components.0.name", "components.0.status"}},
		func() error {
			_, err := a.Health.GetHealth(ctx, health.NewGetHealthParams())
			return err
		})
	h.call(t, expect{capture: "61_statistics", fields: []string{"private_project_count", "private_repo_count",
		"public_project_count", "public_repo_count", "total_project_count", "total_repo_count", "total_storage_consumption"}},
		func() error {
			_, err := a.Statistic.GetStatistic(ctx, statistic.NewGetStatisticParams())
			return err
		})
	h.call(t, expect{capture: "04_permissions", fields: []string{"project", "system", "project.0.action", "project.0.resource"}},
		func() error {
			_, err := a.Permissions.GetPermissions(ctx, permissions.NewGetPermissionsParams())
			return err
		})
	h.call(t, expect{capture: "71_configurations",
		fields: []string{"auth_mode", "auth_mode.value", "auth_mode.editable", "robot_name_prefix", "robot_token_duration"},
		same:   []string{"auth_mode", "robot_name_prefix", "project_creation_restriction", "self_registration"}},
		func() error {
			_, err := a.Configure.GetConfigurations(ctx, configure.NewGetConfigurationsParams())
			return err
		})
	h.call(t, expect{capture: "03_users_current",
		fields: []string{"user_id", "username", "sysadmin_flag", "admin_role_in_auth", "comment", "realname", "creation_time", "update_time"},
		same:   []string{"username", "sysadmin_flag", "admin_role_in_auth", "comment", "realname"}},
		func() error {
			_, err := a.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
			return err
		})
	anon := h.as(t, "", "")
	h.call(t, expect{capture: "02c_users_current_anonymous"}, func() error {
		_, err := anon.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
		return err
	})
	bad := h.as(t, "admin", "wrong-password")
	h.call(t, expect{capture: "02d_users_current_badpassword"}, func() error {
		_, err := bad.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
		return err
	})
}

// projectFields are the fields of a project as GET /projects/{name} returns it.
var projectFields = []string{"project_id", "name", "owner_id", "owner_name", "metadata", "metadata.public",
	"repo_count", "creation_time", "update_time", "current_user_role_id", "current_user_role_ids",
	"cve_allowlist", "cve_allowlist.items"}

func TestProjects(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.call(t, expect{capture: "05_create_project_sdktest1"}, func() error {
		_, err := a.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{
			ProjectName: "sdktest1", Metadata: &models.ProjectMetadata{Public: "false"}, StorageLimit: ptr(int64(-1))}))
		return err
	})
	h.call(t, expect{capture: "05c_create_project_duplicate"}, func() error {
		_, err := a.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "sdktest1"}))
		return err
	})
	h.call(t, expect{capture: "07_head_project"}, func() error {
		_, err := a.Project.HeadProject(ctx, project.NewHeadProjectParams().WithProjectName("sdktest1"))
		return err
	})
	h.call(t, expect{capture: "a21_head_project_missing"}, func() error {
		_, err := a.Project.HeadProject(ctx, project.NewHeadProjectParams().WithProjectName("doesnotexist"))
		return err
	})
	h.call(t, expect{capture: "08_get_project_by_name", fields: projectFields,
		same: []string{"name", "owner_name", "metadata", "repo_count", "current_user_role_id", "current_user_role_ids", "cve_allowlist.items"}},
		func() error {
			res, err := a.Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("sdktest1"))
			if err == nil && res.Payload.Name != "sdktest1" {
				t.Errorf("go-client decoded project %q", res.Payload.Name)
			}
			return err
		})
	h.call(t, expect{capture: "85_get_project_not_found"}, func() error {
		_, err := a.Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID("nosuchproject"))
		return err
	})
	h.call(t, expect{capture: "06_list_projects_page1_size1", fields: []string{"0.name", "0.project_id", "0.metadata.public"},
		same: []string{"0.name", "0.metadata", "0.owner_name"}},
		func() error {
			res, err := a.Project.ListProjects(ctx, project.NewListProjectsParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(1))))
			if err == nil && len(res.Payload) != 1 {
				t.Errorf("go-client decoded %d projects, want 1", len(res.Payload))
			}
			return err
		})
	h.call(t, expect{capture: "72_project_summary", fields: []string{"project_admin_count", "repo_count", "quota", "quota.hard.storage", "quota.used.storage"},
		same: []string{""}},
		func() error {
			_, err := a.Project.GetProjectSummary(ctx, project.NewGetProjectSummaryParams().WithProjectNameOrID("sdktest1"))
			return err
		})
	h.call(t, expect{capture: "73_repositories", same: []string{""}}, func() error {
		_, err := a.Repository.ListRepositories(ctx, repository.NewListRepositoriesParams().WithProjectName("sdktest1"))
		return err
	})
	h.call(t, expect{capture: "05b_create_project_sdktest2"}, func() error {
		_, err := a.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{
			ProjectName: "sdktest2", Metadata: &models.ProjectMetadata{Public: "true"}}))
		return err
	})
	h.call(t, expect{capture: "84_delete_project"}, func() error {
		_, err := a.Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("sdktest2"))
		return err
	})
}

// TestProjectsErrors replays set 2's project exchanges (b441-b459,
// b345-b348): errors, callers without rights, odd paging, the project CVE
// allowlist.
func TestProjectsErrors(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	get := func(ref string) func() error {
		return func() error {
			_, err := a.Project.GetProject(ctx, project.NewGetProjectParams().WithProjectNameOrID(ref))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b441_get_project_by_id_not_found"}, get("999999"))
	h.call(t, expect{capture: "set2/b442_get_project_by_name_not_found"}, get("nosuchproj"))
	h.call(t, expect{capture: "set2/b443_head_project_exists"}, func() error {
		_, err := a.Project.HeadProject(ctx, project.NewHeadProjectParams().WithProjectName("capart1"))
		return err
	})
	create := func(c *v2client.HarborAPI, r *models.ProjectReq) func() error {
		return func() error {
			_, err := c.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(r))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b444_create_project_duplicate"}, create(a, &models.ProjectReq{ProjectName: "capart1",
		Metadata: &models.ProjectMetadata{Public: "false"}}))
	h.call(t, expect{capture: "set2/b445_create_project_bad_name"}, create(a, &models.ProjectReq{ProjectName: "Bad Name!",
		Metadata: &models.ProjectMetadata{Public: "false"}}))
	h.call(t, expect{capture: "set2/b448_create_project_anonymous"}, create(h.as(t, "", ""), &models.ProjectReq{ProjectName: "capanon"}))
	h.call(t, expect{capture: "set2/b450_create_project_public_as_bool"}, create(a, &models.ProjectReq{ProjectName: "capbool",
		Public: ptr(true), Metadata: &models.ProjectMetadata{Public: "true"}}))
	h.call(t, expect{capture: "set2/b451_delete_project_capbool"}, func() error {
		_, err := a.Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("capbool"))
		return err
	})
	h.call(t, expect{capture: "set2/b452_update_project_not_found"}, func() error {
		_, err := a.Project.UpdateProject(ctx, project.NewUpdateProjectParams().WithProjectNameOrID("999999").
			WithProject(&models.ProjectReq{Metadata: &models.ProjectMetadata{Public: "true"}}))
		return err
	})
	h.call(t, expect{capture: "set2/b453_delete_project_not_found"}, func() error {
		_, err := a.Project.DeleteProject(ctx, project.NewDeleteProjectParams().WithProjectNameOrID("nosuchproj"))
		return err
	})
	list := func(p *project.ListProjectsParams) func() error {
		return func() error {
			_, err := a.Project.ListProjects(ctx, p)
			return err
		}
	}
	h.call(t, expect{capture: "set2/b455_list_projects_page_size_101"}, list(project.NewListProjectsParams().WithPageSize(ptr(int64(101)))))
	h.call(t, expect{capture: "set2/b457_list_projects_page_beyond", same: []string{""}},
		list(project.NewListProjectsParams().WithPage(ptr(int64(1000))).WithPageSize(ptr(int64(10)))))
	h.call(t, expect{capture: "set2/b459_list_projects_bad_q"}, list(project.NewListProjectsParams().WithQ(ptr("name=(a"))))
	update := func(r *models.ProjectReq) func() error {
		return func() error {
			_, err := a.Project.UpdateProject(ctx, project.NewUpdateProjectParams().WithProjectNameOrID("capart1").WithProject(r))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b345_put_project_cve_allowlist"}, update(&models.ProjectReq{
		CVEAllowlist: &models.CVEAllowlist{Items: []*models.CVEAllowlistItem{{CVEID: "CVE-2023-0001"}}, ExpiresAt: ptr(int64(1893456000))},
		Metadata:     &models.ProjectMetadata{ReuseSysCVEAllowlist: ptr("false")}}))
	h.call(t, expect{capture: "set2/b346_get_project_after_cve_allowlist", fields: projectFields,
		same: []string{"name", "cve_allowlist.items", "cve_allowlist.expires_at", "metadata.reuse_sys_cve_allowlist"}}, get("capart1"))
	h.call(t, expect{capture: "set2/b347_put_project_cve_allowlist_bad_id"}, update(&models.ProjectReq{
		CVEAllowlist: &models.CVEAllowlist{Items: []*models.CVEAllowlistItem{{CVEID: "nope"}}}}))
	h.call(t, expect{capture: "set2/b348_put_project_reuse_system_allowlist"}, update(&models.ProjectReq{
		Metadata: &models.ProjectMetadata{ReuseSysCVEAllowlist: ptr("true")}}))
}

// systemRobot is the body of 10_create_system_robot.
func systemRobot(name string, duration int64) *models.RobotCreate {
	return &models.RobotCreate{Name: name, Level: "system", Duration: duration,
		Permissions: []*models.RobotPermission{{Kind: "system", Namespace: "/",
			Access: []*models.Access{{Resource: "project", Action: "create"}}}}}
}

func TestRobots(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("sdktest1", false)

	var sdkbot int64
	h.call(t, expect{capture: "10_create_system_robot", fields: []string{"id", "name", "secret", "expires_at", "creation_time"},
		same: []string{"name"}}, func() error {
		r := systemRobot("sdkbot", 30)
		r.Description, r.Secret = "system robot for sdk tests", "Secret1234"
		res, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(r))
		if err == nil {
			sdkbot = res.Payload.ID
		}
		return err
	})
	h.call(t, expect{capture: "11_create_system_robot_duplicate"}, func() error {
		_, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(systemRobot("sdkbot", 30)))
		return err
	})
	var short int64
	h.call(t, expect{capture: "12_create_robot_bad_secret_short", same: []string{"name"}}, func() error {
		r := systemRobot("sdkbot-short", 30)
		r.Secret = "short" // ignored by POST, as in Harbor
		res, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(r))
		if err == nil {
			short = res.Payload.ID
		}
		return err
	})
	var never int64
	h.call(t, expect{capture: "13_create_robot_never_expires", same: []string{"name", "expires_at"}}, func() error {
		res, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(systemRobot("sdkbot-never", -1)))
		if err == nil {
			never = res.Payload.ID
		}
		return err
	})
	for capture, r := range map[string]*models.RobotCreate{
		// go-client drops "duration":0 (omitempty); Harbor and
		// harbortest both read the missing duration as 0.
		"14_create_robot_duration_zero":  systemRobot("sdkbot-zero", 0),
		"15_create_robot_bad_name_upper": systemRobot("SdkBot", 1),
		"16_create_robot_bad_permission": {Name: "sdkbot-badperm", Level: "system", Duration: 1,
			Permissions: []*models.RobotPermission{{Kind: "system", Namespace: "/",
				Access: []*models.Access{{Resource: "nonsense", Action: "fly"}}}}},
		"19_create_robot_missing_permissions": {Name: "noperm", Level: "system", Duration: 1, Permissions: []*models.RobotPermission{}},
		"19b_create_robot_bad_level": {Name: "badlevel", Level: "global", Duration: 1,
			Permissions: []*models.RobotPermission{{Kind: "system", Namespace: "/",
				Access: []*models.Access{{Resource: "project", Action: "create"}}}}},
	} {
		h.call(t, expect{capture: capture}, func() error {
			_, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(r))
			return err
		})
	}
	var pbot int64
	var pbotSecret string
	h.call(t, expect{capture: "17_create_project_robot", fields: []string{"id", "name", "secret", "expires_at", "creation_time"},
		same: []string{"name"}}, func() error {
		res, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(&models.RobotCreate{
			Name: "pbot", Description: "project robot", Level: "project", Duration: 7,
			Permissions: []*models.RobotPermission{{Kind: "project", Namespace: "sdktest1", Access: []*models.Access{
				{Resource: "repository", Action: "pull"}, {Resource: "repository", Action: "push"}}}}}))
		if err == nil {
			pbot, pbotSecret = res.Payload.ID, res.Payload.Secret
		}
		return err
	})
	h.call(t, expect{capture: "29_get_robot", fields: robotFields,
		same: []string{"name", "level", "duration", "disable", "editable", "description", "creator_type", "permissions"}},
		func() error {
			// 29 was recorded after a secret refresh, which does not
			// change these fields.
			_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(sdkbot))
			return err
		})
	h.call(t, expect{capture: "30_list_robots", fields: []string{"0.id", "0.name", "0.permissions"},
		same: []string{"0.name", "0.level", "0.permissions"}},
		func() error {
			res, err := a.Robot.ListRobot(ctx, robot.NewListRobotParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(2))))
			if err == nil && len(res.Payload) != 2 {
				t.Errorf("go-client decoded %d robots, want 2", len(res.Payload))
			}
			return err
		})
	projectID := h.srv.Projects()
	var sdktest1 int64
	for _, p := range projectID {
		if p.Name == "sdktest1" {
			sdktest1 = p.ID
		}
	}
	h.call(t, expect{capture: "31_list_robots_project", fields: prefixed("0.", robotFields),
		same: []string{"0.name", "0.level", "0.duration", "0.description", "0.permissions"}},
		func() error {
			q := "Level=project,ProjectID=" + strconv.FormatInt(sdktest1, 10)
			res, err := a.Robot.ListRobot(ctx, robot.NewListRobotParams().WithQ(&q))
			if err == nil && len(res.Payload) != 1 {
				t.Errorf("go-client decoded %d project robots, want 1", len(res.Payload))
			}
			return err
		})
	h.call(t, expect{capture: "24_refresh_secret_custom", same: []string{""}}, func() error {
		_, err := a.Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(sdkbot).WithRobotSec(&models.RobotSec{Secret: "Secret1234"}))
		return err
	})
	h.call(t, expect{capture: "27_refresh_secret_bad_short"}, func() error {
		_, err := a.Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(sdkbot).WithRobotSec(&models.RobotSec{Secret: "short"}))
		return err
	})
	sdkbotClient := h.as(t, "robot$sdkbot", "Secret1234")
	h.call(t, expect{capture: "33_robot_custom_secret_users_current"}, func() error {
		_, err := sdkbotClient.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
		return err
	})
	h.call(t, expect{capture: "34_robot_custom_secret_create_project"}, func() error {
		_, err := sdkbotClient.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "sdkrobotproj2"}))
		return err
	})
	h.call(t, expect{capture: "35_robot_list_users_no_permission"}, func() error {
		_, err := sdkbotClient.User.ListUsers(ctx, user.NewListUsersParams())
		return err
	})
	pbotClient := h.as(t, "robot$sdktest1+pbot", pbotSecret)
	h.call(t, expect{capture: "40_project_robot_list_repos"}, func() error {
		_, err := pbotClient.Repository.ListRepositories(ctx, repository.NewListRepositoriesParams().WithProjectName("sdktest1"))
		return err
	})
	var sdkbotSecret string
	h.call(t, expect{capture: "28_refresh_secret_generated", fields: []string{"secret"}}, func() error {
		res, err := a.Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(sdkbot).WithRobotSec(&models.RobotSec{}))
		if err == nil {
			if sdkbotSecret = res.Payload.Secret; len(sdkbotSecret) < 8 {
				t.Errorf("generated secret of %d characters", len(sdkbotSecret))
			}
		}
		return err
	})
	update := func(name string) *models.Robot {
		return &models.Robot{Name: name, Description: "updated", Level: "system", Duration: ptr(int64(10)),
			Permissions: []*models.RobotPermission{{Kind: "system", Namespace: "/",
				Access: []*models.Access{{Resource: "project", Action: "create"}}}}}
	}
	h.call(t, expect{capture: "43_update_robot_put"}, func() error {
		_, err := a.Robot.UpdateRobot(ctx, robot.NewUpdateRobotParams().WithRobotID(never).WithRobot(update("robot$sdkbot-never")))
		return err
	})
	h.call(t, expect{capture: "43b_get_after_put", fields: robotFields,
		same: []string{"name", "description", "duration", "level", "disable", "editable", "permissions"}},
		func() error {
			_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(never))
			return err
		})
	h.call(t, expect{capture: "44_update_robot_put_short_name"}, func() error {
		_, err := a.Robot.UpdateRobot(ctx, robot.NewUpdateRobotParams().WithRobotID(never).WithRobot(update("sdkbot-never")))
		return err
	})
	h.call(t, expect{capture: "45_delete_robot"}, func() error {
		_, err := a.Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(short))
		return err
	})
	h.call(t, expect{capture: "46_get_deleted_robot"}, func() error {
		_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(short))
		return err
	})
	h.call(t, expect{capture: "47_delete_deleted_robot"}, func() error {
		_, err := a.Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(short))
		return err
	})
	h.call(t, expect{capture: "42_get_project_robot", fields: robotFields,
		same: []string{"name", "level", "duration", "description", "permissions"}}, func() error {
		_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(pbot))
		return err
	})
	h.call(t, expect{capture: "94_refresh_secret_not_found"}, func() error {
		_, err := a.Robot.RefreshSec(ctx, robot.NewRefreshSecParams().WithRobotID(9999).WithRobotSec(&models.RobotSec{Secret: "Secret1234"}))
		return err
	})
	h.call(t, expect{capture: "18_create_robot_name_with_prefix"}, func() error {
		_, err := a.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(systemRobot("robot$withprefix", 1)))
		return err
	})
	h.call(t, expect{capture: "41_project_robot_create_project_forbidden"}, func() error {
		_, err := pbotClient.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "pbotproj"}))
		return err
	})
	h.call(t, expect{capture: "a17_robots_q_full_name", same: []string{""}}, func() error {
		_, err := a.Robot.ListRobot(ctx, robot.NewListRobotParams().WithQ(ptr("name=robot$sdkbot")))
		return err
	})
	h.call(t, expect{capture: "set2/b384_get_robot_not_found"}, func() error {
		_, err := a.Robot.GetRobotByID(ctx, robot.NewGetRobotByIDParams().WithRobotID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b381_robots_page_size_101"}, func() error {
		_, err := a.Robot.ListRobot(ctx, robot.NewListRobotParams().WithPageSize(ptr(int64(101))))
		return err
	})
	h.call(t, expect{capture: "set2/b383_robots_list_anonymous"}, func() error {
		_, err := h.as(t, "", "").Robot.ListRobot(ctx, robot.NewListRobotParams())
		return err
	})
	toggle := func(desc string, disable bool) *models.Robot {
		return &models.Robot{Name: "robot$sdkbot", Description: desc, Level: "system", Duration: ptr(int64(30)), Disable: disable,
			Permissions: []*models.RobotPermission{{Kind: "system", Namespace: "/",
				Access: []*models.Access{{Resource: "project", Action: "create"}}}}}
	}
	generated := h.as(t, "robot$sdkbot", sdkbotSecret)
	h.call(t, expect{capture: "36_robot_create_robot_no_permission"}, func() error {
		_, err := generated.Robot.CreateRobot(ctx, robot.NewCreateRobotParams().WithRobot(systemRobot("child", 1)))
		return err
	})
	h.call(t, expect{capture: "90_disable_robot_put"}, func() error {
		_, err := a.Robot.UpdateRobot(ctx, robot.NewUpdateRobotParams().WithRobotID(sdkbot).WithRobot(toggle("disabled", true)))
		return err
	})
	h.call(t, expect{capture: "91_disabled_robot_create_project"}, func() error {
		_, err := generated.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "disabledrobotproj"}))
		return err
	})
	h.call(t, expect{capture: "92_enable_robot_put"}, func() error {
		_, err := a.Robot.UpdateRobot(ctx, robot.NewUpdateRobotParams().WithRobotID(sdkbot).
			WithRobot(toggle("system robot for sdk tests", false)))
		return err
	})
	h.call(t, expect{capture: "93_reenabled_robot_create_project"}, func() error {
		_, err := generated.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(&models.ProjectReq{ProjectName: "reenabledrobotproj"}))
		return err
	})
}

// userFields are the fields of a user as GET /users/{id} returns it.
var userFields = []string{"user_id", "username", "email", "realname", "comment", "sysadmin_flag",
	"admin_role_in_auth", "creation_time", "update_time"}

func TestUsers(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.call(t, expect{capture: "74_users_list", same: []string{""}}, func() error {
		_, err := a.User.ListUsers(ctx, user.NewListUsersParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(10))))
		return err
	})
	createUser := func(c *v2client.HarborAPI, r *models.UserCreationReq) (int64, error) {
		_, err := c.User.CreateUser(ctx, user.NewCreateUserParams().WithUserReq(r))
		if err != nil {
			return 0, err
		}
		return h.createdID(t), nil
	}
	var capuser1, capuser2 int64
	h.call(t, expect{capture: "set2/b001_create_user"}, func() (err error) {
		capuser1, err = createUser(a, &models.UserCreationReq{Username: "capuser1", Email: "capuser1@example.com",
			Realname: "Cap User One", Password: "CapUser12345", Comment: "created by the rig"})
		return err
	})
	h.call(t, expect{capture: "set2/b002_create_user_second"}, func() (err error) {
		capuser2, err = createUser(a, &models.UserCreationReq{Username: "capuser2", Email: "capuser2@example.com",
			Realname: "Cap User Two", Password: "CapUser12345"})
		return err
	})
	for capture, r := range map[string]*models.UserCreationReq{
		"set2/b003_create_user_duplicate_username": {Username: "capuser1", Email: "other@example.com", Realname: "Dup", Password: "CapUser12345"},
		"set2/b004_create_user_duplicate_email":    {Username: "capuser9", Email: "capuser1@example.com", Realname: "Dup", Password: "CapUser12345"},
		"set2/b005_create_user_weak_password":      {Username: "capweak", Email: "capweak@example.com", Realname: "Weak", Password: "weak"},
		"set2/b006_create_user_bad_email":          {Username: "capbademail", Email: "not-an-email", Realname: "Bad", Password: "CapUser12345"},
		"set2/b007_create_user_missing_fields":     {Username: "capnofields"},
	} {
		h.call(t, expect{capture: capture}, func() error { _, err := createUser(a, r); return err })
	}
	anon := h.as(t, "", "")
	h.call(t, expect{capture: "set2/b009_create_user_anonymous"}, func() error {
		_, err := createUser(anon, &models.UserCreationReq{Username: "capanon", Email: "capanon@example.com",
			Realname: "Anon", Password: "CapUser12345"})
		return err
	})
	getUser := func(c *v2client.HarborAPI, id int64) func() error {
		return func() error {
			_, err := c.User.GetUser(ctx, user.NewGetUserParams().WithUserID(id))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b011_get_user", fields: userFields,
		same: []string{"username", "email", "realname", "comment", "sysadmin_flag", "admin_role_in_auth"}}, getUser(a, capuser1))
	h.call(t, expect{capture: "set2/b012_get_user_not_found"}, getUser(a, 999999))
	listFields := []string{"0.user_id", "0.username", "0.email", "0.realname", "0.comment", "0.sysadmin_flag", "0.creation_time"}
	h.call(t, expect{capture: "set2/b014_list_users_q_fuzzy", fields: listFields,
		same: []string{"0.username", "0.email", "0.comment", "1.username"}}, func() error {
		res, err := a.User.ListUsers(ctx, user.NewListUsersParams().WithQ(ptr("username=~capuser")).WithSort(ptr("username")))
		if err == nil && len(res.Payload) != 2 {
			t.Errorf("go-client decoded %d users, want 2", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/b015_list_users_page_size_1", fields: listFields, same: []string{"0.username"}}, func() error {
		_, err := a.User.ListUsers(ctx, user.NewListUsersParams().WithQ(ptr("username=~capuser")).
			WithPage(ptr(int64(1))).WithPageSize(ptr(int64(1))))
		return err
	})
	h.call(t, expect{capture: "set2/b017_list_users_page_size_101"}, func() error {
		_, err := a.User.ListUsers(ctx, user.NewListUsersParams().WithPageSize(ptr(int64(101))))
		return err
	})
	h.call(t, expect{capture: "set2/b018_list_users_anonymous"}, func() error {
		_, err := anon.User.ListUsers(ctx, user.NewListUsersParams())
		return err
	})
	plain := h.as(t, "capuser1", "CapUser12345")
	h.call(t, expect{capture: "set2/b019_list_users_as_plain_user"}, func() error {
		_, err := plain.User.ListUsers(ctx, user.NewListUsersParams())
		return err
	})
	h.call(t, expect{capture: "set2/b020_search_users", fields: []string{"0.user_id", "0.username"}, same: []string{""}},
		func() error {
			_, err := a.User.SearchUsers(ctx, user.NewSearchUsersParams().WithUsername("capuser"))
			return err
		})
	h.call(t, expect{capture: "set2/b021_search_users_as_plain_user", same: []string{""}}, func() error {
		_, err := plain.User.SearchUsers(ctx, user.NewSearchUsersParams().WithUsername("cap"))
		return err
	})
	profile := func(id int64, p *models.UserProfile) func() error {
		return func() error {
			_, err := a.User.UpdateUserProfile(ctx, user.NewUpdateUserProfileParams().WithUserID(id).WithProfile(p))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b023_update_user_profile"}, profile(capuser1, &models.UserProfile{
		Email: "capuser1.new@example.com", Realname: "Cap User One (renamed)", Comment: "profile updated"}))
	h.call(t, expect{capture: "set2/b024_get_user_after_profile_update", fields: userFields,
		same: []string{"username", "email", "realname", "comment"}}, getUser(a, capuser1))
	h.call(t, expect{capture: "set2/b025_update_user_profile_email_taken"}, profile(capuser1, &models.UserProfile{
		Email: "capuser2@example.com", Realname: "x", Comment: "x"}))
	h.call(t, expect{capture: "set2/b026_update_user_profile_not_found"}, profile(999999, &models.UserProfile{
		Email: "nobody@example.com", Realname: "n"}))
	password := func(c *v2client.HarborAPI, old, new string) func() error {
		return func() error {
			_, err := c.User.UpdateUserPassword(ctx, user.NewUpdateUserPasswordParams().WithUserID(capuser1).
				WithPassword(&models.PasswordReq{OldPassword: old, NewPassword: new}))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b027_update_password_by_admin"}, password(a, "", "CapUser67890"))
	self := h.as(t, "capuser1", "CapUser67890")
	h.call(t, expect{capture: "set2/b028_update_password_self_wrong_old"}, password(self, "WrongOld123", "CapUser24680"))
	h.call(t, expect{capture: "set2/b029_update_password_self"}, password(self, "CapUser67890", "CapUser24680"))
	self = h.as(t, "capuser1", "CapUser24680")
	h.call(t, expect{capture: "set2/b030_update_password_same_as_old"}, password(self, "CapUser24680", "CapUser24680"))
	h.call(t, expect{capture: "set2/b031_update_password_weak"}, password(a, "", "short"))
	h.call(t, expect{capture: "set2/b032_users_current_plain_user", fields: userFields,
		same: []string{"username", "email", "realname", "comment", "sysadmin_flag"}}, func() error {
		_, err := self.User.GetCurrentUserInfo(ctx, user.NewGetCurrentUserInfoParams())
		return err
	})
	sysadmin := func(c *v2client.HarborAPI, flag bool) func() error {
		return func() error {
			_, err := c.User.SetUserSysAdmin(ctx, user.NewSetUserSysAdminParams().WithUserID(capuser2).
				WithSysadminFlag(&models.UserSysAdminFlag{SysadminFlag: flag}))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b033_set_sysadmin_true"}, sysadmin(a, true))
	h.call(t, expect{capture: "set2/b034_get_user_after_sysadmin", // a user without comment
		fields: []string{"user_id", "username", "email", "realname", "sysadmin_flag", "admin_role_in_auth", "creation_time", "update_time"},
		same:   []string{"username", "sysadmin_flag", "admin_role_in_auth"}}, getUser(a, capuser2))
	// go-client sends {} for false (omitempty); both servers read it as false.
	h.call(t, expect{capture: "set2/b035_set_sysadmin_false"}, sysadmin(a, false))
	h.call(t, expect{capture: "set2/b036_set_sysadmin_as_plain_user"}, sysadmin(self, true))
	h.call(t, expect{capture: "set2/b037_set_cli_secret_db_auth"}, func() error {
		_, err := a.User.SetCliSecret(ctx, user.NewSetCliSecretParams().WithUserID(capuser1).
			WithSecret(&models.OIDCCliSecretReq{Secret: "CliSecret123"}))
		return err
	})
	h.call(t, expect{capture: "set2/b038_get_other_user_as_plain_user"}, getUser(self, capuser2))
	deleteUser := func(c *v2client.HarborAPI, id int64) func() error {
		return func() error {
			_, err := c.User.DeleteUser(ctx, user.NewDeleteUserParams().WithUserID(id))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b523_delete_user_who_is_project_member"}, deleteUser(a, capuser2))
	h.call(t, expect{capture: "set2/b524_get_deleted_user"}, getUser(a, capuser2))
	h.call(t, expect{capture: "set2/b525_delete_user_again"}, deleteUser(a, capuser2))
	h.call(t, expect{capture: "set2/b526_delete_user_not_found"}, deleteUser(a, 999999))
	h.call(t, expect{capture: "set2/b527_delete_user_admin"}, deleteUser(a, 1))
	h.call(t, expect{capture: "set2/b528_delete_user_as_plain_user"}, deleteUser(self, capuser1))
	h.call(t, expect{capture: "set2/b530_create_user_reusing_deleted_name"}, func() (err error) {
		capuser2, err = createUser(a, &models.UserCreationReq{Username: "capuser2", Email: "capuser2@example.com",
			Realname: "Cap User Two again", Password: "CapUser12345"})
		return err
	})
	h.call(t, expect{capture: "set2/b531_search_users_after_delete", same: []string{""}}, func() error {
		_, err := a.User.SearchUsers(ctx, user.NewSearchUsersParams().WithUsername("capuser"))
		return err
	})
}

func TestMembers(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	h.srv.AddUser("capuser1", "CapUser12345", false)
	capuser2 := h.srv.AddUser("capuser2", "CapUser12345", false)
	_, err := a.Usergroup.CreateUserGroup(ctx, usergroup.NewCreateUserGroupParams().
		WithUsergroup(&models.UserGroup{GroupName: "capgroup-http-renamed", GroupType: 2}))
	count(t, func(g *tally) { g.made++ })
	if err != nil {
		t.Fatal(err)
	}
	group := h.createdID(t)
	memberFields := []string{"id", "project_id", "entity_name", "entity_id", "entity_type", "role_id", "role_name"}
	list := func(c *v2client.HarborAPI, p *member.ListProjectMembersParams) func() error {
		return func() error {
			_, err := c.Member.ListProjectMembers(ctx, p.WithProjectNameOrID("capart1"))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b049_list_members", fields: prefixed("0.", memberFields),
		same: []string{"0.entity_name", "0.entity_type", "0.role_id", "0.role_name"}}, list(a, member.NewListProjectMembersParams()))
	create := func(m *models.ProjectMember) error {
		_, err := a.Member.CreateProjectMember(ctx, member.NewCreateProjectMemberParams().WithProjectNameOrID("capart1").
			WithProjectMember(m))
		return err
	}
	var mid int64
	h.call(t, expect{capture: "set2/b050_create_member_user_by_name"}, func() error {
		err := create(&models.ProjectMember{RoleID: 2, MemberUser: &models.UserEntity{Username: "capuser1"}})
		if err == nil {
			mid = h.createdID(t)
		}
		return err
	})
	h.call(t, expect{capture: "set2/b051_create_member_user_by_id"}, func() error {
		return create(&models.ProjectMember{RoleID: 3, MemberUser: &models.UserEntity{UserID: capuser2}})
	})
	for capture, m := range map[string]*models.ProjectMember{
		"set2/b052_create_member_duplicate":             {RoleID: 2, MemberUser: &models.UserEntity{Username: "capuser1"}},
		"set2/b053_create_member_unknown_user":          {RoleID: 2, MemberUser: &models.UserEntity{Username: "nosuchuser"}},
		"set2/b054_create_member_bad_role":              {RoleID: 99, MemberUser: &models.UserEntity{Username: "capuser2"}},
		"set2/b055_create_member_no_member":             {RoleID: 2},
		"set2/b057_create_member_group_by_name_unknown": {RoleID: 4, MemberGroup: &models.UserGroup{GroupName: "nosuchgroup", GroupType: 1}},
	} {
		h.call(t, expect{capture: capture}, func() error { return create(m) })
	}
	h.call(t, expect{capture: "set2/b056_create_member_group_by_id"}, func() error {
		return create(&models.ProjectMember{RoleID: 4, MemberGroup: &models.UserGroup{ID: group}})
	})
	h.call(t, expect{capture: "set2/b058_list_members_after_create", fields: prefixed("1.", memberFields),
		same: []string{"0.entity_name", "1.entity_name", "1.entity_type", "1.role_name", "2.entity_name", "2.role_name",
			"3.entity_name", "3.role_name"}}, list(a, member.NewListProjectMembersParams()))
	h.call(t, expect{capture: "set2/b059_list_members_entityname", same: []string{""}},
		list(a, member.NewListProjectMembersParams().WithEntityname(ptr("capuser"))))
	h.call(t, expect{capture: "set2/b060_list_members_page_size_1", same: []string{"0.entity_name", "0.role_name"}},
		list(a, member.NewListProjectMembersParams().WithPage(ptr(int64(1))).WithPageSize(ptr(int64(1)))))
	get := func(id int64) func() error {
		return func() error {
			_, err := a.Member.GetProjectMember(ctx, member.NewGetProjectMemberParams().WithProjectNameOrID("capart1").WithMid(id))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b061_get_member", fields: memberFields, same: []string{"entity_name", "entity_type", "role_id", "role_name"}},
		get(mid))
	h.call(t, expect{capture: "set2/b062_get_member_not_found"}, get(999999))
	update := func(id, role int64) func() error {
		return func() error {
			_, err := a.Member.UpdateProjectMember(ctx, member.NewUpdateProjectMemberParams().WithProjectNameOrID("capart1").WithMid(id).
				WithRole(&models.RoleRequest{RoleID: role}))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b063_update_member_role"}, update(mid, 4))
	h.call(t, expect{capture: "set2/b064_update_member_bad_role"}, update(mid, 99))
	h.call(t, expect{capture: "set2/b065_update_member_not_found"}, update(999999, 2))
	// Harbor keeps the member with role 99 but cannot read it back.
	h.call(t, expect{capture: "set2/b066_get_member_after_update"}, get(mid))
	h.call(t, expect{capture: "set2/b067_list_members_as_member_user"},
		list(h.as(t, "capuser1", "CapUser12345"), member.NewListProjectMembersParams()))
	del := func() error {
		_, err := a.Member.DeleteProjectMember(ctx, member.NewDeleteProjectMemberParams().WithProjectNameOrID("capart1").WithMid(mid))
		return err
	}
	h.call(t, expect{capture: "set2/b071_delete_member"}, del)
	h.call(t, expect{capture: "set2/b072_get_deleted_member"}, get(mid))
	h.call(t, expect{capture: "set2/b073_delete_member_again"}, del)
	h.call(t, expect{capture: "set2/b069_list_members_project_missing"}, func() error {
		_, err := a.Member.ListProjectMembers(ctx, member.NewListProjectMembersParams().WithProjectNameOrID("nosuchproj"))
		return err
	})
}

func TestLabels(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	pid := h.srv.AddProject("capart1", false)
	labelFields := []string{"id", "name", "description", "color", "scope", "creation_time", "update_time"}
	create := func(c *v2client.HarborAPI, l *models.Label) (int64, error) {
		_, err := c.Label.CreateLabel(ctx, label.NewCreateLabelParams().WithLabel(l))
		if err != nil {
			return 0, err
		}
		return h.createdID(t), nil
	}
	var global int64
	h.call(t, expect{capture: "set2/p007_create_label_global"}, func() (err error) {
		global, err = create(a, &models.Label{Name: "cap-global", Description: "global label", Color: "#48960C", Scope: "g"})
		return err
	})
	h.call(t, expect{capture: "set2/p008_create_label_project"}, func() error {
		_, err := create(a, &models.Label{Name: "cap-proj", Description: "project label of capart1", Color: "#0065AB",
			Scope: "p", ProjectID: pid})
		return err
	})
	list := func(p *label.ListLabelsParams) func() error {
		return func() error {
			_, err := a.Label.ListLabels(ctx, p)
			return err
		}
	}
	// A global label has no project_id: Harbor leaves the 0 out.
	h.call(t, expect{capture: "set2/b089_list_labels_global", fields: prefixed("0.", labelFields), same: []string{""}},
		list(label.NewListLabelsParams().WithScope(ptr("g"))))
	h.call(t, expect{capture: "set2/b090_list_labels_project", fields: prefixed("0.", append(labelFields, "project_id")),
		same: []string{"0.name", "0.description", "0.color", "0.scope"}},
		list(label.NewListLabelsParams().WithScope(ptr("p")).WithProjectID(&pid)))
	h.call(t, expect{capture: "set2/b091_list_labels_no_scope"}, list(label.NewListLabelsParams()))
	h.call(t, expect{capture: "set2/b092_list_labels_project_scope_no_id"}, list(label.NewListLabelsParams().WithScope(ptr("p"))))
	h.call(t, expect{capture: "set2/b093_list_labels_name_filter", same: []string{"0.name", "0.scope"}},
		list(label.NewListLabelsParams().WithScope(ptr("g")).WithName(ptr("cap"))))
	h.call(t, expect{capture: "set2/b094_list_labels_q_name", same: []string{"0.name", "0.scope"}},
		list(label.NewListLabelsParams().WithScope(ptr("g")).WithQ(ptr("name=~cap"))))
	h.call(t, expect{capture: "set2/b095_list_labels_page_size_101"},
		list(label.NewListLabelsParams().WithScope(ptr("g")).WithPageSize(ptr(int64(101)))))
	get := func(id int64) func() error {
		return func() error {
			_, err := a.Label.GetLabelByID(ctx, label.NewGetLabelByIDParams().WithLabelID(id))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b096_get_label", fields: labelFields, same: []string{"name", "description", "color", "scope"}}, get(global))
	h.call(t, expect{capture: "set2/b097_get_label_not_found"}, get(999999))
	for capture, l := range map[string]*models.Label{
		"set2/b098_create_label_duplicate":                  {Name: "cap-global", Color: "#48960C", Scope: "g"},
		"set2/b099_create_label_project_missing_project_id": {Name: "cap-noproj", Scope: "p"},
		"set2/b100_create_label_bad_scope":                  {Name: "cap-badscope", Scope: "x"},
		"set2/b102_create_label_same_name_other_scope":      {Name: "cap-global", Scope: "p", ProjectID: pid},
	} {
		h.call(t, expect{capture: capture}, func() error { _, err := create(a, l); return err })
	}
	var temp int64
	h.call(t, expect{capture: "set2/b103_create_label_global_second"}, func() (err error) {
		temp, err = create(a, &models.Label{Name: "cap-temp", Description: "to be updated and deleted", Color: "#F52F52", Scope: "g"})
		return err
	})
	update := func(l *models.Label) func() error {
		return func() error {
			_, err := a.Label.UpdateLabel(ctx, label.NewUpdateLabelParams().WithLabelID(temp).WithLabel(l))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b104_update_label"}, update(&models.Label{
		Name: "cap-temp-renamed", Description: "updated", Color: "#FFDC0B", Scope: "g"}))
	h.call(t, expect{capture: "set2/b105_update_label_name_conflict"}, update(&models.Label{Name: "cap-global", Scope: "g"}))
	h.call(t, expect{capture: "set2/b106_get_label_after_update", fields: labelFields,
		same: []string{"name", "description", "color", "scope"}}, get(temp))
	h.call(t, expect{capture: "set2/b108_create_label_anonymous"}, func() error {
		_, err := create(h.as(t, "", ""), &models.Label{Name: "cap-anon", Scope: "g"})
		return err
	})
	del := func() error {
		_, err := a.Label.DeleteLabel(ctx, label.NewDeleteLabelParams().WithLabelID(temp))
		return err
	}
	h.call(t, expect{capture: "set2/b109_delete_label"}, del)
	h.call(t, expect{capture: "set2/b110_delete_label_again"}, del)
}

func TestQuotas(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	pid := h.srv.AddProject("capart2", true)
	ref := strconv.FormatInt(pid, 10)
	quotaFields := []string{"0.id", "0.ref", "0.ref.id", "0.ref.name", "0.ref.owner_name", "0.hard", "0.hard.storage",
		"0.used", "0.used.storage", "0.creation_time", "0.update_time"}
	var qid int64
	h.call(t, expect{capture: "set2/b211_list_quotas_reference_project", fields: quotaFields,
		same: []string{"0.ref.name", "0.ref.owner_name"}}, func() error { // hard: the recorded project had a limit set
		res, err := a.Quota.ListQuotas(ctx, quota.NewListQuotasParams().WithReference(ptr("project")).WithReferenceID(&ref))
		if err == nil && len(res.Payload) == 1 {
			qid = res.Payload[0].ID
		}
		return err
	})
	h.call(t, expect{capture: "set2/b213_get_quota", fields: []string{"id", "ref", "hard", "used"}, same: []string{"ref.name"}},
		func() error {
			_, err := a.Quota.GetQuota(ctx, quota.NewGetQuotaParams().WithID(qid))
			return err
		})
	h.call(t, expect{capture: "set2/b214_get_quota_not_found"}, func() error {
		_, err := a.Quota.GetQuota(ctx, quota.NewGetQuotaParams().WithID(999999))
		return err
	})
	h.call(t, expect{capture: "set2/b215_update_quota"}, func() error {
		_, err := a.Quota.UpdateQuota(ctx, quota.NewUpdateQuotaParams().WithID(qid).
			WithHard(&models.QuotaUpdateReq{Hard: models.ResourceList{"storage": 2147483648}}))
		return err
	})
	for _, u := range []struct {
		capture string
		hard    models.ResourceList
	}{ // in the recorded order: b219 leaves the quota unlimited for b221
		{"set2/b216_update_quota_below_usage", models.ResourceList{"storage": 10}},
		{"set2/b217_update_quota_bad_resource", models.ResourceList{"count": 10}},
		{"set2/b218_update_quota_negative", models.ResourceList{"storage": -5}},
		{"set2/b219_update_quota_unlimited", models.ResourceList{"storage": -1}},
		{"set2/b220_update_quota_empty_hard", models.ResourceList{}},
	} {
		h.call(t, expect{capture: u.capture}, func() error {
			_, err := a.Quota.UpdateQuota(ctx, quota.NewUpdateQuotaParams().WithID(qid).WithHard(&models.QuotaUpdateReq{Hard: u.hard}))
			return err
		})
	}
	h.call(t, expect{capture: "set2/b221_get_quota_after_update", fields: []string{"id", "ref", "hard", "used", "creation_time", "update_time"},
		same: []string{"ref.name", "ref.owner_name", "hard"}}, func() error {
		_, err := a.Quota.GetQuota(ctx, quota.NewGetQuotaParams().WithID(qid))
		return err
	})
	h.srv.AddProject("capart1", false)
	h.call(t, expect{capture: "set2/b210_list_quotas", fields: []string{"0.id", "0.ref", "0.hard", "0.used"}}, func() error {
		_, err := a.Quota.ListQuotas(ctx, quota.NewListQuotasParams().WithPageSize(ptr(int64(3))))
		return err
	})
	h.call(t, expect{capture: "set2/b212_list_quotas_sort_used_storage", fields: []string{"0.id", "0.ref", "0.hard", "0.used"}},
		func() error {
			_, err := a.Quota.ListQuotas(ctx, quota.NewListQuotasParams().WithSort(ptr("-used.storage")).WithPageSize(ptr(int64(2))))
			return err
		})
	h.call(t, expect{capture: "set2/b223_list_quotas_anonymous"}, func() error {
		_, err := h.as(t, "", "").Quota.ListQuotas(ctx, quota.NewListQuotasParams())
		return err
	})
}

func TestRegistries(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false) // b175 lists its labels' names
	// The recording's rig had nothing listening on these ports.
	for _, u := range []string{"http://127.0.0.1:15999", "http://127.0.0.1:15995", "http://127.0.0.1:15994"} {
		h.srv.MarkRegistryUnreachable(u)
	}
	h.call(t, expect{capture: "set2/b117_list_registry_adapters", same: []string{""}}, func() error {
		_, err := a.Registry.ListRegistryProviderTypes(ctx, registry.NewListRegistryProviderTypesParams())
		return err
	})
	h.call(t, expect{capture: "set2/b118_list_registry_adapter_infos", same: []string{""}}, func() error {
		_, err := a.Registry.ListRegistryProviderInfos(ctx, registry.NewListRegistryProviderInfosParams())
		return err
	})
	h.call(t, expect{capture: "set2/b119_list_registries_empty", same: []string{""}}, func() error {
		_, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams())
		return err
	})
	create := func(r *models.Registry) (int64, error) {
		_, err := a.Registry.CreateRegistry(ctx, registry.NewCreateRegistryParams().WithRegistry(r))
		if err != nil {
			return 0, err
		}
		return h.createdID(t), nil
	}
	basic := func(key, secret string) *models.RegistryCredential {
		return &models.RegistryCredential{Type: "basic", AccessKey: key, AccessSecret: secret}
	}
	var local int64
	for _, c := range []struct {
		capture string
		r       *models.Registry
	}{
		{"set2/b120_create_registry_dummy_unreachable", &models.Registry{Name: "cap-dummy", Type: "docker-registry",
			URL: "http://127.0.0.1:15999", Insecure: true, Description: "nothing listens here", Credential: basic("u", "p")}},
		{"set2/b121_create_registry_local_distribution", &models.Registry{Name: "cap-local-distribution", Type: "docker-registry",
			URL: "http://127.0.0.1:15000", Insecure: true, Description: "the rig's own registry:2.8.3 (behind core)",
			Credential: basic("harbor_registry_user", "jDtP4WYqXUcIL65e")}},
		{"set2/b122_create_registry_harbor_self", &models.Registry{Name: "cap-harbor-self", Type: "harbor", URL: h.srv.URL,
			Insecure: true, Credential: basic("admin", "Harbor12345")}},
		{"set2/b123_create_registry_duplicate_name", &models.Registry{Name: "cap-dummy", Type: "docker-registry",
			URL: "http://127.0.0.1:15995", Insecure: true}},
		{"set2/b124_create_registry_bad_type", &models.Registry{Name: "cap-badtype", Type: "no-such-type", URL: "http://127.0.0.1:15995"}},
		{"set2/b125_create_registry_bad_url", &models.Registry{Name: "cap-badurl", Type: "docker-registry", URL: "not a url"}},
		{"set2/b126_create_registry_missing_url", &models.Registry{Name: "cap-nourl", Type: "docker-registry"}},
	} {
		h.call(t, expect{capture: c.capture}, func() error {
			id, err := create(c.r)
			if err == nil {
				local = id
			}
			return err
		})
	}
	registryFields := []string{"id", "name", "type", "url", "insecure", "description", "credential", "credential.type",
		"credential.access_key", "credential.access_secret", "status", "creation_time", "update_time"}
	h.call(t, expect{capture: "set2/b128_list_registries", fields: prefixed("0.", registryFields),
		same: []string{"0.name", "0.type", "0.url", "0.insecure", "0.description", "0.credential", "0.status"}}, func() error {
		res, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams())
		if err == nil && len(res.Payload) != 1 {
			t.Errorf("go-client decoded %d registries, want 1", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/b130_list_registries_name_param", same: []string{""}}, func() error {
		_, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams().WithName(ptr("cap-dummy")))
		return err
	})
	h.call(t, expect{capture: "set2/b134_get_registry_info_local_distribution", same: []string{""}}, func() error {
		_, err := a.Registry.GetRegistryInfo(ctx, registry.NewGetRegistryInfoParams().WithID(local))
		return err
	})
	h.call(t, expect{capture: "set2/b136_get_registry_info_not_found"}, func() error {
		_, err := a.Registry.GetRegistryInfo(ctx, registry.NewGetRegistryInfoParams().WithID(999999))
		return err
	})
	ping := func(p *models.RegistryPing) func() error {
		return func() error {
			_, err := a.Registry.PingRegistry(ctx, registry.NewPingRegistryParams().WithRegistry(p))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b138_ping_registry_by_id_local"}, ping(&models.RegistryPing{ID: &local}))
	h.call(t, expect{capture: "set2/b139_ping_registry_by_url_bad_creds"}, ping(&models.RegistryPing{Type: ptr("docker-registry"),
		URL: ptr("http://127.0.0.1:15000"), Insecure: ptr(true), CredentialType: ptr("basic"), AccessKey: ptr("x"), AccessSecret: ptr("y")}))
	h.call(t, expect{capture: "set2/b140_ping_registry_by_id_missing"}, ping(&models.RegistryPing{ID: ptr(int64(999999))}))
	// b137 sent {"id":null}: go-client leaves a nil id out, as in b141.
	h.call(t, expect{capture: "set2/b141_ping_registry_empty_body"}, ping(&models.RegistryPing{}))
	h.call(t, expect{capture: "set2/b144_update_registry_not_found"}, func() error {
		_, err := a.Registry.UpdateRegistry(ctx, registry.NewUpdateRegistryParams().WithID(999999).
			WithRegistry(&models.RegistryUpdate{Description: ptr("x")}))
		return err
	})
	var self, anonDist int64
	h.call(t, expect{capture: "set2/b167_create_registry_harbor_via_localhost"}, func() (err error) {
		// The remote is harbortest itself reached as localhost, as the
		// recording reached the recorded Harbor: under its own URL Harbor
		// refuses to register itself (b122).
		self, err = create(&models.Registry{Name: "cap-harbor-self", Type: "harbor", URL: localhostURL(t, h.srv.URL), Insecure: true,
			Description: "this Harbor, reached as localhost so it is not taken for the local instance",
			Credential:  basic("admin", "Harbor12345")})
		return err
	})
	h.call(t, expect{capture: "set2/b168_create_registry_docker_registry_no_credential"}, func() (err error) {
		anonDist, err = create(&models.Registry{Name: "cap-anon-distribution", Type: "docker-registry",
			URL: "http://127.0.0.1:15000", Insecure: true})
		return err
	})
	h.call(t, expect{capture: "set2/b169_create_registry_duplicate_name_healthy_url"}, func() error {
		_, err := create(&models.Registry{Name: "cap-local-distribution", Type: "docker-registry", URL: "http://127.0.0.1:15000",
			Insecure: true, Credential: basic("harbor_registry_user", "jDtP4WYqXUcIL65e")})
		return err
	})
	h.call(t, expect{capture: "set2/b171_list_registries_q_name", fields: prefixed("0.", registryFields),
		same: []string{"0.name", "1.name"}}, func() error {
		res, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams().WithQ(ptr("name=~cap-")).
			WithPage(ptr(int64(1))).WithPageSize(ptr(int64(2))))
		if err == nil && len(res.Payload) != 2 {
			t.Errorf("go-client decoded %d registries, want 2", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/b172_list_registries_name_param", fields: []string{"0.id", "0.name"}, same: []string{"0.name"}},
		func() error {
			_, err := a.Registry.ListRegistries(ctx, registry.NewListRegistriesParams().WithName(ptr("cap-harbor-self")))
			return err
		})
	get := func(id int64) func() error {
		return func() error {
			_, err := a.Registry.GetRegistry(ctx, registry.NewGetRegistryParams().WithID(id))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b173_get_registry", fields: registryFields,
		same: []string{"name", "type", "insecure", "description", "credential.type", "credential.access_key", "credential.access_secret", "status"}},
		get(self))
	h.call(t, expect{capture: "set2/b174_get_registry_no_credential", same: []string{"name", "type", "url", "insecure", "credential", "status"}},
		get(anonDist))
	h.call(t, expect{capture: "set2/b132_get_registry_not_found"}, get(999999))
	h.call(t, expect{capture: "set2/b175_get_registry_info_harbor", fields: []string{"type", "supported_resource_filters", "supported_triggers",
		"supported_copy_by_chunk"}, same: []string{"type", "supported_triggers", "supported_copy_by_chunk"}}, func() error {
		_, err := a.Registry.GetRegistryInfo(ctx, registry.NewGetRegistryInfoParams().WithID(self))
		return err
	})
	h.call(t, expect{capture: "set2/b176_ping_registry_by_id_harbor"}, ping(&models.RegistryPing{ID: &self}))
	h.call(t, expect{capture: "set2/b177_ping_registry_by_url_unreachable"}, ping(&models.RegistryPing{Type: ptr("docker-registry"),
		URL: ptr("http://127.0.0.1:15999"), Insecure: ptr(true)}))
	h.call(t, expect{capture: "set2/b178_ping_registry_by_url_harbor_core_url_as_basic"}, ping(&models.RegistryPing{Type: ptr("harbor"),
		URL: ptr(h.srv.URL), Insecure: ptr(true), CredentialType: ptr("basic"), AccessKey: ptr("admin"), AccessSecret: ptr("Harbor12345")}))
	update := func(u *models.RegistryUpdate) func() error {
		return func() error {
			_, err := a.Registry.UpdateRegistry(ctx, registry.NewUpdateRegistryParams().WithID(anonDist).WithRegistry(u))
			return err
		}
	}
	h.call(t, expect{capture: "set2/b179_update_registry"}, update(&models.RegistryUpdate{
		Description: ptr("updated description"), Insecure: ptr(false)}))
	h.call(t, expect{capture: "set2/b180_update_registry_to_unreachable_url"}, update(&models.RegistryUpdate{URL: ptr("http://127.0.0.1:15994")}))
	h.call(t, expect{capture: "set2/b181_update_registry_name_conflict"}, update(&models.RegistryUpdate{Name: ptr("cap-harbor-self")}))
	h.call(t, expect{capture: "set2/b182_get_registry_after_update", fields: []string{"id", "name", "description", "credential", "status", "url"},
		same: []string{"name", "description", "credential", "status", "type"}}, func() error {
		res, err := a.Registry.GetRegistry(ctx, registry.NewGetRegistryParams().WithID(anonDist))
		if err == nil && res.Payload.Insecure {
			t.Error("insecure still set after b179")
		}
		return err
	})
	del := func() error {
		_, err := a.Registry.DeleteRegistry(ctx, registry.NewDeleteRegistryParams().WithID(anonDist))
		return err
	}
	h.call(t, expect{capture: "set2/b208_delete_registry"}, del)
	h.call(t, expect{capture: "set2/b209_delete_registry_again"}, del)
}

func TestRepositoriesAndArtifacts(t *testing.T) {
	h := newHarness(t)
	a := h.admin
	h.srv.AddProject("capart1", false)
	h.srv.AddRepository("capart1", "team/app")
	h.srv.AddRepository("capart1", "tools")
	digest := seedImage(h.srv, "capart1", "team/app")
	// Harbor wants "a/b" as "a%252Fb" in the path: go-client escapes once,
	// so the caller escapes once more.
	teamApp := url.PathEscape("team/app")

	repoFields := []string{"0.id", "0.name", "0.project_id", "0.artifact_count", "0.pull_count", "0.creation_time", "0.update_time"}
	h.call(t, expect{capture: "set2/p010_list_repositories_capart1", fields: repoFields}, func() error {
		res, err := a.Repository.ListRepositories(ctx, repository.NewListRepositoriesParams().WithProjectName("capart1"))
		if err == nil && len(res.Payload) != 2 {
			t.Errorf("go-client decoded %d repositories, want 2", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/p011_list_repositories_capart1_page_size_1", fields: repoFields}, func() error {
		_, err := a.Repository.ListRepositories(ctx, repository.NewListRepositoriesParams().WithProjectName("capart1").
			WithPage(ptr(int64(1))).WithPageSize(ptr(int64(1))))
		return err
	})
	h.call(t, expect{capture: "set2/p019_list_repositories_project_missing"}, func() error {
		_, err := a.Repository.ListRepositories(ctx, repository.NewListRepositoriesParams().WithProjectName("nosuchproj"))
		return err
	})
	artifactFields := []string{"0.id", "0.digest", "0.type", "0.media_type", "0.manifest_media_type", "0.project_id",
		"0.repository_id", "0.size", "0.push_time", "0.pull_time", "0.extra_attrs"} // no tags: seeded untagged
	h.call(t, expect{capture: "set2/p032_list_artifacts_default", fields: artifactFields}, func() error {
		res, err := a.Artifact.ListArtifacts(ctx, artifact.NewListArtifactsParams().WithProjectName("capart1").WithRepositoryName(teamApp))
		if err == nil && (len(res.Payload) != 1 || res.Payload[0].Digest != digest) {
			t.Errorf("go-client decoded %d artifacts, want the seeded one", len(res.Payload))
		}
		return err
	})
	h.call(t, expect{capture: "set2/p046_list_artifacts_page_size_101"}, func() error {
		_, err := a.Artifact.ListArtifacts(ctx, artifact.NewListArtifactsParams().WithProjectName("capart1").WithRepositoryName(teamApp).
			WithPageSize(ptr(int64(101))))
		return err
	})
	h.call(t, expect{capture: "set2/p053_list_artifacts_repo_missing", same: []string{""}}, func() error {
		_, err := a.Artifact.ListArtifacts(ctx, artifact.NewListArtifactsParams().WithProjectName("capart1").WithRepositoryName("nosuchrepo"))
		return err
	})

	t.Run("single repository", func(t *testing.T) {
		h.probe(t, "GET /projects/{p}/repositories/{r}", func() error {
			_, err := a.Repository.GetRepository(ctx, repository.NewGetRepositoryParams().WithProjectName("capart1").WithRepositoryName(teamApp))
			return err
		})
		h.call(t, expect{capture: "set2/p024_get_repository_nested_double_encoded",
			fields: []string{"id", "name", "project_id", "artifact_count", "pull_count", "creation_time", "update_time"},
			same:   []string{"name"}}, func() error {
			_, err := a.Repository.GetRepository(ctx, repository.NewGetRepositoryParams().WithProjectName("capart1").WithRepositoryName(teamApp))
			return err
		})
		h.call(t, expect{capture: "set2/p027_get_repository_not_found"}, func() error {
			_, err := a.Repository.GetRepository(ctx, repository.NewGetRepositoryParams().WithProjectName("capart1").WithRepositoryName("nosuchrepo"))
			return err
		})
		h.call(t, expect{capture: "set2/p020_list_all_repositories", fields: []string{"0.id", "0.name"}}, func() error {
			_, err := a.Repository.ListAllRepositories(ctx, repository.NewListAllRepositoriesParams())
			return err
		})
		h.call(t, expect{capture: "set2/p030_update_repository_description"}, func() error {
			_, err := a.Repository.UpdateRepository(ctx, repository.NewUpdateRepositoryParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithRepository(&models.Repository{Description: "the team app, recorded by the rig"}))
			return err
		})
		h.call(t, expect{capture: "set2/p031_get_repository_after_update",
			fields: []string{"id", "name", "description", "project_id", "artifact_count", "pull_count", "creation_time", "update_time"},
			same:   []string{"name", "description"}}, func() error {
			_, err := a.Repository.GetRepository(ctx, repository.NewGetRepositoryParams().WithProjectName("capart1").WithRepositoryName(teamApp))
			return err
		})
		h.call(t, expect{capture: "set2/p169_delete_repository"}, func() error {
			_, err := a.Repository.DeleteRepository(ctx, repository.NewDeleteRepositoryParams().WithProjectName("capart1").WithRepositoryName("tools"))
			return err
		})
		h.call(t, expect{capture: "set2/p170_get_deleted_repository"}, func() error {
			_, err := a.Repository.GetRepository(ctx, repository.NewGetRepositoryParams().WithProjectName("capart1").WithRepositoryName("tools"))
			return err
		})
	})

	t.Run("single artifact", func(t *testing.T) {
		h.probe(t, "GET /projects/{p}/repositories/{r}/artifacts/{ref}", func() error {
			_, err := a.Artifact.GetArtifact(ctx, artifact.NewGetArtifactParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest))
			return err
		})
		h.call(t, expect{capture: "set2/p059_get_artifact_by_digest",
			fields: []string{"id", "digest", "type", "media_type", "manifest_media_type", "size", "push_time", "extra_attrs"},
			same:   []string{"digest"}}, func() error {
			_, err := a.Artifact.GetArtifact(ctx, artifact.NewGetArtifactParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest))
			return err
		})
		h.call(t, expect{capture: "set2/p062_get_artifact_digest_missing"}, func() error {
			_, err := a.Artifact.GetArtifact(ctx, artifact.NewGetArtifactParams().WithProjectName("capart1").WithRepositoryName(teamApp).
				WithReference("sha256:0000000000000000000000000000000000000000000000000000000000000000"))
			return err
		})
		h.call(t, expect{capture: "set2/p080_create_tag"}, func() error {
			_, err := a.Artifact.CreateTag(ctx, artifact.NewCreateTagParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest).WithTag(&models.Tag{Name: "rc1"}))
			return err
		})
		h.call(t, expect{capture: "set2/p081_create_tag_duplicate"}, func() error {
			_, err := a.Artifact.CreateTag(ctx, artifact.NewCreateTagParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest).WithTag(&models.Tag{Name: "rc1"}))
			return err
		})
		h.call(t, expect{capture: "set2/p076_list_tags", fields: []string{"0.id", "0.name", "0.artifact_id", "0.repository_id", "0.push_time"}},
			func() error {
				_, err := a.Artifact.ListTags(ctx, artifact.NewListTagsParams().WithProjectName("capart1").
					WithRepositoryName(teamApp).WithReference(digest))
				return err
			})
		get := func(ref string) func() error {
			return func() error {
				_, err := a.Artifact.GetArtifact(ctx, artifact.NewGetArtifactParams().WithProjectName("capart1").
					WithRepositoryName(teamApp).WithReference(ref))
				return err
			}
		}
		h.call(t, expect{capture: "set2/p061_get_artifact_tag_missing"}, get("9.9"))
		h.call(t, expect{capture: "set2/p063_get_artifact_bad_reference"}, get("sha256:abc"))
		h.call(t, expect{capture: "set2/p083_create_tag_bad_name"}, func() error {
			_, err := a.Artifact.CreateTag(ctx, artifact.NewCreateTagParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest).WithTag(&models.Tag{Name: "bad tag!"}))
			return err
		})
		deleteTag := func() error {
			_, err := a.Artifact.DeleteTag(ctx, artifact.NewDeleteTagParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest).WithTagName("rc1"))
			return err
		}
		h.call(t, expect{capture: "set2/p087_delete_tag"}, deleteTag)
		h.call(t, expect{capture: "set2/p088_delete_tag_missing"}, deleteTag)
		var labelID int64
		h.call(t, expect{}, func() error { // the label p090 adds
			_, err := a.Label.CreateLabel(ctx, label.NewCreateLabelParams().WithLabel(&models.Label{Name: "cap-global", Scope: "g"}))
			if err == nil {
				labelID = h.createdID(t)
			}
			return err
		})
		addLabel := func(id int64) func() error {
			return func() error {
				_, err := a.Artifact.AddLabel(ctx, artifact.NewAddLabelParams().WithProjectName("capart1").
					WithRepositoryName(teamApp).WithReference(digest).WithLabel(&models.Label{ID: id}))
				return err
			}
		}
		h.call(t, expect{capture: "set2/p090_add_label_global"}, addLabel(labelID))
		h.call(t, expect{capture: "set2/p092_add_label_duplicate"}, addLabel(labelID))
		h.call(t, expect{capture: "set2/p093_add_label_missing"}, addLabel(999999))
		removeLabel := func() error {
			_, err := a.Artifact.RemoveLabel(ctx, artifact.NewRemoveLabelParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest).WithLabelID(labelID))
			return err
		}
		h.call(t, expect{capture: "set2/p098_remove_label"}, removeLabel)
		h.call(t, expect{capture: "set2/p099_remove_label_again"}, removeLabel)
		deleteArtifact := func() error {
			_, err := a.Artifact.DeleteArtifact(ctx, artifact.NewDeleteArtifactParams().WithProjectName("capart1").
				WithRepositoryName(teamApp).WithReference(digest))
			return err
		}
		h.call(t, expect{capture: "set2/p165_delete_artifact_by_digest_copied"}, deleteArtifact)
		h.call(t, expect{capture: "set2/p161_delete_artifact_again"}, deleteArtifact)
	})
}
