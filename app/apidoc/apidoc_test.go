package apidoc

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type address struct {
	Street string `json:"street"`
}

type base struct {
	ID      int64     `json:"id"`
	Created time.Time `json:"created_at"`
}

type sample struct {
	base
	Code     string             `json:"code" validate:"required,code"`
	Name     string             `json:"name" validate:"required,max=200"`
	Kind     string             `json:"kind" validate:"omitempty,oneof=a b"`
	Parent   string             `json:"parent" validate:"omitempty,code"`
	Tags     []string           `json:"tags" validate:"max=20,dive,required,max=64"`
	Values   map[string]float64 `json:"values" validate:"required,min=1,dive,keys,key,endkeys,gte=0"`
	Count    *int               `json:"count" validate:"omitempty,gt=0"`
	Target   *float64           `json:"target" validate:"required,gte=0"`
	Note     string             `json:"note,omitempty"`
	Home     *address           `json:"home"`
	Secret   string             `json:"-"`
	internal string
	Plain    bool
}

type page[T any] struct {
	Items []T `json:"items" validate:"required"`
}

func describe(t *testing.T, v any, dir Direction) (Schema, map[string]Schema) {
	t.Helper()
	s := NewSchemas()
	s.Tag("code", Schema{"pattern": "^[A-Z]+$"})
	s.Tag("key", Schema{"pattern": "^[a-z]+$"})
	ref := s.Of(reflect.TypeOf(v), dir)
	// Through JSON, as the document is written.
	var out struct {
		Ref        Schema
		Components map[string]Schema
	}
	b, err := json.Marshal(map[string]any{"ref": ref, "components": s.Components()})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out.Ref, out.Components
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRequestSchema(t *testing.T) {
	ref, comps := describe(t, sample{}, Read)
	if js(ref) != `{"$ref":"#/components/schemas/Sample"}` {
		t.Fatalf("ref = %s", js(ref))
	}
	props := comps["Sample"]["properties"].(map[string]any)
	for field, want := range map[string]string{
		"id":         `{"type":"integer"}`,
		"created_at": `{"format":"date-time","type":"string"}`,
		"code":       `{"minLength":1,"pattern":"^[A-Z]+$","type":"string"}`,
		"name":       `{"maxLength":200,"minLength":1,"type":"string"}`,
		"kind":       `{"enum":["","a","b"],"type":"string"}`,
		"parent":     `{"pattern":"^$|^[A-Z]+$","type":"string"}`,
		"tags":       `{"items":{"maxLength":64,"minLength":1,"type":"string"},"maxItems":20,"type":["array","null"]}`,
		"values":     `{"additionalProperties":{"minimum":0,"type":"number"},"minProperties":1,"propertyNames":{"pattern":"^[a-z]+$","type":"string"},"type":"object"}`,
		"count":      `{"exclusiveMinimum":0,"type":["integer","null"]}`,
		"target":     `{"minimum":0,"type":"number"}`,
		"note":       `{"type":"string"}`,
		"home":       `{"anyOf":[{"$ref":"#/components/schemas/Address"},{"type":"null"}]}`,
		"Plain":      `{"type":"boolean"}`,
	} {
		if got := js(props[field]); got != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
	for _, hidden := range []string{"Secret", "-", "internal", "base"} {
		if _, ok := props[hidden]; ok {
			t.Errorf("%s is described", hidden)
		}
	}
	if got := js(comps["Sample"]["required"]); got != `["code","name","values","target"]` {
		t.Errorf("a request's required = %s, want what validate requires", got)
	}
}

func TestResponseSchema(t *testing.T) {
	_, comps := describe(t, page[sample]{}, Written)
	if _, ok := comps["SamplePage"]; !ok {
		t.Fatalf("components %v, want SamplePage for page[sample]", keys(comps))
	}
	if got := js(comps["SamplePage"]["properties"]); got != `{"items":{"items":{"$ref":"#/components/schemas/Sample"},"type":"array"}}` {
		t.Errorf("items = %s, want never null (validate required)", got)
	}
	if got := js(comps["Sample"]["required"]); got != `["id","created_at","code","name","kind","parent","tags","values","count","target","home","Plain"]` {
		t.Errorf("a response's required = %s, want every field written always (not note, omitempty)", got)
	}
}

// A type that encodes itself must say how.
type date struct{ time.Time }

func (d date) MarshalJSON() ([]byte, error) { return []byte(`"2026-01-01"`), nil }

func TestCustomAndNames(t *testing.T) {
	s := NewSchemas()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a json.Marshaler without Custom was described")
			}
		}()
		s.Of(reflect.TypeFor[date](), Written)
	}()
	s.Custom(reflect.TypeFor[date](), Schema{"type": "string", "format": "date"})
	if got := js(s.Of(reflect.TypeFor[*date](), Written)); got != `{"format":"date","type":["string","null"]}` {
		t.Errorf("*date = %s", got)
	}
	s.Of(reflect.TypeFor[address](), Written)
	s.Of(reflect.TypeFor[address](), Read)
	if got := strings.Join(keys(s.Components()), " "); got != "Address AddressInput" {
		t.Errorf("components %s, want Address AddressInput", got)
	}
}

func keys(m map[string]Schema) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestOperationID(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/api/v1/units", "getUnits"},
		{"GET", "/api/v1/units/:code", "getUnit"},
		{"GET", "/api/v1/campaigns/:slug/units/:code/score", "getCampaignUnitScore"},
		{"POST", "/api/v1/campaigns/:slug/ruleset/dry-run", "postCampaignRulesetDryRun"},
		{"GET", "/api/v1/campaigns/:slug/periods/:period/review.pdf", "getCampaignPeriodReviewPdf"},
		{"DELETE", "/api/v1/projects/:id/assignments/:username", "deleteProjectAssignment"},
		{"GET", "/healthz", "getHealthz"},
	} {
		if got := OperationID(tc.method, tc.path); got != tc.want {
			t.Errorf("OperationID(%s %s) = %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestBuild(t *testing.T) {
	ops := []Operation{
		{Method: "GET", Path: "/things/:id", Summary: "A thing", Responses: map[int]Response{200: {Description: "OK", Body: address{}}}},
		{Method: "POST", Path: "/things", Summary: "Make one", Request: address{}, RequestOptional: true,
			Responses: map[int]Response{201: {Description: "Created", Body: address{}}, 422: {Ref: "Invalid"}}},
	}
	b, err := Build(Document{Title: "T", Version: "1"}, NewSchemas(), ops)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []map[string]any
			RequestBody map[string]any
			Responses   map[string]map[string]any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	get, post := doc.Paths["/things/{id}"]["get"], doc.Paths["/things"]["post"]
	if doc.OpenAPI != "3.1.0" || get.OperationID != "getThing" || post.OperationID != "postThings" {
		t.Errorf("openapi %q, operations %q %q", doc.OpenAPI, get.OperationID, post.OperationID)
	}
	if len(get.Parameters) != 1 || get.Parameters[0]["name"] != "id" || get.Parameters[0]["in"] != "path" {
		t.Errorf("path parameters %v", get.Parameters)
	}
	if post.RequestBody["required"] != false || js(post.Responses["422"]) != `{"$ref":"#/components/responses/Invalid"}` {
		t.Errorf("request body %v, 422 %v", post.RequestBody, post.Responses["422"])
	}
	if _, err := Build(Document{}, NewSchemas(), append(ops, ops[0])); err == nil {
		t.Error("two operations of one id were written")
	}
}
