package harbor

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Severity is a vulnerability severity, ordered so that comparisons read
// naturally: SeverityCritical > SeverityHigh > SeverityMedium > SeverityLow >
// SeverityNone > SeverityUnknown. The zero value is SeverityUnknown.
type Severity int

// Severities, from least to most severe. SeverityUnknown is a finding the
// scanner could not rate, and any severity this package does not know;
// SeverityNone is "None", which is how Harbor stores a scanner's
// "Negligible".
const (
	SeverityUnknown Severity = iota
	SeverityNone
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// Severities lists every severity from the most to the least severe, the
// order reports are usually printed in.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityNone, SeverityUnknown}

var severityNames = [...]string{"Unknown", "None", "Low", "Medium", "High", "Critical"}

// String returns the severity as Harbor writes it ("Critical", "None"...).
func (s Severity) String() string {
	if s < SeverityUnknown || s > SeverityCritical {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity case-insensitively, as Harbor and
// scanners write it: "critical", "HIGH", "Medium", "low", "negligible" or
// "none" (both SeverityNone), "unknown". Anything else is SeverityUnknown
// with an error naming the text.
func ParseSeverity(text string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "critical":
		return SeverityCritical, nil
	case "high":
		return SeverityHigh, nil
	case "medium":
		return SeverityMedium, nil
	case "low":
		return SeverityLow, nil
	case "none", "negligible":
		return SeverityNone, nil
	case "unknown", "":
		return SeverityUnknown, nil
	}
	return SeverityUnknown, fmt.Errorf("harbor: unknown severity %q (want critical, high, medium, low, negligible, none or unknown)", text)
}

// MarshalText writes the severity as Harbor does.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity like ParseSeverity, except that an
// unknown severity is not an error: it becomes SeverityUnknown, so that a
// report from a scanner with its own severities still decodes.
func (s *Severity) UnmarshalText(b []byte) error {
	*s, _ = ParseSeverity(string(b))
	return nil
}

// UnmarshalJSON reads a JSON string like UnmarshalText; any other JSON
// value (a number, null, an object) is SeverityUnknown, so that one odd
// finding does not fail the whole report.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var text string
	if json.Unmarshal(b, &text) != nil {
		*s = SeverityUnknown
		return nil
	}
	return s.UnmarshalText([]byte(text))
}

// SeverityCounts counts findings per severity.
type SeverityCounts map[Severity]int

// Total returns the number of findings counted.
func (c SeverityCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// AtLeast returns the number of findings of severity min or worse.
func (c SeverityCounts) AtLeast(min Severity) int {
	n := 0
	for s, v := range c {
		if s >= min {
			n += v
		}
	}
	return n
}

// Worst returns the most severe severity counted, or SeverityUnknown for
// no findings.
func (c SeverityCounts) Worst() Severity {
	w := SeverityUnknown
	for s, v := range c {
		if v > 0 && s > w {
			w = s
		}
	}
	return w
}

// String lists the counts from Critical to Unknown, e.g.
// "Critical 1, High 2, Medium 0, Low 0, None 0, Unknown 0".
func (c SeverityCounts) String() string {
	parts := make([]string, 0, len(Severities))
	for _, s := range Severities {
		parts = append(parts, fmt.Sprintf("%s %d", s, c[s]))
	}
	return strings.Join(parts, ", ")
}
