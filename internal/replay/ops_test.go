package replay

import (
	"context"
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client"
	"github.com/harborkit/harbor-sdk-go/internal/specdiff"
)

// apiPrefix is swagger.yaml's basePath.
const apiPrefix = "/api/v2.0"

// route is one swagger.yaml operation with its path template split into
// segments ("{name}" for a parameter).
type route struct {
	op   *specdiff.Operation
	segs []string
}

// router finds the swagger.yaml operation of a recorded request.
type router struct{ routes []route }

func newRouter(spec *specdiff.Spec) *router {
	r := &router{}
	for _, op := range spec.SortedOperations() {
		// A trailing slash is kept as an empty last segment: Harbor's
		// /projects/{project_name_or_id}/metadatas/ has one.
		r.routes = append(r.routes, route{op: op, segs: strings.Split(strings.TrimPrefix(op.Path, "/"), "/")})
	}
	return r
}

// match returns the operation for method and escaped path, with its path
// parameters unescaped once (the generated client escapes them once again,
// so "team%252Fapp" on the wire is the value "team%2Fapp"). Among templates
// that fit, the one with the most literal segments wins (/users/current
// over /users/{user_id}).
func (r *router) match(method, escapedPath string) (*specdiff.Operation, map[string]string, error) {
	rest, ok := strings.CutPrefix(escapedPath, apiPrefix+"/")
	if !ok || strings.Contains("/"+rest+"/", "/../") {
		return nil, nil, fmt.Errorf("not under %s/", apiPrefix)
	}
	segs := strings.Split(rest, "/")
	var best *route
	bestLiterals := -1
	for i := range r.routes {
		rt := &r.routes[i]
		if rt.op.Method != method || len(rt.segs) != len(segs) {
			continue
		}
		literals, fits := 0, true
		for j, s := range rt.segs {
			if strings.HasPrefix(s, "{") {
				fits = fits && segs[j] != ""
				if !fits {
					break
				}
				continue
			}
			if s != segs[j] {
				fits = false
				break
			}
			literals++
		}
		if fits && literals > bestLiterals {
			best, bestLiterals = rt, literals
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("no %s operation for this path in swagger.yaml", method)
	}
	params := map[string]string{}
	for j, s := range best.segs {
		if name, ok := strings.CutPrefix(s, "{"); ok {
			v, err := pathUnescape(segs[j])
			if err != nil {
				return nil, nil, err
			}
			params[strings.TrimSuffix(name, "}")] = v
		}
	}
	return best.op, params, nil
}

// apiMethods finds the generated method of every operation on a HarborAPI:
// the field for the operation's tag, the method named after its operationId.
type apiMethods struct {
	byTag map[string]reflect.Value // normalize(tag) -> the field (a generated <tag>.API)
}

func newAPIMethods(api *client.HarborAPI) *apiMethods {
	m := &apiMethods{byTag: map[string]reflect.Value{}}
	v := reflect.ValueOf(api).Elem()
	for i := range v.NumField() {
		ft := v.Type().Field(i).Type
		if ft.Kind() != reflect.Interface || !strings.Contains(ft.PkgPath(), "/gen/client/") {
			continue // Transport
		}
		m.byTag[normalize(path.Base(ft.PkgPath()))] = v.Field(i)
	}
	return m
}

// method returns the generated method for op, e.g. api.Project.GetProject.
func (m *apiMethods) method(op *specdiff.Operation) (reflect.Value, error) {
	svc, ok := m.byTag[normalize(op.Tag)]
	if !ok {
		return reflect.Value{}, fmt.Errorf("no HarborAPI field for tag %q", op.Tag)
	}
	var found reflect.Value
	t := svc.Type()
	for i := range t.NumMethod() {
		if normalize(t.Method(i).Name) == normalize(op.ID) {
			if found.IsValid() {
				return reflect.Value{}, fmt.Errorf("two methods of %s match %s", t, op.ID)
			}
			found = svc.Method(i)
		}
	}
	if !found.IsValid() {
		return reflect.Value{}, fmt.Errorf("%s has no method for %s", t, op.ID)
	}
	ft := found.Type()
	if ft.NumIn() < 2 || ft.In(0) != reflect.TypeFor[context.Context]() || ft.In(1).Kind() != reflect.Pointer {
		return reflect.Value{}, fmt.Errorf("%s.%s: unexpected signature %s", t, op.ID, ft)
	}
	return found, nil
}

// normalize makes a swagger name and a Go identifier comparable: "scan data
// export" and "scan_data_export", "page_size" and "PageSize",
// "X-Accept-Vulnerabilities" and "XAcceptVulnerabilities".
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
