package harbor

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/harborkit/harbor-sdk-go/gen/client/repository"
)

func TestEscapeRepositoryNameIsDoubleEscapedOnTheWire(t *testing.T) {
	uris := make(chan string, 1)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		uris <- r.RequestURI
		writeJSON(w, 200, `{"name":"library/team/app"}`)
	})
	c := newStubClient(t, s.URL)
	params := repository.NewGetRepositoryParams().WithProjectName("library").WithRepositoryName(EscapeRepositoryName("team/app"))
	_, err := c.API().Repository.GetRepository(t.Context(), params)
	require.NoError(t, err)
	assert.Equal(t, "/api/v2.0/projects/library/repositories/team%252Fapp", <-uris)
	assert.Equal(t, "plain", EscapeRepositoryName("plain"))
}
