//! The status page, rendered on the server: complete without JavaScript.
//! The script (`assets/page.js`) rebuilds the `#probes`, `#checks` and
//! `#meta` parts from the data endpoint with the same markup.

use super::Snapshot;
use super::assets::{SCRIPT, STYLE};
use super::chart;
use super::escape::escape;
use super::format::{ago, look, ms_text, percent, since, time_of_day};
use crate::body::rfc3339;
use crate::body::write::millis_f64;
use health_core::report::CheckHistory;
use std::fmt::Write;

/// How often the page's script refreshes it, in milliseconds.
pub(crate) const REFRESH_MS: u32 = 5000;

/// The whole page.
pub(crate) fn render(snapshot: &Snapshot, data_href: &str) -> String {
    let checks = snapshot.checks.as_deref();
    let mut out = String::with_capacity(16 * 1024 + checks.map_or(0, |c| c.len() * 2048));
    let (symbol, word, _) = look(snapshot.readiness());
    let _ = write!(
        out,
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<meta name=\"color-scheme\" content=\"light dark\">",
            "<meta name=\"referrer\" content=\"no-referrer\">",
            "<link rel=\"icon\" href=\"{icon}\">",
            "<title>{symbol} {word} · health</title><style>{style}</style></head>",
            "<body><header><h1>Service health</h1><p class=\"meta\" id=\"meta\">"
        ),
        symbol = symbol,
        word = word,
        style = STYLE,
        icon = escape(&super::badge::icon(snapshot.readiness())),
    );
    meta(&mut out, snapshot);
    let _ = write!(
        out,
        concat!(
            "</p><p class=\"live\" id=\"live\" aria-live=\"polite\"></p></header>",
            "<main id=\"main\" data-src=\"{src}\" data-every=\"{every}\">",
            "<section aria-labelledby=\"h-probes\"><h2 id=\"h-probes\">Probes</h2>",
            "<ul class=\"probes\" id=\"probes\">"
        ),
        src = escape(data_href),
        every = REFRESH_MS,
    );
    probes(&mut out, snapshot);
    out.push_str(
        "</ul></section><section aria-labelledby=\"h-checks\"><h2 id=\"h-checks\">Checks</h2>",
    );
    match checks {
        Some(checks) => {
            out.push_str("<ul class=\"checks\" id=\"checks\">");
            for check in checks {
                card(&mut out, check, snapshot);
            }
            out.push_str("</ul>");
        }
        None => out.push_str(HIDDEN),
    }
    let _ = write!(
        out,
        concat!(
            "</section></main><footer><p>Times in UTC. Bars: newest on the right; ",
            "a full bar is UP, two thirds DEGRADED, one third DOWN. ",
            "<noscript>Without JavaScript this page does not refresh: reload it.</noscript>",
            "</p></footer><script>{script}</script></body></html>\n"
        ),
        script = SCRIPT,
    );
    out
}

/// What a caller who may not see components gets instead of the checks.
pub(crate) const HIDDEN: &str = concat!(
    "<p class=\"hidden\" id=\"checks\">Checks are shown only to callers the ",
    "service's disclosure rule allows (a network rule, or a proxy that adds ",
    "the bearer token).</p>"
);

/// Version, commit, uptime and the time of the snapshot.
fn meta(out: &mut String, snapshot: &Snapshot) {
    if let Some(service) = &snapshot.service {
        if let Some(version) = &service.version {
            let _ = write!(out, "version <b>{}</b> · ", escape(version));
        }
        if let Some(commit) = &service.commit {
            let _ = write!(out, "commit <b>{}</b> · ", escape(commit));
        }
        let _ = write!(
            out,
            "up <b>{}</b> (since <time datetime=\"{at}\">{}</time>) · ",
            ago(service.uptime),
            time_of_day(&rfc3339(service.started_at)),
            at = rfc3339(service.started_at),
        );
    }
    let now = rfc3339(snapshot.now);
    let _ = write!(
        out,
        "as of <time datetime=\"{now}\">{}</time>",
        time_of_day(&now)
    );
}

/// One list item per probe.
fn probes(out: &mut String, snapshot: &Snapshot) {
    for (probe, status, reason) in &snapshot.probes {
        let (symbol, word, class) = look(*status);
        let _ = write!(
            out,
            "<li class=\"probe {class}\"><span class=\"pn\">{probe}</span> <span class=\"st\"><span aria-hidden=\"true\">{symbol}</span> {word}</span>"
        );
        if let Some(reason) = reason {
            let _ = write!(out, " <span class=\"reason\">{}</span>", escape(reason));
        }
        out.push_str("</li>");
    }
}

/// One check.
fn card(out: &mut String, check: &CheckHistory, snapshot: &Snapshot) {
    let (symbol, word, class) = look(check.status);
    let name = escape(&check.name);
    let _ = write!(
        out,
        "<li class=\"check {class}\" data-name=\"{name}\"><h3><span class=\"st\"><span aria-hidden=\"true\">{symbol}</span> {word}</span> <span class=\"name\">{name}</span></h3><p class=\"facts\">{}",
        if check.critical {
            "<span class=\"crit\">critical</span>"
        } else {
            "non-critical"
        }
    );
    let probes: Vec<&str> = check.probes.iter().map(|p| p.as_str()).collect();
    let _ = write!(out, " · {}", probes.join(", "));
    if !check.tags.is_empty() {
        let tags: Vec<String> = check.tags.iter().map(|t| escape(t).to_string()).collect();
        let _ = write!(out, " · tags: {}", tags.join(", "));
    }
    out.push_str("</p><p class=\"when\">");
    match check.since {
        Some(at) => {
            let held = ago(since(snapshot.now, at));
            let at = rfc3339(at);
            let _ = write!(
                out,
                "{word} since <time datetime=\"{at}\">{}</time> ({held})",
                time_of_day(&at),
            );
        }
        None => out.push_str("no result yet"),
    }
    if let Some(age) = check.age {
        let _ = write!(out, " · last result {} ago", ago(age));
    }
    out.push_str("</p><div class=\"charts\">");
    chart::bar(out, &check.samples);
    chart::spark(out, &check.samples);
    if let Some(last) = check.samples.last() {
        let _ = write!(
            out,
            "<span class=\"lat\">{}</span>",
            ms_text(millis_f64(last.duration))
        );
    }
    let _ = write!(
        out,
        "</div><p class=\"nums\">uptime <b>{}</b> (1 h) · <b>{}</b> (24 h)</p>",
        percent(check.uptime_hour),
        percent(check.uptime_day)
    );
    if let Some(message) = &check.message {
        let _ = write!(out, "<p class=\"msg\">{}</p>", escape(message));
    }
    out.push_str("</li>");
}
