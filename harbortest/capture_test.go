package harbortest_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// exchange is one recorded request/response pair of a capture file.
type exchange struct {
	Method, Path string
	AuthUser     string
	AuthPass     string
	HasAuth      bool
	ReqHeader    map[string]string
	ReqBody      string
	Status       int
	RespHeader   map[string][]string
	RespBody     string
}

// parseCapture reads a capture file: "### REQUEST" (method and path, an
// "Auth:" line, headers, blank line, body) then "### RESPONSE" (status line,
// headers, blank line, body). A file may hold several exchanges.
func parseCapture(path string) ([]exchange, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []exchange
	parts := strings.Split(string(data), "### REQUEST\n")
	for _, part := range parts[1:] {
		part = strings.Replace(part, "### RESPONSE\r\n", "### RESPONSE\n", 1) // set 3 writes it so
		req, resp, ok := strings.Cut(part, "### RESPONSE\n")
		if !ok {
			return nil, fmt.Errorf("%s: no ### RESPONSE", path)
		}
		var ex exchange
		ex.ReqHeader = map[string]string{}
		ex.RespHeader = map[string][]string{}
		reqHead, reqBody, _ := strings.Cut(req, "\n\n")
		ex.ReqBody = strings.TrimRight(reqBody, "\n")
		sc := bufio.NewScanner(strings.NewReader(reqHead))
		first := true
		for sc.Scan() {
			line := sc.Text()
			if first {
				first = false
				ex.Method, ex.Path, _ = strings.Cut(line, " ")
				continue
			}
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimSpace(v)
			if k == "Auth" {
				cred := strings.TrimSpace(strings.TrimPrefix(v, "basic"))
				cred, _, _ = strings.Cut(cred, " ") // set3/t010 adds a note after the credentials
				if cred != "" && cred != "none" {
					ex.HasAuth = true
					ex.AuthUser, ex.AuthPass, _ = strings.Cut(cred, ":")
				}
				continue
			}
			ex.ReqHeader[k] = v
		}
		// responses are raw HTTP: CRLF line ends, body after an empty line
		respHead, respBody, _ := strings.Cut(strings.Replace(resp, "\r\n\r\n", "\n\n", 1), "\n\n")
		respHead = strings.ReplaceAll(respHead, "\r", "")
		ex.RespBody = strings.TrimSpace(respBody)
		sc = bufio.NewScanner(strings.NewReader(respHead))
		first = true
		for sc.Scan() {
			line := sc.Text()
			if first {
				first = false
				f := strings.Fields(line)
				if len(f) < 2 {
					return nil, fmt.Errorf("%s: bad status line %q", path, line)
				}
				ex.Status, err = strconv.Atoi(f[1])
				if err != nil {
					return nil, err
				}
				continue
			}
			k, v, _ := strings.Cut(line, ":")
			ex.RespHeader[k] = append(ex.RespHeader[k], strings.TrimSpace(v))
		}
		out = append(out, ex)
	}
	return out, nil
}

// captureOrder returns the capture names (file names without .txt) in the
// order INDEX.txt lists them, which is the order they were recorded in.
func captureOrder(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "INDEX.txt"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names, nil
}
