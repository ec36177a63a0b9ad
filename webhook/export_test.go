package webhook

import "net/http"

// What harbortest_test.go needs of the recording helpers: it is an external
// test because harbortest, which it drives, imports this package.
type Delivery = delivery

var (
	LoadDeliveries  = loadDeliveries
	Generic         = generic
	CheckAgainstRaw = checkAgainstRaw
)

func (d delivery) Name() string        { return d.name }
func (d delivery) Header() http.Header { return d.header }
func (d delivery) Body() []byte        { return d.body }
