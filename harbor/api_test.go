package harbor

import (
	"reflect"

	"github.com/harborkit/harbor-sdk-go/gen/client"
)

// apiFieldsNil returns the names of api's fields that are nil, so that a
// tag added to the spec and missing from newAPI fails TestAPIWiresEveryTag.
func apiFieldsNil(api *client.HarborAPI) []string {
	var names []string
	v := reflect.ValueOf(api).Elem()
	for i := range v.NumField() {
		if v.Field(i).IsNil() {
			names = append(names, v.Type().Field(i).Name)
		}
	}
	return names
}
