package synthetic

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/paulmach/orb"
)

// File names written by WriteDir, as the CLI's --data DIR expects them.
const (
	OfficesFile    = "offices.csv"
	DistrictsFile  = "districts.geojson"
	StoresFile     = "stores.geojson"
	PostsFile      = "posts.geojson"
	BoundaryFile   = "boundary.geojson"
	PopulationFile = "population.geojson"
)

// FileInfo is one file WriteDir wrote.
type FileInfo struct {
	Name     string
	Features int
	Bytes    int64
}

// WriteDir writes every layer of ds into dir, each file whole or not at all,
// and returns what it wrote. progress (may be nil) is called after each file.
func (ds *Dataset) WriteDir(dir string, progress func(done, total int)) ([]FileInfo, error) {
	type job struct {
		name  string
		n     int
		write func(w *bufio.Writer) error
	}
	title := func(what string) string {
		return fmt.Sprintf("%s (synthetic, %s scale)", what, ds.Spec.Scale)
	}
	jobs := []job{
		{OfficesFile, len(ds.Offices), ds.writeOffices},
		{DistrictsFile, len(ds.Districts), func(w *bufio.Writer) error {
			return writeFeatures(w, title("School districts"), len(ds.Districts), func(w *bufio.Writer, k int) {
				d := ds.Districts[k]
				writeMultiPolygon(w, d.Geometry)
				fmt.Fprintf(w, `,"properties":{"id":%q,"name":%q,"population":%d}`, d.ID, d.Name, d.Population)
			})
		}},
		{StoresFile, len(ds.Stores), func(w *bufio.Writer) error { return writePoints(w, title("Convenience stores"), ds.Stores) }},
		{PostsFile, len(ds.Posts), func(w *bufio.Writer) error { return writePoints(w, title("Post offices"), ds.Posts) }},
		{BoundaryFile, 1, func(w *bufio.Writer) error {
			return writeFeatures(w, title("Study area"), 1, func(w *bufio.Writer, _ int) {
				writeMultiPolygon(w, ds.Boundary)
				fmt.Fprintf(w, `,"properties":{"id":"land","name":%q}`, title("Land"))
			})
		}},
		{PopulationFile, len(ds.Population), func(w *bufio.Writer) error {
			return writeFeatures(w, title("Population mesh"), len(ds.Population), func(w *bufio.Writer, k int) {
				c := ds.Population[k]
				writeMultiPolygon(w, orb.MultiPolygon{c.Bound.ToPolygon()})
				fmt.Fprintf(w, `,"properties":{"id":%q,"population":%d}`, c.ID, c.Population)
			})
		}},
	}
	var out []FileInfo
	for k, j := range jobs {
		path := filepath.Join(dir, j.name)
		var cw countWriter
		err := atomicfile.WriteFile(path, func(w io.Writer) error {
			cw.w = w
			bw := bufio.NewWriterSize(&cw, 1<<16)
			if err := j.write(bw); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			return out, fmt.Errorf("write %s: %w", path, err)
		}
		out = append(out, FileInfo{Name: j.name, Features: j.n, Bytes: cw.n})
		if progress != nil {
			progress(k+1, len(jobs))
		}
	}
	return out, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (ds *Dataset) writeOffices(w *bufio.Writer) error {
	w.WriteString("id,name,kind,lat,lon,source\n")
	for _, o := range ds.Offices {
		kind := "branch"
		if o.Ward {
			kind = "ward"
		}
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,synthetic\n", o.ID, o.Name, kind, num(o.Location[1]), num(o.Location[0]))
	}
	return nil
}

func writePoints(w *bufio.Writer, title string, pts []Point) error {
	return writeFeatures(w, title, len(pts), func(w *bufio.Writer, k int) {
		p := pts[k]
		fmt.Fprintf(w, `{"type":"Point","coordinates":[%s,%s]},"properties":{"id":%q,"name":%q}`, num(p.Location[0]), num(p.Location[1]), p.ID, p.Name)
	})
}

// writeFeatures writes a FeatureCollection of n features, one a line;
// feature writes the geometry and properties members of feature k.
func writeFeatures(w *bufio.Writer, title string, n int, feature func(w *bufio.Writer, k int)) error {
	fmt.Fprintf(w, "{\"type\":\"FeatureCollection\",\"name\":%q,\"features\":[\n", title)
	for k := 0; k < n; k++ {
		w.WriteString(`{"type":"Feature","geometry":`)
		feature(w, k)
		w.WriteString("}")
		if k+1 < n {
			w.WriteString(",")
		}
		w.WriteString("\n")
	}
	_, err := w.WriteString("]}\n")
	return err
}

// writeMultiPolygon writes a Polygon when mp has one part, else a MultiPolygon.
func writeMultiPolygon(w *bufio.Writer, mp orb.MultiPolygon) {
	poly := func(p orb.Polygon) {
		w.WriteByte('[')
		for r, ring := range p {
			if r > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			for k, pt := range ring {
				if k > 0 {
					w.WriteByte(',')
				}
				w.WriteByte('[')
				w.WriteString(num(pt[0]))
				w.WriteByte(',')
				w.WriteString(num(pt[1]))
				w.WriteByte(']')
			}
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	if len(mp) == 1 {
		w.WriteString(`{"type":"Polygon","coordinates":`)
		poly(mp[0])
		w.WriteByte('}')
		return
	}
	w.WriteString(`{"type":"MultiPolygon","coordinates":[`)
	for k, p := range mp {
		if k > 0 {
			w.WriteByte(',')
		}
		poly(p)
	}
	w.WriteString("]}")
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
