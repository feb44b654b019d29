// The status page in a real browser: Debian's headless Chromium, driven by
// playwright-core, against the example services started here.
//
//   axum-service  (A): the example's defaults for a service bound to
//                      loopback: this browser (on 127.0.0.1) sees every
//                      check, with no token. Its upstream stays up.
//   actix-service (B): HEALTH_NETWORKS=none, the bearer rule only (not
//                      the loopback default): this browser is anonymous,
//                      unless its context adds the header as a proxy would.
//   axum-service  (C): started by the failure case alone, with an upstream
//                      of its own that the case stops, so a real check
//                      (`upstream`, non-critical) fails at run time.
//
// Every case stands alone: it runs in any order, or alone
// (--test-name-pattern), and checks its own browser context (no console
// error, no failed request, no request off 127.0.0.1) when it closes it.
//
// Run by examples/tests/browser.rs (`cargo test`; .ci/browser.sh installs
// Chromium and this folder's packages); by hand:
//   AXUM_SERVICE=target/debug/axum-service ACTIX_SERVICE=target/debug/actix-service \
//     node --test tests/browser/
// Every wait is bounded; the whole file takes about half a minute.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..", "..");
const TARGET = process.env.CARGO_TARGET_DIR || join(REPO, "target");
const AXUM = process.env.AXUM_SERVICE || join(TARGET, "debug", "axum-service");
const ACTIX = process.env.ACTIX_SERVICE || join(TARGET, "debug", "actix-service");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.UI_SCREENSHOTS || join(TARGET, "ui-screenshots");
// The version the example binaries report (the workspace's).
const VERSION = process.env.SERVICE_VERSION || "";
const TOKEN = "e2e-details-0123456789abcdef";
const CHECKS = ["database", "disk", "event_loop", "migrations", "page-view-counter", "runtime.alive", "runtime.busy", "scratch_disk", "upstream"];
/// The bound on every wait, in milliseconds.
const WAIT = 30_000;
/// The page refreshes every 5 s: a failure shows within two refreshes
/// after the upstream check's cache (10 s) runs out.
const FAILURE_WAIT = 40_000;

/// The only paths a page of the status page family may request.
const PATHS = new Set(["/health/ui", "/health/ui/data", "/health/badge.svg"]);

let upstream, axum, actix, browser;

function listen(server) {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server.address().port));
  });
}

/// Starts an example binary on 127.0.0.1:0 and resolves with its base URL
/// once its log says where it listens and /startup answers 200.
async function service(binary, env) {
  assert.ok(existsSync(binary), `${binary} is missing: cargo build -p health-examples --bins`);
  const child = spawn(binary, [], {
    env: { PATH: process.env.PATH, BIND: "127.0.0.1:0", DRAIN_DELAY_SECS: "0", GIT_COMMIT: "e2e1234", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${binary} did not listen in time:\n${log}`)), WAIT);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = /listening addr=(127\.0\.0\.1:\d+)/.exec(log);
      if (m) { clearTimeout(timer); ok(`http://${m[1]}`); }
    });
    child.once("exit", (code) => { clearTimeout(timer); fail(new Error(`${binary} exited (${code}):\n${log}`)); });
  });
  child.removeAllListeners("exit");
  const deadline = Date.now() + WAIT;
  for (;;) {
    const r = await fetch(`${base}/startup`).catch(() => null);
    if (r && r.status === 200) break;
    if (Date.now() > deadline) throw new Error(`${binary}: /startup never answered 200:\n${log}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { child, base, log: () => log };
}

/// A context whose every request, console error and page error is
/// recorded; `finish` closes it and checks them.
async function context(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  ctx.seen = { requests: [], problems: [] };
  ctx.on("request", (r) => ctx.seen.requests.push(r.url()));
  ctx.on("page", (page) => watch(page, ctx.seen.problems));
  return ctx;
}

function watch(page, problems) {
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
}

/// Closes `ctx`: no console error, no failed request, every request to
/// 127.0.0.1 and the page family's paths.
async function finish(ctx) {
  const { requests, problems } = ctx.seen;
  await ctx.close();
  assert.deepEqual(problems, []);
  assert.ok(requests.length > 0, "no request recorded");
  for (const u of requests) {
    const url = new URL(u);
    assert.equal(url.hostname, "127.0.0.1", u);
    assert.ok(PATHS.has(url.pathname), `requested ${u}`);
  }
}

/// A plain-HTTP upstream answering 200 to everything, on 127.0.0.1.
async function healthyUpstream() {
  const server = createServer((req, res) => { res.writeHead(200, { "content-type": "text/plain" }); res.end("ok"); });
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}/` };
}

function stop(server) {
  server.close();
  server.closeAllConnections?.();
}

/// The checks as listed on the page: name and status word.
async function listed(page) {
  return page.$$eval("#checks li.check", (items) =>
    items.map((li) => [li.getAttribute("data-name"), li.querySelector(".st").textContent.trim().split(" ").slice(1).join(" ")]));
}

/// The tag and class tree of the checks' markup, without text: the
/// server's rendering and the script's must agree.
async function shape(page) {
  return page.$eval("#checks", (root) => {
    // `changed` marks a card whose status a refresh changed: the script's own.
    const cls = (e) => (e.getAttribute("class") || "").replace(/ changed$/, "");
    const walk = (e) => `${e.localName}.${cls(e)}(${[...e.children].map(walk).join(",")})`;
    return [...root.children].map(walk);
  });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  upstream = await healthyUpstream();
  const env = { UPSTREAM_URL: upstream.url, HEALTH_TOKEN: TOKEN };
  [axum, actix] = await Promise.all([
    service(AXUM, env),
    service(ACTIX, { ...env, HEALTH_NETWORKS: "none" }),
  ]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: WAIT,
    // Playwright passes a fresh temporary --user-data-dir itself.
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps",
      "--disable-features=Translate,OptimizationHints,MediaRouter",
    ],
  });
});

after(async () => {
  await browser?.close();
  for (const s of [axum, actix]) s?.child.kill("SIGTERM");
  if (upstream) stop(upstream.server);
});

test("healthy: every check listed with its status, server-rendered and refreshed", { timeout: 2 * WAIT }, async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${axum.base}/health/ui`, { timeout: WAIT });
  assert.deepEqual((await listed(page)).map(([name]) => name), CHECKS);
  for (const [name, status] of await listed(page)) assert.equal(status, "UP", name);
  const probes = await page.$$eval("#probes li", (li) => li.map((e) => e.textContent.replace(/\s+/g, " ").trim()));
  assert.deepEqual(probes, ["readiness ✔ UP", "liveness ✔ UP", "startup ✔ UP"]);
  const meta = await page.textContent("#meta");
  assert.ok(VERSION !== "", "SERVICE_VERSION is set by examples/tests/browser.rs");
  assert.ok(meta.startsWith(`version ${VERSION} · commit e2e1234 · up `), meta);
  assert.equal(await page.title(), "✔ UP · health");
  // The script runs (the CSP hash matches) and refreshes from the data.
  await page.waitForFunction(() => document.getElementById("live").textContent.startsWith("Live"), null, { timeout: WAIT });
  await page.waitForResponse((r) => r.url().endsWith("/health/ui/data") && r.status() === 200, { timeout: WAIT });
  await page.waitForFunction((n) => document.querySelectorAll("#checks li.check").length === n, CHECKS.length, { timeout: WAIT });
  assert.deepEqual((await listed(page)).map(([name]) => name), CHECKS);
  await page.screenshot({ path: join(SHOTS, "healthy.png"), fullPage: true, animations: "disabled" });
  await finish(ctx);
});

test("without JavaScript the first render is complete", { timeout: 2 * WAIT }, async () => {
  const ctx = await context({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${axum.base}/health/ui`, { timeout: WAIT });
  const checks = await listed(page);
  assert.deepEqual(checks.map(([name]) => name), CHECKS);
  for (const [name, status] of checks) assert.equal(status, "UP", name);
  const bars = await page.$$eval("#checks svg.bar", (svgs) => svgs.map((s) => Number(s.getAttribute("data-n"))));
  assert.equal(bars.length, CHECKS.length);
  for (const n of bars) assert.ok(n >= 1, `bar with ${n} results`);
  for (const label of await page.$$eval("#checks svg", (s) => s.map((e) => e.getAttribute("aria-label")))) {
    assert.ok(label && label.length > 10, label);
  }
  assert.match(await page.textContent("#checks"), /uptime .*\(1 h\)/);
  assert.equal(await page.textContent("#live"), "", "the script did not run");
  await finish(ctx);
});

test("a check starts failing: DOWN and a longer bar, without a reload", { timeout: 3 * FAILURE_WAIT }, async () => {
  // A service of this case's own, whose upstream this case stops.
  const own = await healthyUpstream();
  const failing = await service(AXUM, { UPSTREAM_URL: own.url, HEALTH_TOKEN: TOKEN });
  try {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${failing.base}/health/ui`, { timeout: WAIT });
    await page.evaluate(() => { window.__notReloaded = true; });
    const bar = () => page.$eval('li.check[data-name="upstream"] svg.bar', (s) => Number(s.getAttribute("data-n")));
    const before = await bar();

    stop(own.server);
    await page.waitForFunction(
      () => document.querySelector('li.check[data-name="upstream"] .st')?.textContent.includes("DOWN"),
      null, { timeout: FAILURE_WAIT, polling: 250 });
    assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was reloaded");
    const after = await bar();
    assert.ok(after > before, `the bar grew: ${before} -> ${after}`);
    const card = (await page.textContent('li.check[data-name="upstream"]')).replace(/\s+/g, " ");
    assert.match(card, /DOWN since \d\d:\d\d:\d\d UTC \(/);
    assert.match(card, /non-critical/);
    assert.ok(await page.$('li.check[data-name="upstream"] p.msg'), "the allowed caller sees the message");
    // Non-critical: readiness DEGRADED, still serving.
    const readiness = (await page.textContent("#probes li:first-child")).replace(/\s+/g, " ").trim();
    assert.equal(readiness, "readiness ▲ DEGRADED");
    assert.equal(await page.title(), "▲ DEGRADED · health");
    await page.screenshot({ path: join(SHOTS, "down.png"), fullPage: true, animations: "disabled" });

    // The script draws what the server draws.
    const plainCtx = await context({ javaScriptEnabled: false });
    const plain = await plainCtx.newPage();
    await plain.goto(`${failing.base}/health/ui`, { timeout: WAIT });
    assert.deepEqual(await shape(page), await shape(plain));
    await finish(plainCtx);

    // The badge: readiness in a word.
    const badge = await (await fetch(`${failing.base}/health/badge.svg`)).text();
    assert.match(badge, />health<[\s\S]*>DEGRADED</);

    // The README's picture (docs/status-page.png is this, made smaller).
    await page.setViewportSize({ width: 1040, height: 700 });
    await page.screenshot({ path: join(SHOTS, "readme.png"), animations: "disabled" });

    // Narrow: a phone, nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width}px wide at 375px`);
    await page.screenshot({ path: join(SHOTS, "mobile.png"), fullPage: true, animations: "disabled" });
    await finish(ctx);
  } finally {
    failing.child.kill("SIGTERM");
    stop(own.server);
  }
});

test("refreshes pause while the tab is hidden", { timeout: 2 * WAIT }, async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${axum.base}/health/ui`, { timeout: WAIT });
  let fetched = 0;
  page.on("request", (r) => { if (r.url().endsWith("/health/ui/data")) fetched++; });
  const hide = (hidden) => page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
  await hide(true);
  await page.waitForTimeout(11_000);
  assert.equal(fetched, 0, "fetched while hidden");
  assert.equal(await page.textContent("#live"), "Paused while the tab is hidden.");
  const refreshed = page.waitForResponse((r) => r.url().endsWith("/health/ui/data"), { timeout: 2_000 });
  await hide(false);
  await refreshed; // at once, not after a period
  await finish(ctx);
});

test("an anonymous caller under the bearer rule sees no check name", { timeout: 2 * WAIT }, async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const bodies = [];
  page.on("response", async (r) => { if (r.url().includes("/health/")) bodies.push(await r.text().catch(() => "")); });
  await page.goto(`${actix.base}/health/ui`, { timeout: WAIT });
  await page.waitForResponse((r) => r.url().endsWith("/health/ui/data"), { timeout: WAIT });
  await page.waitForTimeout(200);
  const text = await page.evaluate(() => document.body.innerText);
  const html = await page.content();
  assert.equal(await page.$$eval("li.check", (l) => l.length), 0);
  assert.match(text, /Checks are shown only to callers/);
  // DEGRADED until the non-critical interval checks' first results.
  assert.match(text, /readiness\s*(✔ UP|▲ DEGRADED)/);
  assert.ok(bodies.length >= 2, "the page and its data");
  for (const name of CHECKS) {
    assert.ok(!text.includes(name), `the anonymous page shows ${name}`);
    assert.ok(!html.replace(/<script>[\s\S]*<\/script>/, "").includes(name), `the anonymous markup holds ${name}`);
    for (const body of bodies) assert.ok(!body.replace(/<script>[\s\S]*<\/script>/, "").includes(`"${name}"`) && !body.includes(`>${name}<`), `a response holds ${name}`);
  }
  await finish(ctx);
});

test("behind a proxy that adds the token, the same page shows everything", { timeout: 2 * WAIT }, async () => {
  const ctx = await context({ extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const page = await ctx.newPage();
  await page.goto(`${actix.base}/health/ui`, { timeout: WAIT });
  assert.deepEqual((await listed(page)).map(([name]) => name), CHECKS);
  await page.waitForResponse((r) => r.url().endsWith("/health/ui/data"), { timeout: WAIT });
  await page.waitForFunction((n) => document.querySelectorAll("#checks li.check").length === n, CHECKS.length, { timeout: WAIT });
  await finish(ctx);
});

test("the badge renders: readiness in a word", { timeout: WAIT }, async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const r = await page.goto(`${axum.base}/health/badge.svg`, { timeout: WAIT });
  assert.equal(r.headers()["content-type"], "image/svg+xml");
  assert.match(await page.textContent("svg"), /health\s*UP/);
  await finish(ctx);
});
