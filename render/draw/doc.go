// Package draw draws the pictures of a study as images, knowing nothing of
// the analyses that made their data: maps of offices and districts
// (RenderMap: catchments, distance classes, coverage gaps; and
// RenderIsochroneMap: service-area bands), charts (RenderScatter,
// RenderTrend), with the fonts (Japanese when one is installed, romanised
// labels otherwise), label placement, legends, scale bar, north arrow and
// the ColorBrewer palettes they share. Maps are drawn in a local transverse
// Mercator projection fitted to the data; coordinates are lon/lat degrees.
//
// Package render converts analysis results into MapData, IsochroneMapData,
// ScatterPoint and TrendSeries values.
package draw
