// Command ratios prints, from `go test -bench` output, the median of each
// metric per benchmark and the ratios between the values of one
// sub-benchmark key, e.g. raw/baseline and facade/baseline for
// BenchmarkListProjects/impl=*:
//
//	go run ./internal/bench/ratios -key impl -base baseline results.txt
//
// benchstat gives the same medians with confidence intervals and p-values;
// this only adds the "how many times" view.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	key := flag.String("key", "impl", "sub-benchmark key whose values are compared")
	base := flag.String("base", "baseline", "value of key the others are divided by")
	flag.Parse()
	// values[bench][unit][keyValue] = samples
	values := map[string]map[string]map[string][]float64{}
	var order []string
	var kvOrder []string
	seenKV := map[string]bool{}
	re := regexp.MustCompile(`(^|/)` + regexp.QuoteMeta(*key) + `=([^/]+)`)
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
				continue
			}
			name := strings.TrimPrefix(fields[0], "Benchmark")
			if i := strings.LastIndex(name, "-"); i > 0 {
				if _, err := strconv.Atoi(name[i+1:]); err == nil {
					name = name[:i] // the GOMAXPROCS suffix
				}
			}
			m := re.FindStringSubmatch(name)
			if m == nil {
				continue
			}
			kv := m[2]
			bench := strings.Trim(strings.ReplaceAll(re.ReplaceAllString(name, "$1"), "//", "/"), "/")
			if !seenKV[kv] {
				seenKV[kv] = true
				kvOrder = append(kvOrder, kv)
			}
			if values[bench] == nil {
				values[bench] = map[string]map[string][]float64{}
				order = append(order, bench)
			}
			for i := 2; i+1 < len(fields); i += 2 {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					continue
				}
				unit := fields[i+1]
				if values[bench][unit] == nil {
					values[bench][unit] = map[string][]float64{}
				}
				values[bench][unit][kv] = append(values[bench][unit][kv], v)
			}
		}
		f.Close()
	}
	others := make([]string, 0, len(kvOrder))
	for _, kv := range kvOrder {
		if kv != *base {
			others = append(others, kv)
		}
	}
	fmt.Printf("%-40s %-14s %12s", "benchmark", "unit", *base)
	for _, o := range others {
		fmt.Printf(" %12s %10s", o, o+"/"+*base)
	}
	fmt.Println()
	for _, bench := range order {
		units := make([]string, 0, len(values[bench]))
		for u := range values[bench] {
			units = append(units, u)
		}
		sort.Slice(units, func(i, j int) bool { return unitRank(units[i]) < unitRank(units[j]) })
		for _, u := range units {
			b := median(values[bench][u][*base])
			fmt.Printf("%-40s %-14s %12s", bench, u, num(b))
			for _, o := range others {
				v := median(values[bench][u][o])
				ratio := "-"
				if b > 0 && v >= 0 {
					ratio = strconv.FormatFloat(v/b, 'f', 2, 64) + "x"
				}
				fmt.Printf(" %12s %10s", num(v), ratio)
			}
			fmt.Println()
		}
	}
}

func unitRank(u string) int {
	for i, k := range []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op"} {
		if u == k {
			return i
		}
	}
	return 10
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(v float64) string {
	if v < 0 {
		return "-"
	}
	if v >= 1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
