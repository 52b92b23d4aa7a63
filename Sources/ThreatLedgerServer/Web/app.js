// ThreatLedger's auditor's workbench: reads only the public API, with the bearer token the user gives
// (kept in sessionStorage: this tab only). Every view has its own URL (#/summary, #/trace, #/sources,
// #/source/ID), with the three clocks in its query, so an auditor can send a link to a figure, a
// claim or a date. Quotes are highlighted by cutting the article at their code-point selectors
// (Array.from splits a string into code points, never UTF-16 units); the API's `exact` is never
// displayed in place of the article's own text.
"use strict";

const TOKEN_KEY = "threatledger-token";
const CLOCKS = ["as_of", "reported_by", "occurred_by"];
const view = document.getElementById("view");
const articles = new Map();

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value; else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** The route: its path and query (#/trace?region=SY&measure=killed). */
function route() {
  const hash = location.hash.replace(/^#/, "") || "/summary";
  const [path, query] = hash.split("?");
  return { path, params: new URLSearchParams(query || "") };
}

function clockParams(params) {
  const out = new URLSearchParams();
  for (const name of CLOCKS) if (params.get(name)) out.set(name, params.get(name));
  return out;
}

function link(path, params) {
  const query = params.toString();
  return "#" + path + (query ? "?" + query : "");
}

class APIError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(path, params) {
  const query = params && params.toString() ? "?" + params.toString() : "";
  const response = await fetch(path + query, { headers: { Authorization: "Bearer " + token() } });
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (!response.ok) {
    const detail = body && (body.detail || body.title) ? (body.detail || body.title) : response.statusText;
    throw new APIError(response.status, detail);
  }
  return body;
}

async function source(id, params) {
  const key = id + "?" + clockParams(params).toString();
  if (!articles.has(key)) articles.set(key, api("/v1/sources/" + encodeURIComponent(id), clockParams(params)));
  return (await articles.get(key)).source;
}

// MARK: Highlights

/**
 * The code points of `text` from `from` to `to`, split at every span boundary; each piece is an
 * element carrying the classes of the spans that cover it and their ids (data-spans), so a span's
 * text can be read back from the page by joining its pieces. Arabic runs get dir="rtl" lang="ar".
 */
function highlighted(text, from, to, spans, language) {
  const points = Array.from(text);
  const start = Math.max(0, from), end = Math.min(points.length, to);
  const cuts = new Set([start, end]);
  for (const span of spans) {
    if (span.start > start && span.start < end) cuts.add(span.start);
    if (span.end > start && span.end < end) cuts.add(span.end);
  }
  const ordered = [...cuts].sort((a, b) => a - b);
  const container = element("div", { class: "passage", dir: language === "ar" ? "rtl" : "auto", lang: language || null });
  for (let i = 0; i + 1 < ordered.length; i++) {
    const [a, b] = [ordered[i], ordered[i + 1]];
    const covering = spans.filter((span) => span.start <= a && span.end >= b);
    const piece = element("span", {}, points.slice(a, b).join(""));
    if (covering.length) {
      piece.className = covering.map((span) => "hl-" + span.role).join(" ");
      piece.dataset.spans = covering.map((span) => span.id).join(" ");
      piece.title = covering.map((span) => span.label).join("; ");
    } else if (a < (spans.length ? Math.min(...spans.map((s) => s.start)) : 0) || a >= Math.max(0, ...spans.map((s) => s.end))) {
      piece.className = "context";
    }
    container.append(piece);
  }
  const index = element("ul", { class: "span-index", hidden: "hidden" });
  for (const span of spans) {
    index.append(element("li", { "data-span-id": span.id, "data-start": span.start, "data-end": span.end, "data-role": span.role, "data-source": span.source }));
  }
  container.append(index);
  return container;
}

function legend() {
  return element("p", { class: "legend" }, "Highlights: ",
    element("span", { class: "hl-statement" }, "statement"), element("span", { class: "hl-figure" }, "figure"),
    element("span", { class: "hl-date" }, "date"), element("span", { class: "hl-place" }, "place"),
    element("span", { class: "hl-attribution" }, "attribution"));
}

let spanCounter = 0;
function spanOf(role, evidence, label, sourceID) {
  if (!evidence || evidence.start === undefined) return null;
  spanCounter += 1;
  return { id: "s" + spanCounter, role, start: evidence.start, end: evidence.end, label, source: sourceID };
}

// MARK: Shared pieces

function clockReport(asOf) {
  const report = asOf && asOf.clock_report;
  const where = asOf ? `log position ${asOf.log_position}` + (asOf.log_hash ? `, hash ${asOf.log_hash.slice(0, 16)}…` : "") : "";
  if (!report) return element("p", { class: "clock-report muted" }, "As of " + where + "; clocks: now.");
  const left = Object.entries(report).filter(([name, count]) => name.startsWith("left_out") && count > 0)
    .map(([name, count]) => `${count} ${name.replace("left_out_", "").replaceAll("_", " ")}`);
  return element("p", { class: "clock-report" },
    `As of ${where}. Claims kept: ${report.claims_kept}. ` + (left.length ? "Left out by the clocks: " + left.join(", ") + "." : "Nothing left out by the clocks."));
}

function figureText(figure) {
  if (!figure) return "—";
  const best = figure.best === null || figure.best === undefined ? "—" : figure.best;
  const high = figure.high === null || figure.high === undefined ? "open" : figure.high;
  const low = figure.low === null || figure.low === undefined ? "unstated" : figure.low;
  return `${low} / ${best} / ${high}`;
}

function failure(message) { return element("p", { class: "failure", role: "alert" }, message); }

// MARK: Views

async function summaryView(params) {
  const data = await api("/v1/summary", clockParams(params));
  const regions = data.regions;
  const country = params.get("country") || "", kind = params.get("kind") || "", measure = params.get("measure") || "";
  const countries = [...new Set(regions.map((r) => r.country).filter(Boolean))].sort();
  const kinds = [...new Set(regions.flatMap((r) => Object.keys(r.claims_by_kind)))].sort();
  const measures = [...new Set(regions.flatMap((r) => Object.keys(r.figures)))].sort();
  function select(name, values, current, label) {
    const control = element("select", { name, "aria-label": label }, element("option", { value: "" }, "all"));
    for (const value of values) control.append(element("option", { value, selected: value === current ? "selected" : null }, value));
    control.addEventListener("change", () => {
      const next = new URLSearchParams(params); if (control.value) next.set(name, control.value); else next.delete(name);
      location.hash = link("/summary", next);
    });
    return element("label", {}, label + " ", control);
  }
  const shown = regions.filter((r) => (!country || r.country === country) && (!kind || r.claims_by_kind[kind]) &&
    (!measure || r.figures[measure] || r.aggregate_figures[measure]));
  const table = element("table", { id: "summary-table" },
    element("thead", {}, element("tr", {}, ...["region", "incidents", "claims", "figures: low / best / high", "unknown tolls", "aggregates (beside the totals)"].map((h) => element("th", { scope: "col" }, h)))));
  const body = element("tbody");
  for (const region of shown) {
    const names = [region.admin1_name, region.country_name].filter(Boolean).join(", ");
    const figures = element("td");
    for (const [name, figure] of Object.entries(region.figures)) {
      if (measure && name !== measure) continue;
      const target = new URLSearchParams(clockParams(params)); target.set("region", region.region); target.set("measure", name);
      if (kind) target.set("kind", kind);
      figures.append(element("div", {}, element("a", { href: link("/trace", target), "data-region": region.region, "data-measure": name }, `${name}: ${figureText(figure)}`)));
    }
    const aggregates = element("td");
    for (const [name, figure] of Object.entries(region.aggregate_figures)) {
      if (!measure || name === measure) aggregates.append(element("div", {}, `${name}: ${figureText(figure)}`));
    }
    const claims = Object.values(region.claims_by_kind).reduce((a, b) => a + b, 0);
    body.append(element("tr", { "data-region": region.region },
      element("th", { scope: "row" }, region.region, names ? element("div", { class: "muted" }, names) : null),
      element("td", { class: "num" }, String(region.incidents)), element("td", { class: "num" }, String(claims)), figures,
      element("td", { class: "num" }, String(region.incidents_with_unknown_toll.length)), aggregates));
  }
  table.append(body);
  const downloads = element("p", { class: "downloads" }, "Download the current claims under these clocks: ");
  for (const [format, label] of [["csv", "CSV"], ["acled", "ACLED layout"], ["ucdp", "UCDP GED layout"]]) {
    const button = element("button", { type: "button", "data-format": format }, label);
    button.addEventListener("click", () => downloadClaims(format, params, button));
    downloads.append(button, " ");
  }
  return [element("h2", {}, "Summary"), clockReport(data.as_of), downloads,
    element("div", { class: "filters" }, select("country", countries, country, "Country"), select("kind", kinds, kind, "Kind"), select("measure", measures, measure, "Measure")),
    shown.length ? table : element("p", {}, "No region has claims under these filters and clocks.")];
}

/** Fetches the claims export (with the token), every page of it in turn, and saves it as one file. */
async function downloadClaims(format, params, button) {
  const query = clockParams(params); query.set("format", format); query.set("limit", "1000");
  let text = "";
  for (let after = null; ;) {
    if (after !== null) query.set("after", after);
    const response = await fetch("/v1/claims?" + query.toString(), { headers: { Authorization: "Bearer " + token() } });
    if (!response.ok) { button.after(failure(`The export failed: ${response.status}`)); return; }
    const page = await response.text();
    // The header row once, at the top of the first page.
    text += after === null ? page : page.slice(page.indexOf("\n") + 1);
    after = response.headers.get("ThreatLedger-Next-After");
    if (after === null) break;
  }
  const anchor = element("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `threatledger-claims-${format}.csv` });
  document.body.dataset.downloaded = `${format}:${text.split("\n").filter(Boolean).length}`;
  anchor.click();
  URL.revokeObjectURL(anchor.href);
}

async function traceView(params) {
  const query = clockParams(params);
  for (const name of ["region", "measure", "kind"]) if (params.get(name)) query.set(name, params.get(name));
  let data;
  try { data = await api("/v1/trace", query); } catch (error) {
    if (error.status === 404) return [element("h2", {}, `Trace of ${params.get("measure")} in ${params.get("region")}`), failure(error.message)];
    throw error;
  }
  const nodes = [element("h2", {}, `Trace of ${data.measure} in ${data.region}`), clockReport(data.as_of)];
  if (!data.holds) nodes.push(failure("VERIFICATION FAILED: a quote, an article or a figure behind this figure does not check out. See the claims marked below."));
  if (data.served_problem) nodes.push(failure(data.served_problem));
  for (const section of data.sections) {
    const total = section.total;
    const parts = section.parts.map((part) => part.low);
    nodes.push(element("h3", { "data-section": section.section },
      `${section.section.replaceAll("_", " ")}.${section.key}: low ${total.low}, best ${total.best ?? "—"}, high ${total.high ?? "open"}`));
    nodes.push(element("p", { class: "sum", "data-total": total.low }, `${total.low} = ${parts.join(" + ") || "0"}`));
    nodes.push(element("p", { class: "muted" }, "Rule: " + section.rule));
    const list = element("ul");
    for (const part of section.parts) {
      list.append(element("li", { "data-part": part.id }, `${part.id} (${part.kind}): low ${part.low}, best ${part.best ?? "—"}, high ${part.high ?? "open"} — claims ${part.claim_ids.join(", ")}`));
    }
    nodes.push(list);
  }
  nodes.push(legend());
  for (const claim of data.claims) nodes.push(await claimBlock(claim, params));
  return nodes;
}

async function claimBlock(claim, params) {
  const status = claimHolds(claim);
  const block = element("article", { class: "claim", "data-claim": claim.claim_id },
    element("h4", {}, element("a", { href: link("/source/" + encodeURIComponent(claim.source.source_id), clockParams(params)) }, claim.claim_id),
      ` (${claim.kind}, ${claim.scope}, revision ${claim.revision}) `,
      element("span", { class: status ? "verified" : "unverified" }, status ? "verified" : "NOT VERIFIED"), " ",
      element("a", { href: link("/history/" + encodeURIComponent(claim.claim_id), new URLSearchParams()) }, "history")),
    element("p", {}, claim.summary));
  if (!status) block.append(failure(`Claim ${claim.claim_id} does not verify: ` + claimProblems(claim).join("; ")));
  const article = await source(claim.source.source_id, params);
  const spans = [];
  const add = (role, evidence, label, sourceID) => { const span = spanOf(role, evidence, label, sourceID || claim.source.source_id); if (span) spans.push(span); };
  add("statement", claim.statement, "statement");
  for (const figure of claim.figures) {
    if (figure.source_id === claim.source.source_id) add("figure", figure.evidence, `${figure.measure} ${figure.low ?? "?"}–${figure.high ?? "?"} (${figure.basis})`);
  }
  add("date", claim.date && claim.date.evidence, "date");
  add("place", claim.location && claim.location.evidence, "place");
  add("attribution", claim.attribution && claim.attribution.evidence, "attribution");
  const from = Math.min(...spans.map((s) => s.start)) - 60, to = Math.max(...spans.map((s) => s.end)) + 60;
  block.append(element("p", { class: "muted" },
    `source ${article.source_id}` + (article.title ? ` — ` : ""), article.title ? element("bdi", { lang: article.language, dir: "auto" }, article.title) : null,
    `, published ${article.published.start ?? "?"}..${article.published.end ?? "?"} (${article.published.precision}); sha256 ${article.text_sha256.slice(0, 16)}… `,
    element("span", { class: article.verified ? "verified" : "unverified" }, article.verified ? "verified" : "MISMATCH")));
  block.append(highlighted(article.text, Math.max(0, from), to, spans, article.language));
  return block;
}

function claimHolds(claim) {
  const quotes = [claim.statement, ...(claim.figures || []).map((f) => f.evidence)].filter(Boolean);
  return claim.source.verified && !claim.log_problem && quotes.every((q) => q.quote_at_position) && (claim.figures || []).every((f) => f.words_agree !== false);
}

function claimProblems(claim) {
  const problems = [];
  if (!claim.source.verified) problems.push("its article does not re-hash to its SHA-256");
  if (claim.log_problem) problems.push(claim.log_problem);
  for (const figure of claim.figures || []) if (figure.words_problem) problems.push(figure.words_problem);
  if (claim.statement && !claim.statement.quote_at_position) problems.push("its statement is not at its selector");
  return problems;
}

/** The sources, a page of 100 at a time in id order (the API's `next` names where the next page starts). */
async function sourcesView(params) {
  const query = clockParams(params);
  query.set("limit", "100");
  if (params.get("after")) query.set("after", params.get("after"));
  const data = await api("/v1/sources", query);
  const table = element("table", { id: "sources-table" }, element("thead", {}, element("tr", {}, ...["source", "published", "claims", "outlet", "title"].map((h) => element("th", { scope: "col" }, h)))));
  const body = element("tbody");
  for (const item of data.sources) {
    body.append(element("tr", {},
      element("td", {}, element("a", { href: link("/source/" + encodeURIComponent(item.source_id), clockParams(params)) }, item.source_id)),
      element("td", {}, item.published ? `${item.published.start ?? "?"}..${item.published.end ?? "?"}` : "—"),
      element("td", { class: "num" }, String(item.claims)), element("td", {}, item.outlet ?? "—"),
      element("td", {}, item.title ? element("bdi", { dir: "auto" }, item.title) : "—")));
  }
  table.append(body);
  const pages = element("p", { id: "sources-pages" });
  if (params.get("after")) pages.append(element("a", { href: link("/sources", clockParams(params)) }, "First page"), " ");
  if (data.next) {
    const next = clockParams(params);
    next.set("after", data.next);
    pages.append(element("a", { href: link("/sources", next), id: "sources-next" }, "Next page"));
  }
  return [element("h2", {}, "Sources"), clockReport(data.as_of), table, pages];
}

async function sourceView(id, params) {
  const data = await api("/v1/sources/" + encodeURIComponent(id), clockParams(params));
  const article = data.source;
  articles.set(id + "?" + clockParams(params).toString(), Promise.resolve(data));
  const spans = article.spans.map((span) => spanOf(span.role, span, `${span.claim_id} ${span.role}${span.measure ? " " + span.measure : ""}`, article.source_id));
  const nodes = [element("h2", {}, "Article ", element("bdi", { dir: "auto", lang: article.language }, article.title || article.source_id)), clockReport(data.as_of)];
  if (!article.holds) nodes.push(failure(article.verified ? "A quoted span is not at its selector." : "This article does not re-hash to its SHA-256: it was altered."));
  nodes.push(element("dl", {},
    element("dt", {}, "Source"), element("dd", {}, article.source_id),
    element("dt", {}, "Outlet"), element("dd", {}, article.outlet ?? "not stated"),
    element("dt", {}, "Published"), element("dd", {}, `${article.published.start ?? "?"}..${article.published.end ?? "?"} (${article.published.precision}, ${article.published.basis ?? "no basis"})`),
    element("dt", {}, "SHA-256"), element("dd", {}, article.text_sha256 + " ", element("span", { class: article.verified ? "verified" : "unverified" }, article.verified ? "verified" : "MISMATCH: " + article.text_sha256_recomputed)),
    element("dt", {}, "Claims"), element("dd", { "data-claims": article.claims.length }, `${article.claims.length} current claim(s), ${article.spans.length} quoted span(s)`)));
  nodes.push(legend());
  const text = highlighted(article.text, 0, Array.from(article.text).length, spans, article.language);
  text.classList.add("article");
  nodes.push(text);
  const list = element("ul");
  for (const claim of article.claims) {
    list.append(element("li", { "data-claim": claim.claim_id }, `${claim.claim_id} (${claim.kind}): ${claim.summary} `,
      element("a", { href: link("/history/" + encodeURIComponent(claim.claim_id), new URLSearchParams()) }, "history")));
  }
  nodes.push(element("h3", {}, "Claims coded from this article"), list);
  nodes.push(...await provenancePart(id, params));
  return nodes;
}

/** Provenance of a source: the incidents it shares with other sources (corroboration), where they
 * disagree, and the corrections and retractions of its claims. */
async function provenancePart(id, params) {
  const query = clockParams(params); query.set("source", id);
  let row;
  try { row = (await api("/v1/provenance", query)).sources[0]; } catch (error) { if (error.status === 404) return []; throw error; }
  if (!row) return [];
  const nodes = [element("h3", { id: "provenance" }, "Provenance")];
  const shared = element("ul", { id: "corroboration" });
  for (const incident of row.shared_incidents) {
    shared.append(element("li", {}, `${incident.label} (${incident.incident_id}): claims ${incident.claim_ids.join(", ")}; corroborated by `,
      ...incident.corroborated_by.flatMap((other, i) => [i ? ", " : "", element("a", { href: link("/source/" + encodeURIComponent(other), clockParams(params)) }, other)]),
      incident.corroborated_by.length ? "" : "no other source"));
  }
  nodes.push(element("h4", {}, "Incidents shared with other sources"), row.shared_incidents.length ? shared : element("p", {}, "None."));
  const disagreements = element("ul", { id: "disagreements" });
  for (const d of row.disagreements) {
    const values = d.values.map((v) => `${v.claim_id}: ${typeof v.value === "object" && v.value ? (v.value.words || v.value.start || JSON.stringify(v.value)) : v.value}`);
    disagreements.append(element("li", {}, element("strong", {}, `${d.incident_id}, ${d.field}: `), element("bdi", { dir: "auto" }, values.join(" · ")), d.note ? element("div", { class: "muted" }, d.note) : null));
  }
  nodes.push(element("h4", {}, "Disagreements"), row.disagreements.length ? disagreements : element("p", {}, "None recorded."));
  const changes = row.corrections_and_retractions || [];
  const changed = element("ul", { id: "source-changes" });
  for (const c of changes) changed.append(element("li", {}, `${c.claim_id}: ${c.type} at position ${c.position} by ${c.recorded_by}` + (c.reason ? ` — ${c.reason}` : "")));
  nodes.push(element("h4", {}, "Corrections and retractions of its claims"), changes.length ? changed : element("p", {}, "None."));
  return nodes;
}

async function historyView(id) {
  const data = await api("/v1/claims/" + encodeURIComponent(id) + "/history");
  const table = element("table", { id: "history-table" }, element("thead", {}, element("tr", {}, ...["version", "event", "recorded at", "by", "reason", "figures after"].map((h) => element("th", { scope: "col" }, h)))));
  const body = element("tbody");
  for (const v of data.versions) {
    const figures = v.retracted_after ? "(retracted)" : ((v.claim_after && v.claim_after.figures) || []).map((f) => `${f.measure} ${f.low ?? "?"}–${f.high ?? "?"} (${f.qualifier}, ${f.basis})`).join("; ");
    body.append(element("tr", { "data-version": v.version }, element("td", { class: "num" }, String(v.version)), element("td", {}, `${v.type} (position ${v.position})`),
      element("td", {}, v.recorded_at), element("td", {}, v.recorded_by), element("td", {}, v.reason ?? "—"), element("td", {}, figures)));
  }
  table.append(body);
  return [element("h2", {}, `History of claim ${id}`), element("p", { class: "muted" }, "Every version, with who recorded it, when and why. The original is never lost."), table];
}

async function diffView(params) {
  const clock = params.get("clock") || "record", from = params.get("from") || "", to = params.get("to") || "now", region = params.get("region") || "";
  const form = element("form", { class: "filters", id: "diff-form", "aria-label": "Diff" });
  const choose = element("select", { name: "clock", "aria-label": "Clock" });
  for (const name of ["record", "report", "event"]) choose.append(element("option", { value: name, selected: name === clock ? "selected" : null }, name));
  form.append(element("label", {}, "Clock ", choose), element("label", {}, "From ", element("input", { name: "from", value: from, placeholder: "YYYY-MM-DD", required: "required" })),
    element("label", {}, "To ", element("input", { name: "to", value: to, placeholder: "YYYY-MM-DD or now" })),
    element("label", {}, "Region ", element("input", { name: "region", value: region, placeholder: "SY, SY-HA or empty" })),
    element("button", { type: "submit" }, "Compare"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of ["clock", "from", "to", "region"]) if (form.elements[name].value) next.set(name, form.elements[name].value);
    location.hash = link("/diff", next);
  });
  const nodes = [element("h2", {}, "What changed"), form];
  if (!from) return [...nodes, element("p", { class: "muted" }, "Choose a clock and two moments.")];
  const query = new URLSearchParams({ clock, from, to });
  if (region) query.set("region", region);
  const data = await api("/v1/diff", query);
  nodes.push(element("p", { class: "muted" }, `On the ${data.clock} clock, from ${from} (log position ${data.from.log_position}) to ${to} (log position ${data.to.log_position}).`));
  const table = element("table", { id: "diff-changes" }, element("thead", {}, element("tr", {}, ...["region", "figure", "before", "after"].map((h) => element("th", { scope: "col" }, h)))));
  const body = element("tbody");
  const brief = (value) => value === null ? "—" : (typeof value === "object" && "low" in value ? figureText(value) : JSON.stringify(value));
  for (const change of data.changes) body.append(element("tr", {}, element("td", {}, change.region), element("td", {}, change.figure), element("td", {}, brief(change.before)), element("td", {}, brief(change.after))));
  table.append(body);
  nodes.push(data.changes.length ? table : element("p", {}, "No change."));
  const causes = element("ol", { id: "diff-events" });
  for (const cause of data.events) causes.append(element("li", { "data-position": cause.position }, element("bdi", { dir: "auto" }, cause.words), element("span", { class: "muted" }, ` (position ${cause.position}, ${cause.recorded_at})`)));
  nodes.push(element("h3", {}, `${data.events.length} event(s) behind the changes`), causes);
  return nodes;
}

/**
 * A region's figure over report time (as the sources published by each day give it) and over record
 * time (as the log held it at each moment), each from one request to /v1/timeline: the server
 * reads the region's history once and lists the steps where the figure moved. Each is drawn as a
 * step chart (Chart.js) and listed, each step linking to the diff that explains it.
 */
async function timelineView(params) {
  const region = params.get("region") || "SY", measure = params.get("measure") || "killed";
  const [report, record] = await Promise.all(["report", "record"].map((clock) => api("/v1/timeline", new URLSearchParams({ region, measure, clock }))));
  const measures = element("p", { class: "muted" }, "Measure: ");
  for (const m of ["killed", "wounded", "arrested", "escaped", "kidnapped"]) {
    measures.append(m === measure ? element("strong", {}, m) : element("a", { href: link("/timeline", new URLSearchParams({ region, measure: m })) }, m), " ");
  }
  const nodes = [element("h2", {}, `Timeline of ${measure} in ${report.region}`), measures];
  const charts = [];
  for (const data of [report, record]) {
    const isReport = data.clock === "report";
    const id = isReport ? "timeline" : "timeline-record";
    const canvas = element("canvas", { id: `${id}-chart`, role: "img", "aria-label": `${measure} in ${data.region} ${isReport ? "as reported by each day" : "as the log held it at each moment"}` });
    nodes.push(element("h3", {}, isReport ? "Over report time" : "Over record time"),
      element("p", { class: "muted" }, isReport
        ? `The figure as the sources published by each day give it (${data.rule}); only the days it moved.` + (data.undated_claims ? ` ${data.undated_claims} claim(s) of sources with no publication date are left out.` : "")
        : "The figure as the log held it at each moment a claim, correction, retraction or incident link changed it; only the moments it moved.",
      ` Read at log position ${data.log_position}.`),
      element("div", { class: "chart" }, canvas));
    const list = element("ol", { id: `${id}-steps` });
    for (const step of data.steps) {
      const when = step.day || step.recorded_at;
      const f = step.figure;
      const target = new URLSearchParams({ clock: step.diff.clock, from: step.diff.from, to: step.diff.to, region: step.diff.region });
      list.append(element("li", { "data-when": when, "data-low": f.low === null ? "" : f.low, "data-position": step.position },
        `${isReport ? "reported by" : "as of"} ${when}: ${f.parts ? `low ${f.low}, best ${f.best ?? "—"}, high ${f.high ?? "open"}` : "no number"}${f.unknown_parts ? ` (+${f.unknown_parts} with no number)` : ""} `,
        element("a", { href: link("/diff", target) }, "why it moved")));
    }
    nodes.push(data.steps.length ? list : element("p", { id: `${id}-steps` }, `No ${measure} figure in ${data.region} on this clock.`));
    charts.push([canvas, data]);
  }
  requestAnimationFrame(() => {
    for (const [canvas, data] of charts) {
      const labels = data.steps.map((s) => s.day || s.recorded_at.slice(0, 19).replace("T", " "));
      new Chart(canvas, {
        type: "line",
        data: { labels, datasets: [
          { label: `${measure} (low)`, data: data.steps.map((s) => s.figure.low), stepped: true, borderColor: "#c92a2a" },
          { label: `${measure} (best)`, data: data.steps.map((s) => s.figure.best), stepped: true, borderColor: "#1c7ed6" }] },
        options: { animation: false, scales: { y: { beginAtZero: true } } },
      });
    }
  });
  return nodes;
}

/** The regions that have figures, at the gazetteer's coordinates (Leaflet, no tiles, no network). */
async function mapView(params) {
  const data = await api("/v1/summary", clockParams(params));
  const placed = data.regions.filter((r) => r.latitude !== null && r.latitude !== undefined && Object.keys(r.figures).length);
  const container = element("div", { id: "map", role: "region", "aria-label": "Map of the regions with figures" });
  const list = element("ul", { id: "map-regions" });
  for (const region of placed) {
    const target = new URLSearchParams(clockParams(params)); target.set("country", region.country);
    list.append(element("li", { "data-region": region.region }, element("a", { href: link("/summary", target) }, `${region.region} — ${[region.admin1_name, region.country_name].filter(Boolean).join(", ")}`),
      `: ${Object.entries(region.figures).map(([m, f]) => `${m} ${figureText(f)}`).join("; ")}`));
  }
  requestAnimationFrame(() => {
    const map = L.map(container, { attributionControl: false, zoomSnap: 0.5 });
    const points = [];
    for (const region of placed) {
      const target = new URLSearchParams(clockParams(params)); target.set("country", region.country);
      const killed = region.figures.killed ? region.figures.killed.low : 0;
      const marker = L.circleMarker([region.latitude, region.longitude], { radius: 6 + Math.min(18, Math.sqrt(killed)), color: region.admin1 ? "#c92a2a" : "#1c7ed6" });
      marker.bindTooltip(`${region.region}: ${Object.entries(region.figures).map(([m, f]) => `${m} ${figureText(f)}`).join("; ")}`);
      marker.on("click", () => { location.hash = link("/summary", target); });
      marker.addTo(map);
      points.push([region.latitude, region.longitude]);
    }
    if (points.length) map.fitBounds(points, { padding: [30, 30] }); else map.setView([30, 40], 3);
  });
  return [element("h2", {}, "Map of the regions with figures"),
    element("p", { class: "muted" }, "Divisions at their capital (red), countries at the middle of their divisions' capitals (blue), from the gazetteer; no basemap and no network. Click a region for its summary."),
    clockReport(data.as_of), container, list];
}

// MARK: Routing

async function render() {
  spanCounter = 0;
  const { path, params } = route();
  const form = document.getElementById("clocks");
  for (const name of CLOCKS) form.elements[name].value = params.get(name) || "";
  if (!token()) { showLogin(""); return; }
  document.getElementById("login").hidden = true;
  document.getElementById("logout").hidden = false;
  view.replaceChildren(element("p", { class: "muted" }, "Loading…"));
  try {
    let nodes;
    if (path === "/summary") nodes = await summaryView(params);
    else if (path === "/trace") nodes = await traceView(params);
    else if (path === "/sources") nodes = await sourcesView(params);
    else if (path === "/diff") nodes = await diffView(params);
    else if (path === "/timeline") nodes = await timelineView(params);
    else if (path === "/map") nodes = await mapView(params);
    else if (path.startsWith("/history/")) nodes = await historyView(decodeURIComponent(path.slice("/history/".length)));
    else if (path.startsWith("/source/")) nodes = await sourceView(decodeURIComponent(path.slice("/source/".length)), params);
    else nodes = [failure(`No view ${path}: try #/summary.`)];
    view.replaceChildren(...nodes);
    document.body.dataset.ready = path;
  } catch (error) {
    if (error.status === 401) { sessionStorage.removeItem(TOKEN_KEY); showLogin("The server refused this token (401): " + error.message); return; }
    view.replaceChildren(failure(`The server answered ${error.status || "nothing"}: ${error.message}`));
    document.body.dataset.ready = "error";
  }
}

function showLogin(message) {
  view.replaceChildren();
  document.getElementById("login").hidden = false;
  document.getElementById("logout").hidden = true;
  document.getElementById("login-message").textContent = message;
  document.body.dataset.ready = "login";
}

document.getElementById("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, event.target.elements.token.value.trim());
  event.target.reset();
  render();
});
document.getElementById("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); articles.clear(); render(); });
document.getElementById("clocks").addEventListener("submit", (event) => {
  event.preventDefault();
  const { path, params } = route();
  for (const name of CLOCKS) { const value = event.target.elements[name].value; if (value) params.set(name, value); else params.delete(name); }
  location.hash = link(path, params);
});
document.getElementById("clear-clocks").addEventListener("click", () => {
  const { path, params } = route();
  for (const name of CLOCKS) params.delete(name);
  location.hash = link(path, params);
});
window.addEventListener("hashchange", render);
render();
