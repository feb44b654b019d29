"use strict";
// The status page's refresh: every few seconds, while the tab is visible,
// fetch the data endpoint (same origin, no token: the browser sends only
// what it always sends) and rebuild the probes, the checks and the header
// line with the markup the server renders (see page.rs and chart.rs).
// Text goes in as text nodes only; nothing is parsed as HTML.
(function () {
  var main = document.getElementById("main");
  if (!main || !window.fetch) return;
  var src = main.getAttribute("data-src");
  var every = Number(main.getAttribute("data-every")) || 5000;
  var live = document.getElementById("live");
  var timer = 0, busy = false, lost = false;
  var SVG = "http://www.w3.org/2000/svg";
  var LOOK = {
    UP: ["\u2714", "UP", "s-up", 0], DEGRADED: ["\u25B2", "DEGRADED", "s-degraded", 7],
    UNKNOWN: ["?", "UNKNOWN", "s-unknown", 17], DOWN: ["\u2716", "DOWN", "s-down", 13],
    OUT_OF_SERVICE: ["\u25A0", "OUT OF SERVICE", "s-oos", 0]
  };
  var COLOUR = { UP: "1a7f37", DEGRADED: "9a6700", UNKNOWN: "57606a", DOWN: "cf222e", OUT_OF_SERVICE: "6639ba" };
  var ORDER = ["UP", "DEGRADED", "UNKNOWN", "DOWN", "OUT_OF_SERVICE"];
  var HIDDEN = "Checks are shown only to callers the service's disclosure rule allows " +
    "(a network rule, or a proxy that adds the bearer token).";

  function look(s) { return LOOK[s] || LOOK.UNKNOWN; }
  function el(tag, cls, kids, ns) {
    var e = ns ? document.createElementNS(SVG, tag) : document.createElement(tag);
    if (cls) e.setAttribute("class", cls);
    (kids || []).forEach(function (k) {
      e.appendChild(typeof k === "string" ? document.createTextNode(k) : k);
    });
    return e;
  }
  function attrs(e, a) { for (var k in a) e.setAttribute(k, String(a[k])); return e; }
  function b(text) { return el("b", null, [text]); }
  function ago(secs) {
    var s = Math.floor(secs), big, bu, small, su;
    if (!(s > 0)) return "<1s";
    if (s < 60) return s + "s";
    if (s < 3600) { big = Math.floor(s / 60); bu = "m"; small = s % 60; su = "s"; }
    else if (s < 86400) { big = Math.floor(s / 3600); bu = "h"; small = Math.floor(s / 60) % 60; su = "m"; }
    else { big = Math.floor(s / 86400); bu = "d"; small = Math.floor(s / 3600) % 24; su = "h"; }
    return small === 0 ? big + bu : big + bu + " " + small + su;
  }
  function tod(t) { return (t && t.length >= 19 ? t.slice(11, 19) : t) + " UTC"; }
  function time(t) { return attrs(el("time", null, [tod(t)]), { datetime: t }); }
  function percent(x) {
    if (x === null || x === undefined) return "n/a";
    if (x >= 1) return "100%";
    if (x <= 0) return "0%";
    return (Math.floor(x * 10000) / 100).toFixed(2) + "%";
  }
  function millis(ms) { return ms < 1 ? ms.toFixed(2) + " ms" : ms < 100 ? ms.toFixed(1) + " ms" : ms.toFixed(0) + " ms"; }
  function status(s) {
    var l = look(s);
    return el("span", "st", [attrs(el("span", null, [l[0]]), { "aria-hidden": "true" }), " " + l[1]]);
  }

  function meta(d) {
    var kids = [], s = d.service;
    if (s) {
      if (s.version !== null && s.version !== undefined) kids.push("version ", b(s.version), " \u00B7 ");
      if (s.commit !== null && s.commit !== undefined) kids.push("commit ", b(s.commit), " \u00B7 ");
      kids.push("up ", b(ago(s.uptime_seconds)), " (since ", time(s.started_at), ") \u00B7 ");
    }
    kids.push("as of ", time(d.generated_at));
    return kids;
  }

  function probe(p) {
    var kids = [el("span", "pn", [p.probe]), " ", status(p.status)];
    if (p.reason) kids.push(" ", el("span", "reason", [p.reason]));
    return el("li", "probe " + look(p.status)[2], kids);
  }

  function bar(samples) {
    var n = samples.length, slots = Math.max(n, 60), width = slots * 6, offset = slots - n;
    var label = "Last " + n + " results, oldest first:", paths = [];
    ORDER.forEach(function (st) {
      var d = "", count = 0, l = look(st);
      samples.forEach(function (s, i) {
        if (s.status !== st) return;
        d += "M" + ((offset + i) * 6 + 3) + " " + l[3] + "V20";
        count++;
      });
      if (count) { label += " " + count + " " + l[1] + ","; paths.push(attrs(el("path", l[2], [], true), { d: d })); }
    });
    if (!n) label += " none yet";
    var svg = attrs(el("svg", "bar", [attrs(el("rect", "track", [], true), { width: width, height: 20 })].concat(paths), true), {
      viewBox: "0 0 " + width + " 20", preserveAspectRatio: "none", role: "img",
      "aria-label": label.replace(/,$/, ""), "data-n": n
    });
    return svg;
  }

  function spark(samples) {
    var ds = samples.map(function (s) { return s.duration_ms; });
    var max = ds.reduce(function (a, x) { return Math.max(a, x); }, 0);
    var label = ds.length ? "Latency of the last " + ds.length + " results: latest " +
      millis(ds[ds.length - 1]) + ", highest " + millis(max) : "Latency: no result yet";
    var scale = max > 0 ? max : 1, step = ds.length > 1 ? 600 / (ds.length - 1) : 0;
    var points = ds.map(function (d, i) {
      return Math.round(i * step) + "," + (4 + Math.round(92 * (1 - d / scale)));
    }).join(" ");
    return attrs(el("svg", "spark", [attrs(el("polyline", null, [], true), { points: points })], true), {
      viewBox: "0 0 600 100", preserveAspectRatio: "none", role: "img", "aria-label": label
    });
  }

  function card(c, before) {
    var l = look(c.status);
    var facts = [c.critical ? el("span", "crit", ["critical"]) : "non-critical", " \u00B7 " + c.probes.join(", ")];
    if (c.tags.length) facts.push(" \u00B7 tags: " + c.tags.join(", "));
    var when = c.since ? [l[1] + " since ", time(c.since), " (" + ago(c.since_seconds) + ")"] : ["no result yet"];
    if (c.age_ms !== null && c.age_ms !== undefined) when.push(" \u00B7 last result " + ago(c.age_ms / 1000) + " ago");
    var nums = ["uptime ", b(percent(c.uptime_hour)), " (1 h) \u00B7 ", b(percent(c.uptime_day)), " (24 h)"];
    var charts = [bar(c.samples), spark(c.samples)];
    if (c.samples.length) charts.push(el("span", "lat", [millis(c.samples[c.samples.length - 1].duration_ms)]));
    var kids = [
      el("h3", null, [status(c.status), " ", el("span", "name", [c.name])].concat(c.slow && c.samples.length ?
        [" ", attrs(el("span", "slow", ["slow"]), { title: millis(c.samples[c.samples.length - 1].duration_ms) + ", past " + millis(c.slow_ms) })] : [])),
      el("p", "facts", facts), el("p", "when", when),
      el("div", "charts", charts), el("p", "nums", nums)
    ];
    if (c.message !== null && c.message !== undefined) kids.push(el("p", "msg", [c.message]));
    var li = attrs(el("li", "check " + l[2] + (before && before !== c.status ? " changed" : ""), kids), { "data-name": c.name });
    return li;
  }

  function render(d) {
    document.getElementById("meta").replaceChildren.apply(document.getElementById("meta"), meta(d));
    var probes = document.getElementById("probes");
    probes.replaceChildren.apply(probes, d.probes.map(probe));
    var ready = d.probes.filter(function (p) { return p.probe === "readiness"; })[0];
    if (ready) {
      var l = look(ready.status), icon = document.querySelector("link[rel=icon]");
      document.title = l[0] + " " + l[1] + " \u00B7 health";
      if (icon) icon.setAttribute("href", "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E" +
        "%3Ccircle cx='8' cy='8' r='7' fill='%23" + (COLOUR[ready.status] || COLOUR.UNKNOWN) + "'/%3E%3C/svg%3E");
    }
    var old = document.getElementById("checks"), next;
    if (d.checks) {
      var before = {};
      if (old.tagName === "UL") {
        Array.prototype.forEach.call(old.children, function (li) {
          var st = li.querySelector(".st");
          before[li.getAttribute("data-name")] = st ? st.textContent.trim().split(" ").slice(1).join("_") : "";
        });
      }
      next = attrs(el("ul", "checks", d.checks.map(function (c) { return card(c, before[c.name]); })), { id: "checks" });
    } else {
      next = attrs(el("p", "hidden", [HIDDEN]), { id: "checks" });
    }
    old.replaceWith(next);
  }

  function say(text) { if (live.textContent !== text) live.textContent = text; }

  function tick() {
    timer = 0;
    if (document.hidden || busy) return;
    busy = true;
    fetch(src, { cache: "no-store", credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (d) {
        render(d);
        if (lost) { lost = false; say("Live: refreshing every " + every / 1000 + " s."); }
      })
      .catch(function () { lost = true; say("Cannot reach the service; retrying."); })
      .then(function () { busy = false; schedule(); });
  }
  function schedule() {
    if (!timer && !document.hidden) timer = window.setTimeout(tick, every);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (timer) { window.clearTimeout(timer); timer = 0; }
      say("Paused while the tab is hidden.");
    } else {
      say("Live: refreshing every " + every / 1000 + " s.");
      if (timer) { window.clearTimeout(timer); timer = 0; }
      tick();
    }
  });
  say("Live: refreshing every " + every / 1000 + " s.");
  schedule();
})();
