package app

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/thidua/thidua/app/platform"
)

// The OpenAPI 3 document is built from the route table, so it lists exactly
// the routes the service serves; request bodies are described from their Go
// types and validation tags.

var pathParam = regexp.MustCompile(`:(\w+)`)

func buildOpenAPI(routes []route) []byte {
	paths := map[string]map[string]any{}
	for _, r := range routes {
		path := pathParam.ReplaceAllString(r.path, "{$1}")
		op := map[string]any{
			"summary":     r.summary,
			"description": "Access: " + string(r.access) + ".",
			"responses":   responsesFor(r),
		}
		if params := pathParam.FindAllStringSubmatch(r.path, -1); len(params) > 0 {
			var ps []map[string]any
			for _, p := range params {
				ps = append(ps, map[string]any{"name": p[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
			}
			op["parameters"] = ps
		}
		if r.access != public {
			op["security"] = []map[string][]string{{"bearer": {}}}
		}
		if r.body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.body))},
			}}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = op
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Thi Đua API",
			"version":     "1",
			"description": "Emulation campaigns: units, projects, reports, rulesets, runs, leaderboards and honours. Errors are application/problem+json (RFC 9457).",
		},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]string{"type": "http", "scheme": "bearer"}},
			"schemas": map[string]any{"Problem": map[string]any{"type": "object", "properties": map[string]any{
				"type": str(), "title": str(), "status": map[string]string{"type": "integer"}, "detail": str(),
				"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
					"field": str(), "message": str(), "line": map[string]string{"type": "integer"}, "column": map[string]string{"type": "integer"},
				}}},
			}}},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is built from plain maps
	}
	return b
}

func str() map[string]string { return map[string]string{"type": "string"} }

func responsesFor(r route) map[string]any {
	problem := map[string]any{"description": "problem", "content": map[string]any{
		"application/problem+json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/Problem"}}}}
	out := map[string]any{"200": map[string]string{"description": "OK"}, "default": problem}
	if r.body != nil || r.method == "POST" {
		out["400"], out["422"] = problem, problem
	}
	if r.access != public {
		out["401"], out["403"] = problem, problem
	}
	return out
}

// schemaOf describes a request type: its JSON fields, their types, and which
// are required.
func schemaOf(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		if t == reflect.TypeOf(platform.Participants{}) {
			return map[string]any{"oneOf": []any{
				map[string]any{"type": "string", "enum": []string{"all"}},
				map[string]any{"type": "array", "items": str()},
			}}
		}
		props := map[string]any{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			props[name] = schemaOf(f.Type)
			if strings.HasPrefix(f.Tag.Get("validate"), "required,") || f.Tag.Get("validate") == "required" {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openapi)
}
