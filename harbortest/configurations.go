package harbortest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
)

// defaultConfig is configurationsJSON decoded: key -> {"editable", "value"}.
var defaultConfig = mustJSON[map[string]map[string]any](configurationsJSON)

// usersCreated: once a user other than admin was created, Harbor's auth_mode is not editable.
func (st *state) usersCreated() bool { return st.nextUserID > 3 }

func (st *state) configured(key string) any {
	if key == "robot_name_prefix" {
		return st.robotPrefix
	}
	if v, ok := st.config[key]; ok {
		return v
	}
	return defaultConfig[key]["value"]
}

// Only system administrators configure: no robot can hold a configuration permission.
func (s *Server) getConfigurations(r *request) (answer, *apiError) {
	conf := make(map[string]map[string]any, len(defaultConfig))
	for k, def := range defaultConfig {
		conf[k] = maps.Clone(def)
		if _, ok := def["value"]; ok { // scan_all_policy has none: {}
			conf[k]["value"] = s.state.configured(k)
		}
	}
	conf["auth_mode"]["editable"] = !s.state.usersCreated()
	return reply(conf)
}

// updateConfigurations ignores unknown keys (b231), refuses a wrongly typed value (422, b232) and
// logs every signed-in attempt in /auditlog-exts, refused ones with result false (b231-b235).
// robot_name_prefix renames every robot read afterwards (b227, b229).
func (s *Server) updateConfigurations(r *request) (answer, *apiError) {
	values, e := decodeConfigurations(r)
	e = cmp.Or(e, s.requireSystem(r.id, "configuration", "update"))
	if v, ok := values["auth_mode"]; e == nil && ok && v != s.state.configured("auth_mode") && s.state.usersCreated() {
		e = errBadRequest("the auth mode cannot be modified as new users have been inserted into database")
	}
	if r.id.authenticated() {
		s.state.addAuditExt(s.now(), r.id, s.state.robotPrefix, "update", "configuration", "configuration", "update configuration", 0)
		s.state.auditExts[len(s.state.auditExts)-1].result = e == nil
	}
	if e != nil {
		return answer{}, e
	}
	maps.Copy(s.state.config, values)
	if prefix, ok := values["robot_name_prefix"]; ok { // configured reads it from robotPrefix
		s.state.robotPrefix = prefix.(string)
	}
	return reply(nil)
}

// decodeConfigurations reads PUT /configurations: the known keys, each of its default's type
// (a number is an integer). Not withBody: Harbor's audit log records a refused body too.
func decodeConfigurations(r *request) (map[string]any, *apiError) {
	const failed = "parsing configurations body from \"\" failed, because "
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); errors.Is(err, io.EOF) {
		return nil, errUnprocessable("configurations in body is required")
	} else if err != nil {
		return nil, errUnprocessable(failed + err.Error())
	}
	values := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(body)) { // the first bad key, always the same
		var p any = new(int64)
		switch defaultConfig[k]["value"].(type) {
		case nil: // an unknown key, or scan_all_policy
			continue
		case bool:
			p = new(bool)
		case string:
			p = new(string)
		}
		// body[k] is valid JSON (the body decoded): only its type can be wrong
		var te *json.UnmarshalTypeError
		if errors.As(json.Unmarshal(body[k], p), &te) {
			const typeErr = "json: cannot unmarshal %s into Go struct field Configurations.%s of type %s"
			return nil, errUnprocessable(failed + fmt.Sprintf(typeErr, te.Value, k, te.Type))
		}
		switch v := p.(type) {
		case *bool:
			values[k] = *v
		case *string:
			values[k] = *v
		case *int64:
			values[k] = float64(*v)
		}
	}
	return values, nil
}
