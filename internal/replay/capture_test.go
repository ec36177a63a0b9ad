package replay

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// captureDir is the committed copy of the recorded exchanges.
const captureDir = "../../testdata/harbor-captures"

// exchange is one recorded request and Harbor's answer to it.
type exchange struct {
	Name string // file name without .txt, e.g. "p032_list_artifacts_default"
	File string // path relative to captureDir, e.g. "set2/p032_list_artifacts_default.txt"

	Method     string
	Target     string      // request target as sent: escaped path and query
	ReqHeaders http.Header // the headers the recorder listed (Auth: is not one)
	ReqBody    []byte

	Status      int
	RespHeaders http.Header
	RespBody    []byte
}

// loadExchanges reads every capture of both sets, sorted by file.
func loadExchanges() ([]*exchange, error) {
	var files []string
	for _, pattern := range []string{"*.txt", "set2/*.txt"} {
		m, err := filepath.Glob(filepath.Join(captureDir, pattern))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	var out []*exchange
	for _, f := range files {
		if filepath.Base(f) == "INDEX.txt" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(captureDir, f)
		x, err := parseExchange(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		x.File = filepath.ToSlash(rel)
		x.Name = strings.TrimSuffix(filepath.Base(f), ".txt")
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// parseExchange reads the recorder's format:
//
//	### REQUEST
//	METHOD /target
//	Auth: ...
//	Header: value            (the headers the recorder set)
//	                          (blank line)
//	body
//	### RESPONSE
//	HTTP/1.1 200 OK\r\n       (status line and headers as received, CRLF)
//	Header: value\r\n
//	\r\n
//	body as received, then one "\n" the recorder added
func parseExchange(data []byte) (*exchange, error) {
	req, resp, ok := bytes.Cut(data, []byte("\n### RESPONSE\n"))
	if !ok {
		return nil, fmt.Errorf("no ### RESPONSE line")
	}
	req, ok = bytes.CutPrefix(req, []byte("### REQUEST\n"))
	if !ok {
		return nil, fmt.Errorf("does not start with ### REQUEST")
	}
	x := &exchange{ReqHeaders: http.Header{}}
	head, body, found := bytes.Cut(req, []byte("\n\n"))
	if !found { // no body: the blank line ends the request
		head = bytes.TrimSuffix(req, []byte("\n"))
	}
	lines := strings.Split(string(head), "\n")
	method, target, ok := strings.Cut(lines[0], " ")
	if !ok || method == "" || !strings.HasPrefix(target, "/") {
		return nil, fmt.Errorf("bad request line %q", lines[0])
	}
	x.Method, x.Target = method, target
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("bad request header line %q", l)
		}
		if k != "Auth" {
			x.ReqHeaders.Add(k, strings.TrimSpace(v))
		}
	}
	x.ReqBody = bytes.TrimSuffix(body, []byte("\n"))

	rhead, rbody, ok := bytes.Cut(resp, []byte("\r\n\r\n"))
	if !ok {
		return nil, fmt.Errorf("response has no end of headers")
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(rhead, "\r\n\r\n"...))))
	status, err := tp.ReadLine()
	if err != nil {
		return nil, err
	}
	proto, rest, _ := strings.Cut(status, " ")
	code, _, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(proto, "HTTP/") {
		return nil, fmt.Errorf("bad status line %q", status)
	}
	if x.Status, err = strconv.Atoi(code); err != nil {
		return nil, fmt.Errorf("bad status line %q", status)
	}
	mh, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("response headers: %w", err)
	}
	x.RespHeaders = http.Header(mh)
	x.RespBody = bytes.TrimSuffix(rbody, []byte("\n"))
	return x, nil
}
