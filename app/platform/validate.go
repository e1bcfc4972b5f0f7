package platform

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/vi"
	ut "github.com/go-playground/universal-translator"
	playground "github.com/go-playground/validator/v10"
	entrans "github.com/go-playground/validator/v10/translations/en"
	vitrans "github.com/go-playground/validator/v10/translations/vi"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
)

// validator checks inputs and explains failures in Vietnamese and English,
// naming fields as the JSON does.
type validator struct {
	v      *playground.Validate
	vi, en ut.Translator
}

// Dates are of the years MinYear to MaxYear: a campaign of year 1 or 9999
// is a typing mistake, and could not be scored.
const (
	MinYear = 2000
	MaxYear = 2100
)

// validation is the one validator: its tags are fixed when the program
// starts, and it is safe for concurrent use.
var validation = newValidator()

// customMessages are the messages of our own tags, and overrides of the
// stock translations that read badly.
var customMessages = map[string][2]string{ // tag: {vi, en}
	"code":        {"{0} chỉ gồm chữ, số, '.', '_', '-' (tối đa 64 ký tự)", "{0} must be letters, digits, '.', '_' or '-' (at most 64)"},
	"key":         {"{0} chỉ gồm chữ thường không dấu, số và '_'", "{0} must be lowercase letters, digits and '_'"},
	"slug":        {"{0} chỉ gồm chữ thường không dấu, số và '-'", "{0} must be lowercase letters, digits and '-'"},
	"date":        {"{0} phải là ngày dạng YYYY-MM-DD, từ năm 2000 đến 2100", "{0} must be a date YYYY-MM-DD from the years 2000 to 2100"},
	"required":    {"{0} là bắt buộc", "{0} is required"},
	"required_if": {"{0} là bắt buộc", "{0} is required"},
	"url":         {"{0} phải là một URL hợp lệ", "{0} must be a valid URL"},
	"http_url":    {"{0} phải là một URL http(s) hợp lệ", "{0} must be a valid http(s) URL"},
	"email":       {"{0} phải là một địa chỉ thư điện tử hợp lệ", "{0} must be a valid e-mail address"},
	"oneof":       {"{0} phải là một trong [{1}]", "{0} must be one of [{1}]"},
	"category":    {"{0} phải là một trong: " + valuesText("vi", store.Categories), "{0} must be one of: " + strings.Join(store.Categories, ", ")},
	"status":      {"{0} phải là một trong: " + valuesText("vi", store.Statuses), "{0} must be one of: " + strings.Join(store.Statuses, ", ")},
}

// valuesText lists values of data by their names in the language.
func valuesText(lang string, values []string) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = store.ValueText(lang, v)
	}
	return strings.Join(names, ", ")
}

func newValidator() *validator {
	v := playground.New(playground.WithRequiredStructEnabled())
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
	must(v.RegisterValidation("code", func(fl playground.FieldLevel) bool { return store.ValidCode(fl.Field().String()) }))
	must(v.RegisterValidation("key", func(fl playground.FieldLevel) bool { return store.ValidKey(fl.Field().String()) }))
	must(v.RegisterValidation("slug", func(fl playground.FieldLevel) bool { return store.ValidSlug(fl.Field().String()) }))
	// A date, or "" for none ("required" says when one is needed; a
	// change of "" clears a date).
	must(v.RegisterValidation("date", func(fl playground.FieldLevel) bool {
		if fl.Field().String() == "" {
			return true
		}
		d, err := time.Parse("2006-01-02", fl.Field().String())
		return err == nil && d.Year() >= MinYear && d.Year() <= MaxYear
	}))
	must(v.RegisterValidation("category", func(fl playground.FieldLevel) bool { return slices.Contains(store.Categories, fl.Field().String()) }))
	must(v.RegisterValidation("status", func(fl playground.FieldLevel) bool { return slices.Contains(store.Statuses, fl.Field().String()) }))

	viLoc, enLoc := vi.New(), en.New()
	uni := ut.New(viLoc, viLoc, enLoc)
	tvi, _ := uni.GetTranslator("vi")
	ten, _ := uni.GetTranslator("en")
	must(vitrans.RegisterDefaultTranslations(v, tvi))
	must(entrans.RegisterDefaultTranslations(v, ten))
	for tag, msgs := range customMessages {
		for i, tr := range []ut.Translator{tvi, ten} {
			msg, lang := msgs[i], [...]string{"vi", "en"}[i]
			must(v.RegisterTranslation(tag, tr, func(t ut.Translator) error {
				return t.Add(tag, msg, true)
			}, func(t ut.Translator, fe playground.FieldError) string {
				s, err := t.T(fe.Tag(), fe.Field(), valuesText(lang, strings.Fields(fe.Param())))
				if err != nil {
					return fe.Error()
				}
				return s
			}))
		}
	}
	return &validator{v: v, vi: tvi, en: ten}
}

// Validate normalises the text of v (a pointer to an input) to NFC without
// the spaces around it, and checks the validate tags of its fields. An
// invalid v is *Invalid, listing every invalid field by its JSON name, in
// Vietnamese and English; text holding NUL is invalid on its field.
func Validate(v any) error {
	if field, ok := normalize(reflect.ValueOf(v), ""); ok {
		return invalid(field, "không được chứa ký tự NUL", "must not contain NUL characters")
	}
	return validation.check(v)
}

// check validates v's tags.
func (val *validator) check(v any) error {
	err := val.v.Struct(v)
	if err == nil {
		return nil
	}
	var ves playground.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	out := make([]FieldError, len(ves))
	for i, fe := range ves {
		out[i] = FieldError{Field: jsonPath(fe.Namespace()), msg: message{fe.Translate(val.vi), fe.Translate(val.en)}}
	}
	return &Invalid{Fields: out}
}

// jsonPath turns the validator's namespace ("NewProject.evidence_urls[0]")
// into the field's JSON path ("evidence_urls[0]").
func jsonPath(ns string) string {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return ns
	}
	return rest
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
