package harbortest

import (
	"strings"
	"testing"
)

// TestSwaggerBool checks boolean query parameters read as go-swagger reads
// them: more true spellings than strconv.ParseBool, anything else false.
func TestSwaggerBool(t *testing.T) {
	for v, want := range map[string]bool{
		"true": true, "TRUE": true, "1": true, "yes": true, "Y": true, "on": true, "enabled": true, "t": true,
		"false": false, "0": false, "x": false, "no": false, "%ff": false,
	} {
		if got := swaggerBool(v, !want); got != want {
			t.Errorf("swaggerBool(%q) = %v, want %v", v, got, want)
		}
	}
	if !swaggerBool("", true) || swaggerBool("", false) {
		t.Error("an absent parameter does not give the default")
	}
	s := New(t)
	s.AddProject("p", true)
	s.AddImage("p", "app", "1.0")
	for q, tagged := range map[string]bool{"with_tag=yes": true, "with_tag=x": false, "": true, "with_tag=0": false} {
		_, _, body, problem := probeOnce(s.Handler(), s.AdminUsername, s.AdminPassword,
			hostileCase{method: "GET", target: apiPrefix + "/projects/p/repositories/app/artifacts?" + q})
		if problem != "" || strings.Contains(body, `"name":"1.0"`) != tagged {
			t.Errorf("%s: tags listed = %v, want %v: %s %s", q, !tagged, tagged, problem, body)
		}
	}
}
