// Package termtext makes text from Harbor or a scanner safe to print to a
// terminal or a CI log: a package version holding "\nGATE PASSED" or an
// ESC sequence must not forge a line or erase one. Standard library only.
package termtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that could move the cursor, end a
// line or change how the rest displays written as a Go escape: C0 and C1
// controls and DEL (\n, \t, \x1b...), Unicode format characters (bidi
// overrides, zero-width ones), line and paragraph separators, and bytes
// that are not UTF-8 (\xff). A backslash is doubled so that escaped and
// literal text cannot be confused. Text without any of these is returned
// as it is.
func Escape(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for s = s[i:]; s != ""; {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// unsafeRune reports whether r is escaped. utf8.RuneError stands for a
// byte that is not UTF-8 here (a real U+FFFD is escaped too: harmless).
func unsafeRune(r rune) bool {
	return r == '\\' || r == utf8.RuneError || unicode.IsControl(r) ||
		unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
