package harbor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/configure"
	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/robot"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// FindRobot returns the robot called name: the short name ("from_api"),
// the full name ("robot$from_api", prefix as RobotNamePrefix says) or a
// project robot's full name ("robot$proj+name").
//
// When Harbor lists no robot of that name, the error matches ErrNotFound
// (not an *Error: Harbor answered 200 with an empty list) and names what
// was searched. Harbor's refusals are *Error. A nil ctx, an empty name, a
// name holding "," or "=" or one that is only the prefix is an error.
//
// Needs robot:list, and project:read for a project robot.
func (c *Client) FindRobot(ctx context.Context, name string) (_ *models.Robot, err error) {
	defer inVoice("FindRobot", &err)
	if err := checkContext(ctx, "FindRobot"); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("harbor: FindRobot: name is empty")
	}
	if strings.ContainsAny(name, ",=") { // Harbor's q syntax
		return nil, fmt.Errorf(`harbor: FindRobot: name %q holds "," or "=" (no robot name does)`, name)
	}
	prefix, err := c.robotNamePrefix(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("harbor: FindRobot %q: reading the robot name prefix: %w", name, err)
	}
	stored := strings.TrimPrefix(name, prefix) // Harbor stores and queries names without the prefix
	if stored == "" {
		return nil, fmt.Errorf("harbor: FindRobot: name %q is only the prefix %q", name, prefix)
	}
	full := prefix + stored
	q := "Level=" + LevelSystem + ",name=" + stored
	where := "system robots"
	if projectName, robotName, ok := strings.Cut(stored, "+"); ok {
		if projectName == "" || robotName == "" {
			return nil, fmt.Errorf(`harbor: FindRobot: name %q: a project robot's name is project+name, both non-empty`, name)
		}
		if err := checkSegments("FindRobot", "project name", projectName); err != nil {
			return nil, err
		}
		p, err := c.api.Project.GetProject(ctx, project.NewGetProjectParams().
			WithProjectNameOrID(projectName).WithXIsResourceName(Ptr(true)))
		if err != nil {
			return nil, fmt.Errorf("harbor: FindRobot %q: project %q: %w", full, projectName, err)
		}
		// Harbor unescapes q once more (src/lib/q): the "+" would reach it as a
		// space. Ask for names holding the robot's part, compare whole names.
		q = fmt.Sprintf("Level=%s,ProjectID=%d,name=~%s", LevelProject, p.Payload.ProjectID, robotName)
		where = fmt.Sprintf("robots of project %q (id %d)", projectName, p.Payload.ProjectID)
	}
	for r, err := range All(ctx, c.api.Robot.ListRobot, robot.NewListRobotParams().WithQ(&q)) {
		if err != nil {
			return nil, fmt.Errorf("harbor: FindRobot %q: %w", full, err)
		}
		if r != nil && r.Name == full {
			return r, nil
		}
	}
	return nil, &notFoundError{what: fmt.Sprintf("harbor: FindRobot: no robot named %q among the %s (GET /robots?q=%s listed none)", full, where, q)}
}

// DefaultRobotNamePrefix is Harbor's default robot_name_prefix.
const DefaultRobotNamePrefix = "robot$"

// RobotNamePrefix returns the prefix Harbor puts before robot names:
// WithRobotNamePrefix if given, else the server's robot_name_prefix (GET
// /configurations, administrators only; any answer, a refusal included, is
// kept, no answer or a 5xx is asked again next time), else
// DefaultRobotNamePrefix. Concurrent first calls may each ask. With a nil
// ctx it sends nothing and returns what it knows.
func (c *Client) RobotNamePrefix(ctx context.Context) string {
	prefix, _ := c.robotNamePrefix(ctx)
	return prefix
}

// robotNamePrefix is RobotNamePrefix, with the error of the request when
// it got no answer (the default prefix is then returned and not kept).
func (c *Client) robotNamePrefix(ctx context.Context) (string, error) {
	c.prefixMu.Lock()
	known := c.prefix
	c.prefixMu.Unlock()
	if known != "" {
		return known, nil
	}
	if err := checkContext(ctx, "RobotNamePrefix"); err != nil {
		return DefaultRobotNamePrefix, err
	}
	prefix := DefaultRobotNamePrefix
	res, err := c.api.Configure.GetConfigurations(ctx, configure.NewGetConfigurationsParams())
	if err == nil && res.Payload != nil && res.Payload.RobotNamePrefix != nil && res.Payload.RobotNamePrefix.Value != "" {
		prefix = res.Payload.RobotNamePrefix.Value
	}
	if s := statusOf(err); err != nil && (s < 400 || s > 499) {
		return prefix, err // no answer or an outage: ask again next time
	}
	c.prefixMu.Lock()
	if c.prefix == "" {
		c.prefix = prefix
	}
	prefix = c.prefix
	c.prefixMu.Unlock()
	return prefix, nil
}

// DeleteRobot deletes the robot called name, found as FindRobot finds it;
// a robot Harbor does not list is an error matching ErrNotFound.
//
// Needs robot:list and robot:delete (and project:read for a project robot).
func (c *Client) DeleteRobot(ctx context.Context, name string) (err error) {
	defer inVoice("DeleteRobot", &err)
	r, err := c.FindRobot(ctx, name)
	if err != nil {
		return err
	}
	if r.ID < 1 {
		return fmt.Errorf("robot %q: Harbor listed it without an id: %w", name, ErrUnexpectedContent)
	}
	_, err = c.api.Robot.DeleteRobot(ctx, robot.NewDeleteRobotParams().WithRobotID(r.ID))
	return err
}

// ProjectRobotName returns the full name Harbor gives the robot robotName
// of project projectName: RobotNamePrefix + projectName + "+" + robotName
// (for example "robot$ci+builder"), the name to log in with.
func (c *Client) ProjectRobotName(ctx context.Context, projectName, robotName string) string {
	return c.RobotNamePrefix(ctx) + projectName + "+" + robotName
}
