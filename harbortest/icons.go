package harbortest

import (
	"fmt"
)

// imageIconDigest is the digest of Harbor's built-in icon of container
// images, and imageIconPNG its content, base64 encoded (recorded in 88_icons).
const imageIconDigest = "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06"

const imageIconPNG = "iVBORw0KGgoAAAANSUhEUgAAACQAAAAkCAYAAADhAJiYAAAFW0lEQVR4nOyXW2hVVxrH/+uyL+eWScx1ctFk1Bkd0HGMzERNBHFe" +
	"Zh6EeZgLM/MyFEppkaotvUhBoXkQW9uH0ofa0lJ6gdbnSm0ragWrtYkpxWqIlRI1aDw5Ofd9zt7rUvZOTjyJuTYV8+AHYbPW/u9v" +
	"/dbKf31rHYolFg+B5oolB8QX8/H6p49HNA+b5X1OLpO/+trfig8EiEv7XcPm9aW28pRtsugbAN56IEB+RJqrOhUhoJpAFLze3I8j" +
	"i8q3aCApFIgGJCEANFlsvkUDGRHT858KBCLluPcNaOPuU89Qk/8blAaDEK2p9EQDNY2hkka7Ynmyf7h3oi1laNbRDmjaPtRj9xzZ" +
	"lF8wkB/R5uowtdgfg8G0zuRujPZFWqq6Su+z1+LnYm3VHRoEBBrCEbN6qD1z5glaxfe2P3X2rz2Ht1yZTjNrHVLQRAkJ5UlooQJ/" +
	"KFdCuSJ4+iH9d66A9NSsHmp/9BuDmfyxyjX1rTRETvxhz4mmBQNRyqQRNsH8P9sICIyIBSNiB8+gHbaC9zxighCiZpxcKLfZrAyH" +
	"iMFQ0VbTaIZCH0+nm5jRxr1f9jHO9EQCKasIIQ4oKRmVaKFqCafDJY32ZCMx2F1PSW0DmlPG0qU+KWS295VtXRv3nPp/dHn1Qbs2" +
	"Vuf3p6/eHnFT+Q5NeERpN/7tqztuotxDlJE7sZW1f9EYc4QTz5w2Y+EGFqLrCSi0kpns9WRftGVZV0mTuXbnXGxlbUew4QGIvNer" +
	"il7erAx3ljTpgVvHAlhQh1DKSuP9us6udGx9WRMwKENXHzjrmgZ7c5KppSvGU48tnPY95CpAq4nVnKrx234d0mV1aKomyKXlueJo" +
	"PmlVR6op0bDCkiX1hGOIFsQWSfm/SUA8bIzvFw037YBSKrnNg7xajFGVa8ba5vjYBCJTmFazatcxi4M1edlCSAuJ38RcXE6Ku7D+" +
	"nBNSFQpsO+nad+a6NrgqelqUm1JrTQmhCuNJCfV95fdN1ZS1iSZkbJH03cE0pZxKHrWsUF1Fi2VSYjgJjIy6gSoEoos55XiS/v1s" +
	"d8dnPBbhdW2/jZoDxdi9lr8P0WplcfmmC8PBaSHpyZGU+2lPVecFdI9NjPsr64oZd+svGo22wJXbDnReF2su3dhx9Og/5VSN7y83" +
	"nhP3HcYgGk42BZWVYJy+NB1MAGRxOjyal6g154ZaU2Ohwlr4JdPfgE0sjVspD8SRyS/En/fPpKUVNvvQFBpVdPZL3taWMH53/XPs" +
	"+1N0wUCrzCwG4kXwlFIpgU04MHNFpxf6M4eIo9zBpBMs60yRcCRaVyzHYCI7bxB/v622svj+dh4kKUAZ29fTvfWHub7Bf14+fzrO" +
	"sW11cxQDhcgkgfSvOJSAWQY4JRBqZujy8AtcC0+jf6QA5tccTQ6deGHzs3N9FxjCE2ynTngu4km0FhMQiRyMkTSsoQR+zyWe7KgJ" +
	"fDBfmCbbw69EAleGCyAjQkPRF+cDg/La/o/uk//yiPXBznVhtmXtMrBIJdrqo2B0TPLRpRTe7kvOmqzBEggrB/1xB8RRIDmdzzu6" +
	"86uDWy7OayaTDhsA/z389Q5P4pPHt1daaxosGJaJUDgGKxTyjxEcu5rF6xcSEyvFCVBveogQD+lCEYNJFyho0KwSYOSdweHRXQv9" +
	"SXTPhWrD7pOVqxtDx+sixqbta8N0wwobEZMGZ5P/f/OLx/mhIt7/Lom0q+AVNCA0DFdrCJ0Rmh7JDPH9s11TFwRUinXPnana3Bx9" +
	"nkA+QoAKxgjzz55gbRR0sijd4Zx0DINcy+TUezlXHb14qHPo50As6Vhyv+0fAs0VD4Hmip8CAAD//+xfb+6fu7P8AAAAAElFTkSu" +
	"QmCC"

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
	return reply(iconJSON{Content: imageIconPNG, ContentType: "image/png"})
}
