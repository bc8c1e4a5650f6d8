module github.com/kumamoto-gis/catchment

go 1.26.8

require (
	github.com/fogleman/gg v1.3.0 // indirect
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0 // indirect
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/peterstace/simplefeatures v0.59.0 // indirect
	github.com/pzsz/voronoi v0.0.0-20130609164533-4314be88c79f // indirect
	github.com/tidwall/geodesic v1.52.4 // indirect
	github.com/tidwall/geoindex v1.7.0 // indirect
	github.com/tidwall/rtree v1.10.0 // indirect
	github.com/twpayne/go-geom v1.7.0 // indirect
	golang.org/x/image v0.23.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
