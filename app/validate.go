package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/vi"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entrans "github.com/go-playground/validator/v10/translations/en"
	vitrans "github.com/go-playground/validator/v10/translations/vi"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
)

// validation checks request bodies and explains failures in Vietnamese or
// English, naming fields as the JSON does.
type validation struct {
	v     *validator.Validate
	trans map[string]ut.Translator
}

// customMessages are the messages of our own tags, and overrides of the
// stock translations that read badly.
var customMessages = map[string][2]string{ // tag: {vi, en}
	"code":        {"{0} chỉ gồm chữ, số, '.', '_', '-' (tối đa 64 ký tự)", "{0} must be letters, digits, '.', '_' or '-' (at most 64)"},
	"key":         {"{0} chỉ gồm chữ thường, số và '_'", "{0} must be lowercase letters, digits and '_'"},
	"slug":        {"{0} chỉ gồm chữ thường, số và '-'", "{0} must be lowercase letters, digits and '-'"},
	"date":        {"{0} phải là ngày dạng YYYY-MM-DD", "{0} must be a date YYYY-MM-DD"},
	"required":    {"{0} là bắt buộc", "{0} is required"},
	"required_if": {"{0} là bắt buộc", "{0} is required"},
	"url":         {"{0} phải là một URL hợp lệ", "{0} must be a valid URL"},
	"http_url":    {"{0} phải là một URL http(s) hợp lệ", "{0} must be a valid http(s) URL"},
	"oneof":       {"{0} phải là một trong [{1}]", "{0} must be one of [{1}]"},
	"category":    {"{0} phải là một trong: " + strings.Join(store.Categories, ", "), "{0} must be one of: " + strings.Join(store.Categories, ", ")},
	"status":      {"{0} phải là một trong: " + strings.Join(store.Statuses, ", "), "{0} must be one of: " + strings.Join(store.Statuses, ", ")},
}

func newValidation() *validation {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must := func(err error) {
		if err != nil {
			panic(err) // registering fixed tags cannot fail at run time
		}
	}
	must(v.RegisterValidation("code", func(fl validator.FieldLevel) bool { return store.ValidCode(fl.Field().String()) }))
	must(v.RegisterValidation("key", func(fl validator.FieldLevel) bool { return store.ValidKey(fl.Field().String()) }))
	must(v.RegisterValidation("slug", func(fl validator.FieldLevel) bool { return store.ValidSlug(fl.Field().String()) }))
	must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		_, err := time.Parse("2006-01-02", fl.Field().String())
		return err == nil
	}))
	must(v.RegisterValidation("category", func(fl validator.FieldLevel) bool { return slices.Contains(store.Categories, fl.Field().String()) }))
	must(v.RegisterValidation("status", func(fl validator.FieldLevel) bool { return slices.Contains(store.Statuses, fl.Field().String()) }))

	viLoc, enLoc := vi.New(), en.New()
	uni := ut.New(viLoc, viLoc, enLoc)
	tvi, _ := uni.GetTranslator("vi")
	ten, _ := uni.GetTranslator("en")
	must(vitrans.RegisterDefaultTranslations(v, tvi))
	must(entrans.RegisterDefaultTranslations(v, ten))
	for tag, msgs := range customMessages {
		for i, tr := range []ut.Translator{tvi, ten} {
			msg := msgs[i]
			must(v.RegisterTranslation(tag, tr, func(t ut.Translator) error {
				return t.Add(tag, msg, true)
			}, func(t ut.Translator, fe validator.FieldError) string {
				s, err := t.T(fe.Tag(), fe.Field(), strings.ReplaceAll(fe.Param(), " ", ", "))
				if err != nil {
					return fe.Error()
				}
				return s
			}))
		}
	}
	return &validation{v: v, trans: map[string]ut.Translator{langVI: tvi, langEN: ten}}
}

// fieldError is one invalid field of a request.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`   // of an imported file, or inside an expression
	Column  int    `json:"column,omitempty"` // inside an expression
}

// invalidError is a request that parsed but is not valid: 422.
type invalidError struct{ fields []fieldError }

func (e *invalidError) Error() string { return fmt.Sprintf("invalid request: %v", e.fields) }

// malformedError is a request that does not parse: 400.
type malformedError struct{ detail string }

func (e *malformedError) Error() string { return e.detail }

// check validates v and returns an *invalidError listing every invalid field.
func (val *validation) check(c *fiber.Ctx, v any) error {
	err := val.v.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	tr := val.trans[lang(c)]
	out := make([]fieldError, len(ves))
	for i, fe := range ves {
		out[i] = fieldError{Field: jsonPath(fe.Namespace()), Message: fe.Translate(tr)}
	}
	return &invalidError{fields: out}
}

// jsonPath turns the validator's namespace ("projectRequest.evidence_urls[0]")
// into the field's JSON path ("evidence_urls[0]").
func jsonPath(ns string) string {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return ns
	}
	return rest
}

// decode reads a JSON body into v (malformed JSON is a 400; a value of the
// wrong type a 422 naming the field), normalises its text to NFC and
// validates it.
func (val *validation) decode(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(strings.TrimSpace(string(body))) == 0 {
		return &malformedError{"the request body is empty; send a JSON object"}
	}
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.Contains(ct, "json") {
		return &malformedError{fmt.Sprintf("unsupported content type %q; send application/json", ct)}
	}
	if !utf8.Valid(body) {
		return &malformedError{"the request body is not valid UTF-8"}
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	var typeErr *fieldError // a value of the wrong type: the rest is decoded, and checked too
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case !errors.As(err, &te):
			return &malformedError{"malformed JSON: " + err.Error()}
		case te.Field == "":
			return &malformedError{"the request body must be a JSON object"}
		}
		typeErr = &fieldError{Field: te.Field, Message: typeMessage(c, te.Type)}
	}
	if dec.More() {
		return &malformedError{"malformed JSON: more than one value in the body"}
	}
	if typeErr != nil {
		normalize(reflect.ValueOf(v), "")
		fields := []fieldError{*typeErr}
		var ie *invalidError
		if errors.As(val.check(c, v), &ie) {
			for _, f := range ie.fields {
				if f.Field != typeErr.Field { // its zero value fails its checks too
					fields = append(fields, f)
				}
			}
		}
		return &invalidError{fields: fields}
	}
	if field, ok := normalize(reflect.ValueOf(v), ""); ok {
		return invalidField(field, msg(c, "không được chứa ký tự NUL", "must not contain NUL characters"))
	}
	return val.check(c, v)
}

func typeMessage(c *fiber.Ctx, t reflect.Type) string {
	if t == nil {
		return msg(c, "sai kiểu dữ liệu", "has the wrong type")
	}
	kind := map[reflect.Kind][2]string{
		reflect.String: {"một chuỗi", "a string"}, reflect.Bool: {"true hoặc false", "true or false"},
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

// normalize rewrites every string reachable from v in NFC, so that
// Vietnamese typed on any keyboard is stored one way, and trims the spaces
// around it, so that "   " is no title (a password keeps its spaces). It
// returns the JSON path (path names v) of the first string holding NUL,
// which no text means and PostgreSQL cannot store.
func normalize(v reflect.Value, path string) (nul string, found bool) {
	note := func(at string, ok bool) {
		if ok && !found {
			nul, found = at, true
		}
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return normalize(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			sub := path
			if !f.Anonymous {
				if name == "" {
					name = f.Name
				}
				sub = join(name)
			}
			if name == "password" && f.Type.Kind() == reflect.String {
				pw := norm.NFC.String(v.Field(i).String())
				v.Field(i).SetString(pw)
				note(sub, strings.ContainsRune(pw, 0))
				continue
			}
			note(normalize(v.Field(i), sub))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			note(normalize(v.Index(i), fmt.Sprintf("%s[%d]", path, i)))
		}
	case reflect.String:
		text := v.String()
		if v.CanSet() {
			text = strings.TrimSpace(norm.NFC.String(text))
			v.SetString(text)
		}
		note(path, strings.ContainsRune(text, 0))
	case reflect.Map:
		if v.IsNil() || v.Type().Key().Kind() != reflect.String {
			break
		}
		for _, k := range v.MapKeys() {
			key := norm.NFC.String(k.String())
			note(path, strings.ContainsRune(key, 0))
			val := v.MapIndex(k)
			if val.Kind() == reflect.String {
				text := norm.NFC.String(val.String())
				note(join(key), strings.ContainsRune(text, 0))
				val = reflect.ValueOf(text).Convert(val.Type())
			} else {
				note(normalize(val, join(key)))
			}
			v.SetMapIndex(k, reflect.Value{})
			v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), val)
		}
	}
	return nul, found
}

// checkQuery refuses an API request whose query parameters are not UTF-8
// text without NUL, naming the first such parameter: no query is made of
// them.
func checkQuery(c *fiber.Ctx) error {
	if !strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	bad := ""
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if bad == "" && (!utf8.Valid(k) || !utf8.Valid(v) || bytes.IndexByte(k, 0) >= 0 || bytes.IndexByte(v, 0) >= 0) {
			bad = strings.ToValidUTF8(strings.ReplaceAll(string(k), "\x00", ""), "?")
		}
	})
	if bad != "" {
		return &malformedError{fmt.Sprintf("query parameter %q must be UTF-8 text without NUL characters", bad)}
	}
	return c.Next()
}
