package main

import (
	"bytes"
	"strings"
	"testing"
)

const testdata = "../../specdiff/testdata/"

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunWithChanges(t *testing.T) {
	code, out, errOut := runCmd("-old-label", "v1", "-new-label", "v2",
		testdata+"operations/old.yaml", testdata+"operations/new.yaml")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"## Harbor API changes: `v1` → `v2`",
		"**Summary:** 2 operations added, 1 operation removed.",
		"- `deleteB`: `DELETE /b/{id}` (tag `beta`)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunSummary(t *testing.T) {
	code, out, _ := runCmd("-summary", testdata+"definitions/old.yaml", testdata+"definitions/new.yaml")
	if code != 0 || out != "1 definition added, 1 definition removed, 1 definition changed\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestRunSwaggerYAMLNoChanges(t *testing.T) {
	code, out, _ := runCmd("../../../swagger.yaml", "../../../swagger.yaml")
	want := "## Harbor API changes: `../../../swagger.yaml` → `../../../swagger.yaml`\n\n**Summary:** no API changes.\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestRunBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{testdata + "operations/old.yaml"}, "usage: specdiff"},
		{[]string{"-nope", "a", "b"}, "flag provided but not defined"},
		{[]string{testdata + "bad/missing.yaml", testdata + "operations/new.yaml"}, "old spec: open " + testdata + "bad/missing.yaml"},
		{[]string{testdata + "operations/old.yaml", testdata + "bad/invalid.yaml"}, "new spec: " + testdata + "bad/invalid.yaml: not valid YAML/JSON"},
		{[]string{testdata + "bad/openapi3.yaml", testdata + "operations/new.yaml"}, testdata + "bad/openapi3.yaml: not a Swagger 2.0 spec"},
	} {
		code, out, errOut := runCmd(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("run(%q) = exit %d, stdout %q, stderr %q; want exit 2 and stderr containing %q", tc.args, code, out, errOut, tc.want)
		}
	}
}
