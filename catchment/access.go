package catchment

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
)

// AccessMethod names an accessibility index (see Study.Access).
type AccessMethod string

// Accessibility indices, as PySAL access defines them.
const (
	// Access2SFCA is the two-step floating catchment area (Luo and Wang
	// 2003): W = 1 for every office within the catchment.
	Access2SFCA AccessMethod = "2sfca"
	// AccessE2SFCA is the enhanced 2SFCA: W decays with cost within the
	// catchment (AccessOptions.Decay).
	AccessE2SFCA AccessMethod = "e2sfca"
	// AccessGravity is the gravity (potential) model: A_i = Σ_j S_j·W_ij
	// with W = (max(d, Min)/Scale)^−β, no demand side.
	AccessGravity AccessMethod = "gravity"
	// AccessGravity2SFCA is the FCA formula with the gravity weight and no
	// catchment (Luo and Wang 2003's gravity model).
	AccessGravity2SFCA AccessMethod = "gravity2sfca"
)

// AccessMethods lists every accessibility index.
var AccessMethods = []AccessMethod{Access2SFCA, AccessE2SFCA, AccessGravity, AccessGravity2SFCA}

// fca reports whether the method is of the floating-catchment family (a
// supply-to-demand ratio per office).
func (m AccessMethod) fca() bool { return m != AccessGravity }

// gravity reports whether the method weighs by the gravity function.
func (m AccessMethod) gravity() bool { return m == AccessGravity || m == AccessGravity2SFCA }

// Decay is how the weight of an office falls with cost in the enhanced
// 2SFCA.
type Decay string

// Decays of the enhanced 2SFCA.
const (
	// DecayStep is a step function: the weight of the first step whose
	// limit is at least the cost, 0 beyond the last step. PySAL's default
	// {10: 1, 20: 0.68, 30: 0.22} rescaled to d0/3, 2d0/3, d0.
	DecayStep Decay = "step"
	// DecayGaussian is Dai (2010)'s Gaussian, 1 at cost 0 and 0 at the
	// catchment d0: W = (exp(−½(d/d0)²) − e^−½) / (1 − e^−½).
	DecayGaussian Decay = "gaussian"
	// DecayPySALGaussian is PySAL's gaussian weight exp(−d²/2σ²), cut at
	// the catchment.
	DecayPySALGaussian Decay = "pysal-gaussian"
)

// Decays lists every decay.
var Decays = []Decay{DecayStep, DecayGaussian, DecayPySALGaussian}

// WeightStep is one step of a step decay: Weight for costs up to Limit.
type WeightStep struct {
	Limit, Weight float64
}

// DefaultSteps are PySAL's E2SFCA steps {10: 1, 20: 0.68, 30: 0.22},
// rescaled to the catchment d0: d0/3, 2d0/3, d0.
func DefaultSteps(d0 float64) []WeightStep {
	return []WeightStep{{d0 / 3, 1}, {2 * d0 / 3, 0.68}, {d0, 0.22}}
}

// SupplyField says what an office supplies.
type SupplyField string

// Supply fields.
const (
	// SupplyCounterCount is the office's counter_count.
	SupplyCounterCount SupplyField = "counter_count"
	// SupplyNone gives every office a supply of 1.
	SupplyNone SupplyField = "none"
)

// AccessOptions set an accessibility index. Costs (Catchment, Sigma, Steps'
// limits, Scale, Min) are in the unit of the study metric's Quantity:
// metres for Distance, seconds for Time.
type AccessOptions struct {
	Method AccessMethod
	// Decay is the enhanced 2SFCA's decay; "" is DecayStep (PySAL's
	// default). Only AccessE2SFCA takes one.
	Decay Decay
	// Catchment is d0: only offices at cost d ≤ d0 count. Required (> 0)
	// for 2sfca and e2sfca; for gravity and gravity2sfca 0 means no
	// catchment (every reachable office) and > 0 cuts at it.
	Catchment float64
	// Sigma is the width of DecayPySALGaussian; 0 is Catchment/2.
	Sigma float64
	// Steps are the steps of DecayStep, limits ascending and the last at
	// most Catchment; nil is DefaultSteps(Catchment).
	Steps []WeightStep
	// Beta (> 0), Scale (> 0) and Min (≥ 0) make the gravity weight
	// (max(d, Min)/Scale)^−Beta.
	Beta, Scale, Min float64
	// Supply is what each office supplies; "" is SupplyCounterCount.
	Supply SupplyField
	// CornerShare is the share (0..1) of its supply that a service corner
	// keeps in a what-if; 0 counts a corner as closed.
	CornerShare float64
}

// optionErr is an invalid option, named in the message.
func optionErr(name string, v float64, want string) error {
	return fmt.Errorf("access: %s %s: want %s", name, strconv.FormatFloat(v, 'g', -1, 64), want)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// resolve checks the options and fills in their defaults.
func (o AccessOptions) resolve() (AccessOptions, error) {
	switch o.Method {
	case Access2SFCA, AccessE2SFCA, AccessGravity, AccessGravity2SFCA:
	case "":
		return o, fmt.Errorf("access: no method: want one of %s", joinMethods())
	default:
		return o, fmt.Errorf("access: method %q: want one of %s", o.Method, joinMethods())
	}
	switch o.Supply {
	case "":
		o.Supply = SupplyCounterCount
	case SupplyCounterCount, SupplyNone:
	default:
		return o, fmt.Errorf("access: supply field %q: want %s or %s", o.Supply, SupplyCounterCount, SupplyNone)
	}
	if !finite(o.CornerShare) || o.CornerShare < 0 || o.CornerShare > 1 {
		return o, optionErr("corner share", o.CornerShare, "a number from 0 to 1")
	}
	if o.Method == AccessE2SFCA {
		if o.Decay == "" {
			o.Decay = DecayStep
		}
		switch o.Decay {
		case DecayStep, DecayGaussian, DecayPySALGaussian:
		default:
			return o, fmt.Errorf("access: decay %q: want step, gaussian or pysal-gaussian", o.Decay)
		}
	} else if o.Decay != "" {
		return o, fmt.Errorf("access: decay %q: only e2sfca takes a decay (%s has its own weight)", o.Decay, o.Method)
	}
	if o.Method.fca() && !o.Method.gravity() {
		if !finite(o.Catchment) || o.Catchment <= 0 {
			return o, optionErr("catchment", o.Catchment, "a cost > 0")
		}
	} else if !finite(o.Catchment) || o.Catchment < 0 {
		return o, optionErr("catchment", o.Catchment, "a cost > 0, or 0 for none")
	}
	if o.Decay == DecayPySALGaussian {
		if o.Sigma == 0 {
			o.Sigma = o.Catchment / 2
		}
		if !finite(o.Sigma) || o.Sigma <= 0 {
			return o, optionErr("sigma", o.Sigma, "a cost > 0")
		}
	} else if o.Sigma != 0 {
		return o, fmt.Errorf("access: sigma is for the pysal-gaussian decay only")
	}
	if o.Decay == DecayStep {
		if o.Steps == nil {
			o.Steps = DefaultSteps(o.Catchment)
		}
		if err := checkSteps(o.Steps, o.Catchment); err != nil {
			return o, err
		}
	} else if o.Steps != nil {
		return o, fmt.Errorf("access: steps are for the step decay only")
	}
	if o.Method.gravity() {
		if !finite(o.Beta) || o.Beta <= 0 {
			return o, optionErr("beta", o.Beta, "a number > 0")
		}
		if !finite(o.Scale) || o.Scale <= 0 {
			return o, optionErr("scale", o.Scale, "a cost > 0")
		}
		if !finite(o.Min) || o.Min < 0 {
			return o, optionErr("min", o.Min, "a cost ≥ 0")
		}
	} else if o.Beta != 0 || o.Scale != 0 || o.Min != 0 {
		return o, fmt.Errorf("access: beta, scale and min are for gravity and gravity2sfca only")
	}
	return o, nil
}

// checkSteps checks a step decay against the catchment d0.
func checkSteps(steps []WeightStep, d0 float64) error {
	if len(steps) == 0 {
		return fmt.Errorf("access: steps: none given")
	}
	for k, s := range steps {
		switch {
		case !finite(s.Limit) || s.Limit <= 0:
			return fmt.Errorf("access: step %d: limit %g: want a cost > 0", k+1, s.Limit)
		case k > 0 && s.Limit <= steps[k-1].Limit:
			return fmt.Errorf("access: step %d: limit %g is not above the step before (%g): limits must ascend", k+1, s.Limit, steps[k-1].Limit)
		case !finite(s.Weight) || s.Weight < 0:
			return fmt.Errorf("access: step %d: weight %g: want a number ≥ 0", k+1, s.Weight)
		}
	}
	if last := steps[len(steps)-1].Limit; last > d0 {
		return fmt.Errorf("access: the last step's limit %g is beyond the catchment %g", last, d0)
	}
	return nil
}

func joinMethods() string {
	s := make([]string, len(AccessMethods))
	for i, m := range AccessMethods {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

// limit is the cost up to which offices count (+Inf: every reachable one).
func (o AccessOptions) limit() float64 {
	if o.Catchment > 0 {
		return o.Catchment
	}
	return math.Inf(1)
}

// weight is the options' weight of an office at cost d ≤ limit().
func (o AccessOptions) weight() func(d float64) float64 {
	switch {
	case o.Method == Access2SFCA:
		return func(float64) float64 { return 1 }
	case o.Method.gravity():
		min, scale, beta := o.Min, o.Scale, o.Beta
		return func(d float64) float64 { return math.Pow(math.Max(d, min)/scale, -beta) }
	case o.Decay == DecayGaussian:
		d0, e := o.Catchment, math.Exp(-0.5)
		return func(d float64) float64 {
			x := d / d0
			return (math.Exp(-0.5*x*x) - e) / (1 - e)
		}
	case o.Decay == DecayPySALGaussian:
		s2 := 2 * o.Sigma * o.Sigma
		return func(d float64) float64 { return math.Exp(-d * d / s2) }
	default: // DecayStep
		steps := o.Steps
		return func(d float64) float64 {
			for _, s := range steps {
				if d <= s.Limit {
					return s.Weight
				}
			}
			return 0
		}
	}
}

// SupplyError is an office whose supply field is missing or not a supply.
type SupplyError struct {
	Office data.Office
	Field  SupplyField
	// Value is the field's value; nil when the office has none.
	Value *float64
}

func (e *SupplyError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("%s has no %s, the supply field: give %s for every office, or supply none (1 per office)", officeLabel(e.Office), e.Field, e.Field)
	}
	return fmt.Sprintf("%s: %s %g is not a supply ≥ 0", officeLabel(e.Office), e.Field, *e.Value)
}

// OfficeSupply is each office's supply under field: its counter_count, or 1
// each for SupplyNone. An office without a counter_count, or with one
// that is negative or not finite, is a *SupplyError.
func OfficeSupply(offices []data.Office, field SupplyField) ([]float64, error) {
	out := make([]float64, len(offices))
	for j, o := range offices {
		switch field {
		case SupplyNone:
			out[j] = 1
		case SupplyCounterCount, "":
			if v := o.CounterCount; v == nil || !finite(*v) || *v < 0 {
				return nil, &SupplyError{Office: o, Field: SupplyCounterCount, Value: v}
			}
			out[j] = *o.CounterCount
		default:
			return nil, fmt.Errorf("supply field %q: want %s or %s", field, SupplyCounterCount, SupplyNone)
		}
	}
	return out, nil
}

// costText writes a cost of quantity q for people: "5 km", "10 min".
func costText(v float64, q Quantity) string {
	if q == Time {
		return strconv.FormatFloat(roundSig(v/60, 4), 'f', -1, 64) + " min"
	}
	return strconv.FormatFloat(roundSig(v/1000, 4), 'f', -1, 64) + " km"
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 || !finite(v) {
		return v
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// Describe states the index in words, costs in quantity q: "E2SFCA,
// step decay (1: ≤ 1.667 km, 0.68: ≤ 3.333 km, 0.22: ≤ 5 km); supply
// counter_count".
func (o AccessOptions) Describe(q Quantity) string {
	var b strings.Builder
	switch o.Method {
	case Access2SFCA:
		fmt.Fprintf(&b, "2SFCA, catchment %s", costText(o.Catchment, q))
	case AccessE2SFCA:
		b.WriteString("E2SFCA, ")
		switch o.Decay {
		case DecayGaussian:
			fmt.Fprintf(&b, "Gaussian decay (Dai 2010) to 0 at %s", costText(o.Catchment, q))
		case DecayPySALGaussian:
			fmt.Fprintf(&b, "PySAL Gaussian decay, σ %s, cut at %s", costText(o.Sigma, q), costText(o.Catchment, q))
		default:
			b.WriteString("step decay (")
			for k, s := range o.Steps {
				if k > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%g: ≤ %s", s.Weight, costText(s.Limit, q))
			}
			fmt.Fprintf(&b, "), catchment %s", costText(o.Catchment, q))
		}
	case AccessGravity, AccessGravity2SFCA:
		name := "gravity"
		if o.Method == AccessGravity2SFCA {
			name = "gravity 2SFCA"
		}
		fmt.Fprintf(&b, "%s, weight (max(d, %s) / %s)^-%g", name, costText(o.Min, q), costText(o.Scale, q), o.Beta)
		if o.Catchment > 0 {
			fmt.Fprintf(&b, ", cut at %s", costText(o.Catchment, q))
		} else {
			b.WriteString(", no catchment")
		}
	}
	fmt.Fprintf(&b, "; supply %s", o.Supply)
	if o.Supply == SupplyNone {
		b.WriteString(" (1 per office)")
	}
	return b.String()
}
