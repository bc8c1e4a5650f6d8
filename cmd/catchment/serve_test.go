package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// startServe runs "catchment serve args…" until the test ends and returns the
// page's address and the command's stderr.
func startServe(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	var stdout bytes.Buffer
	stderr := &syncBuffer{}
	e := &env{stdout: &stdout, stderr: stderr, ctx: ctx, listening: func(u string) { urls <- u }}
	if !slices.Contains(args, "--addr") {
		// A port of the system's choosing: parallel test runs on one
		// machine must not meet on serve's default port 8080.
		args = append(args, "--addr", "127.0.0.1:0")
	}
	done := make(chan int, 1)
	go func() { done <- runEnv(e, append([]string{"serve"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, stderr)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30 s of its context ending")
		}
	})
	select {
	case u := <-urls:
		return u, stderr
	case code := <-done:
		t.Fatalf("serve exited %d before listening: %s", code, stderr)
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60 s: %s", stderr)
	}
	return "", nil
}

// syncBuffer is a bytes.Buffer safe for one writer and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "8080"}, "--addr \"8080\""},
		{[]string{"--max-km", "NaN"}, "--max-km"},
		{[]string{"--certificate-share", "2"}, "--certificate-share"},
		{[]string{"--addr", "127.0.0.1:99999"}, "--addr 127.0.0.1:99999"},
		{[]string{"--time-limit", "NaN"}, "--time-limit"},
		{[]string{"--time-limit", "0"}, "--time-limit"},
		{[]string{"--at", "Sun 25:00"}, "--at"},
		{[]string{"--trend", "cubic"}, "--trend"},
		{[]string{"--model", "../../testdata/nosuch_model.yaml"}, "nosuch_model.yaml"},
		{[]string{"--counts", "../../testdata/nosuch_counts.csv"}, "nosuch_counts.csv"},
	} {
		code, _, stderr := runCLI(t, append([]string{"serve"}, tc.args...)...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want an error naming %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	u, stderr := startServe(t, "--addr", "0.0.0.0:0")
	if !strings.Contains(stderr.String(), "no authentication") {
		t.Errorf("serving on %s without a warning: %s", u, stderr)
	}
	_, stderr = startServe(t, "--addr", "127.0.0.1:0")
	if strings.Contains(stderr.String(), "no authentication") {
		t.Errorf("warned on loopback: %s", stderr)
	}
}

// chromium finds Debian's chromium; CI must have it (.ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing: .ci/run installs Debian's chromium for the browser tests")
	}
	t.Skip("SKIPPING THE BROWSER TESTS: chromium is not installed (apt-get install chromium)")
	return ""
}

// browser starts a headless chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.WindowSize(1400, 950),
		chromedp.Flag("lang", "ja"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// pageFigures reads the key figures from the page's table.
func pageFigures(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	figs, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#figures td.value")].map((td) => [td.id.slice(4), td.dataset.value]))`))
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

// waitUpdates waits until the page has shown n what-if results.
func waitUpdates(n int) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`body[data-updates="%d"]`, n)))
}

// ready waits until the page has loaded its data and shown its first result.
var ready = chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))

// officeStatus reads an office marker's status.
func officeStatus(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.office[data-office-id="`+id+`"]`), "data-status"))
	if err != nil {
		t.Fatal(err)
	}
	return a.Value
}

// marker is the CSS selector of an office's marker.
func marker(id string) chromedp.CSS { return chromedp.CSS(`.office[data-office-id="` + id + `"]`) }

// whatifStage runs "catchment whatif args… --format json" and returns its last stage.
func whatifStage(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, stderr := runCLI(t, append(append([]string{"whatif"}, args...), "--format", "json")...)
	if code != 0 {
		t.Fatalf("whatif %v: exit %d: %s", args, code, stderr)
	}
	var stages []map[string]any
	if err := json.Unmarshal([]byte(out), &stages); err != nil {
		t.Fatalf("whatif output: %v", err)
	}
	return stages[len(stages)-1]
}

// sameFigures checks the page's figures against the CLI's whatif stage.
func sameFigures(t *testing.T, page map[string]string, cli map[string]any) {
	t.Helper()
	for _, c := range []struct{ page, cli string }{
		{"moved-districts", "moved_districts"},
		{"moved-population", "moved_population"},
		{"weighted-change", "weighted_change_m"},
		{"max-change", "max_change_m"},
		{"person-km", "added_person_km"},
		{"offices", "full_offices_after"},
		{"per-office", "residents_per_office_after"},
		{"beyond", "beyond_after"},
		{"cert-point", "moved_with_cert_point"},
		{"counter-shifted", "counter_shifted"},
	} {
		got, err := strconv.ParseFloat(page[c.page], 64)
		if err != nil {
			t.Errorf("page figure %s = %q: %v", c.page, page[c.page], err)
			continue
		}
		want, ok := cli[c.cli].(float64)
		if !ok {
			t.Errorf("whatif has no number %s: %v", c.cli, cli[c.cli])
			continue
		}
		// the CLI rounds to 0.1
		if math.Abs(got-want) > 0.051 {
			t.Errorf("%s: page %v, catchment whatif %v", c.page, got, want)
		}
	}
}

func TestServeInBrowser(t *testing.T) {
	ctx := browser(t)
	out := t.TempDir()
	url, _ := startServe(t, "--out", out)

	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready); err != nil {
		t.Fatalf("page did not load: %v", err)
	}
	t.Logf("page ready in %v", time.Since(start))
	if f := pageFigures(t, ctx); f["moved-districts"] != "0" {
		t.Fatalf("every office open, yet %s districts moved", f["moved-districts"])
	}

	// open → service corner → closed, by clicking the marker as a person would
	clickStart := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(marker("oe")), waitUpdates(2)); err != nil {
		t.Fatal(err)
	}
	t.Logf("click to updated figures in %v", time.Since(clickStart))
	if st := officeStatus(t, ctx, "oe"); st != "corner" {
		t.Fatalf("one click: status %q, want corner", st)
	}
	sameFigures(t, pageFigures(t, ctx), whatifStage(t, "--downgrade", "oe"))

	if err := chromedp.Do(ctx, chromedp.Click(marker("oe")), waitUpdates(3)); err != nil {
		t.Fatal(err)
	}
	if st := officeStatus(t, ctx, "oe"); st != "closed" {
		t.Fatalf("two clicks: status %q, want closed", st)
	}
	closed := pageFigures(t, ctx)
	cli := whatifStage(t, "--close", "oe")
	sameFigures(t, closed, cli)

	// the moved districts listed are the ones the CLI moves
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#moved tbody tr[data-district-id]").length`))
	if err != nil {
		t.Fatal(err)
	}
	if float64(rows) != cli["moved_districts"].(float64) {
		t.Errorf("%d moved districts listed, whatif moves %v", rows, cli["moved_districts"])
	}

	// the address carries the scenario
	href, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(href, "close=oe") {
		t.Errorf("address %s does not carry the scenario", href)
	}

	// download the scenario the page links to; whatif --scenario reads it
	dl, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("download").href`))
	if err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(t.TempDir(), "scenario.yaml")
	if err := os.WriteFile(scen, httpGet(t, dl), 0o644); err != nil {
		t.Fatal(err)
	}
	sameFigures(t, closed, whatifStage(t, "--scenario", scen))

	// reset, then load the downloaded file through the page's file input
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("reset")), waitUpdates(4)); err != nil {
		t.Fatal(err)
	}
	if f := pageFigures(t, ctx); f["moved-districts"] != "0" {
		t.Fatalf("after reset %s districts moved", f["moved-districts"])
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("upload"), []string{scen}), waitUpdates(5)); err != nil {
		t.Fatal(err)
	}
	if st := officeStatus(t, ctx, "oe"); st != "closed" {
		t.Errorf("after loading the downloaded scenario oe is %q, want closed", st)
	}
	sameFigures(t, pageFigures(t, ctx), cli)

	// a link reproduces the scenario in a fresh page
	if err := chromedp.Do(ctx, chromedp.Navigate(href), ready); err != nil {
		t.Fatal(err)
	}
	sameFigures(t, pageFigures(t, ctx), cli)

	// the ranking panel lists every office
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("rank")), chromedp.WaitVisible(chromedp.CSS(`#each tbody tr[data-office-id]`))); err != nil {
		t.Fatal(err)
	}
	ranked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#each tbody tr[data-office-id]")].map((tr) => tr.dataset.officeId)`))
	if err != nil {
		t.Fatal(err)
	}
	code, eachOut, stderr := runCLI(t, "whatif", "--each", "--format", "json")
	if code != 0 {
		t.Fatalf("whatif --each: %s", stderr)
	}
	var each []struct {
		OfficeID string `json:"office_id"`
	}
	if err := json.Unmarshal([]byte(eachOut), &each); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range each {
		want = append(want, r.OfficeID)
	}
	if strings.Join(ranked, ",") != strings.Join(want, ",") {
		t.Errorf("the page ranks %v, whatif --each ranks %v", ranked, want)
	}

	// English toggle
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang"))); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "what if") {
		t.Errorf("English title %q", title)
	}

	// the page saved nothing: exports write only on request
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("the page wrote %d files under --out without an export", len(entries))
	}
}

func httpGet(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, b)
	}
	return b
}

// TestServeScreenshot checks that the map draws: districts in several
// colours, and every office marker where its coordinates say, in its colour.
func TestServeScreenshot(t *testing.T) {
	ctx := browser(t)
	url, _ := startServe(t)
	type office struct {
		ID, Kind string
		Lat, Lon float64
		X, Y     float64
	}
	type view struct {
		West, South, East, North float64
		Left, Top, Width, Height float64
		Offices                  []office
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"?close=akitsu"), ready,
		chromedp.Sleep(500*time.Millisecond)); err != nil { // let Leaflet finish its zoom
		t.Fatal(err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[view](`(() => {
		const s = catchmentPage.state, b = s.map.getBounds(), r = document.getElementById("map").getBoundingClientRect();
		return {West: b.getWest(), South: b.getSouth(), East: b.getEast(), North: b.getNorth(),
			Left: r.left, Top: r.top, Width: r.width, Height: r.height,
			Offices: s.study.offices.map((o) => {
				const e = document.querySelector('.office[data-office-id="' + o.id + '"]').getBoundingClientRect();
				return {ID: o.id, Kind: o.kind, Lat: o.lat, Lon: o.lon, X: e.left + e.width / 2, Y: e.top + e.height / 2};
			})};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CATCHMENT_SCREENSHOT"); dir != "" {
		writeDocsScreenshot(t, ctx, url, filepath.Join(dir, "serve.png"))
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Offices) != 19 {
		t.Fatalf("%d office markers, want 19", len(v.Offices))
	}
	// non-blank: the map area holds many colours
	colours := map[[3]uint8]int{}
	for y := int(v.Top); y < int(v.Top+v.Height); y += 3 {
		for x := int(v.Left); x < int(v.Left+v.Width); x += 3 {
			colours[rgb(img, x, y)]++
		}
	}
	if len(colours) < 20 {
		t.Errorf("the map shows %d colours: blank?", len(colours))
	}
	// offices where Web Mercator puts them, in their colours
	mercY := func(lat float64) float64 { return math.Log(math.Tan(math.Pi/4 + lat*math.Pi/360)) }
	want := map[string][3]uint8{"ward": {0xc0, 0x39, 0x2b}, "branch": {0x1f, 0x5f, 0xa8}, "closed": {0x99, 0x99, 0x99}}
	for _, o := range v.Offices {
		x := v.Left + (o.Lon-v.West)/(v.East-v.West)*v.Width
		y := v.Top + (mercY(v.North)-mercY(o.Lat))/(mercY(v.North)-mercY(v.South))*v.Height
		if math.Hypot(x-o.X, y-o.Y) > 2 {
			t.Errorf("%s drawn at (%.0f, %.0f), its coordinates say (%.0f, %.0f)", o.ID, o.X, o.Y, x, y)
		}
		kind := o.Kind
		if o.ID == "akitsu" {
			kind = "closed"
		}
		// left of the centre: inside the fill, off the closed mark's ×
		if px := rgb(img, int(o.X)-3, int(o.Y)); !near(px, want[kind], 40) {
			t.Errorf("%s (%s): pixel %v left of its centre, want %v", o.ID, kind, px, want[kind])
		}
	}
}

// writeDocsScreenshot saves the README's picture: the optimiser's plan for
// K = 8 with the ward offices kept, applied, with the key figures, the
// service figures and the optimiser panel beside the map.
func writeDocsScreenshot(t *testing.T, ctx context.Context, url, path string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1400, 1280),
		chromedp.Navigate(url), ready,
		chromedp.SetValue(chromedp.ID("opt-k"), "8"),
		chromedp.Click(chromedp.ID("opt-solve")),
		chromedp.WaitVisible(chromedp.CSS(`#opt-result[data-k="8"]`)),
		chromedp.Click(chromedp.ID("opt-apply")),
		waitUpdates(2),
		chromedp.WaitVisible(chromedp.CSS(`#service[data-scenario^="close="]`)),
		chromedp.Sleep(500*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func near(a, b [3]uint8, tol int) bool {
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < -tol || d > tol {
			return false
		}
	}
	return true
}

// TestServeClickTiming measures click to painted update in the browser:
// p50 and max over a series of clicks. CATCHMENT_SERVE_DATA=DIR runs it on
// a --data folder (bench/serve.sh uses the nation-scale one),
// CATCHMENT_SERVE_CLICKS sets the number of clicks.
func TestServeClickTiming(t *testing.T) {
	ctx := browser(t)
	args := []string{}
	if dir := os.Getenv("CATCHMENT_SERVE_DATA"); dir != "" {
		args = append(args, "--data", dir, "--quiet")
	}
	clicks := 12
	if n, err := strconv.Atoi(os.Getenv("CATCHMENT_SERVE_CLICKS")); err == nil && n > 0 {
		clicks = n
	}
	url, _ := startServe(t, args...)
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready); err != nil {
		t.Fatalf("page did not load: %v", err)
	}
	load := time.Since(start)
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`catchmentPage.state.study.offices.map((o) => o.id)`))
	if err != nil {
		t.Fatal(err)
	}
	var ms []float64
	for i := 0; i < clicks; i++ {
		// every office in turn, each cycled open → corner → closed → open
		id := ids[(i/3*7919)%len(ids)]
		if err := chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`void catchmentPage.state.markers[`+strconv.Quote(id)+`].fire("click")`),
			waitUpdates(i+2)); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.clickToPaintMs`))
		if err != nil {
			t.Fatal(err)
		}
		if testing.Verbose() {
			phases, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.phases`))
			t.Logf("click %d (%s): %s ms to paint: %s", i+1, id, v, phases)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("click-to-paint %q: %v", v, err)
		}
		ms = append(ms, f)
	}
	timing, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("timing")))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("last click: %s", timing)
	sorted := append([]float64(nil), ms...)
	sort.Float64s(sorted)
	p50, worst := sorted[len(sorted)/2], sorted[len(sorted)-1]
	t.Logf("%d offices; page ready in %v; %d clicks, click to painted update: p50 %.0f ms, max %.0f ms", len(ids), load.Round(time.Millisecond), clicks, p50, worst)
	if p50 > 1000 {
		t.Errorf("click to painted update p50 %.0f ms: a planner waits a second per click", p50)
	}
}

// serviceFigures reads the page's certificate service figures (data-svc).
func serviceFigures(t *testing.T, ctx context.Context) map[string]float64 {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("#service [data-svc]")].map((e) => [e.dataset.svc, e.dataset.value]))`))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for k, v := range raw {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("service figure %s = %q: %v", k, v, err)
		}
		out[k] = f
	}
	return out
}

// waitService waits until the service figures of the scenario in the
// page's address (close=a,b) are shown.
func waitService(query string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`#service[data-scenario="` + query + `"]`))
}

// whatifServiceLine is the service line `catchment whatif` prints: staff
// today and needed, the target year and the costs per certificate.
var whatifServiceLine = regexp.MustCompile(`counter staff ([\d,]+) today → needed in fiscal (\d+): ([\d,]+) with every office open, ([\d,]+) after this change .*counter cost per certificate in fiscal \d+: (\d+) yen not reorganised, (\d+) yen reorganised \(fiscal (\d+): (\d+) yen\)`)

// sameService checks the page's service figures against `catchment whatif
// --close ids` (its service line) and `catchment service --close ids`
// (certificates by channel, and the districts with no point open at the
// model's time within its 2 km, counted from the hours table).
func sameService(t *testing.T, page map[string]float64, ids string) {
	t.Helper()
	code, out, stderr := runCLI(t, "whatif", "--close", ids)
	if code != 0 {
		t.Fatalf("whatif --close %s: %s", ids, stderr)
	}
	m := whatifServiceLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("whatif --close %s printed no service line:\n%s", ids, out)
	}
	num := func(s string) float64 {
		f, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		return f
	}
	for _, c := range []struct {
		name string
		cli  float64
	}{
		{"staff_today", num(m[1])}, {"staff_needed_all_open", num(m[3])}, {"staff_needed", num(m[4])},
		{"yen_not_reorganised", num(m[5])}, {"yen_reorganised", num(m[6])},
	} {
		if got := page[c.name]; math.Round(got) != c.cli {
			t.Errorf("close %s: page %s = %v, catchment whatif %v", ids, c.name, got, c.cli)
		}
	}
	code, out, stderr = runCLI(t, "service", "--close", ids, "--table", "years", "--format", "json")
	if code != 0 {
		t.Fatalf("service --close %s: %s", ids, stderr)
	}
	var years []map[string]any
	if err := json.Unmarshal([]byte(out), &years); err != nil {
		t.Fatal(err)
	}
	last := years[len(years)-1]
	if fmt.Sprint(last["year"]) != m[2] {
		t.Errorf("service's last year %v, whatif's %s", last["year"], m[2])
	}
	for _, ch := range []string{"counter", "corner", "store", "post"} {
		if got, want := page["cert_"+ch], math.Round(last[ch].(float64)); got != want {
			t.Errorf("close %s: page %s certificates %v, catchment service %v", ids, ch, got, want)
		}
	}
	code, out, stderr = runCLI(t, "service", "--close", ids, "--table", "hours", "--format", "json")
	if code != 0 {
		t.Fatalf("service --close %s --table hours: %s", ids, stderr)
	}
	var hours []map[string]any
	if err := json.Unmarshal([]byte(out), &hours); err != nil {
		t.Fatal(err)
	}
	none, pop := 0.0, 0.0
	for _, r := range hours {
		if km, ok := r["open_after_km"].(float64); !ok || km > 2 {
			none++
			pop += r["population"].(float64)
		}
	}
	if page["none_open_after"] != none || page["none_open_population_after"] != pop {
		t.Errorf("close %s: page %v districts (%v residents) with no point open, catchment service's hours table %v (%v)", ids,
			page["none_open_after"], page["none_open_population_after"], none, pop)
	}
}

// TestServeServiceInBrowser clicks an office closed and compares the
// certificate service figures with the CLI's for the same closure.
func TestServeServiceInBrowser(t *testing.T) {
	ctx := browser(t)
	url, _ := startServe(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready, waitService("")); err != nil {
		t.Fatalf("page did not load: %v", err)
	}
	open := serviceFigures(t, ctx)
	if open["staff_needed"] != open["staff_needed_all_open"] || open["changed_districts"] != 0 {
		t.Errorf("every office open, yet the service figures change: %v", open)
	}
	for i := 0; i < 2; i++ { // open → corner → closed
		if err := chromedp.Do(ctx, chromedp.Click(marker("oe")), waitUpdates(i+2)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, waitService("close=oe")); err != nil {
		t.Fatal(err)
	}
	closed := serviceFigures(t, ctx)
	sameService(t, closed, "oe")
	if closed["staff_needed_all_open"] != open["staff_needed"] {
		t.Errorf("the all-open staff %v differs from the figure with every office open %v", closed["staff_needed_all_open"], open["staff_needed"])
	}
	// The DEMO counts are named as such.
	note, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("service-note")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "デモ") {
		t.Errorf("service note %q does not say the counts are DEMO figures", note)
	}
}

// TestServeServiceMissing: without counter counts the page says what is
// missing instead of showing zeros.
func TestServeServiceMissing(t *testing.T) {
	ctx := browser(t)
	url, _ := startServe(t, "--data", "../../testdata/good/dir", "--quiet")
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready); err != nil {
		t.Fatalf("page did not load: %v", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("service-missing")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "--counts") {
		t.Errorf("the page says %q, want what is missing (--counts)", msg)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#service [data-svc]").length`))
	if err != nil || n != 0 {
		t.Errorf("%d service figures shown without counts (%v)", n, err)
	}
}

// TestServeOptimizerInBrowser solves K = 8 in the page, compares the plan
// with `catchment optimize`, applies it and compares the figures with
// `catchment whatif --close` of the offices it closes.
func TestServeOptimizerInBrowser(t *testing.T) {
	ctx := browser(t)
	url, _ := startServe(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), ready); err != nil {
		t.Fatalf("page did not load: %v", err)
	}
	for _, k := range []string{"8", "12"} {
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.ID("opt-k"), k),
			chromedp.Click(chromedp.ID("opt-solve")),
			chromedp.WaitVisible(chromedp.CSS(`#opt-result[data-k="`+k+`"]`))); err != nil {
			t.Fatal(err)
		}
		type planView struct{ Open, Closed, Objective, Optimal string }
		got, err := chromedp.Run(ctx, chromedp.Evaluate[planView](`(() => { const d = document.getElementById("opt-result").dataset;
			return {Open: d.open, Closed: d.closed, Objective: d.objective, Optimal: d.optimal}; })()`))
		if err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "optimize", "--model", "pmedian", "--k", k, "--keep-kind", "ward", "--format", "json")
		if code != 0 {
			t.Fatalf("optimize: %s", stderr)
		}
		var plan struct {
			Open, Closed []string
			Objective    float64
			Optimal      bool
		}
		if err := json.Unmarshal([]byte(out), &plan); err != nil {
			t.Fatal(err)
		}
		obj, _ := strconv.ParseFloat(got.Objective, 64)
		if got.Open != strings.Join(plan.Open, ",") || got.Closed != strings.Join(plan.Closed, ",") ||
			math.Abs(obj-plan.Objective) > 1e-6*plan.Objective || got.Optimal != strconv.FormatBool(plan.Optimal) {
			t.Errorf("K=%s: the page keeps %s, closes %s (objective %s, optimal %s); catchment optimize keeps %v, closes %v (%v, %v)",
				k, got.Open, got.Closed, got.Objective, got.Optimal, plan.Open, plan.Closed, plan.Objective, plan.Optimal)
		}
		if k != "8" {
			continue
		}
		// Apply: the scenario closes the others, and the figures are whatif's.
		closed := strings.Join(plan.Closed, ",")
		// the page lists closed offices in the study's order
		order, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`catchmentPage.state.study.offices.map((o) => o.id)`))
		if err != nil {
			t.Fatal(err)
		}
		var inOrder []string
		for _, id := range order {
			if slices.Contains(plan.Closed, id) {
				inOrder = append(inOrder, id)
			}
		}
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err = chromedp.Do(wctx, chromedp.Click(chromedp.ID("opt-apply")), waitUpdates(2), waitService("close="+strings.Join(inOrder, "%2C")))
		cancel()
		if err != nil {
			seen, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.updates + " " + document.getElementById("service").dataset.scenario + " " + document.getElementById("status").textContent`))
			t.Fatalf("applying the plan: %v (updates, service scenario, status: %s)", err, seen)
		}
		for _, id := range plan.Closed {
			if st := officeStatus(t, ctx, id); st != "closed" {
				t.Errorf("after applying the plan %s is %q, want closed", id, st)
			}
		}
		for _, id := range plan.Open {
			if st := officeStatus(t, ctx, id); st != "open" {
				t.Errorf("after applying the plan %s is %q, want open", id, st)
			}
		}
		sameFigures(t, pageFigures(t, ctx), whatifStage(t, "--close", closed))
		sameService(t, serviceFigures(t, ctx), closed)
	}
	// A bad K is refused with the server's message.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("opt-k"), "3"), chromedp.Click(chromedp.ID("opt-solve")),
		chromedp.WaitVisible(chromedp.CSS(`#opt-result.missing`))); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("opt-result")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "fewer than the 5 ward offices") {
		t.Errorf("K=3 with the wards kept: the page says %q", msg)
	}
}
