package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// NamedTable is a table with the names it goes by in a workbook: Name in
// English (the sheet's name with English names, and the stem of its CSV
// file where it has one), NameJa in Japanese (the sheet's name by
// default), and About, AboutJa saying what a row is.
type NamedTable struct {
	Name, NameJa   string
	About, AboutJa string
	Table          vector.Table
}

// SheetName is the table's sheet name: Japanese, or English with english.
func (t NamedTable) SheetName(english bool) string {
	if english || t.NameJa == "" {
		return t.Name
	}
	return t.NameJa
}

// tableNames are the Japanese names and the descriptions of the tables the
// commands write, by their English names. A new table gets its line here.
var tableNames = map[string]struct{ ja, about, aboutJa string }{
	"nearest":             {"最寄りの区役所", "each branch office's nearest ward office and the distance", "出張所ごとの最寄りの区役所と距離"},
	"candidates":          {"再編候補", "branch offices within the distance rule of a ward office", "区役所から距離基準以内の出張所"},
	"assignment":          {"校区の担当窓口", "every district's nearest office and the distance", "校区ごとの最寄りの窓口と距離"},
	"gaps":                {"コンビニ空白校区", "convenience stores and post offices counted per district; gap: no store", "校区ごとのコンビニ・郵便局の数（gap: コンビニなし）"},
	"catchments":          {"窓口の担当区域", "what each office serves: districts, population, area", "窓口ごとの担当校区数・人口・面積"},
	"access":              {"アクセス指標", "access to counter service per district (floating catchment index)", "校区ごとの窓口アクセス指標（2SFCA 系）"},
	"access_offices":      {"窓口の需給比", "each office's supply, weighted demand and ratio", "窓口ごとの供給・重み付き需要・需給比"},
	"access_change":       {"アクセス指標の変化", "access per district with every office open and after the plan's closures", "全窓口開設時と再編後の校区別アクセス指標"},
	"whatif_summary":      {"再編案の要約", "one row per stage of the scenario, compared with every office open", "再編案の段階ごとの要約（全窓口開設時との比較）"},
	"whatif_districts":    {"校区の変化", "every district's office and distance before and after", "校区ごとの再編前後の窓口と距離"},
	"whatif_offices":      {"窓口の変化", "every office's districts, population and counter load before and after", "窓口ごとの再編前後の担当校区・人口・窓口取扱件数"},
	"whatif_each":         {"単独閉鎖の影響順位", "each branch office closed alone, least impact (added person-km) first", "出張所を一つずつ閉じた場合の影響順位（増加人キロの小さい順）"},
	"isochrones":          {"到達圏", "service areas: area, districts and population within each limit", "到達圏ごとの面積・校区数・人口"},
	"optimize_plans":      {"最適配置の候補", "the best plan for each K: objective, proof, distances", "窓口数 K ごとの最適配置（目的関数・証明・距離）"},
	"optimize_assignment": {"最適配置の担当", "every district's office in the best plan", "最適配置での校区ごとの担当窓口"},
	"service_plan":        {"証明書単価の再現", "the plan's yen per certificate recomputed from the model's inputs", "計画の証明書1件あたり費用をモデルの入力から再計算"},
	"service_inputs":      {"サービスモデルの入力", "every input of the certificate service model with its source", "証明書サービスモデルの入力値と出典"},
	"service_years":       {"年度別の証明書と費用", "certificates by channel, staff and cost per year", "年度ごとの経路別証明書件数・職員数・費用"},
	"service_offices":     {"窓口別の業務量", "each office's counter work and staff per year after the load shift", "移管後の窓口ごと・年度ごとの業務量と職員数"},
	"service_forecast":    {"窓口取扱件数の予測", "each office's counter trend projected to the target year", "窓口ごとの取扱件数の推移と目標年度の予測"},
	"service_hours":       {"証明書取得可能時間", "certificate hours a week within reach of each district, before and after", "校区ごとの証明書を取得できる週あたり時間（再編前後）"},
}

// Named gives t its names by its English name; a name without a line in
// the list keeps its English name in Japanese too.
func Named(name string, t vector.Table) NamedTable {
	n := tableNames[name]
	return NamedTable{Name: name, NameJa: n.ja, About: n.about, AboutJa: n.aboutJa, Table: t}
}

// ReportTables are the tables of report.md's study sections: nearest,
// candidates, assignment (when there are districts), gaps (when stores
// were counted) and the dissolved catchments.
func ReportTables(r Report) []NamedTable {
	metric := r.metric()
	out := []NamedTable{
		Named("nearest", NearestTable(r.Nearest, 0, metric)),
		Named("candidates", NearestTable(r.Candidates, r.MaxKm, metric)),
	}
	if r.Assignment.Districts != nil {
		out = append(out, Named("assignment", AssignTable(r.Assignment)))
	}
	if r.Gaps != nil {
		out = append(out, Named("gaps", GapsTable(r.Gaps)))
	}
	if r.Dissolved != nil {
		out = append(out, Named("catchments", CatchmentsTable(r.Dissolved)))
	}
	return out
}

// AccessTables are the access section's tables: every district's index
// with every office open and after the plan's closures.
func AccessTables(r AccessSection) []NamedTable {
	return []NamedTable{Named("access_change", AccessChangeTable(r.Comparison))}
}

// WhatIfTables are a what-if's tables: the summary of every stage, the
// districts (all of them) and offices of the stage shown (when shown is
// not nil), and the ranking of closing each office alone (when each is
// not nil).
func WhatIfTables(stages []catchment.StageComparison, shown *catchment.Comparison, each []catchment.Impact) []NamedTable {
	var out []NamedTable
	if len(stages) > 0 {
		out = append(out, Named("whatif_summary", WhatIfSummaryTable(stages)))
	}
	if shown != nil {
		out = append(out,
			Named("whatif_districts", WhatIfDistrictTable(*shown, false)),
			Named("whatif_offices", WhatIfOfficeTable(*shown)))
	}
	if each != nil {
		out = append(out, Named("whatif_each", WhatIfEachTable(each)))
	}
	return out
}

// WorkbookNotes are the lines of a workbook's first, "about" sheet, as
// label and text: what the file is, the metric, the synthetic layers (so
// that no figure is taken for real), the source of every layer, the
// credits and each sheet with what its rows are. Japanese labels unless
// english.
func WorkbookNotes(title string, ds *data.Dataset, metric string, tables []NamedTable, english bool) [][2]string {
	pick := func(en, ja string) string {
		if english {
			return en
		}
		return ja
	}
	notes := [][2]string{{pick("file", "内容"), title}}
	if metric != "" {
		notes = append(notes, [2]string{pick("distances", "距離"), metricNote(metric, english)})
	}
	if ds != nil {
		var syn []string
		for l, ok := range ds.Synthetic {
			if ok {
				syn = append(syn, string(l))
			}
		}
		sort.Strings(syn)
		if len(syn) > 0 {
			notes = append(notes, [2]string{pick("SYNTHETIC", "合成データ"), pick(
				"SYNTHETIC demo layers: "+strings.Join(syn, ", ")+". Figures that depend on them (populations, stores, post offices, gaps, catchments, counter counts) are not real.",
				"合成（デモ）データ: "+strings.Join(syn, ", ")+"。これらに基づく数値（人口・コンビニ・郵便局・空白校区・担当区域・窓口取扱件数）は実際の値ではありません。")})
		}
		layers := make([]string, 0, len(ds.Sources))
		for l := range ds.Sources {
			layers = append(layers, string(l))
		}
		sort.Strings(layers)
		for _, l := range layers {
			text := ds.Sources[data.Layer(l)]
			if ds.Synthetic[data.Layer(l)] {
				text += pick(" (synthetic demo layer)", "（合成デモデータ）")
			}
			notes = append(notes, [2]string{pick("source: ", "出典: ") + l, text})
		}
		for _, a := range ds.Attribution {
			notes = append(notes, [2]string{pick("credit", "クレジット"), a})
		}
	}
	for _, t := range tables {
		about := t.About
		if !english && t.AboutJa != "" {
			about = t.AboutJa
		}
		rows := fmt.Sprintf("%s (%d rows)", about, len(t.Table.Rows))
		if !english {
			rows = fmt.Sprintf("%s（%d 行）", about, len(t.Table.Rows))
		}
		notes = append(notes, [2]string{pick("sheet ", "シート ") + t.SheetName(english), rows})
	}
	return notes
}

// metricNote says how distances were measured.
func metricNote(metric string, english bool) string {
	switch metric {
	case "geodesic":
		if english {
			return "geodesic: the straight line on the WGS84 ellipsoid (metres)"
		}
		return "測地線距離（WGS84 楕円体上の直線距離、メートル）"
	case "road":
		if english {
			return "road: route length on the road network (metres)"
		}
		return "道路距離（道路網上の経路長、メートル）"
	case "time":
		if english {
			return "time: the fastest road route (length in metres, time in seconds)"
		}
		return "所要時間（道路網上の最速経路、距離はメートル、時間は秒）"
	}
	return metric
}
