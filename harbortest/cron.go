package harbortest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a parsed six-field cron expression (with seconds), as Harbor's.
type cronSpec [6]map[int]bool

// parseCron parses spec; the error reads like robfig/cron's, which Harbor puts in its messages.
func parseCron(spec string) (*cronSpec, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("empty cron string is invalid")
	}
	parts := strings.Fields(spec)
	if len(parts) != 6 {
		return nil, fmt.Errorf("expected exactly 6 fields, found %d: %s", len(parts), fmt.Sprint(parts))
	}
	var c cronSpec
	ranges := [6][2]int{{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}
	for i, p := range parts {
		m, err := parseCronField(p, ranges[i][0], ranges[i][1])
		if err != nil {
			return nil, err
		}
		c[i] = m
	}
	return &c, nil
}

func parseCronField(f string, lo, hi int) (map[int]bool, error) {
	out := map[int]bool{}
	for _, term := range strings.Split(f, ",") {
		rng, stepStr, hasStep := strings.Cut(term, "/")
		step, err := 1, error(nil)
		if hasStep {
			step, err = strconv.Atoi(stepStr)
		}
		if err != nil || step <= 0 {
			return nil, fmt.Errorf("failed to parse int from %s", stepStr)
		}
		a, b := lo, hi
		if rng != "*" && rng != "?" {
			x, y, isRange := strings.Cut(rng, "-")
			var err1, err2 error
			a, err1 = strconv.Atoi(x)
			b, err2 = strconv.Atoi(y)
			switch {
			case err1 != nil || isRange && err2 != nil:
				return nil, fmt.Errorf("failed to parse int from %s", rng)
			case !isRange && hasStep:
				b = hi
			case !isRange:
				b = a
			}
		}
		if a < lo || b > hi || a > b {
			return nil, fmt.Errorf("end of range (%d) above maximum (%d): %s", b, hi, term)
		}
		for v := a; v <= b; v += step {
			out[v] = true
		}
	}
	return out, nil
}

// next returns the first time after t the spec fires, zero if none in five years.
func (c *cronSpec) next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Second).Add(time.Second)
	for end := t.AddDate(5, 0, 0); t.Before(end); {
		switch {
		case !c[4][int(t.Month())] || !c[3][t.Day()] || !c[5][int(t.Weekday())]:
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
		case !c[2][t.Hour()]:
			t = t.Truncate(time.Hour).Add(time.Hour)
		case !c[1][t.Minute()]:
			t = t.Truncate(time.Minute).Add(time.Minute)
		case !c[0][t.Second()]:
			t = t.Add(time.Second)
		default:
			return t
		}
	}
	return time.Time{}
}

// nextRun is when cron next fires after now, in harborTime; "" when it does not parse or never fires.
func nextRun(cron string, now time.Time) string {
	if c, err := parseCron(cron); err == nil {
		if t := c.next(now); !t.IsZero() {
			return harborTime(t)
		}
	}
	return ""
}

// validCron checks a cron as Harbor's preheat and scan all handlers do; "" means valid.
func validCron(c string) string {
	fields := strings.Fields(c)
	if len(fields) != 6 {
		return fmt.Sprintf("expected exactly 6 fields, found %d: %v", len(fields), fields)
	}
	notCron := func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune("*/,-?#", r))
	}
	for _, f := range fields {
		if strings.ContainsFunc(f, notCron) {
			return fmt.Sprintf("failed to parse %q", f)
		}
	}
	return ""
}
