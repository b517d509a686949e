/* Gongkai document search: case-insensitive substring search over title, 文号, publisher and 索引号.
   Whitespace separates terms that must all match; the results can be narrowed to a province, a county and a date
   range. Each province's documents are in search-index/p<N>.js, loaded with the page for a small release and when
   its province is chosen for a large one. Results are built with DOM methods and textContent only. */
(function () {
  "use strict";
  var sites = window.GONGKAI_SITES || [], provinces = window.GONGKAI_PROVINCES || [];
  var docs = [], hay = [], loaded = {}, waiting = 0;
  var LIMIT = __LIMIT__;
  var F = {id: 0, title: 1, docNo: 2, publisher: 3, indexNo: 4, url: 5, site: 6, date: 7};
  function norm(s) { s = String(s == null ? "" : s); return (s.normalize ? s.normalize("NFKC") : s).toLowerCase(); }
  function $(id) { return document.getElementById(id); }
  var input = $("q"), hits = $("hits"), list = $("results"), truncated = $("truncated"), loading = $("loading");
  var province = $("province"), county = $("county"), from = $("from"), to = $("to");

  window.GONGKAI_ADD = function (rows) {
    for (var i = 0; i < rows.length; i++) {
      var d = rows[i];
      docs.push(d);
      hay.push(norm([d[F.title], d[F.docNo], d[F.publisher], d[F.indexNo]].join("\n")));
      var site = sites[d[F.site]];
      if (site) { loaded[site[2]] = true; }
    }
    search(input.value);
  };

  function span(cls, value) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = value;
    return el;
  }

  function row(d) {
    var li = document.createElement("li"), title;
    li.className = "result";
    li.setAttribute("data-doc", d[F.id]);
    if (/^https?:\/\//i.test(d[F.url])) {
      title = document.createElement("a");
      title.href = d[F.url];
      title.rel = "noopener noreferrer nofollow";
    } else {
      title = document.createElement("span");
    }
    title.className = "title";
    title.textContent = d[F.title] || "(无标题)";
    li.appendChild(title);
    var meta = document.createElement("div");
    meta.className = "result-meta";
    var site = sites[d[F.site]] || ["", "", -1];
    meta.appendChild(span("county", site[1]));
    meta.appendChild(span("date", d[F.date]));
    if (d[F.docNo]) { meta.appendChild(span("doc-no", d[F.docNo])); }
    if (d[F.publisher]) { meta.appendChild(span("publisher", d[F.publisher])); }
    if (d[F.indexNo]) { meta.appendChild(span("index-no", d[F.indexNo])); }
    li.appendChild(meta);
    return li;
  }

  function search(query) {
    var terms = norm(query).split(/\s+/).filter(Boolean), n = 0, frag = document.createDocumentFragment();
    var p = province.value, c = county.value, lo = from.value, hi = to.value;
    if (terms.length) {
      for (var i = 0; i < docs.length; i++) {
        var d = docs[i], site = sites[d[F.site]] || ["", "", -1];
        if ((p !== "" && String(site[2]) !== p) || (c !== "" && site[0] !== c)) { continue; }
        if ((lo && !(d[F.date] >= lo)) || (hi && !(d[F.date] <= hi))) { continue; }
        var h = hay[i], ok = true;
        for (var t = 0; t < terms.length && ok; t++) { ok = h.indexOf(terms[t]) !== -1; }
        if (ok) { n++; if (n <= LIMIT) { frag.appendChild(row(d)); } }
      }
    }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.appendChild(frag);
    hits.textContent = String(n);
    truncated.hidden = n <= LIMIT;
    return n;
  }

  function load(index) {  /* a province's index, once: a script element (fetch() of a file: URL is refused) */
    if (loaded[index] || !provinces[index]) { return; }
    loaded[index] = true;
    waiting++;
    loading.hidden = false;
    var tag = document.createElement("script");
    tag.src = provinces[index][1];
    tag.onload = tag.onerror = function () { waiting--; loading.hidden = waiting === 0; search(input.value); };
    document.body.appendChild(tag);
  }

  function counties() {  /* the county list follows the province */
    var keep = county.value;
    while (county.options.length > 1) { county.remove(1); }
    for (var i = 0; i < sites.length; i++) {
      if (province.value === "" || String(sites[i][2]) === province.value) {
        var o = document.createElement("option");
        o.value = sites[i][0];
        o.textContent = sites[i][1];
        county.appendChild(o);
      }
    }
    county.value = keep;
    if (county.value !== keep) { county.value = ""; }
  }

  window.gongkaiSearch = search;
  input.addEventListener("input", function () { search(input.value); });
  province.addEventListener("change", function () {
    counties();
    if (province.value !== "") { load(Number(province.value)); }
    search(input.value);
  });
  [county, from, to].forEach(function (el) { el.addEventListener("change", function () { search(input.value); }); });
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    search(input.value);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  if (params.get("province") && provinces[Number(params.get("province"))]) { province.value = params.get("province"); }
  counties();
  if (params.get("county")) { county.value = params.get("county"); }
  if (province.value !== "") { load(Number(province.value)); }
  search(input.value);
}());
