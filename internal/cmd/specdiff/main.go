// Command specdiff prints what a new Harbor swagger.yaml changes compared with
// an old one, as Markdown for a pull request description:
//
//	go run ./internal/cmd/specdiff [-old-label v2.15.2] [-new-label v2.16.0] [-summary] old.yaml new.yaml
//
// It reports operations added and removed (by operationId, with method and
// path), per-operation parameter changes (name, in, required, type) and
// response codes added or removed, definitions added and removed, and
// per-definition property changes. Output is sorted, so it is deterministic.
//
// Exit status: 0 whether or not the specs differ; 2 on bad usage or when a
// file cannot be read or is not a Swagger 2.0 spec (the error names the file).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oldLabel := fs.String("old-label", "", "name of the old spec in the report (default: its file name)")
	newLabel := fs.String("new-label", "", "name of the new spec in the report (default: its file name)")
	summary := fs.Bool("summary", false, "print only the one-line summary")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: specdiff [-old-label L] [-new-label L] [-summary] old.yaml new.yaml")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	oldFile, newFile := fs.Arg(0), fs.Arg(1)
	if *oldLabel == "" {
		*oldLabel = oldFile
	}
	if *newLabel == "" {
		*newLabel = newFile
	}

	oldSpec, err := specdiff.Load(oldFile)
	if err != nil {
		fmt.Fprintf(stderr, "specdiff: old spec: %v\n", err)
		return 2
	}
	newSpec, err := specdiff.Load(newFile)
	if err != nil {
		fmt.Fprintf(stderr, "specdiff: new spec: %v\n", err)
		return 2
	}

	res := specdiff.Diff(oldSpec, newSpec, *oldLabel, *newLabel)
	if *summary {
		_, err = fmt.Fprintln(stdout, res.Summary())
	} else {
		err = res.WriteMarkdown(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "specdiff: %v\n", err)
		return 1
	}
	return 0
}
