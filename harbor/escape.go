package harbor

import "net/url"

// EscapeRepositoryName escapes a repository name for the generated
// operations' repository_name parameter. Harbor needs a name with "/" (e.g.
// "team/app") escaped twice in the path ("team%252Fapp"); the generated code
// escapes once, so this function escapes the first time. Every facade
// helper that takes a repository name does this itself.
func EscapeRepositoryName(name string) string {
	return url.PathEscape(name)
}
