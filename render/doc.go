// Package render turns the results of a study (packages catchment, data,
// network) into what the writers and the drawing take: tables, feature
// layers with their QGIS styles, map and chart data, and the Markdown of
// report.md and the what-if section. The tables and layers are a contract
// that scripts rely on: their keys stay stable.
//
// The writers and the drawing know no analysis and live in subpackages:
// render/vector (GeoJSON, CSV with WKT, tables, QGIS styles),
// render/vector/gpkg (GeoPackage) and, for now, the maps and charts here.
package render
