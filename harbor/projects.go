package harbor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// EnsureProject makes sure the project req.ProjectName exists: it creates
// it from req or, when Harbor answers 409 (it exists; another creator may
// have won the race) or the POST's outcome is unknown (ErrOutcomeUnknown),
// reads it. created says whether this call created it (false when that
// cannot be told). It is safe to run twice.
//
// It needs project:create (every user has it unless Harbor restricts
// project creation to administrators) and project:read. A nil ctx or req,
// or a name Harbor would refuse, is an error before any request.
func (c *Client) EnsureProject(ctx context.Context, req *models.ProjectReq) (p *models.Project, created bool, err error) {
	defer inVoice("EnsureProject", &err)
	if err := checkContext(ctx, "EnsureProject"); err != nil {
		return nil, false, err
	}
	if req == nil {
		return nil, false, errors.New("harbor: EnsureProject: req is nil")
	}
	if why := checkProjectName(req.ProjectName); why != "" {
		return nil, false, fmt.Errorf("project %q: %s", req.ProjectName, why)
	}
	_, err = c.api.Project.CreateProject(ctx, project.NewCreateProjectParams().WithProject(req))
	switch {
	case err == nil:
		created = true
	case errors.Is(err, ErrConflict), errors.Is(err, ErrOutcomeUnknown) && ctx.Err() == nil:
	default:
		return nil, false, err
	}
	res, gerr := c.api.Project.GetProject(ctx, project.NewGetProjectParams().
		WithProjectNameOrID(req.ProjectName).WithXIsResourceName(Ptr(true)))
	if gerr != nil {
		if created {
			return nil, true, fmt.Errorf("created project %q, but reading it back failed: %w", req.ProjectName, gerr)
		}
		return nil, false, errors.Join(err, gerr)
	}
	if res.Payload == nil || res.Payload.Name == "" { // "null" or "{}": nothing to act on
		return nil, created, fmt.Errorf("GET project %q: the answer holds no project: %w", req.ProjectName, ErrUnexpectedContent)
	}
	return res.Payload, created, nil
}

// ProjectDeletion says what DeleteProject does with a project's repositories.
type ProjectDeletion int

const (
	// OnlyIfEmpty deletes the project only when it holds no repository.
	OnlyIfEmpty ProjectDeletion = iota
	// WithRepositories deletes every repository of the project (and so
	// every artifact in it) first.
	WithRepositories
)

// DeleteProject deletes the project called name. With WithRepositories it
// first deletes each of its repositories (listed in pages of 100), then the
// project; with OnlyIfEmpty, or when a repository is pushed meanwhile,
// Harbor refuses a project holding repositories (412, matching
// ErrPreconditionFailed). Harbor deletes the project's robots with it.
//
// It needs project:delete, and with WithRepositories repository:list and
// repository:delete. A nil ctx or a bad name is an error before any request.
func (c *Client) DeleteProject(ctx context.Context, name string, what ProjectDeletion) (err error) {
	defer inVoice("DeleteProject", &err)
	if err := checkContext(ctx, "DeleteProject"); err != nil {
		return err
	}
	if why := checkProjectName(name); why != "" {
		return fmt.Errorf("project %q: %s", name, why)
	}
	if what != OnlyIfEmpty && what != WithRepositories {
		return fmt.Errorf("project %q: unknown ProjectDeletion %d (want OnlyIfEmpty or WithRepositories)", name, what)
	}
	if what == WithRepositories {
		var names []string // listed in full first: deleting while listing would shift the pages
		for r, err := range All(ctx, c.api.Repository.ListRepositories, repository.NewListRepositoriesParams().WithProjectName(name)) {
			if err != nil {
				return fmt.Errorf("listing the repositories of %q: %w", name, err)
			}
			if r != nil {
				names = append(names, r.Name)
			}
		}
		for _, full := range names {
			_, short, _ := strings.Cut(full, "/")
			_, err := c.api.Repository.DeleteRepository(ctx, repository.NewDeleteRepositoryParams().
				WithProjectName(name).WithRepositoryName(EscapeRepositoryName(short)))
			if err != nil && !errors.Is(err, ErrNotFound) { // 404: deleted by someone else meanwhile
				return fmt.Errorf("deleting repository %q: %w", full, err)
			}
		}
	}
	_, err = c.api.Project.DeleteProject(ctx, project.NewDeleteProjectParams().
		WithProjectNameOrID(name).WithXIsResourceName(Ptr(true)))
	if errors.Is(err, ErrPreconditionFailed) && what == OnlyIfEmpty {
		return fmt.Errorf("%w (pass harbor.WithRepositories to delete its repositories too)", err)
	}
	return err
}
