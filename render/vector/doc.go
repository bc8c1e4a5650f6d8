// Package vector writes features and tables in the formats that GIS tools
// and scripts read, knowing nothing of the analyses that made them:
//
//   - Feature and Property: a geometry in lon/lat degrees with flat, typed
//     properties in order.
//   - WriteGeoJSON: RFC 7946 GeoJSON that QGIS and GDAL open unmodified
//     (ring orientation, rounding, one geometry type per layer).
//   - WriteCSVWKT: CSV with the geometry as WKT, which GDAL and QGIS read.
//   - Table and WriteTable: aligned text, RFC 4180 CSV or JSON.
//   - Style: a QGIS layer style (single symbol, categorized or graduated)
//     written as a .qml document.
//
// GeoPackage files are written by the subpackage gpkg, which links SQLite.
package vector
