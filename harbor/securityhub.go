package harbor

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/project"
	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
	"github.com/harborkit/harbor-sdk-go/gen/client/securityhub"
	"github.com/harborkit/harbor-sdk-go/gen/models"
)

// HubQuery filters Harbor's security hub (GET /security/vul). Every field
// is optional; those set must all match, exactly: the hub's q takes exact
// values and a CVSS range only (src/pkg/securityhub/dao), no fuzzy match.
type HubQuery struct {
	CVE        string // vulnerability id, e.g. "CVE-2023-4863"
	Package    string // package name
	Severity   string // "critical", "High"... (see ParseSeverity)
	Status     string // the scanner's status text
	ProjectID  int64  // project id
	Repository string // full repository name, "project/team/app"
	Tag        string // a tag of the artifact
	Digest     string // the artifact's digest
	// MinCVSS and MaxCVSS bound the CVSS v3 score (0 to 10); 0 and 0 is no
	// bound, MaxCVSS 0 with MinCVSS set is 10 (Harbor matches nothing
	// with an open bound: it compares with NULL).
	MinCVSS, MaxCVSS float64
}

// q returns Harbor's q for h, or an error naming the bad field.
func (h HubQuery) q() (string, error) {
	var parts []string
	for _, f := range [...]struct{ key, value string }{{"cve_id", h.CVE}, {"package", h.Package},
		{"severity", h.Severity}, {"status", h.Status}, {"repository_name", h.Repository}, {"tag", h.Tag}, {"digest", h.Digest}} {
		switch {
		case f.value == "":
			continue
		case strings.Contains(f.value, ","):
			return "", fmt.Errorf("%s %q: Harbor's q cannot hold a comma", f.key, f.value)
		case f.key == "severity":
			s, err := ParseSeverity(f.value)
			if err != nil {
				return "", err
			}
			f.value = s.String()
		case strings.ContainsAny(f.value[:1], `~[{(\`):
			f.value = `\` + f.value // Harbor reads a leading \ as "the rest is exact"
		}
		// Harbor unescapes q once more than the URL (src/lib/q): escape once here.
		parts = append(parts, f.key+"="+url.QueryEscape(f.value))
	}
	if h.ProjectID < 0 {
		return "", fmt.Errorf("ProjectID %d: must be positive", h.ProjectID)
	} else if h.ProjectID > 0 {
		parts = append(parts, "project_id="+strconv.FormatInt(h.ProjectID, 10))
	}
	lo, hi := h.MinCVSS, h.MaxCVSS
	if !(lo >= 0 && lo <= 10 && hi >= 0 && hi <= 10) || hi != 0 && lo > hi { // NaN fails too
		return "", fmt.Errorf("CVSS range [%v, %v]: want 0 <= MinCVSS <= MaxCVSS <= 10", lo, hi)
	}
	if lo != 0 || hi != 0 {
		if hi == 0 {
			hi = 10
		}
		r := "[" + strconv.FormatFloat(lo, 'f', -1, 64) + "~" + strconv.FormatFloat(hi, 'f', -1, 64) + "]"
		parts = append(parts, "cvss_score_v3="+url.QueryEscape(r))
	}
	return strings.Join(parts, ","), nil
}

// HubFinding is one row of the security hub: a finding in one artifact.
type HubFinding struct {
	// Vulnerability is the finding as reports have it, less what the hub
	// lacks (CWE ids, vendor data, CVSS other than the v3 score).
	Vulnerability
	ProjectID  int64
	Project    string // project name
	Repository string // repository name inside the project ("team/app")
	Digest     string // the artifact's digest: a platform image, never an index
	Tags       []string
}

// SecurityHub lists the security hub's findings matching q (Harbor 2.9 and
// later; a robot needs the system permission security-hub:list), each once
// (Harbor lists a finding once per report type). A bad q is yielded as an
// error before any request. Harbor orders rows by CVSS score alone, so tied
// rows move between pages: rows that do not fit one page are read project
// by project, then repository by repository, and must add up to Harbor's
// count (docs/harbor-behaviours.md, "The security hub").
func (c *Client) SecurityHub(ctx context.Context, q HubQuery) iter.Seq2[HubFinding, error] {
	return func(yield func(HubFinding, error) bool) {
		seen := map[string]bool{}
		_, err := c.hubRead(ctx, q, func(it *models.VulnerabilityItem) bool {
			f := hubFinding(it)
			key := strings.Join([]string{strconv.FormatInt(f.ProjectID, 10), it.RepositoryName, f.Digest, f.ID, f.Package, f.Version}, "\x00")
			if seen[key] {
				return true
			}
			seen[key] = true
			return yield(f, nil)
		})
		if err != nil && err != errStopped {
			yield(HubFinding{}, fmt.Errorf("harbor: SecurityHub: %w", err))
		}
	}
}

var errStopped = errors.New("stopped") // the caller stopped ranging over SecurityHub

// hubRead emits the rows of q and returns Harbor's count of them.
func (c *Client) hubRead(ctx context.Context, q HubQuery, emit func(*models.VulnerabilityItem) bool) (int64, error) {
	hq, err := q.q()
	if err != nil {
		return 0, err
	}
	params := securityhub.NewListVulnerabilitiesParams().WithWithTag(Ptr(true)).WithPageSize(Ptr(int64(MaxPageSize)))
	if hq != "" {
		params.SetQ(&hq)
	}
	res, err := c.api.Securityhub.ListVulnerabilities(ctx, params)
	if err != nil {
		return 0, err
	}
	total, rows := res.XTotalCount, slices.DeleteFunc(res.Payload, func(it *models.VulnerabilityItem) bool { return it == nil })
	if int64(len(rows)) >= total || len(rows) < MaxPageSize {
		for _, it := range rows {
			if !emit(it) {
				return total, errStopped
			}
		}
		return total, nil
	}
	var sum int64
	sub, subs := q, []HubQuery{}
	switch {
	case q.ProjectID == 0 && q.Repository == "":
		for p, err := range All(ctx, c.api.Project.ListProjects, project.NewListProjectsParams()) {
			if err != nil {
				return total, err
			}
			if p != nil {
				sub.ProjectID = int64(p.ProjectID)
				subs = append(subs, sub)
			}
		}
	case q.Repository == "":
		pname, _, _ := strings.Cut(rows[0].RepositoryName, "/")
		for r, err := range All(ctx, c.api.Repository.ListRepositories, repository.NewListRepositoriesParams().WithProjectName(pname)) {
			if err != nil {
				return total, err
			}
			if r != nil {
				sub.Repository = r.Name
				subs = append(subs, sub)
			}
		}
	default: // one repository's rows: paged as Harbor pages them
		for it, err := range All(ctx, c.api.Securityhub.ListVulnerabilities, params) {
			if err != nil {
				return total, err
			}
			if it != nil && !emit(it) {
				return total, errStopped
			}
			sum++
		}
	}
	for _, sub := range subs {
		n, err := c.hubRead(ctx, sub, emit)
		if err != nil {
			return total, err
		}
		sum += n
	}
	if sum != total {
		return total, fmt.Errorf("q=%s: %d rows read in parts, Harbor counts %d (a project or repository not listed to this identity, or the hub changed)", hq, sum, total)
	}
	return total, nil
}

func hubFinding(it *models.VulnerabilityItem) HubFinding {
	sev, _ := ParseSeverity(it.Severity)
	// float32 on the wire: read back its shortest decimal, as the report has it.
	score, _ := strconv.ParseFloat(strconv.FormatFloat(float64(it.CvssV3Score), 'g', -1, 32), 64)
	v := hubView(Vulnerability{ID: it.CVEID, Package: it.Package, Version: it.Version, FixVersion: it.FixedVersion,
		Severity: sev, Status: it.Status, Description: it.Desc, Links: it.Links}, score, it.Digest)
	project, repo, _ := strings.Cut(it.RepositoryName, "/")
	return HubFinding{Vulnerability: v, ProjectID: it.ProjectID, Project: project, Repository: repo, Digest: it.Digest, Tags: it.Tags}
}

// hubView keeps of v what the security hub knows, so that a finding read
// from a report and one read from the hub are equal.
func hubView(v Vulnerability, score float64, digest string) Vulnerability {
	out := Vulnerability{ID: v.ID, Package: v.Package, Version: v.Version, FixVersion: v.FixVersion, Severity: v.Severity,
		Status: v.Status, Description: v.Description, ArtifactDigests: []string{digest}}
	for _, l := range v.Links {
		if l != "" { // Harbor splits an empty list of links into [""]
			out.Links = append(out.Links, l)
		}
	}
	if score != 0 && !math.IsNaN(score) {
		out.PreferredCVSS = &CVSS{ScoreV3: &score}
	}
	return out
}
