package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

func pathUnescape(s string) (string, error) { return url.PathUnescape(s) }

// buildParams makes the generated params struct (paramsType is e.g.
// *project.GetProjectParams) for a recorded request: path parameters from
// the matched template, query parameters from the query, header parameters
// from the headers the recorder set, the body parameter from the JSON body.
// notes says what of the request could not be reproduced (the answer is
// replayed all the same).
func buildParams(paramsType reflect.Type, op *specdiff.Operation, pathParams map[string]string,
	query url.Values, headers http.Header, body []byte) (reflect.Value, []string, error) {
	pv := reflect.New(paramsType.Elem())
	s := pv.Elem()
	var notes []string
	set := func(in, name string, values []string) error {
		p, ok := op.Params[specdiff.ParamKey(in, name)]
		if !ok && in == "header" {
			for _, q := range op.Params { // header names are case-insensitive
				if q.In == "header" && strings.EqualFold(q.Name, name) {
					p, ok = q, true
				}
			}
		}
		if !ok {
			if in == "header" {
				return nil // Accept, Content-Type: not parameters
			}
			notes = append(notes, fmt.Sprintf("%s parameter %q is not in swagger.yaml", in, name))
			return nil
		}
		f := fieldFor(s, p.Name)
		if !f.IsValid() {
			return fmt.Errorf("%s has no field for %s parameter %q", paramsType, in, p.Name)
		}
		return setFromStrings(f, values)
	}
	for name, v := range pathParams {
		if err := set("path", name, []string{v}); err != nil {
			return pv, notes, err
		}
	}
	for name, vs := range query {
		if err := set("query", name, vs); err != nil {
			return pv, notes, err
		}
	}
	for name, vs := range headers {
		if err := set("header", name, vs); err != nil {
			return pv, notes, err
		}
	}
	for _, p := range op.Params {
		if p.In != "body" {
			continue
		}
		if len(body) == 0 {
			break
		}
		f := fieldFor(s, p.Name)
		if !f.IsValid() {
			return pv, notes, fmt.Errorf("%s has no field for body parameter %q", paramsType, p.Name)
		}
		v := reflect.New(f.Type())
		if err := json.Unmarshal(body, v.Interface()); err != nil {
			notes = append(notes, fmt.Sprintf("recorded body does not fit %s: %v", f.Type(), err))
			break
		}
		f.Set(v.Elem())
	}
	for _, p := range op.Params {
		if p.In == "formData" {
			notes = append(notes, fmt.Sprintf("formData parameter %q not reproduced", p.Name))
		}
	}
	return pv, notes, nil
}

// fieldFor finds the exported field of a generated params struct for a
// swagger parameter name ("page_size" -> PageSize).
func fieldFor(s reflect.Value, name string) reflect.Value {
	want := normalize(name)
	for i := range s.NumField() {
		f := s.Type().Field(i)
		if f.IsExported() && normalize(f.Name) == want {
			return s.Field(i)
		}
	}
	return reflect.Value{}
}

// setFromStrings sets a params field (string, integer, number, boolean, a
// pointer to one, or a slice of them) from its text form.
func setFromStrings(f reflect.Value, values []string) error {
	t := f.Type()
	if t.Kind() == reflect.Slice {
		var items []string
		for _, v := range values {
			items = append(items, strings.Split(v, ",")...) // swagger's default csv
		}
		sl := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			if err := setScalar(sl.Index(i), it); err != nil {
				return err
			}
		}
		f.Set(sl)
		return nil
	}
	if len(values) != 1 {
		return fmt.Errorf("%d values for a single %s", len(values), t)
	}
	if t.Kind() == reflect.Pointer {
		v := reflect.New(t.Elem())
		if err := setScalar(v.Elem(), values[0]); err != nil {
			return err
		}
		f.Set(v)
		return nil
	}
	return setScalar(f, values[0])
}

func setScalar(f reflect.Value, s string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
		f.SetInt(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		f.SetFloat(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not a boolean", s)
		}
		f.SetBool(b)
	default:
		return fmt.Errorf("cannot set a %s parameter", f.Type())
	}
	return nil
}
