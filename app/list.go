package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// list is the body of every list response.
type list[T any] struct {
	Items      []T     `json:"items" validate:"required"` // never null
	NextCursor *string `json:"next_cursor"`
}

func listOf[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	l := list[T]{Items: items}
	if next != "" {
		l.NextCursor = &next
	}
	return l
}

// page reads limit and cursor from the query.
func page(c *fiber.Ctx) (store.Page, error) {
	p := store.Page{Cursor: c.Query("cursor")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxLimit {
			return p, &invalidError{fields: []fieldError{{Field: "limit", Message: msg(c,
				"số mục mỗi trang (limit) phải là số nguyên từ 1 đến 500", "limit must be an integer from 1 to 500")}}}
		}
		p.Limit = n
	}
	return p, nil
}

// msg picks the message in the caller's language.
func msg(c *fiber.Ctx, vi, en string) string {
	if lang(c) == langEN {
		return en
	}
	return vi
}

// invalidField is a 422 about one field.
func invalidField(field, message string) error {
	return &invalidError{fields: []fieldError{{Field: field, Message: message}}}
}

// pathID reads a positive integer id from the path; anything else is 404.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, problemOf(fiber.StatusNotFound, msg(c, "không có mục nào với mã này", "no such "+name))
	}
	return id, nil
}
