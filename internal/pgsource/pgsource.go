// Package pgsource reads the PostgreSQL sources the catchment tools take
// ("PG:dbname=city host=db", "postgres://gis@db/city?table=t") and words
// connection errors without secrets, for the PostGIS reader and writer.
package pgsource

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// IsSource reports whether s is a PostgreSQL source: "PG:…",
// "postgres://…" or "postgresql://…".
func IsSource(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "pg:") || strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Source is a parsed source: the connection string for pgx and the table
// or query it names.
type Source struct {
	Conn       string
	Table, SQL string
	// Name is the source as messages may show it: without a password.
	Name string
}

// Parse splits a source into its connection and its table or query.
func Parse(s string) (Source, error) {
	var src Source
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "pg:") {
		var keep, shown []string
		for _, kv := range splitConninfo(strings.TrimSpace(s[3:])) {
			k, v, _ := strings.Cut(kv, "=")
			switch strings.ToLower(k) {
			case "table", "tables", "layer":
				src.Table = unquote(v)
				continue
			case "sql":
				src.SQL = unquote(v)
				continue
			case "password":
				keep = append(keep, kv)
				continue
			}
			keep = append(keep, kv)
			shown = append(shown, kv)
		}
		src.Conn = strings.Join(keep, " ")
		src.Name = "PG:" + strings.Join(shown, " ")
		return src, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return src, fmt.Errorf("the PostgreSQL URL cannot be read: %v", redactErr(err, s))
	}
	q := u.Query()
	src.Table, src.SQL = q.Get("table"), q.Get("sql")
	q.Del("table")
	q.Del("sql")
	u.RawQuery = q.Encode()
	src.Conn = u.String()
	src.Name = u.Redacted()
	return src, nil
}

// splitConninfo splits libpq's key=value text at spaces outside quotes.
func splitConninfo(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, escaped := false, false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			cur.WriteRune(r)
			escaped = true
		case r == '\'':
			cur.WriteRune(r)
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = strings.ReplaceAll(v[1:len(v)-1], `\'`, `'`)
	}
	return v
}

// redactErr hides a URL's password in an error from net/url.
func redactErr(err error, s string) string {
	msg := err.Error()
	if u, perr := url.Parse(s); perr == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// ConnectError explains a failed connection without the password.
func ConnectError(err error, cfg *pgx.ConnConfig) error {
	where := fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	if strings.HasPrefix(cfg.Host, "/") {
		where = "socket " + cfg.Host
	}
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "28P01", strings.Contains(err.Error(), "password authentication failed"):
		return fmt.Errorf("PostgreSQL at %s refuses user %q: wrong password (give it in PGPASSWORD, ~/.pgpass or a service file, not on the command line)", where, cfg.User)
	case errors.As(err, &pe) && pe.Code == "3D000":
		return fmt.Errorf("PostgreSQL at %s has no database %q", where, cfg.Database)
	case errors.As(err, &pe):
		return fmt.Errorf("PostgreSQL at %s: %s", where, pe.Message)
	}
	msg := err.Error()
	if cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "xxxxx")
	}
	return fmt.Errorf("cannot connect to PostgreSQL at %s: %s", where, msg)
}

// Message is a database error's message, without the driver's wrapping.
func Message(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}
