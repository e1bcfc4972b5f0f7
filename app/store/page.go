package store

import (
	"encoding/base64"
	"encoding/json"
)

// Page asks for one page of a list: at most Limit items after Cursor (an
// opaque token from the previous page's next cursor).
type Page struct {
	Limit  int
	Cursor string
}

// Limits of a page's size.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// decode reads the cursor's sort key into v (left as it is when there is no cursor).
func (p Page) decode(v any) error {
	if p.Cursor == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return invalid("cursor", "not a cursor from this list")
	}
	return nil
}

func encodeCursor(key any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// paginate trims a result fetched with limit+1 rows and returns the cursor
// of the next page ("" on the last one).
func paginate[T any](items []T, limit int, key func(T) any) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, encodeCursor(key(items[limit-1]))
}
