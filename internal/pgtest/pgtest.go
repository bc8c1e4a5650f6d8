// Package pgtest runs a throwaway PostgreSQL cluster with PostGIS for
// tests: initdb into a temporary folder, a free port on 127.0.0.1, trust
// authentication, stopped and removed when the test binary ends. It is the
// real database, not a mock. Without PostgreSQL and PostGIS installed the
// tests skip loudly, except under CI (the CI environment variable set),
// where they fail: .ci/run installs postgresql-15-postgis-3.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cluster is a running throwaway cluster.
type Cluster struct {
	dir, bin string
	port     int
	asUser   string // run the server as this user (postgres refuses root)
}

// The cluster of this test binary, started on first use.
var (
	once     sync.Once
	started  *Cluster
	startErr error
)

// Main runs the tests of a package and stops the cluster afterwards, if
// one was started. Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if started != nil {
		started.stop()
	}
	return code
}

// Start returns a database with PostGIS in the shared cluster, named for
// the test, as a connection string. The cluster starts on first use. The
// test is skipped, or fails under CI, when PostgreSQL is not installed.
func Start(t testing.TB) string {
	t.Helper()
	once.Do(func() { started, startErr = start() })
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL/PostGIS test cluster: %v (CI: .ci/run must apt-get install postgresql-15-postgis-3)", startErr)
		}
		t.Skipf("SKIPPING POSTGIS TESTS: %v (apt-get install postgresql-15-postgis-3)", startErr)
	}
	name := "t_" + strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, t.Name()))
	if len(name) > 60 {
		name = name[:60]
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, started.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"+SecretUser+"') THEN CREATE ROLE "+SecretUser+" LOGIN SUPERUSER PASSWORD '"+SecretPassword+"'; END IF; END$$"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	db, err := pgx.Connect(ctx, started.URL(name))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, "CREATE EXTENSION postgis"); err != nil {
		t.Fatal(err)
	}
	return started.URL(name)
}

// URL is the connection URL of a database of the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Secret is the role of the cluster that must give a password, and the
// password; it is created by the first Start.
const (
	SecretUser     = "secret"
	SecretPassword = "s3cret-Pa55"
)

// Port is the cluster's port on 127.0.0.1.
func Port() int {
	if started == nil {
		return 0
	}
	return started.port
}

func start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat("/usr/share/postgresql/15/extension/postgis.control"); err != nil {
		if matches, _ := filepath.Glob("/usr/share/postgresql/*/extension/postgis.control"); len(matches) == 0 {
			return nil, fmt.Errorf("PostGIS is not installed")
		}
	}
	dir, err := os.MkdirTemp("", "catchment-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		c.asUser = "postgres"
		if err := exec.Command("chown", "-R", "postgres", dir).Run(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("chown %s to postgres: %v", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	// Trust, except for the role "secret", which must give its password:
	// the tests of wrong credentials use it.
	hba := "local all all trust\nhost all secret 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if c.asUser != "" {
		exec.Command("chown", "postgres", filepath.Join(data, "pg_hba.conf")).Run()
	}
	var last error
	for try := 0; try < 5; try++ {
		if c.port, last = freePort(); last != nil {
			break
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off", c.port, dir)
		out, err := c.run(filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "30", "start")
		if err == nil {
			return c, c.wait()
		}
		last = fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	os.RemoveAll(dir)
	return nil, last
}

// wait waits until the server accepts connections.
func (c *Cluster) wait() error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := pgx.Connect(context.Background(), c.URL("postgres"))
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the test cluster does not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *Cluster) stop() {
	c.run(filepath.Join(c.bin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

// run runs a PostgreSQL program, as the postgres user when we are root.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// findBin finds the folder of initdb and pg_ctl.
func findBin() (string, error) {
	for _, d := range []string{"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"} {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL is not installed (no initdb)")
}

// freePort asks the system for a free port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	return strconv.Atoi(p)
}
