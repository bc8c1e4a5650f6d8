// Package render writes the outputs of a study: GeoJSON for QGIS, tables,
// PNG maps and charts.
package render
