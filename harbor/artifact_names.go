package harbor

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The checks below refuse, before any request, names and filters Harbor
// could never accept. Each returns "" for a good value, or why it is bad.

// checkProjectName follows Harbor's rule for project names: 1 to 255 lower
// case letters, digits, ".", "_" and "-", starting and ending with a letter
// or digit.
func checkProjectName(name string) string {
	switch {
	case name == "":
		return "the project name is empty"
	case len(name) > 255:
		return "the project name is longer than 255 characters"
	case strings.Contains(name, "/"):
		return `a project name has no "/"`
	}
	return checkComponent(name, "project name")
}

// checkRepositoryPath checks a repository name inside its project
// ("team/app"): "/"-separated components as checkComponent wants them.
func checkRepositoryPath(path string) string {
	if path == "" {
		return "the repository name is empty"
	}
	for _, part := range strings.Split(path, "/") {
		if part == "" {
			return `the repository name has an empty component (leading, trailing or double "/")`
		}
		if why := checkComponent(part, "repository name"); why != "" {
			return why
		}
	}
	return ""
}

var (
	componentChars = regexp.MustCompile(`^[a-z0-9._-]*$`)
	tagChars       = regexp.MustCompile(`^[A-Za-z0-9_.-]*$`)
	queryKey       = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)
)

// checkComponent accepts lower case letters, digits and the separators
// ".", "_" and "-" between them (s is not empty).
func checkComponent(s, what string) string {
	switch {
	case !componentChars.MatchString(s):
		return "a " + what + ` has only lower case letters, digits, ".", "_" and "-"`
	case strings.ContainsAny(s[:1]+s[len(s)-1:], "._-"):
		return "a " + what + " starts and ends with a letter or digit"
	}
	return ""
}

// checkTag follows the OCI rule for tags: a letter, digit or "_", then up
// to 127 letters, digits, "_", "." and "-".
func checkTag(tag string) string {
	switch {
	case tag == "":
		return "the tag is empty"
	case len(tag) > 128:
		return "a tag has at most 128 characters"
	case tag[0] == '.' || tag[0] == '-':
		return `a tag starts with a letter, a digit or "_"`
	case !tagChars.MatchString(tag):
		return `a tag has only letters, digits, "_", "." and "-"`
	}
	return ""
}

// checkQuery checks the shape of Harbor's q filter: key=value terms joined
// by ",", where a value is exact ("v"), fuzzy ("~v"), a range ("[a~b]"), or
// a set ("{a b}" for all of, "(a b)" for any of). An empty q is no filter:
// callers do not check it.
func checkQuery(q string) string {
	for _, term := range strings.Split(q, ",") {
		key, value, ok := strings.Cut(term, "=")
		switch {
		case !ok:
			return "term " + strconv.Quote(term) + " is not key=value"
		case !queryKey.MatchString(key):
			return "term " + strconv.Quote(term) + " has no key of letters, digits and \"_\""
		case value == "" || value == "~":
			return "term " + strconv.Quote(term) + " has no value"
		}
		open, close := value[0], value[len(value)-1]
		pairs := map[byte]byte{'[': ']', '{': '}', '(': ')'}
		if want, ok := pairs[open]; ok {
			if close != want || len(value) < 3 {
				return "term " + strconv.Quote(term) + " opens " + string(open) + " without closing it with " + string(want)
			}
			if open == '[' && !strings.Contains(value, "~") {
				return "term " + strconv.Quote(term) + " is a range without \"~\" (want [min~max])"
			}
		}
	}
	return ""
}

// checkReportType accepts the two report types Harbor v2.15 serves.
func checkReportType(typ ReportType) string {
	switch typ {
	case ReportGeneric, ReportNative:
		return ""
	case "":
		return "the report type is empty (want harbor.ReportGeneric or harbor.ReportNative)"
	}
	return "unknown report type (want harbor.ReportGeneric or harbor.ReportNative)"
}

// checkArtifactPath refuses empty path parts and dot segments before any
// request.
func checkArtifactPath(projectName, repositoryName, reference string) error {
	switch {
	case projectName == "":
		return errors.New("harbor: empty project name")
	case repositoryName == "":
		return errors.New("harbor: empty repository name")
	case reference == "":
		return errors.New("harbor: empty artifact reference (want a tag or a digest)")
	}
	return checkSegments("", "project name", projectName, "repository name", repositoryName, "reference", reference)
}

// artifactRef formats "project/repository:tag" or "project/repository@digest".
func artifactRef(projectName, repositoryName, reference string) string {
	if isDigest(reference) {
		return projectName + "/" + repositoryName + "@" + reference
	}
	return projectName + "/" + repositoryName + ":" + reference
}

func isDigest(ref string) bool {
	alg, hex, ok := strings.Cut(ref, ":")
	return ok && alg != "" && hex != ""
}

// EscapeRepositoryName escapes a repository name for the generated
// operations' repository_name parameter. Harbor needs a name with "/" (e.g.
// "team/app") escaped twice in the path ("team%252Fapp"); the generated code
// escapes once, so this function escapes the first time. Every facade
// helper that takes a repository name does this itself.
func EscapeRepositoryName(name string) string {
	return url.PathEscape(name)
}
