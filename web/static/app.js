// The what-if page: click an office to cycle open → corner → closed; the
// server compares the scenario with every office open and the page shows
// what moves. No framework; Leaflet draws the layers, with no base map
// unless the server gives a tile URL.
"use strict";

const T = {
  ja: {
    title: "窓口の再編：もし閉じたら", loading: "読み込み中…", ready: "準備完了", computing: "計算中…",
    hint: "窓口をクリックすると「開設 → 証明書コーナー → 閉所 → 開設」と切り替わります。",
    scenario: "シナリオ", reset: "すべて開設に戻す", download: "シナリオ (YAML) を保存", load: "シナリオを読み込む",
    drop: "シナリオファイルを地図にドロップしても読み込めます。", figures: "主な数値", offices: "窓口ごとの変化",
    moved: "担当が変わる校区", ranking: "1か所ずつ閉じた場合の影響（小さい順）", rank: "順位を計算する",
    export: "書き出し", exp_geojson: "GeoJSON", exp_before: "地図（変更前）PNG", exp_after: "地図（変更後）PNG", exp_md: "report.md",
    l_ward: "区役所", l_branch: "出張所", l_moved: "担当が変わる校区", l_fill: "塗り：担当する窓口",
    layers: "表示", stores: "コンビニ", posts: "郵便局", gaps: "コンビニのない校区",
    all_open: "すべての窓口が開設", open: "開設", corner: "証明書コーナー", closed: "閉所", new: "新設",
    f_moved_districts: "担当が変わる校区", f_moved_population: "影響を受ける人口", f_weighted_change: "増える距離（人口加重平均）",
    f_max_change: "増える距離（最大）", f_person_km: "増える移動量（人・km）", f_offices: "窓口数（全面サービス）",
    f_per_office: "1窓口あたり人口", f_beyond: "%s km を超える校区", f_cert: "コンビニ・郵便局のある校区（移動分）",
    f_counter: "移る窓口取扱件数", f_unrouted: "経路のない校区", before_after: "変更前 → 変更後",
    h_office: "窓口", h_status: "状態", h_districts: "校区", h_residents: "人口", h_counter: "取扱件数",
    h_district: "校区", h_from: "変更前", h_to: "変更後", h_change: "増加 km",
    h_rank: "順位", h_person_km: "人・km", h_taken: "引き受け先", timing: "計算 %s ms（往復 %s ms）",
    none: "なし", more: "ほか %s 校区", synthetic: "デモ用の合成データ: %s",
    service: "証明書サービス（窓口の職員とコスト）", service_missing: "職員数と証明書1通あたりのコストは出せません：",
    s_staff: "必要な窓口職員（%s 年度、現在 %s 人）", s_yen_re: "証明書1通の窓口コスト（%s 年度、職員を業務量に合わせる）",
    s_yen_not: "同（職員を現在のまま）", s_yen_store: "コンビニ交付1通のコスト（%s 年度）",
    s_certs: "証明書の交付数（%s 年度）", s_none_open: "%s に %s 以内で交付場所が開いていない校区",
    s_changed: "交付時間・最寄りの交付場所が変わる校区", s_head: "すべて開設 → このシナリオ", persons: "人", yen: "円", staff_unit: "人",
    c_counter: "窓口", c_corner: "コーナー", c_store: "コンビニ", c_post: "郵便局",
    s_note: "%s 年度（基準）の窓口コストは 1通 %s 円。モデル：%s。", s_demo: "窓口件数はデモ用の値で、市の統計ではありません。",
    districts_unit: "校区", computing_service: "計算中…",
    optimizer: "最適な配置：K か所を残すなら", m_pmedian: "人口×距離の合計を最小 (p-median)",
    m_pcenter: "最も遠い校区までの距離を最小 (p-center)", m_mclp: "距離内の人口を最大 (MCLP)",
    keep_ward: "区役所は残す", solve: "最適案を計算", apply: "この案をシナリオに適用", solving: "計算中…（最長 %s 秒）",
    proven: "最適であることを証明済み（%s 秒）", not_proven: "時間切れ：最適との差は最大 %s %%（%s 秒）",
    o_objective: "目的関数", o_mean: "平均距離（人口加重）", o_max: "最も遠い校区まで", o_covered: "%s 以内の人口",
    o_keep: "残す %s か所", o_close: "閉じる %s か所", person_km: "人・km", applied: "適用済み（地図と数値はこの案）",
  },
  en: {
    title: "Reorganising counters: what if one closes", loading: "loading…", ready: "ready", computing: "computing…",
    hint: "Click an office to cycle it: open → service corner → closed → open.",
    scenario: "Scenario", reset: "Open every office", download: "Save scenario (YAML)", load: "Load a scenario",
    drop: "You can also drop a scenario file on the map.", figures: "Key figures", offices: "Offices that change",
    moved: "Districts that move", ranking: "Closing one office alone, least impact first", rank: "Rank the closures",
    export: "Export", exp_geojson: "GeoJSON", exp_before: "Map before (PNG)", exp_after: "Map after (PNG)", exp_md: "report.md",
    l_ward: "Ward office", l_branch: "Branch office", l_moved: "District that moves", l_fill: "Fill: the office serving it",
    layers: "Show", stores: "Convenience stores", posts: "Post offices", gaps: "Districts with no store",
    all_open: "every office open", open: "open", corner: "service corner", closed: "closed", new: "new",
    f_moved_districts: "Districts that move", f_moved_population: "Residents affected", f_weighted_change: "Added distance (population-weighted mean)",
    f_max_change: "Added distance (largest)", f_person_km: "Added travel (person-km)", f_offices: "Offices with full service",
    f_per_office: "Residents per office", f_beyond: "Districts beyond %s km", f_cert: "Moved districts with a store or post office",
    f_counter: "Counter transactions shifted", f_unrouted: "Districts without a route", before_after: "before → after",
    h_office: "Office", h_status: "Status", h_districts: "Districts", h_residents: "Residents", h_counter: "Counter",
    h_district: "District", h_from: "Before", h_to: "After", h_change: "+km",
    h_rank: "Rank", h_person_km: "person-km", h_taken: "Taken by", timing: "computed in %s ms (round trip %s ms)",
    none: "none", more: "and %s more districts", synthetic: "Synthetic demo layers: %s",
    service: "Certificate service (counter staff and cost)", service_missing: "No staff or cost per certificate: ",
    s_staff: "Counter staff needed (fiscal %s; %s today)", s_yen_re: "Counter cost per certificate (fiscal %s, staffed to the work)",
    s_yen_not: "The same, with today's staff", s_yen_store: "Cost per certificate at a store (fiscal %s)",
    s_certs: "Certificates issued (fiscal %s)", s_none_open: "Districts with no certificate point open at %s within %s",
    s_changed: "Districts whose hours or nearest point change", s_head: "every office open → this scenario", persons: "residents", yen: "yen", staff_unit: "staff",
    c_counter: "counter", c_corner: "corner", c_store: "store", c_post: "post",
    s_note: "Counter cost per certificate in fiscal %s (reference): %s yen. Model: %s.", s_demo: "Counter counts are DEMO figures, not the city's statistics.",
    districts_unit: "districts", computing_service: "computing…",
    optimizer: "Best locations: if K offices were kept", m_pmedian: "least population × distance (p-median)",
    m_pcenter: "least distance to the farthest district (p-center)", m_mclp: "most population within a distance (MCLP)",
    keep_ward: "keep the ward offices", solve: "Solve", apply: "Apply this plan to the scenario", solving: "solving… (at most %s s)",
    proven: "proven optimal (%s s)", not_proven: "time limit: at most %s %% from optimal (%s s)",
    o_objective: "Objective", o_mean: "Mean distance (population-weighted)", o_max: "Farthest district", o_covered: "Population within %s",
    o_keep: "Keep %s", o_close: "Close %s", person_km: "person-km", applied: "Applied: the map and figures show this plan",
  },
};

const state = {
  lang: new URLSearchParams(location.search).get("lang") === "en" ? "en" : "ja",
  study: null, status: {}, officeById: {}, districts: null, after: null, moved: new Set(),
  markers: {}, map: null, districtLayer: null, gapLayer: null, storeLayer: null, postLayer: null,
  last: null, baseline: [], legend: null, updates: 0, seq: 0, clickAt: null, districtLayers: [], drawn: {},
  service: null, serviceSeq: 0, plan: null,
};

function t(key, ...args) {
  let s = (T[state.lang] || T.ja)[key] || key;
  for (const a of args) s = s.replace("%s", a);
  return s;
}
const fmt = (v, digits = 0) => v == null ? "—" : Number(v).toLocaleString(state.lang === "ja" ? "ja-JP" : "en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const km = (m) => m == null ? "—" : fmt(m / 1000, 2);
const name = (o) => state.lang === "en" && o.name_en ? o.name_en : o.name;

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return { body, headers: r.headers };
}

// legendHTML is the map's key: every symbol the map draws.
function legendHTML() {
  const row = (sym, key) => `<div class="key"><span class="sym">${sym}</span>${t(key)}</div>`;
  const office = (cls) => `<span class="office ${cls}" style="width:11px;height:11px"></span>`;
  return [
    row(office("ward open"), "l_ward"),
    row(office("branch open"), "l_branch"),
    row(office("branch corner"), "corner"),
    row(office("branch closed"), "closed"),
    row(`<span class="dot" style="background:#2d7d46"></span>`, "stores"),
    row(`<span class="dot" style="background:#8e44ad"></span>`, "posts"),
    row(`<span class="area" style="border:2px dashed #c51b7d"></span>`, "gaps"),
    row(`<span class="area" style="border:2.5px solid #111"></span>`, "l_moved"),
    `<div class="key small">${t("l_fill")}</div>`,
  ].join("");
}

function translatePage() {
  if (state.legend) state.legend.getContainer().innerHTML = legendHTML();
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.getElementById("lang").textContent = state.lang === "ja" ? "English" : "日本語";
  if (state.study) {
    for (const o of state.study.offices) {
      const m = state.markers[o.id];
      if (m) m.setTooltipContent(name(o));
    }
  }
  if (state.last) showResult(state.last, null);
  if (state.service) showService(state.service);
  if (state.study && !state.study.service.available) showServiceMissing();
  if (state.plan) showPlan(state.plan);
}

// The scenario as lists of ids.
function scenario() {
  const close = [], downgrade = [];
  for (const o of state.study.offices) {
    if (state.status[o.id] === "closed") close.push(o.id);
    if (state.status[o.id] === "corner") downgrade.push(o.id);
  }
  return { close, downgrade };
}

function query(extra) {
  const s = scenario();
  const q = new URLSearchParams();
  if (s.close.length) q.set("close", s.close.join(","));
  if (s.downgrade.length) q.set("downgrade", s.downgrade.join(","));
  if (extra) for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

function officeIcon(o) {
  const st = state.status[o.id] || "open";
  const size = o.kind === "ward" ? 16 : 13;
  return L.divIcon({
    className: "",
    html: `<div class="office ${o.kind} ${st}" data-office-id="${o.id}" data-status="${st}" style="width:${size}px;height:${size}px"></div>`,
    iconSize: [size, size], iconAnchor: [size / 2, size / 2],
  });
}

function districtStyle(feature) {
  const i = feature.properties.__index;
  const after = state.after ? state.after[i] : feature.properties.office_id;
  const o = after ? state.officeById[after] : null;
  const moved = state.moved.has(feature.properties.district_id);
  return {
    fillColor: o ? o.colour : "#dddddd", fillOpacity: o ? 0.75 : 0.4,
    color: moved ? "#111" : "#ffffff", weight: moved ? 2.5 : 0.8, opacity: 1,
  };
}

async function update() {
  const seq = ++state.seq;
  document.getElementById("status").textContent = t("computing");
  const s = scenario();
  history.replaceState(null, "", "?" + query(state.lang === "en" ? { lang: "en" } : null));
  const started = performance.now();
  let res;
  try {
    res = await getJSON("api/whatif", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(s) });
  } catch (e) {
    document.getElementById("status").textContent = e.message;
    return;
  }
  if (seq !== state.seq) return; // a later click wins
  const roundTrip = performance.now() - started;
  const shown = performance.now();
  showResult(res.body, { compute: res.headers.get("X-Compute-Ms"), roundTrip });
  const showMs = performance.now() - shown;
  updateService(s);
  const clickAt = state.clickAt;
  state.clickAt = null;
  // Count the update once the browser has painted it: the click-to-paint
  // time is what a planner waits for.
  requestAnimationFrame(() => setTimeout(() => {
    if (clickAt != null) {
      document.body.dataset.clickToPaintMs = (performance.now() - clickAt).toFixed(1);
      document.body.dataset.phases = `server ${res.headers.get("X-Compute-Ms")} ms, round trip ${roundTrip.toFixed(0)} ms, show ${showMs.toFixed(0)} ms`;
    }
    state.updates++;
    document.body.dataset.updates = String(state.updates);
    document.getElementById("status").textContent = t("ready");
  }, 0));
}

// restyle redraws only the districts whose office or moved mark changed:
// at 19,000 districts restyling all of them costs seconds.
function restyle(prevAfter, prevMoved) {
  const layers = state.districtLayers;
  for (let i = 0; i < layers.length; i++) {
    const id = layers[i].feature.properties.district_id;
    const was = prevAfter ? prevAfter[i] : layers[i].feature.properties.office_id;
    const now = state.after ? state.after[i] : layers[i].feature.properties.office_id;
    if (was !== now || prevMoved.has(id) !== state.moved.has(id)) layers[i].setStyle(districtStyle(layers[i].feature));
  }
}

function showResult(r, timing) {
  const prevAfter = state.after, prevMoved = state.moved;
  state.last = r;
  state.after = state.baseline.slice();
  for (const [i, id] of Object.entries(r.reassigned || {})) state.after[+i] = id;
  state.moved = new Set((r.moved || []).map((d) => d.district_id));
  restyle(prevAfter, prevMoved);
  const s = r.summary;
  const sc = scenario();
  document.getElementById("scenario-name").textContent = sc.close.length + sc.downgrade.length ? r.name : t("all_open");
  const rows = [
    ["f_moved_districts", "moved-districts", s.moved_districts, fmt(s.moved_districts)],
    ["f_moved_population", "moved-population", s.moved_population, fmt(s.moved_population)],
    ["f_weighted_change", "weighted-change", s.weighted_change_m, km(s.weighted_change_m) + " km"],
    ["f_max_change", "max-change", s.max_change_m, km(s.max_change_m) + " km"],
    ["f_person_km", "person-km", s.added_person_km, fmt(s.added_person_km)],
    ["f_offices", "offices", s.full_offices_after, `${fmt(s.full_offices_before)} → ${fmt(s.full_offices_after)}`],
    ["f_per_office", "per-office", s.residents_per_office_after, `${fmt(s.residents_per_office_before)} → ${fmt(s.residents_per_office_after)}`],
    ["f_beyond", "beyond", s.beyond_after, `${fmt(s.beyond_before)} → ${fmt(s.beyond_after)}`, fmt(s.max_km, 1)],
    ["f_cert", "cert-point", s.moved_with_cert_point, s.moved_with_cert_point == null ? "—" : `${fmt(s.moved_with_cert_point)} / ${fmt(s.moved_districts)}`],
    ["f_counter", "counter-shifted", s.counter_shifted, fmt(s.counter_shifted)],
  ];
  if (s.unrouted_after != null) rows.push(["f_unrouted", "unrouted", s.unrouted_after, `${fmt(s.unrouted_before)} → ${fmt(s.unrouted_after)}`]);
  const tb = document.querySelector("#figures tbody");
  tb.innerHTML = "";
  for (const [key, id, raw, text, arg] of rows) {
    const tr = tb.insertRow();
    tr.insertCell().textContent = arg ? t(key, arg) : t(key);
    const td = tr.insertCell();
    td.className = "value";
    td.id = "fig-" + id;
    td.dataset.value = raw == null ? "" : String(raw);
    td.textContent = text;
  }
  if (timing) {
    document.getElementById("timing").textContent = t("timing", timing.compute, fmt(timing.roundTrip, 0));
  }
  // Offices whose status or load changes.
  const oh = document.querySelector("#offices thead");
  oh.innerHTML = `<tr><th>${t("h_office")}</th><th>${t("h_status")}</th><th>${t("h_districts")}</th><th>${t("h_residents")}</th><th>${t("h_counter")}</th></tr>`;
  const ob = document.querySelector("#offices tbody");
  ob.innerHTML = "";
  for (const o of r.offices || []) {
    const tr = ob.insertRow();
    tr.dataset.officeId = o.office_id;
    const of = state.officeById[o.office_id];
    tr.insertCell().textContent = of ? name(of) : o.office_name;
    tr.insertCell().textContent = t(o.status);
    const c1 = tr.insertCell(); c1.className = "num"; c1.textContent = `${fmt(o.districts_before)} → ${fmt(o.districts_after)}`;
    const c2 = tr.insertCell(); c2.className = "num"; c2.textContent = `${fmt(o.population_before)} → ${fmt(o.population_after)}`;
    const c3 = tr.insertCell(); c3.className = "num";
    c3.textContent = o.counter_count == null ? "?" : `${fmt(o.counter_count)} → ${fmt(o.counter_after)}`;
  }
  document.getElementById("rule").textContent = r.rule || "";
  // Districts that move, largest increase first.
  const mh = document.querySelector("#moved thead");
  mh.innerHTML = `<tr><th>${t("h_district")}</th><th>${t("h_residents")}</th><th>${t("h_from")}</th><th>${t("h_to")}</th><th>${t("h_change")}</th></tr>`;
  const mb = document.querySelector("#moved tbody");
  mb.innerHTML = "";
  const moved = [...(r.moved || [])].sort((a, b) => (b.change_m ?? -1) - (a.change_m ?? -1));
  for (const d of moved.slice(0, 40)) {
    const tr = mb.insertRow();
    tr.dataset.districtId = d.district_id;
    tr.insertCell().textContent = d.district_name;
    const p = tr.insertCell(); p.className = "num"; p.textContent = fmt(d.population);
    tr.insertCell().textContent = d.office_before_name || "—";
    tr.insertCell().textContent = d.office_after_name || "—";
    const c = tr.insertCell(); c.className = "num " + ((d.change_m || 0) > 0 ? "up" : "down"); c.textContent = km(d.change_m);
  }
  if (moved.length > 40) mb.insertRow().insertCell().textContent = t("more", moved.length - 40);
  if (moved.length === 0) mb.insertRow().insertCell().textContent = t("none");
  markApplied();
  // Links carry the scenario.
  const q = query();
  document.getElementById("download").href = "api/scenario.yaml?" + q;
  document.getElementById("exp-geojson").href = "api/export/whatif.geojson?" + q;
  document.getElementById("exp-before").href = "api/export/whatif_before.png?" + q;
  document.getElementById("exp-after").href = "api/export/whatif_after.png?" + q;
  document.getElementById("exp-md").href = "api/export/whatif.md?" + q;
  for (const o of state.study.offices) {
    const st = state.status[o.id] || "open";
    if (state.drawn[o.id] !== st) {
      state.markers[o.id].setIcon(officeIcon(o));
      state.drawn[o.id] = st;
    }
  }
}

// updateService asks for the certificate service figures of a scenario;
// they come after the what-if figures, so a click never waits for them.
async function updateService(sc) {
  if (!state.study.service.available) return;
  const seq = ++state.serviceSeq;
  const q = query();
  document.getElementById("service-note").textContent = t("computing_service");
  let res;
  try {
    res = await getJSON("api/service", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(sc) });
  } catch (e) {
    if (seq === state.serviceSeq) document.getElementById("service-note").textContent = e.message;
    return;
  }
  if (seq !== state.serviceSeq) return; // a later click wins
  res.body.scenario = q;
  state.service = res.body;
  showService(res.body);
}

// showServiceMissing says why there are no service figures.
function showServiceMissing() {
  const p = document.getElementById("service-missing");
  p.hidden = false;
  p.textContent = t("service_missing") + " " + state.study.service.missing;
}

// weekTime is "Sat 10:00" in the page's language.
function weekTime(at) {
  if (state.lang !== "ja") return at;
  const days = { Mon: "月曜", Tue: "火曜", Wed: "水曜", Thu: "木曜", Fri: "金曜", Sat: "土曜", Sun: "日曜" };
  const [d, hm] = at.split(" ");
  return (days[d] || d) + " " + hm;
}

// showService fills the service table: every figure's element carries
// data-svc (its name) and data-value (the number, unrounded by the page).
function showService(v) {
  const tb = document.querySelector("#service tbody");
  tb.innerHTML = "";
  const fig = (name, raw, text) => `<span data-svc="${name}" data-value="${raw == null ? "" : raw}">${text}</span>`;
  const yen = (y) => y == null ? "—" : `${fmt(y)} ${t("yen")}`;
  const within = v.within_km != null ? `${fmt(v.within_km, 1)} km` : `${fmt(v.within_min)} min`;
  const paren = (x) => state.lang === "ja" ? `（${x}）` : ` (${x})`;
  const arrow = (name, before, after, format) => `${fig(name + "_all_open", before, format(before))} → ${fig(name, after, format(after))}`;
  const rows = [
    ["", `<span class="small">${t("s_head")}</span>`],
    [t("s_staff", v.year, fmt(v.staff_today)), `${arrow("staff_needed", v.staff_needed_all_open, v.staff_needed, fmt)} ${t("staff_unit")}` + fig("staff_today", v.staff_today, "")],
    [t("s_yen_re", v.year), arrow("yen_reorganised", v.yen_reorganised_all_open, v.yen_reorganised, yen)],
    [t("s_yen_not", v.year), fig("yen_not_reorganised", v.yen_not_reorganised, yen(v.yen_not_reorganised))],
    [t("s_yen_store", v.year), fig("yen_store", v.yen_store, yen(v.yen_store))],
    [t("s_certs", v.year), fig("cert_total", v.certificates.total, fmt(v.certificates.total))],
    ["sub", ["counter", "corner", "store", "post"].map((c) => `${t("c_" + c)} ${fig("cert_" + c, v.certificates[c], fmt(v.certificates[c]))}`).join(state.lang === "ja" ? "・" : " · ")],
    [t("s_none_open", weekTime(v.at), within), `${fig("none_open_before", v.none_open.districts_before, fmt(v.none_open.districts_before))} → ${fig("none_open_after", v.none_open.districts_after, fmt(v.none_open.districts_after))}` +
      paren(`${fig("none_open_population_after", v.none_open.population_after, fmt(v.none_open.population_after))} ${t("persons")}`)],
    [t("s_changed"), fig("changed_districts", v.changed_districts, fmt(v.changed_districts)) + paren(`${fmt(v.changed_population)} ${t("persons")}`)],
  ];
  for (const [label, html] of rows) {
    const tr = tb.insertRow();
    if (label === "sub") {
      const td = tr.insertCell();
      td.colSpan = 2;
      td.className = "sub";
      td.innerHTML = html;
      continue;
    }
    tr.insertCell().textContent = label;
    const td = tr.insertCell();
    td.className = "value";
    td.innerHTML = html;
  }
  const note = document.getElementById("service-note");
  note.innerHTML = "";
  if (v.demo) {
    const d = document.createElement("span");
    d.className = "demo";
    d.textContent = t("s_demo") + " ";
    note.append(d);
  }
  note.append(t("s_note", v.reference_year, fmt(v.yen_reference), v.model));
  document.getElementById("service").dataset.scenario = v.scenario;
}

// solve asks the server for the best K offices.
async function solve() {
  const k = Number(document.getElementById("opt-k").value);
  const model = document.getElementById("opt-model").value;
  const req = { k, model, keep_kind: document.getElementById("opt-keep-ward").checked ? "ward" : "" };
  if (model === "mclp") {
    const v = Number(document.getElementById("opt-service-km").value);
    if (state.study.quantity === "time") req.service_min = v; else req.service_km = v;
  }
  const out = document.getElementById("opt-result");
  document.getElementById("opt-apply").hidden = true;
  out.className = "";
  out.textContent = t("solving", fmt(state.study.solve_limit_s));
  try {
    const { body } = await getJSON("api/optimize", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    state.plan = body;
    showPlan(body);
  } catch (e) {
    state.plan = null;
    delete out.dataset.k;
    out.className = "missing";
    out.textContent = e.message;
  }
}

// showPlan shows the optimiser's plan; data-open and data-closed carry
// its ids, data-objective its objective.
function showPlan(p) {
  const out = document.getElementById("opt-result");
  out.className = "";
  out.dataset.open = p.open.join(",");
  out.dataset.closed = p.closed.join(",");
  out.dataset.objective = String(p.objective);
  out.dataset.optimal = String(p.optimal);
  out.dataset.k = String(p.k);
  const secs = fmt(p.seconds, 3);
  const proof = p.optimal ? t("proven", secs) : t("not_proven", fmt(100 * (p.gap || 0), 2), secs);
  const names = (ids) => ids.map((id) => {
    const o = state.officeById[id];
    return o ? name(o) : id;
  }).join("、");
  let objective;
  switch (p.objective_unit) {
    case "person_m": objective = `${fmt(p.objective / 1000)} ${t("person_km")}`; break;
    case "m": objective = `${km(p.objective)} km`; break;
    case "person_s": objective = `${fmt(p.objective / 60)} person-min`; break;
    case "s": objective = `${fmt(p.objective / 60, 1)} min`; break;
    default: objective = `${fmt(p.objective)} ${t("persons")}`;
  }
  const rows = [[t("o_objective"), objective]];
  if (p.mean_distance_m != null) rows.push([t("o_mean"), `${km(p.mean_distance_m)} km`]);
  if (p.max_distance_m != null) rows.push([t("o_max"), `${km(p.max_distance_m)} km`]);
  if (p.service_m != null) rows.push([t("o_covered", `${km(p.service_m)} km`), `${fmt(p.covered_population)} / ${fmt(p.total_population)}`]);
  const esc = (x) => String(x).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  out.innerHTML = `<div class="proof${p.optimal ? "" : " gap"}">${esc(p.model)} K=${p.k}: ${esc(proof)}</div>` +
    `<table class="figures"><tbody>${rows.map(([a, b]) => `<tr><td>${esc(a)}</td><td class="value">${esc(b)}</td></tr>`).join("")}</tbody></table>` +
    `<div>${esc(t("o_keep", p.open.length))}: ${esc(names(p.open))}</div>` +
    `<div>${esc(t("o_close", p.closed.length))}: ${esc(names(p.closed))}</div>`;
  document.getElementById("opt-apply").hidden = false;
  markApplied();
}

// markApplied says on the apply button whether the scenario is the plan.
function markApplied() {
  const b = document.getElementById("opt-apply");
  if (!state.plan) return;
  const sc = scenario();
  const same = sc.downgrade.length === 0 && [...sc.close].sort().join(",") === [...state.plan.closed].sort().join(",");
  b.disabled = same;
  b.textContent = same ? t("applied") : t("apply");
}

// applyPlan makes the plan the page's scenario: its offices open, the
// others closed.
async function applyPlan() {
  if (!state.plan) return;
  await applyScenario({ close: state.plan.closed });
}

function cycle(id) {
  state.clickAt = performance.now();
  const next = { open: "corner", corner: "closed", closed: "open" };
  state.status[id] = next[state.status[id] || "open"];
  update();
}

async function applyScenario(body) {
  for (const o of state.study.offices) state.status[o.id] = "open";
  for (const id of body.close || []) state.status[id] = "closed";
  for (const id of body.downgrade || []) state.status[id] = "corner";
  await update();
}

async function loadScenarioFile(file) {
  const text = await file.text();
  try {
    const res = await getJSON("api/scenario?name=" + encodeURIComponent(file.name), { method: "POST", body: text });
    await applyScenario(res.body);
  } catch (e) {
    document.getElementById("status").textContent = e.message;
  }
}

async function rank() {
  const { body } = await getJSON("api/each");
  const h = document.querySelector("#each thead");
  h.innerHTML = `<tr><th>${t("h_rank")}</th><th>${t("h_office")}</th><th>${t("h_residents")}</th><th>${t("h_person_km")}</th><th>${t("h_taken")}</th></tr>`;
  const tb = document.querySelector("#each tbody");
  tb.innerHTML = "";
  for (const r of body) {
    const tr = tb.insertRow();
    tr.dataset.officeId = r.office_id;
    tr.insertCell().textContent = r.rank;
    const of = state.officeById[r.office_id];
    tr.insertCell().textContent = of ? name(of) : r.office_name;
    const p = tr.insertCell(); p.className = "num"; p.textContent = fmt(r.moved_population);
    const k = tr.insertCell(); k.className = "num"; k.textContent = fmt(r.added_person_km);
    tr.insertCell().textContent = r.taken_by;
  }
}

async function main() {
  translatePage();
  const [{ body: study }, { body: districts }] = await Promise.all([getJSON("api/study"), getJSON("api/districts.geojson")]);
  state.study = study;
  for (const o of study.offices) { state.officeById[o.id] = o; state.status[o.id] = "open"; }
  document.getElementById("metric").textContent = study.metric;
  const notes = [study.source];
  if (study.synthetic && study.synthetic.length) notes.push(t("synthetic", study.synthetic.join(", ")));
  document.getElementById("source").textContent = notes.join(" — ");
  const map = L.map("map", { zoomSnap: 0.25, preferCanvas: true });
  state.map = map;
  if (study.tiles) L.tileLayer(study.tiles, { maxZoom: 19 }).addTo(map);
  districts.features.forEach((f, i) => { f.properties.__index = i; });
  state.baseline = districts.features.map((f) => f.properties.office_id || null);
  state.districtLayer = L.geoJSON(districts, { style: districtStyle }).addTo(map);
  state.districtLayer.eachLayer((l) => { state.districtLayers[l.feature.properties.__index] = l; });
  state.districtLayer.eachLayer((l) => l.bindTooltip(() => {
    const p = l.feature.properties;
    return `${p.district_name}${p.population != null ? "（" + fmt(p.population) + "）" : ""}`;
  }, { sticky: true }));
  if (study.gaps_known) {
    state.gapLayer = L.geoJSON(districts, {
      filter: (f) => f.properties.gap === true,
      style: { fill: false, color: "#c51b7d", weight: 2, dashArray: "5 4" }, interactive: false,
    }).addTo(map);
  }
  const points = async (url, colour) => {
    const { body } = await getJSON(url);
    return L.geoJSON(body, { pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 2.5, color: colour, weight: 1, fillOpacity: 0.8, interactive: false }) }).addTo(map);
  };
  [state.storeLayer, state.postLayer] = await Promise.all([points("api/stores.geojson", "#2d7d46"), points("api/posts.geojson", "#8e44ad")]);
  state.legend = L.control({ position: "bottomleft" });
  state.legend.onAdd = () => { const d = L.DomUtil.create("div", "legend"); d.innerHTML = legendHTML(); return d; };
  state.legend.addTo(map);
  // Ward names sit beneath the markers, so a label never hides a branch office.
  map.createPane("labels");
  map.getPane("labels").style.zIndex = 550;
  map.getPane("labels").style.pointerEvents = "none";
  for (const o of study.offices) {
    const m = L.marker([o.lat, o.lon], { icon: officeIcon(o), zIndexOffset: o.kind === "ward" ? 1000 : 500, keyboard: true, title: o.id })
      .addTo(map).bindTooltip(name(o), { className: "office-label", direction: "right", offset: [8, 0], permanent: o.kind === "ward", pane: o.kind === "ward" ? "labels" : "tooltipPane" });
    m.on("click", () => cycle(o.id));
    state.drawn[o.id] = "open";
    state.markers[o.id] = m;
  }
  map.fitBounds(state.districtLayer.getBounds().isValid() ? state.districtLayer.getBounds() : L.latLngBounds(study.offices.map((o) => [o.lat, o.lon])), { padding: [10, 10] });
  const toggle = (id, layer) => document.getElementById(id).addEventListener("change", (e) => {
    if (!layer) return;
    e.target.checked ? layer.addTo(map) : layer.remove();
  });
  toggle("show-stores", state.storeLayer);
  toggle("show-posts", state.postLayer);
  toggle("show-gaps", state.gapLayer);
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "ja" ? "en" : "ja";
    translatePage();
    history.replaceState(null, "", "?" + query(state.lang === "en" ? { lang: "en" } : null));
  });
  document.getElementById("reset").addEventListener("click", () => applyScenario({}));
  document.getElementById("rank").addEventListener("click", rank);
  if (!study.service.available) {
    showServiceMissing();
    document.getElementById("service").hidden = true;
  }
  const kInput = document.getElementById("opt-k");
  kInput.max = String(study.offices.length);
  kInput.value = String(Math.min(8, study.offices.length));
  const modelSelect = document.getElementById("opt-model");
  modelSelect.addEventListener("change", () => { document.getElementById("opt-service").hidden = modelSelect.value !== "mclp"; });
  if (study.quantity === "time") document.querySelector("#opt-service").lastChild.textContent = " min";
  document.getElementById("opt-solve").addEventListener("click", solve);
  document.getElementById("opt-apply").addEventListener("click", applyPlan);
  document.getElementById("upload").addEventListener("change", (e) => { if (e.target.files[0]) loadScenarioFile(e.target.files[0]); });
  const mapEl = document.getElementById("map");
  mapEl.addEventListener("dragover", (e) => { e.preventDefault(); mapEl.classList.add("dragging"); });
  mapEl.addEventListener("dragleave", () => mapEl.classList.remove("dragging"));
  mapEl.addEventListener("drop", (e) => {
    e.preventDefault();
    mapEl.classList.remove("dragging");
    if (e.dataTransfer.files[0]) loadScenarioFile(e.dataTransfer.files[0]);
  });
  // The URL carries the scenario.
  const q = new URLSearchParams(location.search);
  const split = (v) => (v || "").split(",").filter(Boolean);
  await applyScenario({ close: split(q.get("close")), downgrade: split(q.get("downgrade")) });
  // Ready once the first result is painted.
  requestAnimationFrame(() => setTimeout(() => { document.body.dataset.ready = "true"; }, 0));
}

window.catchmentPage = { state, cycle, applyScenario, loadScenarioFile, rank, solve, applyPlan };
main().catch((e) => { document.getElementById("status").textContent = e.message; });
