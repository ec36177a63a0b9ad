package harbortest

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// execution is one run of a preheat, replication or retention policy; runs finish at once.
type execution struct {
	id       int64
	policyID int64
	trigger  string
	status   string
	dryRun   bool
	extra    map[string]any
	started  time.Time
	ended    time.Time
	tasks    []*task
}

// task is one task of an execution (src, dst: what it moved or checked).
type task struct {
	id       int64
	jobID    string
	src, dst string
	total    int
}

// policyState is the policies of one kind and their runs.
type policyState[P any] struct {
	nextID     int64
	policies   map[int64]*P
	executions executions
}

func ensure[P any](ps **policyState[P]) *policyState[P] {
	return lazy(ps, func() *policyState[P] {
		return &policyState[P]{nextID: 1, policies: map[int64]*P{}, executions: executions{}}
	})
}

// executions are the runs of one kind of policy by id.
type executions map[int64]*execution

// of returns the executions of policy pid (0: of all), newest first.
func (xs executions) of(pid int64) []*execution {
	out := slices.SortedFunc(maps.Values(xs), func(a, b *execution) int { return cmp.Compare(b.id, a.id) })
	return slices.DeleteFunc(out, func(ex *execution) bool { return pid != 0 && ex.policyID != pid })
}

// dropPolicy deletes the executions of policy pid, as Harbor does with it.
func (xs executions) dropPolicy(pid int64) {
	maps.DeleteFunc(xs, func(_ int64, ex *execution) bool { return ex.policyID == pid })
}

// task finds task tid in any execution.
func (xs executions) task(tid int64) (*execution, *task) {
	for _, ex := range xs {
		for _, t := range ex.tasks {
			if t.id == tid {
				return ex, t
			}
		}
	}
	return nil, nil
}

// rfc3339 formats t as Harbor's task and execution APIs do (zero: "0001-01-01T00:00:00Z").
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
