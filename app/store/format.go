package store

import "regexp"

var (
	codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	keyRe  = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
	slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
)

// ValidCode reports whether s can be a unit's code: letters, digits, '.',
// '_' and '-', starting with a letter or digit, at most 64.
func ValidCode(s string) bool { return codeRe.MatchString(s) }

// ValidKey reports whether s can be an indicator's key, as rulesets name
// it: lowercase letters, digits and '_', at most 64.
func ValidKey(s string) bool { return keyRe.MatchString(s) }

// ValidSlug reports whether s can be a campaign's slug, as its URLs carry
// it: lowercase letters, digits and '-', starting with a letter or digit,
// at most 64.
func ValidSlug(s string) bool { return slugRe.MatchString(s) }
