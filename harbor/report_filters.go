package harbor

import (
	"cmp"
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// VulnerabilityFilter decides whether a finding is kept. Filters compose:
// pass several to Filter or FilterVulnerabilities (all must hold), or
// combine them with AnyOf and Not. A nil VulnerabilityFilter keeps every
// finding, as a nil option is skipped elsewhere in this package.
type VulnerabilityFilter func(Vulnerability) bool

// FilterVulnerabilities yields the findings of seq that pass every filter.
// A nil seq yields nothing.
func FilterVulnerabilities(seq iter.Seq[Vulnerability], filters ...VulnerabilityFilter) iter.Seq[Vulnerability] {
	return func(yield func(Vulnerability) bool) {
		if seq == nil {
			return
		}
		for v := range seq {
			dropped := slices.ContainsFunc(filters, func(f VulnerabilityFilter) bool { return f != nil && !f(v) })
			if !dropped && !yield(v) {
				return
			}
		}
	}
}

// AnyOf keeps a finding that passes at least one of filters.
func AnyOf(filters ...VulnerabilityFilter) VulnerabilityFilter {
	return func(v Vulnerability) bool {
		return slices.ContainsFunc(filters, func(f VulnerabilityFilter) bool { return f == nil || f(v) })
	}
}

// Not keeps a finding that f would drop (none, for a nil f, which keeps all).
func Not(f VulnerabilityFilter) VulnerabilityFilter {
	return func(v Vulnerability) bool { return f != nil && !f(v) }
}

// ByCVE keeps findings whose id is one of ids (case-insensitive, e.g.
// "cve-2023-4863" matches "CVE-2023-4863").
func ByCVE(ids ...string) VulnerabilityFilter {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	return func(v Vulnerability) bool { return want[strings.ToUpper(v.ID)] }
}

// MinSeverity keeps findings of severity min or worse.
func MinSeverity(min Severity) VulnerabilityFilter {
	return func(v Vulnerability) bool { return v.Severity >= min }
}

// Fixable keeps findings with a known fixed version.
func Fixable() VulnerabilityFilter { return Vulnerability.Fixable }

// Unfixable keeps findings without a known fixed version.
func Unfixable() VulnerabilityFilter { return Not(Fixable()) }

// ByPackage keeps findings in the package named name (exact match).
func ByPackage(name string) VulnerabilityFilter {
	return func(v Vulnerability) bool { return v.Package == name }
}

// ByPackageRegexp keeps findings whose package name matches re. A nil re
// (a regexp.Compile error ignored) matches no package.
func ByPackageRegexp(re *regexp.Regexp) VulnerabilityFilter {
	return func(v Vulnerability) bool { return re != nil && re.MatchString(v.Package) }
}

// DescriptionContains keeps findings whose description contains text,
// ignoring case.
func DescriptionContains(text string) VulnerabilityFilter {
	text = strings.ToLower(text)
	return func(v Vulnerability) bool { return strings.Contains(strings.ToLower(v.Description), text) }
}

// VersionRange keeps findings whose installed version lies between min and
// max, both inclusive; "" leaves that end open. Versions are compared with
// CompareVersions.
func VersionRange(min, max string) VulnerabilityFilter {
	return func(v Vulnerability) bool {
		return (min == "" || CompareVersions(v.Version, min) >= 0) && (max == "" || CompareVersions(v.Version, max) <= 0)
	}
}

// CompareVersions compares two package versions and returns -1, 0 or +1.
// It splits them into runs of digits and of other characters and compares
// run by run: digit runs by number, others as text, with "~" sorting
// before everything, even the end of the version (Debian's rule, so
// "1.0~rc1" < "1.0"). It orders semantic, Debian, RPM and most distro
// versions sensibly, though it knows no ecosystem's full rules.
func CompareVersions(a, b string) int {
	for a != "" || b != "" {
		ra, restA := versionRun(a)
		rb, restB := versionRun(b)
		if c := compareRun(ra, rb); c != 0 {
			return c
		}
		a, b = restA, restB
	}
	return 0
}

// versionRun cuts the leading run (digits, or non-digits) off v.
func versionRun(v string) (run, rest string) {
	if v == "" {
		return "", ""
	}
	digit := unicode.IsDigit(rune(v[0]))
	i := 1
	for i < len(v) && unicode.IsDigit(rune(v[i])) == digit {
		i++
	}
	return v[:i], v[i:]
}

func compareRun(a, b string) int {
	if a == b {
		return 0
	}
	tilde := func(s string) bool { return strings.HasPrefix(s, "~") }
	switch {
	case tilde(a) && !tilde(b):
		return -1
	case tilde(b) && !tilde(a):
		return 1
	case a == "":
		return -1
	case b == "":
		return 1
	}
	da, db := unicode.IsDigit(rune(a[0])), unicode.IsDigit(rune(b[0]))
	switch {
	case da && db:
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	case da: // a number sorts after text ("1.0.1" > "1.0.a" is arbitrary but stable)
		return 1
	case db:
		return -1
	}
	return strings.Compare(a, b)
}

// CountBySeverity counts findings per severity (none for a nil seq).
func CountBySeverity(seq iter.Seq[Vulnerability]) SeverityCounts {
	c := SeverityCounts{}
	if seq == nil {
		return c
	}
	for v := range seq {
		c[v.Severity]++
	}
	return c
}

// WorstSeverity returns the most severe severity among the findings, or
// SeverityUnknown for none (or a nil seq).
func WorstSeverity(seq iter.Seq[Vulnerability]) Severity {
	return CountBySeverity(seq).Worst()
}
