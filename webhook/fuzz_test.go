package webhook

import (
	"errors"
	"testing"
)

// FuzzDecode: any body decodes into an event with a type, a format and a
// key, or fails with ErrNotHarborPayload; never a panic.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"w011", "w009", "w059", "w096", "w145", "w160", "w012"} {
		for _, d := range loadDeliveries(&testing.T{}) {
			if d.name[:4] == name {
				f.Add(d.body)
			}
		}
	}
	f.Add([]byte(`{"specversion":"1.0","id":"x","type":"harbor.x","time":"2026-12-07T11:36:45+02:00","data":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := Decode(body)
		if err != nil {
			if !errors.Is(err, ErrNotHarborPayload) {
				t.Fatalf("error %v is not ErrNotHarborPayload", err)
			}
			return
		}
		if ev.Type == "" || ev.Format == "" || ev.Key == "" || ev.OccurAt.Location().String() != "UTC" {
			t.Fatalf("decoded %+v", ev)
		}
	})
}
