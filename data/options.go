package data

import (
	"fmt"
	"strings"
)

// ParseLayerOption parses the value of a flag that applies to every layer or
// to one: "VALUE" gives layer "" (every layer), "districts=VALUE" gives
// layer districts. It is used for --crs and --layer.
func ParseLayerOption(s string) (Layer, string, error) {
	left, right, ok := strings.Cut(s, "=")
	if ok {
		l := Layer(strings.ToLower(strings.TrimSpace(left)))
		if _, known := layerFields[l]; known {
			if strings.TrimSpace(right) == "" {
				return "", "", fmt.Errorf("%q: the value after '=' is empty", s)
			}
			return l, strings.TrimSpace(right), nil
		}
	}
	if strings.TrimSpace(s) == "" {
		return "", "", fmt.Errorf("empty value")
	}
	return "", strings.TrimSpace(s), nil
}
