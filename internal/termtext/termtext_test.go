package termtext

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "",
		"libwebp7 1.2.4-0.2+deb12u1":   "libwebp7 1.2.4-0.2+deb12u1",
		"Ünïcode ✓ 日本":                 "Ünïcode ✓ 日本",
		"1.0\nGATE PASSED: 0 findings": `1.0\nGATE PASSED: 0 findings`,
		"a\r\x1b[2Kb":                  `a\r\x1b[2Kb`,
		"tab\there":                    `tab\there`,
		"del\x7f c1\u0085":             `del\x7f c1\x85`,
		"rtl\u202etxt.exe zw\u200b":    `rtl\u202etxt.exe zw\u200b`,
		"ls\u2028ps\u2029":             `ls\u2028ps\u2029`,
		"bad\xffutf8":                  `bad\xffutf8`,
		`C:\path`:                      `C:\\path`,
		`forged \n literal`:            `forged \\n literal`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever the input, the output is one line of printable text.
func FuzzEscape(f *testing.F) {
	f.Add("1.0\nGATE PASSED\x1b[1A\u202e\xff")
	f.Fuzz(func(t *testing.T, in string) {
		out := Escape(in)
		for _, r := range out {
			if unsafeRune(r) && r != '\\' {
				t.Fatalf("Escape(%q) = %q keeps %U", in, out, r)
			}
		}
		if !strings.Contains(in, `\`) && strings.IndexFunc(in, unsafeRune) < 0 && out != in {
			t.Fatalf("Escape(%q) = %q changed safe text", in, out)
		}
	})
}
