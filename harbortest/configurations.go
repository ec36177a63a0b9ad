package harbortest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
)

// defaultConfig is configurationsJSON decoded: key -> {"editable", "value"}.
var defaultConfig = mustJSON[map[string]map[string]any](configurationsJSON)

// usersCreated reports whether a user other than admin was ever created;
// Harbor then refuses to change auth_mode and says it is not editable.
func (st *state) usersCreated() bool { return st.nextUserID > 3 }

// configured is the current value of a configuration key.
func (st *state) configured(key string) any {
	if key == "robot_name_prefix" {
		return st.robotPrefix
	}
	if v, ok := st.config[key]; ok {
		return v
	}
	return defaultConfig[key]["value"]
}

// getConfigurations, like every configuration operation, is for system
// administrators only: no robot can hold a configuration permission.
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

// updateConfigurations stores the values of known keys; unknown keys are
// ignored (b231), a value of the wrong type is go-swagger's 422 (b232).
// robot_name_prefix applies to every robot name read afterwards (b227, b229).
// Like Harbor, every attempt by a signed-in caller goes to /auditlog-exts,
// refused ones with operation_result false (b231-b235).
func (s *Server) updateConfigurations(r *request) (answer, *apiError) {
	values, e := decodeConfigurations(r)
	if e == nil {
		e = s.requireSystem(r.id, "configuration", "update")
	}
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
	for k, v := range values {
		if k == "robot_name_prefix" {
			s.state.robotPrefix = v.(string)
			continue
		}
		s.state.config[k] = v
	}
	return reply(nil)
}

// decodeConfigurations reads the body of PUT /configurations: the known keys
// with values of their default's type (a number is an integer). It is not
// withBody's: Harbor's audit log records a refused body too.
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
