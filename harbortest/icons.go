package harbortest

import (
	_ "embed"
	"encoding/base64"
	"fmt"
)

// typeIcons are the digests of Harbor's built-in icons by artifact type; IMAGE's is imageIconPNG's.
var typeIcons = map[string]string{
	"IMAGE": "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06",
	"CHART": "sha256:61cf3a178ff0f75bf08a25d96b75cf7355dc197749a9f128ed3ef34b0df05518",
	"SBOM":  "sha256:c19f80c357cd7e90d2a01b9ae3e2eb62ce447a2662bb590a19177d72d550bdae",
}

// imageIconPNG is Harbor's built-in icon of container images (88_icons), answered base64 encoded.
//
//go:embed image_icon.png
var imageIconPNG []byte

// getIcon answers the built-in image icon; no artifact here has its own, so other digests are 404.
func (s *Server) getIcon(r *request) (answer, *apiError) {
	digest := pathParam(r, "digest")
	if digest != typeIcons["IMAGE"] {
		return answer{}, errNotFound(fmt.Sprintf("the icon %s not found", digest))
	}
	return reply(map[string]string{"content": base64.StdEncoding.EncodeToString(imageIconPNG), "content-type": "image/png"})
}
