// Package apidoc writes an OpenAPI 3.1 document from a service's own
// declarations: its operations, and the Go types of the bodies they read and
// write, described by reflection (json tags, validate tags).
package apidoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Operation is one method on one path, as the service serves it.
type Operation struct {
	Method      string
	Path        string // in Fiber's syntax: /units/:code
	Summary     string
	Description string
	Tag         string
	Security    []map[string][]string
	Params      []Param
	PathParams  map[string]Schema // the path parameters that are not any string
	// Request is the JSON body's Go type (nil: none), or RequestMedia the
	// media types of a body that is not JSON.
	Request         any
	RequestMedia    []string
	RequestOptional bool // the JSON body may be left out
	// Responses by status.
	Responses map[int]Response
}

// Param is a query or header parameter.
type Param struct {
	Name        string
	In          string // query (the default) or header
	Description string
	Schema      Schema
	Ref         string // a component parameter, instead of the above
}

// Response is what an operation answers with a status.
type Response struct {
	Description string
	Body        any      // a JSON body's Go type
	Media       []string // or the media types of a body that is not JSON (a JSON body: application/json)
	Ref         string   // a component response, instead of the above
}

// Document is an OpenAPI document's top: info, servers, shared components.
type Document struct {
	Title, Version, Description string
	License                     map[string]string
	Servers                     []string
	Tags                        map[string]string // name: description
	SecuritySchemes             map[string]Schema
	Parameters                  map[string]Param
	Responses                   map[string]Response
}

var pathParam = regexp.MustCompile(`:(\w+)`)

// Build writes the document with its operations, describing their bodies
// with schemas.
func Build(d Document, schemas *Schemas, ops []Operation) ([]byte, error) {
	paths := map[string]map[string]any{}
	ids := map[string]bool{}
	for _, o := range ops {
		path := pathParam.ReplaceAllString(o.Path, "{$1}")
		id := OperationID(o.Method, o.Path)
		if ids[id] {
			return nil, fmt.Errorf("apidoc: two operations are %s", id)
		}
		ids[id] = true
		op := map[string]any{"operationId": id, "summary": o.Summary, "responses": responses(schemas, o.Responses)}
		if o.Description != "" {
			op["description"] = o.Description
		}
		if o.Tag != "" {
			op["tags"] = []string{o.Tag}
		}
		if o.Security != nil {
			op["security"] = o.Security
		}
		var params []any
		for _, p := range pathParam.FindAllStringSubmatch(o.Path, -1) {
			params = append(params, map[string]any{"name": p[1], "in": "path", "required": true, "schema": pathSchema(o, p[1])})
		}
		for _, p := range o.Params {
			params = append(params, param(p))
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		switch {
		case o.Request != nil:
			op["requestBody"] = map[string]any{"required": !o.RequestOptional, "content": map[string]any{
				"application/json": map[string]any{"schema": schemas.Of(reflect.TypeOf(o.Request), Read)}}}
		case len(o.RequestMedia) > 0:
			content := map[string]any{}
			for _, m := range o.RequestMedia {
				content[m] = map[string]any{}
			}
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(o.Method)] = op
	}
	components := map[string]any{}
	if len(d.SecuritySchemes) > 0 {
		components["securitySchemes"] = d.SecuritySchemes
	}
	if len(d.Parameters) > 0 {
		ps := map[string]any{}
		for k, p := range d.Parameters {
			ps[k] = param(p)
		}
		components["parameters"] = ps
	}
	if len(d.Responses) > 0 {
		rs := map[string]any{}
		for k, r := range d.Responses {
			rs[k] = response(schemas, r)
		}
		components["responses"] = rs
	}
	components["schemas"] = schemas.Components()
	info := map[string]any{"title": d.Title, "version": d.Version, "description": d.Description}
	if d.License != nil {
		info["license"] = d.License
	}
	doc := map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info":              info,
		"paths":             paths,
		"components":        components,
	}
	if len(d.Servers) > 0 {
		var servers []map[string]string
		for _, s := range d.Servers {
			servers = append(servers, map[string]string{"url": s})
		}
		doc["servers"] = servers
	}
	if len(d.Tags) > 0 {
		var tags []map[string]string
		for name, desc := range d.Tags {
			tags = append(tags, map[string]string{"name": name, "description": desc})
		}
		sort.Slice(tags, func(i, j int) bool { return tags[i]["name"] < tags[j]["name"] })
		doc["tags"] = tags
	}
	return json.MarshalIndent(doc, "", "  ")
}

// pathSchema is a path parameter's: a string unless the operation says.
func pathSchema(o Operation, name string) Schema {
	if s, ok := o.PathParams[name]; ok {
		return s
	}
	return Schema{"type": "string"}
}

func param(p Param) map[string]any {
	if p.Ref != "" {
		return map[string]any{"$ref": "#/components/parameters/" + p.Ref}
	}
	in := p.In
	if in == "" {
		in = "query"
	}
	out := map[string]any{"name": p.Name, "in": in, "schema": p.Schema}
	if p.Description != "" {
		out["description"] = p.Description
	}
	return out
}

func responses(schemas *Schemas, rs map[int]Response) map[string]any {
	out := map[string]any{}
	for status, r := range rs {
		out[strconv.Itoa(status)] = response(schemas, r)
	}
	return out
}

func response(schemas *Schemas, r Response) map[string]any {
	if r.Ref != "" {
		return map[string]any{"$ref": "#/components/responses/" + r.Ref}
	}
	out := map[string]any{"description": r.Description}
	content := map[string]any{}
	if r.Body != nil {
		media := r.Media
		if len(media) == 0 {
			media = []string{"application/json"}
		}
		for _, m := range media {
			content[m] = map[string]any{"schema": schemas.Of(reflect.TypeOf(r.Body), Written)}
		}
	} else {
		for _, m := range r.Media {
			content[m] = map[string]any{}
		}
	}
	if len(content) > 0 {
		out["content"] = content
	}
	return out
}

// OperationID names an operation after its method and path: GET
// /api/v1/campaigns/:slug/units/:code/score is getCampaignUnitScore (a
// collection followed by a parameter is named in the singular).
func OperationID(method, path string) string {
	path = strings.TrimPrefix(path, "/api/v1")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			continue
		}
		if i+1 < len(segs) && strings.HasPrefix(segs[i+1], ":") {
			seg = strings.TrimSuffix(seg, "s")
		}
		for _, word := range strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}
