package apidoc

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Schema is a JSON Schema (2020-12, as OpenAPI 3.1 reads it).
type Schema = map[string]any

// Direction says whether a type is read from a request or written in a
// response: a request's required fields are those its validation requires,
// a response's every field that encoding/json always writes.
type Direction int

const (
	// Read is a body the service decodes and validates.
	Read Direction = iota
	// Written is a body the service encodes.
	Written
)

// Schemas describes Go types by reflection, as encoding/json writes and
// reads them, and keeps each named struct type once, as a component that
// the descriptions refer to.
type Schemas struct {
	components map[string]Schema
	names      map[key]string
	custom     map[reflect.Type]Schema
	fieldSpecs map[reflect.Type]map[string]Schema
	tags       map[string]Schema
}

type key struct {
	t   reflect.Type
	dir Direction
}

// NewSchemas starts an empty set of components.
func NewSchemas() *Schemas {
	return &Schemas{components: map[string]Schema{}, names: map[key]string{}, custom: map[reflect.Type]Schema{},
		fieldSpecs: map[reflect.Type]map[string]Schema{}, tags: map[string]Schema{}}
}

// Custom says how a type that encodes itself (a json.Marshaler) is written,
// in place of what its fields would say.
func (s *Schemas) Custom(t reflect.Type, schema Schema) { s.custom[t] = schema }

// Field says what a struct's field (by its JSON name) holds, where its Go
// type does not say: a JSON document kept as it is, say.
func (s *Schemas) Field(t reflect.Type, name string, schema Schema) {
	if s.fieldSpecs[t] == nil {
		s.fieldSpecs[t] = map[string]Schema{}
	}
	s.fieldSpecs[t][name] = schema
}

// Tag says what a custom validation tag (validator/v10's RegisterValidation)
// requires of a string, e.g. its pattern or its enum.
func (s *Schemas) Tag(name string, schema Schema) { s.tags[name] = schema }

// Components are the named schemas described so far.
func (s *Schemas) Components() map[string]Schema { return s.components }

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// Of describes t, read or written in the direction dir.
func (s *Schemas) Of(t reflect.Type, dir Direction) Schema {
	if t.Kind() == reflect.Pointer {
		return nullable(s.Of(t.Elem(), dir))
	}
	if c, ok := s.custom[t]; ok {
		out := Schema{}
		for k, v := range c {
			out[k] = v
		}
		return out
	}
	switch {
	case t == timeType:
		return Schema{"type": "string", "format": "date-time"}
	case t == rawType:
		return Schema{}
	case t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType):
		panic("apidoc: " + t.String() + " encodes itself: say how with Schemas.Custom")
	}
	switch t.Kind() {
	case reflect.String:
		return Schema{"type": "string"}
	case reflect.Bool:
		return Schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return Schema{"type": "number"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nullable(Schema{"type": "string", "contentEncoding": "base64"})
		}
		return nullable(Schema{"type": "array", "items": s.Of(t.Elem(), dir)})
	case reflect.Array:
		return Schema{"type": "array", "items": s.Of(t.Elem(), dir), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return nullable(Schema{"type": "object", "additionalProperties": s.Of(t.Elem(), dir)})
	case reflect.Interface:
		return Schema{}
	case reflect.Struct:
		if t.Name() == "" {
			return s.object(t, dir)
		}
		return s.named(t, dir)
	}
	panic("apidoc: cannot describe " + t.String())
}

// named keeps a struct type as a component and refers to it.
func (s *Schemas) named(t reflect.Type, dir Direction) Schema {
	k := key{t, dir}
	name, ok := s.names[k]
	if !ok {
		name = s.nameFor(t, dir)
		s.names[k] = name
		s.components[name] = nil // taken, while its fields are described (a type may refer to itself)
		s.components[name] = s.object(t, dir)
	}
	return Schema{"$ref": "#/components/schemas/" + name}
}

// nameFor names a component after its type: Unit, then UnitInput (a
// request's) or StoreUnit if another Unit came first; a generic
// list[store.Unit] is UnitList.
func (s *Schemas) nameFor(t reflect.Type, dir Direction) string {
	base := t.Name()
	if i := strings.IndexByte(base, '['); i >= 0 {
		arg := base[i+1 : len(base)-1]
		arg = arg[strings.LastIndexAny(arg, "./")+1:]
		base = exported(arg) + exported(base[:i])
	}
	base = exported(base)
	pkg := t.PkgPath()
	candidates := []string{base, exported(pkg[strings.LastIndexByte(pkg, '/')+1:]) + base}
	if dir == Read {
		candidates = []string{base, base + "Input", candidates[1]}
	}
	for _, c := range candidates {
		if _, taken := s.components[c]; !taken {
			return c
		}
	}
	for i := 2; ; i++ {
		if _, taken := s.components[base+strconv.Itoa(i)]; !taken {
			return base + strconv.Itoa(i)
		}
	}
}

func exported(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// object describes a struct's JSON fields, embedded structs' fields
// promoted as encoding/json does.
func (s *Schemas) object(t reflect.Type, dir Direction) Schema {
	props := Schema{}
	var required []string
	s.fields(t, dir, props, &required)
	out := Schema{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (s *Schemas) fields(t reflect.Type, dir Direction, props Schema, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				s.fields(ft, dir, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, seen := props[name]; seen {
			continue // a shallower field of the same name hides it
		}
		omitempty := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		rules := f.Tag.Get("validate")
		schema, ok := s.fieldSpecs[t][name]
		if !ok {
			schema = s.constrain(s.Of(ft, dir), ft, rules)
		}
		props[name] = schema
		switch {
		case dir == Written && !omitempty:
			*required = append(*required, name)
		case dir == Read && hasRule(rules, "required"):
			*required = append(*required, name)
		}
	}
}

// hasRule reports whether the validate tag has the rule before any dive.
func hasRule(tag, rule string) bool {
	for _, r := range strings.Split(tag, ",") {
		if r == "dive" {
			return false
		}
		if r == rule {
			return true
		}
	}
	return false
}

// constrain adds what a validate tag requires that JSON Schema can say:
// lengths, bounds, enums, formats and the custom tags' patterns. Tags after
// dive constrain the items (keys…endkeys a map's keys).
func (s *Schemas) constrain(schema Schema, t reflect.Type, tag string) Schema {
	if tag == "" {
		return schema
	}
	pointer := t.Kind() == reflect.Pointer
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	body := typed(schema)
	rules := strings.Split(tag, ",")
	for i := 0; i < len(rules); i++ {
		name, arg, _ := strings.Cut(rules[i], "=")
		switch name {
		case "dive":
			rest := rules[i+1:]
			if t.Kind() == reflect.Map && len(rest) > 0 && rest[0] == "keys" {
				end := indexOf(rest, "endkeys")
				if end < 0 {
					return schema
				}
				body["propertyNames"] = s.constrain(Schema{"type": "string"}, t.Key(), strings.Join(rest[1:end], ","))
				rest = rest[end+1:]
			}
			if items, ok := body["items"].(Schema); ok {
				body["items"] = s.constrain(items, t.Elem(), strings.Join(rest, ","))
			} else if values, ok := body["additionalProperties"].(Schema); ok {
				body["additionalProperties"] = s.constrain(values, t.Elem(), strings.Join(rest, ","))
			}
			return schema
		case "required":
			if pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Interface {
				schema = notNull(schema) // required: never nil
				body = typed(schema)
			}
			if t.Kind() == reflect.String {
				body["minLength"] = 1
			}
		case "min", "max", "len", "gte", "lte", "gt", "lt":
			n, err := strconv.ParseFloat(arg, 64)
			if err != nil {
				continue
			}
			bound(body, t.Kind(), name, n)
		case "oneof":
			body["enum"] = strings.Fields(arg)
		case "email":
			body["format"] = "email"
		case "url", "http_url":
			body["format"] = "uri"
		default:
			for k, v := range s.tags[name] {
				body[k] = v
			}
		}
	}
	if hasRule(tag, "omitempty") && body["type"] == "string" {
		// omitempty: "" passes the checks that follow it.
		if p, ok := body["pattern"].(string); ok {
			body["pattern"] = "^$|" + p
		}
		if enum, ok := body["enum"].([]string); ok {
			body["enum"] = append([]string{""}, enum...)
		}
	}
	if types, ok := body["type"].([]string); ok && indexOf(types, "null") >= 0 {
		if enum, ok := body["enum"].([]string); ok {
			all := []any{nil}
			for _, v := range enum {
				all = append(all, v)
			}
			body["enum"] = all
		}
	}
	return schema
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// bound says a validator's min, max, len, gte, lte, gt or lt of a value of
// kind k.
func bound(body Schema, k reflect.Kind, rule string, n float64) {
	var lo, hi string
	switch k {
	case reflect.String:
		lo, hi = "minLength", "maxLength"
	case reflect.Slice, reflect.Array:
		lo, hi = "minItems", "maxItems"
	case reflect.Map:
		lo, hi = "minProperties", "maxProperties"
	default:
		lo, hi = "minimum", "maximum"
	}
	num := lo == "minimum"
	switch rule {
	case "min", "gte":
		body[lo] = n
	case "max", "lte":
		body[hi] = n
	case "len":
		body[lo], body[hi] = n, n
	case "gt":
		if num {
			body["exclusiveMinimum"] = n
		} else {
			body[lo] = n + 1
		}
	case "lt":
		if num {
			body["exclusiveMaximum"] = n
		} else {
			body[hi] = n - 1
		}
	}
	for _, k := range []string{lo, hi} {
		if v, ok := body[k].(float64); ok && !num {
			body[k] = int(v)
		}
	}
}

// typed is the schema a constraint applies to: the non-null branch of a
// nullable reference, or the schema itself.
func typed(s Schema) Schema {
	if alts, ok := s["anyOf"].([]Schema); ok {
		return alts[0]
	}
	return s
}

// notNull undoes nullable.
func notNull(s Schema) Schema {
	if alts, ok := s["anyOf"].([]Schema); ok && len(alts) == 2 {
		return alts[0]
	}
	if types, ok := s["type"].([]string); ok && len(types) == 2 && types[1] == "null" {
		out := Schema{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = types[0]
		return out
	}
	return s
}

// nullable lets a schema be null too, as a nil pointer, slice or map is
// written.
func nullable(s Schema) Schema {
	switch t := s["type"].(type) {
	case string:
		out := Schema{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = []string{t, "null"}
		return out
	case []string:
		return s
	}
	if len(s) == 0 {
		return s
	}
	return Schema{"anyOf": []Schema{s, {"type": "null"}}}
}
