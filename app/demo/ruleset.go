package demo

import _ "embed"

// Ruleset is the demo campaign's ruleset: the worked example of RULES.md.
//
//go:embed ruleset.yaml
var Ruleset string
