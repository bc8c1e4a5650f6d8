package draw

import "fmt"

// legendSections lists the map's legend sections.
func (m *mapScene) legendSections() []legendSection {
	ward, branch, closed := countOffices(m.d.Offices)
	none := 0
	for _, d := range m.d.Districts {
		if d.Office < 0 {
			none++
		}
	}
	offices := legendSection{title: m.txt("窓口", "Offices")}
	if ward > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "ward"}, Text: m.txt(fmt.Sprintf("区役所（%d）", ward), fmt.Sprintf("Ward office (%d)", ward))})
	}
	if branch > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch"}, Text: m.txt(fmt.Sprintf("出張所（%d）", branch), fmt.Sprintf("Branch office (%d)", branch))})
	}
	if closed > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch", Closed: true}, Text: m.txt(fmt.Sprintf("閉所（%d）", closed), fmt.Sprintf("Closed office (%d)", closed))})
	}
	borders := legendSection{title: m.txt("境界", "Borders")}
	if m.kind == MapCatchments {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colCatchment, Width: 1.6, Text: m.txt("担当区域の境界", "Catchment border")})
	}
	borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colDistrict, Width: 0.6, Text: m.txt("校区界", "District border")})
	if len(m.d.Boundary) > 0 {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colBoundary, Width: 1.4, Text: m.txt("市域", "Study area")})
	}
	var secs []legendSection
	switch m.kind {
	case MapCatchments:
		fill := legendSection{title: m.txt("塗り分け", "District fill")}
		fill.items = append(fill.items, legendItem{Kind: legendCatchment, Text: m.txt("担当する窓口ごとの色（隣接する区域は別の色）", "Colour of the serving office (neighbouring catchments differ)")})
		if none > 0 {
			fill.items = append(fill.items, legendItem{Kind: legendSwatch, Color: colNoData, Text: m.txt(fmt.Sprintf("担当窓口なし（%d）", none), fmt.Sprintf("No office (%d)", none))})
		}
		secs = []legendSection{fill, offices, borders}
	case MapDistance:
		dist := legendSection{title: m.txt("最寄りの窓口までの距離", "Distance to nearest open office")}
		unknown := len(m.d.Districts)
		for _, c := range m.layout.Classes {
			unknown -= c.Districts
			dist.items = append(dist.items, legendItem{Kind: legendSwatch, Color: c.Color, Text: m.txt(fmt.Sprintf("%s（%d 校区）", c.Label(), c.Districts), fmt.Sprintf("%s (%d)", c.Label(), c.Districts))})
		}
		if unknown > 0 {
			dist.items = append(dist.items, legendItem{Kind: legendSwatch, Color: colNoData, Text: m.txt(fmt.Sprintf("不明（%d 校区）", unknown), fmt.Sprintf("Unknown (%d)", unknown))})
		}
		secs = []legendSection{dist, offices, borders}
	case MapGaps:
		var gap, postOnly, covered int
		for _, d := range m.d.Districts {
			switch {
			case d.Stores > 0:
				covered++
			case d.Posts > 0:
				postOnly++
			default:
				gap++
			}
		}
		ds := legendSection{title: m.txt("校区", "Districts")}
		ds.items = append(ds.items,
			legendItem{Kind: legendSwatch, Color: colGap, Text: m.txt(fmt.Sprintf("コンビニも郵便局もない（%d）", gap), fmt.Sprintf("No store, no post office (%d)", gap))},
			legendItem{Kind: legendSwatch, Color: colPostOnly, Text: m.txt(fmt.Sprintf("コンビニなし・郵便局あり（%d）", postOnly), fmt.Sprintf("No store, has a post office (%d)", postOnly))},
			legendItem{Kind: legendSwatch, Color: colCovered, Text: m.txt(fmt.Sprintf("コンビニあり（%d）", covered), fmt.Sprintf("Has a store (%d)", covered))},
		)
		pts := legendSection{title: m.txt("施設", "Places")}
		pts.items = append(pts.items,
			legendItem{Kind: legendStore, Color: colStore, Text: m.txt(fmt.Sprintf("コンビニ（%d）", len(m.d.Stores)), fmt.Sprintf("Convenience store (%d)", len(m.d.Stores)))},
			legendItem{Kind: legendPost, Color: colPost, Text: m.txt(fmt.Sprintf("郵便局（%d）", len(m.d.Posts)), fmt.Sprintf("Post office (%d)", len(m.d.Posts)))},
		)
		pts.items = append(pts.items, offices.items...)
		secs = []legendSection{ds, pts, borders}
	}
	return sections(secs...)
}
