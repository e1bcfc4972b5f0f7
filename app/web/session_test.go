package web

import "testing"

func TestLocalPath(t *testing.T) {
	for p, want := range map[string]string{
		"/c/cong-dan-so?scope=overall": "/c/cong-dan-so?scope=overall",
		"/me":                          "/me",
		"":                             "/fallback",
		"https://evil.example/":        "/fallback",
		"//evil.example":               "/fallback",
		"/\\evil.example":              "/fallback",
		"/\t/evil.example":             "/fallback",
		"/\n/evil.example":             "/fallback",
		"/%09/evil.example":            "/%09/evil.example", // stays a path: %09 is not decoded by browsers in a Location
		"javascript:alert(1)":          "/fallback",
	} {
		if got := localPath(p, "/fallback"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", p, got, want)
		}
	}
}
