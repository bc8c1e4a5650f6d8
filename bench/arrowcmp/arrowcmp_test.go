// Package arrowcmp measures Apache Arrow's Go Parquet reader
// (github.com/apache/arrow-go) against parquet-go, the library
// data/geoparquet is built on, on the same GeoParquet file: the columns a
// GeoParquet layer needs (the WKB geometries and one numeric property)
// read into memory, nothing decoded further. It is its own module so that
// the catchment module does not depend on Arrow.
//
//	CATCHMENT_PARQUET=/tmp/x/population.parquet go test -bench . -benchmem
package arrowcmp

import (
	"context"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
)

func parquetFile(b *testing.B) string {
	path := os.Getenv("CATCHMENT_PARQUET")
	if path == "" {
		b.Skip("set CATCHMENT_PARQUET to a GeoParquet file (bench/togeoparquet writes one)")
	}
	return path
}

// columns are the two columns read: the geometry and the population.
const (
	geometryColumn = "geometry"
	valueColumn    = "population"
)

// BenchmarkArrowGo reads both columns with arrow-go's pqarrow, batch by
// batch, touching every geometry's bytes and every value.
func BenchmarkArrowGo(b *testing.B) {
	path := parquetFile(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		rdr, err := file.OpenParquetFile(path, false)
		if err != nil {
			b.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 8192, Parallel: false}, memory.DefaultAllocator)
		if err != nil {
			b.Fatal(err)
		}
		schema, err := fr.Schema()
		if err != nil {
			b.Fatal(err)
		}
		var cols []int
		for _, name := range []string{geometryColumn, valueColumn} {
			idx := schema.FieldIndices(name)
			if len(idx) != 1 {
				b.Fatalf("no column %s", name)
			}
			cols = append(cols, idx[0])
		}
		rr, err := fr.GetRecordReader(context.Background(), cols, nil)
		if err != nil {
			b.Fatal(err)
		}
		var n, wkb int
		var sum float64
		for rr.Next() {
			rec := rr.RecordBatch()
			g := rec.Column(0).(*array.Binary)
			for i := 0; i < g.Len(); i++ {
				wkb += len(g.Value(i))
			}
			switch v := rec.Column(1).(type) {
			case *array.Float64:
				for i := 0; i < v.Len(); i++ {
					sum += v.Value(i)
				}
			case *array.Int64:
				for i := 0; i < v.Len(); i++ {
					sum += float64(v.Value(i))
				}
			default:
				b.Fatalf("population column is %s", rec.Column(1).DataType())
			}
			n += int(rec.NumRows())
		}
		if err := rr.Err(); err != nil {
			b.Fatal(err)
		}
		rr.Release()
		rdr.Close()
		report(b, n, wkb, sum)
	}
}

// BenchmarkParquetGo reads the same columns with parquet-go's column
// readers, value by value.
func BenchmarkParquetGo(b *testing.B) {
	path := parquetFile(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			b.Fatal(err)
		}
		gcol, ok := pf.Schema().Lookup(geometryColumn)
		vcol, ok2 := pf.Schema().Lookup(valueColumn)
		if !ok || !ok2 {
			b.Fatal("columns missing")
		}
		var n, wkb int
		var sum float64
		buf := make([]parquet.Value, 8192)
		for _, rg := range pf.RowGroups() {
			chunks := rg.ColumnChunks()
			for k, leaf := range []int{gcol.ColumnIndex, vcol.ColumnIndex} {
				pages := chunks[leaf].Pages()
				for {
					p, err := pages.ReadPage()
					if err != nil {
						break
					}
					vr := p.Values()
					for {
						m, err := vr.ReadValues(buf)
						for _, v := range buf[:m] {
							if k == 0 {
								wkb += len(v.ByteArray())
								n++
							} else if v.Kind() == parquet.Double {
								sum += v.Double()
							} else {
								sum += float64(v.Int64())
							}
						}
						if err != nil {
							break
						}
					}
					parquet.Release(p)
				}
				pages.Close()
			}
		}
		f.Close()
		report(b, n, wkb, sum)
	}
}

func report(b *testing.B, n, wkb int, sum float64) {
	b.ReportMetric(float64(n), "rows")
	b.ReportMetric(float64(wkb)/1e6, "MB-of-WKB")
	b.ReportMetric(sum, "population")
}

var _ = arrow.BinaryTypes
