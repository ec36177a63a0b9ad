package harbortest

import (
	_ "embed"
	"encoding/base64"
	"fmt"
)

// imageIconDigest is the digest Harbor serves imageIconPNG under.
const imageIconDigest = "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06"

// imageIconPNG is Harbor's built-in icon of container images, as recorded
// in 88_icons; the API answers it base64 encoded.
//
//go:embed image_icon.png
var imageIconPNG []byte

type iconJSON struct {
	Content     string `json:"content"`
	ContentType string `json:"content-type"`
}

// getIcon answers the built-in image icon; harbortest stores no artifact
// with an icon of its own, so any other digest is not found.
func (s *Server) getIcon(r *request) (answer, *apiError) {
	digest := pathParam(r, "digest")
	if digest != imageIconDigest {
		return answer{}, errNotFound(fmt.Sprintf("the icon %s not found", digest))
	}
	return reply(iconJSON{Content: base64.StdEncoding.EncodeToString(imageIconPNG), ContentType: "image/png"})
}
