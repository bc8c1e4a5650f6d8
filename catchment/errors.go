package catchment

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
)

// ErrNoOpenOffice is returned (wrapped) when an analysis has no open
// office to measure to: every office is closed, or none is of the kind
// asked for, or none can be reached under the metric.
var ErrNoOpenOffice = errors.New("no open office")

// UnknownOfficeError is an office id that is not in the study (nor among a
// scenario's new offices).
type UnknownOfficeError struct {
	ID string
	// Known are the ids that were expected, in input order.
	Known []string
}

func (e *UnknownOfficeError) Error() string {
	return fmt.Sprintf("unknown office id %q (known ids: %s)", e.ID, listIDs(e.Known))
}

// NoOfficeOfKindError says that the study has no office of a kind an
// analysis needs, such as no ward office for the nearest ward office.
type NoOfficeOfKindError struct {
	Kind data.OfficeKind
	// Open is true when offices of the kind exist but none is open.
	Open bool
}

func (e *NoOfficeOfKindError) Error() string {
	if e.Open {
		return fmt.Sprintf("no open office of kind %q", e.Kind)
	}
	return fmt.Sprintf("no office of kind %q", e.Kind)
}

// Is makes errors.Is(err, ErrNoOpenOffice) true for a missing open office.
func (e *NoOfficeOfKindError) Is(target error) bool { return e.Open && target == ErrNoOpenOffice }

// listIDs lists ids for a message: in order, or the first 30 sorted.
func listIDs(ids []string) string {
	if len(ids) > 30 {
		ids = slices.Sorted(slices.Values(ids))
		return strings.Join(ids[:30], ", ") + fmt.Sprintf(", … (%d more)", len(ids)-30)
	}
	return strings.Join(ids, ", ")
}
