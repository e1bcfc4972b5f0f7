// Package fonts holds the fonts the platform prints its PDFs with: DejaVu
// Sans (Debian's fonts-dejavu-core, see LICENSE), which has every
// Vietnamese letter, stacked accents included. Text goes to a PDF in NFC,
// as the fonts' glyphs are for precomposed letters.
package fonts

import _ "embed"

// The regular and bold faces, as TrueType files. Treat them as read-only.
var (
	//go:embed DejaVuSans.ttf
	Sans []byte
	//go:embed DejaVuSans-Bold.ttf
	SansBold []byte
)
