package network

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// readOverpass decodes an Overpass JSON document held in memory. It is a
// small purpose-made scanner, several times faster than encoding/json here
// because it keeps node tags and other unused fields as skipped bytes.
func readOverpass(data []byte, p Profile) (*Graph, Stats, error) {
	c, err := newCollector(p)
	if err != nil {
		return nil, Stats{}, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := &jsonScanner{b: data}
	if err := s.document(c); err != nil {
		return nil, Stats{}, fmt.Errorf("network: Overpass JSON: %w", err)
	}
	return c.build()
}

// jsonScanner reads JSON from b at position i.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("byte %d: "+format, append([]any{s.i}, args...)...)
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *jsonScanner) expect(c byte) error {
	if s.peek() != c {
		if s.i >= len(s.b) {
			return s.errorf("unexpected end of input, want %q", c)
		}
		return s.errorf("unexpected %q, want %q", s.b[s.i], c)
	}
	s.i++
	return nil
}

// str reads a string and returns its raw bytes (between the quotes) and
// whether it holds escapes.
func (s *jsonScanner) str() (raw []byte, escaped bool, err error) {
	if err := s.expect('"'); err != nil {
		return nil, false, err
	}
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped, nil
		case '\\':
			escaped = true
			s.i += 2
			continue
		}
		s.i++
	}
	return nil, false, s.errorf("unterminated string")
}

// text reads a string and returns its value.
func (s *jsonScanner) text() (string, error) {
	start := s.i
	raw, esc, err := s.str()
	if err != nil || !esc {
		return string(raw), err
	}
	var v string
	if err := json.Unmarshal(s.b[start:s.i], &v); err != nil {
		return "", s.errorf("bad string: %v", err)
	}
	return v, nil
}

// number reads the bytes of a number.
func (s *jsonScanner) number() ([]byte, error) {
	s.ws()
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	if s.i == start {
		return nil, s.errorf("want a number")
	}
	return s.b[start:s.i], nil
}

func (s *jsonScanner) int64() (int64, error) {
	raw, err := s.number()
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, s.errorf("bad integer %q", raw)
	}
	return v, nil
}

func (s *jsonScanner) float() (float64, error) {
	raw, err := s.number()
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, s.errorf("bad number %q", raw)
	}
	return v, nil
}

// skip passes over any value.
func (s *jsonScanner) skip() error {
	switch c := s.peek(); {
	case c == '"':
		_, _, err := s.str()
		return err
	case c == '{' || c == '[':
		close := byte('}')
		if c == '[' {
			close = ']'
		}
		s.i++
		if s.peek() == close {
			s.i++
			return nil
		}
		for {
			if c == '{' {
				if _, _, err := s.str(); err != nil {
					return err
				}
				if err := s.expect(':'); err != nil {
					return err
				}
			}
			if err := s.skip(); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.i++
			case close:
				s.i++
				return nil
			default:
				return s.errorf("want ',' or %q", close)
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
				s.i += len(lit)
				return nil
			}
		}
		return s.errorf("bad literal")
	default:
		_, err := s.number()
		return err
	}
}

// members calls fn for each key of an object, positioned at its value; fn
// must consume the value.
func (s *jsonScanner) members(fn func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		key, _, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := fn(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.errorf("want ',' or '}'")
		}
	}
}

// items calls fn for each element of an array, positioned at it.
func (s *jsonScanner) items(fn func(k int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for k := 0; ; k++ {
		if err := fn(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.errorf("want ',' or ']'")
		}
	}
}

// document reads {"elements": [...], ...}.
func (s *jsonScanner) document(c *wayCollector) error {
	found := false
	err := s.members(func(key []byte) error {
		if string(key) != "elements" {
			return s.skip()
		}
		found = true
		return s.items(func(k int) error { return s.element(c, k) })
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("no elements array")
	}
	return nil
}

// element reads one node or way; other element types are skipped.
func (s *jsonScanner) element(c *wayCollector, k int) error {
	var (
		typ           string
		id            int64
		lat, lon      float64
		hasLat, hasLn bool
		refs          []int64
		tags          map[string]string
	)
	err := s.members(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			typ, err = s.text()
		case "id":
			id, err = s.int64()
		case "lat":
			lat, err = s.float()
			hasLat = true
		case "lon":
			lon, err = s.float()
			hasLn = true
		case "nodes":
			err = s.items(func(int) error {
				r, err := s.int64()
				refs = append(refs, r)
				return err
			})
		case "tags":
			if typ == "node" {
				return s.skip()
			}
			tags = map[string]string{}
			err = s.members(func(key []byte) error {
				k := string(key)
				if bytes.IndexByte(key, '\\') >= 0 {
					var kv string
					if err := json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &kv); err != nil {
						return s.errorf("bad tag key")
					}
					k = kv
				}
				v, err := s.text()
				tags[k] = v
				return err
			})
		default:
			err = s.skip()
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("element %d: %w", k, err)
	}
	switch typ {
	case "node":
		if !hasLat || !hasLn {
			return fmt.Errorf("element %d (node %d): missing field lat or lon", k, id)
		}
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return fmt.Errorf("element %d (node %d): field lat/lon out of range (%v, %v)", k, id, lat, lon)
		}
		c.nodes[id] = orb.Point{lon, lat}
	case "way":
		c.addWay(id, refs, func(key string) string { return tags[key] })
	}
	return nil
}
