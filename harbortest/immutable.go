package harbortest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

type selectorJSON struct {
	Decoration string `json:"decoration,omitempty"`
	Extras     string `json:"extras,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Pattern    string `json:"pattern,omitempty"`
}

// tagRuleJSON is Harbor's RetentionRule/ImmutableRule: unset fields omitted, tag_selectors null (b249).
type tagRuleJSON struct {
	Action         string                    `json:"action,omitempty"`
	Disabled       bool                      `json:"disabled,omitempty"`
	ID             int64                     `json:"id,omitempty"`
	Params         map[string]any            `json:"params,omitempty"`
	Priority       int64                     `json:"priority,omitempty"`
	ScopeSelectors map[string][]selectorJSON `json:"scope_selectors,omitempty"`
	TagSelectors   []selectorJSON            `json:"tag_selectors"`
	Template       string                    `json:"template,omitempty"`
}

type immutableState struct {
	nextID    int64
	byProject map[int64][]*tagRuleJSON
}

func (st *state) immutableState() *immutableState {
	return lazy(&st.immutable, func() *immutableState {
		return &immutableState{nextID: 1, byProject: map[int64][]*tagRuleJSON{}}
	})
}

// sameRule reports whether two rules select the same tags (Harbor's unique key).
func sameRule(a, b *tagRuleJSON) bool {
	x, _ := json.Marshal([]any{a.TagSelectors, a.ScopeSelectors, a.Action, a.Template})
	y, _ := json.Marshal([]any{b.TagSelectors, b.ScopeSelectors, b.Action, b.Template})
	return string(x) == string(y)
}

// doublestar turns a regexp.QuoteMeta'd doublestar pattern into a regexp.
var doublestar = strings.NewReplacer(`\*\*`, ".*", `\*`, "[^/]*", `\?`, "[^/]", `\{`, "(", `\}`, ")", ",", "|")

// selectorsMatch reports whether value passes every selector: its doublestar pattern ("team/**",
// "1.0*", "{a,b}") matches, or for excludes does not. A pattern giving no valid regexp matches nothing.
func selectorsMatch(sels []selectorJSON, value string) bool {
	return !slices.ContainsFunc(sels, func(sel selectorJSON) bool { // a selector value fails
		re, err := regexp.Compile("^" + doublestar.Replace(regexp.QuoteMeta(sel.Pattern)) + "$")
		matches := err == nil && re.MatchString(value)
		return matches == strings.HasSuffix(strings.ToLower(sel.Decoration), "excludes")
	})
}

// tagImmutable reports whether an enabled immutable rule of p covers tag in repo (e.g. "team/app").
func (s *Server) tagImmutable(p *project, repo, tag string) bool {
	return slices.ContainsFunc(s.state.immutableState().byProject[p.id], func(rule *tagRuleJSON) bool {
		return !rule.Disabled && len(rule.TagSelectors) > 0 &&
			selectorsMatch(rule.ScopeSelectors["repository"], repo) && selectorsMatch(rule.TagSelectors, tag)
	})
}

func (s *Server) listImmutableRules(r *request, p *project, pp pageParams) (answer, *apiError) {
	if _, e := parseQuery(r); e != nil { // a malformed q is refused; rules have no field q filters on
		return answer{}, e
	}
	return pageOf(r, s.state.immutableState().byProject[p.id], pp, func(x *tagRuleJSON) tagRuleJSON { return *x })
}

// createImmutableRule stores the rule as sent (Harbor takes a bad regex, an empty body); same selectors: 409.
func (s *Server) createImmutableRule(r *request, p *project, rule *tagRuleJSON) (answer, *apiError) {
	is := s.state.immutableState()
	rule.ID = newID(&is.nextID) // a refused insert uses up its id too, as in Harbor's database
	if slices.ContainsFunc(is.byProject[p.id], func(o *tagRuleJSON) bool { return sameRule(o, rule) }) {
		return answer{}, errConflict("immutable rule already exists")
	}
	is.byProject[p.id] = append(is.byProject[p.id], rule)
	return r.created(apiPrefix + "/projects/" + pathParam(r, "project_name_or_id") + "/immutabletagrules/" + strconv.FormatInt(rule.ID, 10))
}

// immutableRule resolves the path's project for action and the index there of
// {immutable_rule_id}; a rule of another project is 404 "project id N does not match".
func (s *Server) immutableRule(r *request, action string) (*project, int, *apiError) {
	p, e := s.projectFromPath(r, r.id, "immutable-tag", action)
	var rid int64
	if e == nil {
		rid, e = pathID(r, "immutable_rule_id")
	}
	if e != nil {
		return nil, 0, e
	}
	is := s.state.immutableState()
	if i := slices.IndexFunc(is.byProject[p.id], func(x *tagRuleJSON) bool { return x.ID == rid }); i >= 0 {
		return p, i, nil
	}
	for _, rules := range is.byProject {
		if slices.ContainsFunc(rules, func(x *tagRuleJSON) bool { return x.ID == rid }) {
			return nil, 0, errNotFound(fmt.Sprintf("resource not found: project id %d does not match", p.id))
		}
	}
	return nil, 0, errNotFound(fmt.Sprintf("immutable rule %d not found", rid))
}

func (s *Server) updateImmutableRule(r *request, rule *tagRuleJSON) (answer, *apiError) {
	if rid, e := pathID(r, "immutable_rule_id"); e != nil || rid != rule.ID {
		if e == nil {
			e = errBadRequest("bad request: the immutable_rule_id doesn't match the id in the payload body of ImmutableRule")
		}
		return answer{}, e
	}
	p, i, e := s.immutableRule(r, "update")
	if e == nil {
		s.state.immutableState().byProject[p.id][i] = rule
	}
	return replyOr[any](nil, e)
}

func (s *Server) deleteImmutableRule(r *request) (answer, *apiError) {
	p, i, e := s.immutableRule(r, "delete")
	if e == nil {
		is := s.state.immutableState()
		is.byProject[p.id] = slices.Delete(is.byProject[p.id], i, i+1)
	}
	return replyOr[any](nil, e)
}
