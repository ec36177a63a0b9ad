package harbor

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/harborkit/harbor-sdk-go/gen/client/systeminfo"
)

// ServerVersion returns harbor_version from GET /systeminfo as sent, e.g.
// "v2.15.2-080b0220". Harbor shows it to authenticated callers only, so an
// anonymous client, or one whose credentials Harbor does not accept, gets
// an error matching ErrServerVersionUnknown that says which. Harbor's
// refusals are *Error.
func (c *Client) ServerVersion(ctx context.Context) (_ string, err error) {
	defer inVoice("ServerVersion", &err)
	res, err := c.api.Systeminfo.GetSystemInfo(ctx, systeminfo.NewGetSystemInfoParams())
	if err != nil {
		return "", err
	}
	if res.Payload != nil && res.Payload.HarborVersion != nil && *res.Payload.HarborVersion != "" {
		return *res.Payload.HarborVersion, nil
	}
	if c.auth == nil {
		return "", fmt.Errorf("%w: GET /systeminfo shows harbor_version to authenticated callers only, "+
			"and this client is anonymous: give it credentials (any user or robot will do)", ErrServerVersionUnknown)
	}
	return "", fmt.Errorf("%w: GET /systeminfo did not show harbor_version although the client authenticates as %q: "+
		"Harbor hides it from anonymous callers and treats wrong credentials as anonymous there, "+
		"so the credentials were probably not accepted (Whoami tells)", ErrServerVersionUnknown, c.auth.username)
}

// VersionRelation says how a Harbor server's release (major.minor.patch,
// build suffixes ignored) compares with SpecVersion.
type VersionRelation string

// The relations CheckCompatibility reports.
const (
	ServerSameVersion VersionRelation = "same"
	ServerOlder       VersionRelation = "older"
	ServerNewer       VersionRelation = "newer"
)

// Compatibility is how a Harbor server's release compares with the spec
// this SDK was generated from, with advice in words.
type Compatibility struct {
	ServerVersion string          // as Harbor reported it, e.g. "v2.15.2-080b0220"
	SpecVersion   string          // SpecVersion, e.g. "v2.15.2"
	Relation      VersionRelation // ServerSameVersion, ServerOlder or ServerNewer
	// PatchOnly is true when the releases differ in the patch number only;
	// Harbor's API rarely changes between patch releases.
	PatchOnly bool
	// Message says what the difference means and what to do about it, in one line.
	Message string
}

// OK reports whether the server runs the release this SDK was generated from.
func (c *Compatibility) OK() bool { return c.Relation == ServerSameVersion }

// CheckCompatibility compares ServerVersion with SpecVersion
// (CompareWithSpec). A difference is not an error but a Relation and a
// Message; the error is ServerVersion's or CompareWithSpec's.
func (c *Client) CheckCompatibility(ctx context.Context) (_ *Compatibility, err error) {
	defer inVoice("CheckCompatibility", &err)
	v, err := c.ServerVersion(ctx)
	if err != nil {
		return nil, err
	}
	return CompareWithSpec(v)
}

// CompareWithSpec compares a Harbor version such as "v2.14.4-1a2b3c4d" with
// SpecVersion. One not of the form vMAJOR.MINOR.PATCH[-build] is an error
// matching ErrServerVersionUnknown.
func CompareWithSpec(serverVersion string) (*Compatibility, error) {
	server, err := parseHarborVersion(serverVersion)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrServerVersionUnknown, err)
	}
	spec, err := parseHarborVersion(SpecVersion)
	if err != nil {
		return nil, fmt.Errorf("harbor: SpecVersion: %v", err) // a broken build, not the server's fault
	}
	comp := &Compatibility{ServerVersion: serverVersion, SpecVersion: SpecVersion,
		PatchOnly: server[0] == spec[0] && server[1] == spec[1] && server[2] != spec[2]}
	s, p := fmt.Sprintf("v%d.%d.%d", server[0], server[1], server[2]), fmt.Sprintf("v%d.%d.%d", spec[0], spec[1], spec[2])
	patchNote := ""
	if comp.PatchOnly {
		patchNote = " (the releases differ in the patch number only, and Harbor's API rarely changes between patch releases)"
	}
	switch slices.Compare(server[:], spec[:]) {
	case 0:
		comp.Relation = ServerSameVersion
		comp.Message = fmt.Sprintf("server %s is the release of the spec %s this SDK was generated from: every operation and field of the SDK applies", s, p)
	case -1:
		comp.Relation = ServerOlder
		comp.Message = fmt.Sprintf("server %s is older than the spec %s this SDK was generated from: "+
			"operations and fields added since %s may be refused (404, 405 or 400) or ignored by the server%s; "+
			"stick to what %s offers, upgrade Harbor, or use the SDK release generated from %s if there is one",
			s, p, s, patchNote, s, s)
	default:
		comp.Relation = ServerNewer
		comp.Message = fmt.Sprintf("server %s is newer than the spec %s this SDK was generated from: "+
			"what this SDK offers keeps working unless Harbor changed or removed it, "+
			"but operations and fields added since %s are not in this SDK and new fields in answers are dropped%s; "+
			"upgrade the SDK to the release generated from %s when you need them",
			s, p, p, patchNote, s)
	}
	return comp, nil
}

// parseHarborVersion reads "v2.15.2", "2.15.2", "v2.15.2-080b0220" or
// "v2.16.0-rc1+build": the numbers before the first "-" or "+".
func parseHarborVersion(s string) ([3]int, error) {
	var v [3]int
	core := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	for i, p := range parts {
		n, err := strconv.Atoi(p) // no sign: the version was cut at the first "-" or "+"
		if err != nil || len(parts) != 3 {
			return v, fmt.Errorf("version %q is not vMAJOR.MINOR.PATCH[-build]", s)
		}
		v[i] = n
	}
	return v, nil
}
