package rules

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestProblemsSpeakVietnamese: every problem the bad rulesets of
// problemCases raise reads in Vietnamese, in NFC, and English stays as it is.
func TestProblemsSpeakVietnamese(t *testing.T) {
	for _, tt := range problemCases {
		_, err := Compile([]byte(tt.src), exampleIndicators)
		ps, ok := err.(Problems)
		if !ok {
			t.Fatalf("%s: Compile = %v, want Problems", tt.name, err)
		}
		for _, p := range ps {
			vi := p.Text("vi")
			if vi == p.Message {
				t.Errorf("%s: %q has no Vietnamese", tt.name, p.Message)
			}
			if !norm.NFC.IsNormalString(vi) {
				t.Errorf("%s: %q is not NFC", tt.name, vi)
			}
			if p.Text("en") != p.Message {
				t.Errorf("%s: Text(en) = %q, want the message", tt.name, p.Text("en"))
			}
		}
	}
	p := Problem{Path: "criteria[0].value", Message: `unknown indicator "foo"`}
	if got := p.Text("vi"); got != `không có chỉ tiêu "foo"` {
		t.Errorf("Text(vi) = %q", got)
	}
}
