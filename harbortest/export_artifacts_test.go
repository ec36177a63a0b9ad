package harbortest

// SetPullCount sets a repository's pull count (Harbor counts pulls through
// /v2/, which harbortest does not serve), for the conformance replay.
func SetPullCount(s *Server, projectName, repo string, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.projectByName[projectName].repos[repo].pullCount = n
}
