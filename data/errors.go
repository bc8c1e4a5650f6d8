package data

import (
	"errors"
	"fmt"
	"strings"
)

// InputError is one problem in an input file that stops loading. Its message
// names the file, the feature or CSV line, the field and what to do.
type InputError struct {
	File    string
	Feature string // "feature 3 (id=K12)" or "line 7"; empty for the whole file
	Field   string // our field name, "lat/lon" or "geometry"; may be empty
	Message string
}

// Error formats the problem as "file: feature: field name: message".
func (e *InputError) Error() string {
	s := e.File
	if e.Feature != "" {
		s += ": " + e.Feature
	}
	if e.Field != "" {
		if strings.Contains(e.Field, "/") {
			s += ": fields " + e.Field
		} else {
			s += ": field " + e.Field
		}
	}
	return s + ": " + e.Message
}

// maxErrors bounds how many problems of one file are reported at once.
const maxErrors = 20

// problems collects the errors and warnings of one file.
type problems struct {
	file     string
	errs     []error
	dropped  int
	warnings []Warning
}

func (p *problems) errorf(feature, field, format string, args ...any) {
	if len(p.errs) >= maxErrors {
		p.dropped++
		return
	}
	p.errs = append(p.errs, &InputError{File: p.file, Feature: feature, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) warnf(feature, field, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{File: p.file, Feature: feature, Field: field, Message: fmt.Sprintf(format, args...)})
}

// err joins the collected errors, or returns nil when there are none.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	errs := p.errs
	if p.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%s: %d more problems not shown", p.file, p.dropped))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
