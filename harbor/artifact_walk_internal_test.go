package harbor

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A null item in a listing of projects, repositories, artifacts or tags
// names nothing: the walk skips it (it used to dereference it, which in a
// worker goroutine took the whole program down), sequential or concurrent.
func TestWalkArtifactsSkipsNullItems(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/api/v2.0")
		switch {
		case p == "/projects":
			writeJSON(w, 200, `[null,{"name":"p"}]`)
		case strings.HasSuffix(p, "/repositories"):
			writeJSON(w, 200, `[null,{"name":"p/app"}]`)
		default:
			writeJSON(w, 200, `[null,{"digest":"sha256:1","tags":[null,{"name":"v1"}]}]`)
		}
	})
	c := newStubClient(t, s.URL)
	for i, opts := range []*WalkOptions{
		nil,
		{Tags: []string{"v1"}},
		{Reports: ReportGeneric},
		{Concurrency: 2, Tags: []string{"v1"}, Reports: ReportGeneric},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			var got []string
			require.NotPanics(t, func() {
				for a, err := range c.WalkArtifacts(t.Context(), opts) {
					if err != nil && !errors.Is(err, ErrNotScanned) {
						t.Fatal(err)
					}
					got = append(got, a.Reference())
				}
			})
			assert.Equal(t, []string{"p/app@sha256:1"}, got)
		})
	}
}
