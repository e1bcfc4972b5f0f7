package web

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// indicatorInput is an indicator's field in the report and covenant forms.
// Percentages are typed from 0 to 100; the store keeps fractions.
type indicatorInput struct {
	store.Indicator
	Name  string // the input's name
	Value string // as typed, or as stored
}

// indicatorInputs lays out one field per indicator, filled with values.
func indicatorInputs(inds []store.Indicator, values map[string]float64) []indicatorInput {
	out := make([]indicatorInput, len(inds))
	for i, in := range inds {
		out[i] = indicatorInput{Indicator: in, Name: "v." + in.Key}
		if v, ok := values[in.Key]; ok {
			if in.Unit == "percent" {
				v *= 100
			}
			out[i].Value = strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
		}
	}
	return out
}

// readIndicators reads the indicator fields that were filled in; a
// percentage must be from 0 to 100.
func readIndicators(c *fiber.Ctx, ck *check, inputs []indicatorInput) map[string]float64 {
	values := map[string]float64{}
	for i, in := range inputs {
		raw, n, ok := ck.number(c, in.Name)
		inputs[i].Value = raw
		if !ok {
			continue
		}
		if in.Unit == "percent" {
			if n > 100 {
				ck.fail(in.Name, "form.percent")
				continue
			}
			n /= 100
		}
		values[in.Key] = n
	}
	return values
}

// indicatorFields maps the platform's fields of indicator values
// ("values.<key>", "targets.<key>") to the inputs that hold them.
func indicatorFields(inputs []indicatorInput) map[string]string {
	m := map[string]string{}
	for _, in := range inputs {
		m["values."+in.Key] = in.Name
		m["targets."+in.Key] = in.Name
	}
	return m
}
