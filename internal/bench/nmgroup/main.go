// Command nmgroup sums a Go binary's symbol sizes (those `go tool nm -size
// -sort size` lists) by Go package and by module group, to show where the
// bytes go:
//
//	go build -o /tmp/facade ./internal/bench/binsize/facade
//	go run ./internal/bench/nmgroup -n 25 /tmp/facade
//
// It reads the ELF symbol table itself so that it can leave out symbols in
// sections that take no room in the file (bss, such as the 32 MiB
// crypto/internal/fips140/drbg.memory, which nm lists as data). The
// runtime's pclntab, which grows with the code, is not attributed.
package main

import (
	"debug/elf"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	n := flag.Int("n", 25, "packages to list")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: nmgroup [-n N] binary")
		os.Exit(2)
	}
	f, err := elf.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		fmt.Fprintln(os.Stderr, err, "(build without -ldflags=-s)")
		os.Exit(1)
	}
	byPkg := map[string]int64{}
	byGroup := map[string]int64{}
	var total int64
	for _, s := range syms {
		if s.Size == 0 || s.Section == elf.SHN_UNDEF || int(s.Section) >= len(f.Sections) {
			continue
		}
		if sec := f.Sections[s.Section]; sec.Type == elf.SHT_NOBITS {
			continue
		}
		size := int64(s.Size)
		pkg := packageOf(s.Name)
		byPkg[pkg] += size
		byGroup[group(pkg)] += size
		total += size
	}
	fmt.Printf("symbol bytes in all: %d\n\nby group:\n", total)
	report(byGroup, 0, total)
	fmt.Printf("\ntop %d packages:\n", *n)
	report(byPkg, *n, total)
}

func report(m map[string]int64, n int, total int64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	for _, k := range keys {
		fmt.Printf("%12d  %5.1f%%  %s\n", m[k], 100*float64(m[k])/float64(total), k)
	}
}

// packageOf returns the Go package a symbol belongs to ("runtime",
// "github.com/go-openapi/validate", ...), or a bucket for linker data.
func packageOf(name string) string {
	if rest, ok := strings.CutPrefix(name, "go:itab."); ok {
		name, _, _ = strings.Cut(rest, ",") // the concrete type's package
	}
	for _, p := range []string{"type:.eq.", "type:.hash.", "type:", "go:info.", "go:closureptr."} {
		if strings.HasPrefix(name, p) {
			name = name[len(p):]
			break
		}
	}
	name = strings.TrimLeft(name, "*[]0123456789")
	if strings.HasPrefix(name, "map[") || strings.HasPrefix(name, "chan ") || strings.HasPrefix(name, "func(") {
		return "(composite types)"
	}
	if strings.HasPrefix(name, "go.shape.") || strings.HasPrefix(name, "struct {") || strings.HasPrefix(name, "interface {") {
		return "(composite types)"
	}
	if strings.HasPrefix(name, "go:") || name == "" {
		return "(linker data)"
	}
	prefix := name
	if i := strings.IndexAny(prefix, "[("); i >= 0 {
		prefix = prefix[:i]
	}
	slash := strings.LastIndex(prefix, "/")
	dot := strings.Index(name[slash+1:], ".")
	if dot < 0 {
		return name
	}
	return name[:slash+1+dot]
}

func group(pkg string) string {
	switch {
	case strings.HasPrefix(pkg, "github.com/harborkit/harbor-sdk-go/gen/models"):
		return "gen/models"
	case strings.HasPrefix(pkg, "github.com/harborkit/harbor-sdk-go/gen/"):
		return "gen/client/..."
	case strings.HasPrefix(pkg, "github.com/harborkit/"):
		return "harbor-sdk-go (hand-written)"
	case strings.HasPrefix(pkg, "github.com/go-openapi/"):
		return "github.com/go-openapi/..."
	case strings.HasPrefix(pkg, "go.opentelemetry.io/"):
		return "go.opentelemetry.io/..."
	case strings.HasPrefix(pkg, "("):
		return pkg
	case !strings.Contains(strings.SplitN(pkg, "/", 2)[0], "."):
		return "standard library"
	}
	parts := strings.Split(pkg, "/")
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, "/")
}
