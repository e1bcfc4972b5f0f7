package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
)

// fieldError is one invalid field of a request, as a problem lists it.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`   // of an imported file, or inside an expression
	Column  int    `json:"column,omitempty"` // inside an expression
}

// invalidError is a request that parsed but is not valid: 422.
type invalidError struct{ fields []fieldError }

func (e *invalidError) Error() string { return fmt.Sprintf("invalid request: %v", e.fields) }

// malformedError is a request that does not parse: 400, said in Vietnamese
// and English.
type malformedError struct{ vi, en string }

func (e *malformedError) Error() string { return e.en }

func (e *malformedError) text(lang string) string {
	if lang == langEN {
		return e.en
	}
	return e.vi
}

// decode reads a JSON body into v: malformed JSON is a 400; a value of the
// wrong type a 422 naming the field, with the other invalid fields. The
// platform checks what decoded when it is given v.
func decode(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return &malformedError{"nội dung yêu cầu trống; hãy gửi một đối tượng JSON", "the request body is empty; send a JSON object"}
	}
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.Contains(ct, "json") {
		return &malformedError{fmt.Sprintf("kiểu nội dung %q không được hỗ trợ; hãy gửi application/json", ct),
			fmt.Sprintf("unsupported content type %q; send application/json", ct)}
	}
	if !utf8.Valid(body) {
		return &malformedError{"nội dung yêu cầu không phải văn bản UTF-8 hợp lệ", "the request body is not valid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var typeErr *fieldError // a value of the wrong type: the rest is decoded, and checked too
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case !errors.As(err, &te):
			return badJSON(err)
		case te.Field == "":
			return &malformedError{"nội dung yêu cầu phải là một đối tượng JSON", "the request body must be a JSON object"}
		}
		typeErr = &fieldError{Field: te.Field, Message: typeMessage(c, te.Type)}
	}
	if dec.More() {
		return &malformedError{"JSON sai cú pháp: nội dung có nhiều hơn một giá trị", "malformed JSON: more than one value in the body"}
	}
	if typeErr == nil {
		return nil
	}
	fields := []fieldError{*typeErr}
	var inv *platform.Invalid
	if errors.As(platform.Validate(v), &inv) {
		for _, f := range fieldsOf(c, inv) {
			if f.Field != typeErr.Field { // its zero value fails its checks too
				fields = append(fields, f)
			}
		}
	}
	return &invalidError{fields: fields}
}

// badJSON is a body that is not JSON: Go's English text of the error is
// kept for English; Vietnamese says where the fault is.
func badJSON(err error) *malformedError {
	vi := "JSON sai cú pháp"
	var se *json.SyntaxError
	if errors.As(err, &se) {
		vi = fmt.Sprintf("JSON sai cú pháp ở ký tự thứ %d", se.Offset)
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		vi = "JSON sai cú pháp: nội dung kết thúc giữa chừng"
	}
	return &malformedError{vi, "malformed JSON: " + err.Error()}
}

// fieldsOf lists the platform's invalid fields in the caller's language.
func fieldsOf(c *fiber.Ctx, inv *platform.Invalid) []fieldError {
	out := make([]fieldError, len(inv.Fields))
	for i, f := range inv.Fields {
		out[i] = fieldError{Field: f.Field, Message: f.Text(lang(c)), Line: f.Line, Column: f.Column}
	}
	return out
}

func typeMessage(c *fiber.Ctx, t reflect.Type) string {
	if t == nil {
		return msg(c, "sai kiểu dữ liệu", "has the wrong type")
	}
	kind := map[reflect.Kind][2]string{
		reflect.String: {"một chuỗi", "a string"}, reflect.Bool: {"một giá trị đúng/sai", "true or false"},
		reflect.Float64: {"một số", "a number"}, reflect.Int: {"một số nguyên", "an integer"},
		reflect.Int64: {"một số nguyên", "an integer"}, reflect.Slice: {"một mảng", "an array"},
		reflect.Map: {"một đối tượng", "an object"}, reflect.Struct: {"một đối tượng", "an object"},
	}
	k := t.Kind()
	if k == reflect.Pointer {
		k = t.Elem().Kind()
	}
	names, ok := kind[k]
	if !ok {
		names = [2]string{t.String(), t.String()}
	}
	if lang(c) == langEN {
		return "must be " + names[1]
	}
	return "phải là " + names[0]
}

// checkQuery refuses a request to the API whose query parameters are not
// UTF-8 text without NUL, naming the first such parameter: no query is made
// of them.
func checkQuery(c *fiber.Ctx) error {
	bad := ""
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if bad == "" && (!utf8.Valid(k) || !utf8.Valid(v) || bytes.IndexByte(k, 0) >= 0 || bytes.IndexByte(v, 0) >= 0) {
			bad = strings.ToValidUTF8(strings.ReplaceAll(string(k), "\x00", ""), "?")
		}
	})
	if bad != "" {
		return &malformedError{fmt.Sprintf("tham số %q phải là văn bản UTF-8 không chứa ký tự NUL", bad),
			fmt.Sprintf("query parameter %q must be UTF-8 text without NUL characters", bad)}
	}
	return c.Next()
}
