package web

// SetSitemapSize makes the sitemap's pages n addresses long, until the
// returned function puts it back: a paged sitemap without 50,000 units.
func SetSitemapSize(n int) (restore func()) {
	old := sitemapSize
	sitemapSize = n
	return func() { sitemapSize = old }
}
