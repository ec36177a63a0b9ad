package harbor

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Nil values a caller may hold by mistake do not panic: a nil report (the
// ArtifactInfo a walk yields with an error has none) has no findings; a
// nil sequence yields nothing; a nil filter keeps every finding, as a nil
// option is skipped; a nil regexp matches no package; a nil catalogue says
// so.
func TestNilValuesDoNotPanic(t *testing.T) {
	var nilReport *VulnerabilityReport
	rep := &VulnerabilityReport{Vulnerabilities: []Vulnerability{
		{ID: "CVE-1", Package: "openssl", Severity: SeverityHigh},
		{ID: "CVE-2", Package: "zlib", Severity: SeverityLow},
	}}
	ids := func(vs []Vulnerability) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	require.NotPanics(t, func() {
		assert.Empty(t, slices.Collect(nilReport.All()))
		assert.Zero(t, nilReport.Counts().Total())
		assert.Equal(t, SeverityUnknown, nilReport.Worst())
		assert.Empty(t, nilReport.Filter(MinSeverity(SeverityLow)))
		assert.Empty(t, slices.Collect(FilterVulnerabilities(nil, Fixable())))
		assert.Zero(t, CountBySeverity(nil).Total())
		assert.Equal(t, SeverityUnknown, WorstSeverity(nil))

		assert.Equal(t, []string{"CVE-1", "CVE-2"}, ids(rep.Filter(nil)))
		assert.Equal(t, []string{"CVE-1"}, ids(rep.Filter(nil, ByPackage("openssl"))))
		assert.Equal(t, []string{"CVE-1", "CVE-2"}, ids(rep.Filter(AnyOf(nil, ByPackage("openssl")))))
		assert.Empty(t, rep.Filter(Not(nil)))
		assert.Empty(t, rep.Filter(ByPackageRegexp(nil)))
	})
	var pc *PermissionCatalogue
	require.NotPanics(t, func() {
		err := pc.Check(SystemRobot("bot", 1, Allow(ResourceProject, ActionCreate)))
		assert.EqualError(t, err, "harbor: PermissionCatalogue.Check: the catalogue is nil (read it with Client.RobotPermissions)")
		assert.False(t, pc.Allows(KindSystem, ResourceProject, ActionCreate))
	})
}
