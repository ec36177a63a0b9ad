package harbor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/harborkit/harbor-sdk-go/harbor"
	"github.com/harborkit/harbor-sdk-go/harbortest"
)

// exampleRegistry starts an in-memory Harbor with a public project "shop":
// web:1 scanned (the six sample findings), web:2 scanned clean, web:3 never
// scanned.
func exampleRegistry() (*harbortest.Server, *harbor.Client) {
	srv := harbortest.NewServer()
	srv.AddProject("shop", true)
	for _, tag := range []string{"1", "2", "3"} {
		srv.AddImage("shop", "team/web", tag)
	}
	srv.SetReport("shop", "team/web", "1", harbortest.SampleVulnerabilities())
	srv.SetReport("shop", "team/web", "2", nil)
	c, err := harbor.NewClient(srv.URL, harbor.WithBasicAuth(srv.AdminUsername, srv.AdminPassword))
	if err != nil {
		panic(err)
	}
	return srv, c
}

func ExampleClient_VulnerabilityReport() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	rep, err := c.VulnerabilityReport(ctx, "shop", "team/web", "1", harbor.ReportGeneric)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("worst:", rep.Worst())
	fmt.Println(rep.Counts())
	for _, v := range rep.Filter(harbor.MinSeverity(harbor.SeverityHigh), harbor.Fixable()) {
		fmt.Println(v.ID, v.Severity, v.Package, v.Version, "->", v.FixVersion)
	}

	_, err = c.VulnerabilityReport(ctx, "shop", "team/web", "3", "")
	fmt.Println(errors.Is(err, harbor.ErrNotScanned), errors.Is(err, harbor.ErrNotFound))
	// Output:
	// worst: Critical
	// Critical 1, High 1, Medium 1, Low 1, None 1, Unknown 1
	// CVE-2023-4863 Critical libwebp7 1.2.4-0.2 -> 1.2.4-0.2+deb12u1
	// CVE-2023-38545 High libcurl4 7.88.1-10 -> 7.88.1-10+deb12u4
	// true true
}

func ExampleClient_WalkArtifacts() {
	srv, c := exampleRegistry()
	defer srv.Close()
	ctx := context.Background()

	// The listing's scan overview gives each artifact's scan state and
	// counts: no request per artifact (WalkReports fetches full reports).
	for a, err := range c.WalkArtifacts(ctx, harbor.WalkProjects("shop")) {
		switch {
		case err != nil:
			fmt.Println(err) // one repository's; the walk goes on
		case a.Scan.Status == "":
			fmt.Println(a.Repository, a.Tags(), "not scanned") // a state, not an error
		default:
			fmt.Println(a.Repository, a.Tags(), a.Scan.Status, "critical:", a.Scan.Counts[harbor.SeverityCritical])
		}
	}
	// Output:
	// team/web [3] not scanned
	// team/web [2] Success critical: 0
	// team/web [1] Success critical: 1
}

func ExampleClient_ScanAndWait() {
	srv, c := exampleRegistry()
	defer srv.Close()
	// The in-memory Harbor's next scan of web:3 finds one finding.
	srv.PlanScan("shop", "team/web", "3", harbortest.SampleVulnerabilities()[1:2], 0)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := c.ScanAndWait(ctx, "shop", "team/web", "3")
	switch {
	case errors.Is(err, harbor.ErrScanFailed), errors.Is(err, harbor.ErrScanStopped):
		fmt.Println("no report:", err)
	case errors.Is(err, harbor.ErrScanTimeout):
		fmt.Println("still scanning:", err)
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println(rep.Scanner.Name, len(rep.Vulnerabilities), rep.Worst())
	}
	// Output:
	// FakeScan 1 High
}
