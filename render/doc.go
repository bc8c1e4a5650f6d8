// Package render turns the results of a study (packages catchment, data,
// network) into what the writers and the drawing take: tables and feature
// layers (NearestTable, DistrictFeatures, WhatIf*, Isochrone*...), the
// QGIS style of each report layer (LayerStyle), map and chart data
// (StudyMapData, WhatIfMaps, IsochroneMap, ScatterData, TrendData,
// SourceLine), and the Markdown of report.md and of the what-if section.
// The tables and layers are a contract that scripts rely on: their keys
// stay stable.
//
// The writers and the drawing know no analysis and live in subpackages:
// render/vector (features, GeoJSON, CSV with WKT, tables, QGIS styles),
// render/vector/gpkg (GeoPackage, which links SQLite) and render/draw (PNG
// maps and charts).
package render
