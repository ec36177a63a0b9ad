// Package uuid makes random (version 4) UUIDs from crypto/rand for
// harbortest: its X-Request-Id values, scanner registration ids and report
// ids. Standard library only, so harbortest stays free of other
// dependencies. (The SDK's client sends no request id of its own.)
package uuid

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns a random UUID (RFC 9562 version 4) in its 36-character form,
// e.g. "487e9313-0e9f-4411-9156-6e7dbdc0096e", like Harbor's X-Request-Id.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
