package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// fiberParam is a path parameter in Fiber's syntax.
var fiberParam = regexp.MustCompile(`:(\w+)`)

// apiDocument is the service's OpenAPI document, loaded and checked once,
// and a router of its operations.
var apiDocument struct {
	once   sync.Once
	router routers.Router
	err    error
}

func openapiRouter(t *testing.T, doc []byte) routers.Router {
	t.Helper()
	apiDocument.once.Do(func() {
		loader := openapi3.NewLoader()
		spec, err := loader.LoadFromData(doc)
		if err != nil {
			apiDocument.err = err
			return
		}
		if apiDocument.err = spec.Validate(loader.Context); apiDocument.err != nil {
			return
		}
		spec.Servers = nil // any host: the tests' requests are to example.com
		apiDocument.router, apiDocument.err = gorillamux.NewRouter(spec)
	})
	if apiDocument.err != nil {
		t.Fatalf("the OpenAPI document: %v", apiDocument.err)
	}
	return apiDocument.router
}

// checkOpenAPI says how an answer of the API is not what the OpenAPI
// document says: a status it does not list for the operation, or a body
// that its schema refuses. A request answered with success must be valid by
// the document too. Requests to the pages are not the API's: nil.
func checkOpenAPI(t *testing.T, doc []byte, method, target string, header http.Header, body []byte, status int, respHeader http.Header, respBody []byte) error {
	t.Helper()
	if method == http.MethodHead {
		return nil
	}
	router := openapiRouter(t, doc)
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Header = header.Clone()
	route, params, err := router.FindRoute(req)
	if err != nil {
		return nil // not an operation of the API
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	ctx := context.Background()
	if route.Operation.Responses.Status(status) == nil {
		return fmt.Errorf("%s %s answered %d, which %s does not list", method, target, status, route.Operation.OperationID)
	}
	if err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: respHeader, Body: io.NopCloser(bytes.NewReader(respBody)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}); err != nil {
		return fmt.Errorf("%s %s answered %d, not as the document says: %v\nbody: %.300s", method, target, status, err, respBody)
	}
	if status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("%s %s succeeded (%d) but is not a request the document allows: %v", method, target, status, err)
		}
	}
	return nil
}

// TestOpenAPICheck: the check of answers against the document finds an
// undocumented status, a body of the wrong shape and a successful request
// the document does not allow, and passes what the document says.
func TestOpenAPICheck(t *testing.T) {
	ts := newTestServer(t, nil)
	doc := ts.srv.openapi
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name, method, target string
		body                 string
		status               int
		answer               string
		valid                bool
	}{
		{"a list", "GET", "/api/v1/units?limit=2", "", 200, `{"items":[],"next_cursor":null}`, true},
		{"a page", "GET", "/c/cds", "", 200, `<html>`, true},
		{"a status not listed", "GET", "/api/v1/units", "", 418, `{}`, false},
		{"a field missing", "GET", "/api/v1/units", "", 200, `{"items":[]}`, false},
		{"a field of the wrong type", "GET", "/api/v1/units/HN", "", 200,
			`{"code":"HN","name":"Hà Nội","level":"city","kind":"front","parent":"","clusters":null,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","ancestors":[],"children":7}`, false},
		{"a query out of bounds, answered", "GET", "/api/v1/units?limit=9999", "", 200, `{"items":[],"next_cursor":null}`, false},
		{"a body without a required field, answered", "POST", "/api/v1/campaigns/cds/indicators", `{"key":"k"}`, 201,
			`{"key":"k","title":"","unit":"count","target":1}`, false},
		{"a problem", "GET", "/api/v1/units/NOPE", "", 404, `{"type":"/problems/not-found","title":"Không tìm thấy","status":404}`, true},
	} {
		h := jsonHeader
		if tc.status == 404 {
			h = http.Header{"Content-Type": {"application/problem+json"}}
		}
		err := checkOpenAPI(t, doc, tc.method, tc.target, jsonHeader, []byte(tc.body), tc.status, h, []byte(tc.answer))
		if (err == nil) != tc.valid {
			t.Errorf("%s: check = %v, want valid %v", tc.name, err, tc.valid)
		}
	}
}

// TestOpenAPICommand: thidua openapi prints the document the server serves.
func TestOpenAPICommand(t *testing.T) {
	var out bytes.Buffer
	if code := Main(context.Background(), []string{"thidua", "openapi"}, func(string) string { return "" }, &out); code != 0 {
		t.Fatalf("thidua openapi = %d: %s", code, out.String())
	}
	ts := newTestServer(t, nil)
	served := ts.as("").do("GET", "/api/v1/openapi.json", nil).want(200).Body
	if !bytes.Equal(bytes.TrimSpace(out.Bytes()), served) {
		t.Errorf("thidua openapi printed %.200s…, the server serves %.200s…", out.Bytes(), served)
	}
	if !bytes.Contains(served, []byte(`"openapi": "3.1.0"`)) {
		t.Errorf("the document is not OpenAPI 3.1: %.100s", served)
	}
}
