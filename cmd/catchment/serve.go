package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/web"
)

func serveCommand() command {
	c := command{name: "serve", summary: "a live what-if page in the browser: click an office to close it and see who is affected"}
	c.usage = `Starts a local web server with one page: the districts coloured by the
office that serves them, the offices, stores, post offices and the districts
with no store. Click an office to cycle it open → service corner → closed;
the districts that move, the added distance, the counter load shifted and the
key figures update at once. The scenario downloads as the YAML that
"catchment whatif --scenario" reads, a scenario file can be dropped on the
map, and the page's address carries the scenario (?close=oe,akitsu).
Exports: the scenario as GeoJSON, the before/after maps as PNG, whatif.md.

With counter counts (the embedded DEMO series, or --counts FILE) the page
shows the certificate service model's figures for the scenario (--model
FILE; default the embedded model of the plan), as "catchment whatif" prints
them: staff needed, cost per certificate, certificates by channel, and the
districts with no certificate point open at the model's time. Without
counts the page says what is missing. The optimiser panel solves
"catchment optimize" for a K (p-median, p-center or MCLP, the ward offices
kept or not, each solve bounded by --time-limit) and applies its plan.

The page works offline: every asset is embedded. It has no authentication:
it listens on 127.0.0.1 unless --addr says otherwise, and then warns.

Example:
  catchment serve --open
  catchment serve --data mycity/ --metric time --network city.osm.pbf --addr 127.0.0.1:9000
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.Layers...)
		mf := addMetricFlags(fs)
		addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
		open := fs.Bool("open", false, "open the page in the default browser")
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "count districts farther than this from full counter service (km)")
		share := fs.Float64("certificate-share", 0, "fraction (0..1) of a service corner's counter_count it keeps for certificates")
		withinM := fs.Float64("within-m", 0, "stores and post offices within this many metres of a district cover it (0: inside only)")
		tiles := fs.String("tiles", "", "optional base-map tile URL template, e.g. https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png (the page is offline without it)")
		out := fs.String("out", "", "folder where the page may save exports (off without it)")
		timeLimit := fs.Float64("time-limit", 10, "seconds an optimiser solve may take at most; then the page shows the best plan found, its bound and gap")
		sf := addServiceFlags(fs)
		counts := &pictureFlags{}
		fs.StringVar(&counts.counts, "counts", "", "CSV of counter transactions per office and year, for the certificate service figures")
		if err := parse(fs, args); err != nil {
			return err
		}
		switch {
		case math.IsNaN(*maxKm) || *maxKm < 0 || math.IsInf(*maxKm, 0):
			return fmt.Errorf("--max-km must be a distance ≥ 0, got %g", *maxKm)
		case !(*share >= 0 && *share <= 1):
			return fmt.Errorf("--certificate-share must be between 0 and 1, got %g", *share)
		}
		if !(*timeLimit > 0) {
			return fmt.Errorf("--time-limit must be a positive number of seconds, got %g", *timeLimit)
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if err := sf.check(set); err != nil {
			return err
		}
		host, _, err := net.SplitHostPort(*addr)
		if err != nil {
			return fmt.Errorf("--addr %q: %v (want host:port, e.g. 127.0.0.1:8080)", *addr, err)
		}
		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
			return err
		}
		if err := counts.loadCounts(e, ds, lf.quiet); err != nil {
			return err
		}
		// The service model as whatif runs it; a bad model file stops
		// here, missing counts only leave the page without its figures.
		opt := web.Options{MaxKm: *maxKm, CertificateShare: *share, Tiles: *tiles, OutDir: *out,
			SolveLimit: time.Duration(*timeLimit * float64(time.Second))}
		var model *data.ServiceModel
		if len(ds.Counts) > 0 || sf.model != "" {
			model, err = sf.load(e, ds, set["counts"], lf.quiet)
			if errors.Is(err, errNoCounts) {
				opt.ServiceMissing, err = "no counter counts: start catchment serve with --counts FILE.csv (office_id,year,count) for staff and cost per certificate", nil
			}
			if err != nil {
				return err
			}
		} else {
			opt.ServiceMissing = "no counter counts: start catchment serve with --counts FILE.csv (office_id,year,count) for staff and cost per certificate"
		}
		s, err := lf.measuredStudy(e, ds, mf, *withinM)
		if err != nil {
			return err
		}
		if model != nil {
			metric, limit := hoursMetric(s, model.Access.WithinKm.Value)
			opt.Service = &web.Service{Model: model, HoursMetric: metric, HoursLimit: limit}
		}
		srv, err := web.New(s, opt)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return fmt.Errorf("--addr %s: %w", *addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			fmt.Fprintf(e.stderr, "warning: the page has no authentication and listens on %s: anyone who can reach this address can use it\n", ln.Addr())
		}
		url := "http://" + ln.Addr().String() + "/"
		fmt.Fprintf(e.stderr, "serving the what-if page on %s (Ctrl-C to stop)\n", url)
		if *open {
			openBrowser(e, url)
		}
		if e.listening != nil {
			e.listening(url)
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 5 * time.Minute}
		ctx, stop := signal.NotifyContext(e.context(), os.Interrupt)
		defer stop()
		go func() {
			<-ctx.Done()
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			hs.Shutdown(shut)
		}()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
	return c
}

// openBrowser asks the desktop to open url, and says so if it cannot.
func openBrowser(e *env, url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(e.stderr, "warning: could not open a browser (%v): open %s yourself\n", err, url)
	}
}
