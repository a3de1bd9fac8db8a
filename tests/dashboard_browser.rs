//! The dashboard (`dashboard.html`) in a real headless Chromium, driven through chromedriver
//! over the WebDriver protocol: the page a run writes renders without script errors, shows
//! every article, its claim filters narrow the table to matching rows, and a claim link opens
//! the article with exactly that span marked. A second test renders the template with the
//! hand-made `tests/fixtures/dashboard-sample.json` (umlauts, „quotes“, an emoji before a claim)
//! and checks every claim's highlight against its code point offsets, plus an empty drop.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver: `bash scripts/setup-browser.sh`.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(20);
/// Script prelude: the claim rows a reader can see.
const VISIBLE_ROWS: &str = "const rows = [...document.querySelectorAll('#claims tbody tr')]\
    .filter((tr) => tr.getClientRects().length > 0);";

#[test]
fn dashboard_of_seeds_run_lists_articles_filters_claims_and_links_to_spans() {
    require_browser();
    let repo = repo();
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_newsextract"))
        .arg("run")
        .arg("--input")
        .arg(repo.join("seeds"))
        .arg("--output")
        .arg(out.path())
        .arg("--quiet")
        .arg("--models")
        .arg(repo.join("models"))
        .output()
        .expect("binary runs");
    assert!(
        run.status.success(),
        "newsextract run failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let records: Vec<Value> = std::fs::read_to_string(out.path().join("articles.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!records.is_empty());

    let b = Browser::start();
    b.open(&out.path().join("dashboard.html"));
    let shown = squash(
        b.js("return document.body.innerText", json!([]))
            .as_str()
            .unwrap(),
    );
    for r in &records {
        let title = r["title"]
            .as_str()
            .unwrap_or_else(|| r["id"].as_str().unwrap());
        assert!(shown.contains(&squash(title)), "title {title:?} not shown");
    }

    let total = b.visible_rows();
    assert!(total > 0, "the seeds have numeric claims");
    b.check_filter("#filter-kind", "c-kind", &["date", "year"], total);
    b.check_filter("#filter-unit", "c-unit", &[], total);
    b.screenshot(&target_dir().join("dashboard-screenshot.png"));

    // Numbers in page furniture (the seeds' video captions) are hidden until asked for.
    let in_furniture = |r: &Value| {
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["boilerplate"] == true)
            .count()
    };
    let furniture: usize = records.iter().map(in_furniture).sum();
    assert!(furniture > 0, "the seeds' captions hold numbers");
    let all: usize = records
        .iter()
        .map(|r| r["claims"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        total,
        all - furniture,
        "furniture claims are hidden by default"
    );
    b.js(
        "document.getElementById('filter-furniture').click()",
        json!([]),
    );
    assert_eq!(b.visible_rows(), all, "the checkbox shows them");
    b.js(
        "document.getElementById('filter-furniture').click()",
        json!([]),
    );
    assert_eq!(b.visible_rows(), total);

    // In the article view, furniture sentences are hidden behind a toggle.
    let with_furniture = records.iter().find(|r| in_furniture(r) > 0).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    b.js(
        "location.hash = '#article=' + encodeURIComponent(arguments[0])",
        json!([with_furniture]),
    );
    let hidden = b.wait_until(
        "the article view with its furniture toggle",
        "const t = document.getElementById('toggle-furniture'); if (!t) return null; \
         const f = [...document.querySelectorAll('#article-view .sentence.furniture')]; \
         return [f.length, f.filter((e) => e.hidden).length]",
    );
    assert!(hidden[0].as_u64().unwrap() > 0, "{hidden:?}");
    assert_eq!(
        hidden[0], hidden[1],
        "all furniture hidden by default: {hidden:?}"
    );
    let shown = b.js(
        "document.getElementById('toggle-furniture').click(); \
         return [...document.querySelectorAll('#article-view .sentence.furniture')].filter((e) => !e.hidden).length",
        json!([]),
    );
    assert_eq!(shown, hidden[0], "the toggle shows them");
    b.js("location.hash = ''", json!([]));

    let (link, row) = b.first_visible_claim_link();
    b.click(&link);
    let marked = b.wait_for_highlight();
    assert_eq!(marked, row.text);
    // The page's offsets against the article text itself, not against the page's own data.
    let record = records
        .iter()
        .find(|r| r["id"] == row.article.as_str())
        .unwrap();
    let text: Vec<char> = record["text"].as_str().unwrap().chars().collect();
    let expected: String = text[row.start..row.end].iter().collect();
    assert_eq!(marked, expected);
    b.assert_no_errors();
}

#[test]
fn sample_dashboard_highlights_every_claim_exactly_and_survives_an_empty_drop() {
    require_browser();
    let sample: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/dashboard-sample.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("dashboard.html");
    std::fs::write(&page, render(&sample)).unwrap();

    let b = Browser::start();
    b.open(&page);
    let shown = squash(
        b.js("return document.body.innerText", json!([]))
            .as_str()
            .unwrap(),
    );
    for a in sample["articles"].as_array().unwrap() {
        let title = a["title"]
            .as_str()
            .unwrap_or_else(|| a["id"].as_str().unwrap());
        assert!(shown.contains(&squash(title)), "title {title:?} not shown");
    }
    let claims = sample["claims"].as_array().unwrap();
    assert_eq!(b.visible_rows(), claims.len());
    b.check_filter("#filter-kind", "c-kind", &["year"], claims.len());
    b.check_filter("#filter-unit", "c-unit", &["Container"], claims.len());
    let asserted = claims.iter().filter(|c| c["is_claim"] == true).count();
    let checkbox = b.element("#filter-asserted");
    b.click(&checkbox);
    b.wait_until(
        "the asserted-only filter",
        &format!("{VISIBLE_ROWS} return rows.length === {asserted}"),
    );
    b.click(&checkbox);
    b.wait_until(
        "all rows again",
        &format!("{VISIBLE_ROWS} return rows.length === {}", claims.len()),
    );

    let sentences: HashMap<&str, &Vec<Value>> = sample["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap(),
                a["sentences"].as_array().unwrap(),
            )
        })
        .collect();
    let links = b.js(
        "return [...document.querySelectorAll('#claims tbody tr')].map((tr) => \
         [tr.querySelector('a.claim-link').getAttribute('href'), tr.dataset.article, +tr.dataset.start])",
        json!([]),
    );
    for (claim, link) in claims.iter().zip(links.as_array().unwrap()) {
        assert_eq!(
            (&link[1], &link[2]),
            (&claim["article"], &claim["start"]),
            "rows in data order"
        );
        let sentence = &sentences[claim["article"].as_str().unwrap()]
            [claim["sentence"].as_u64().unwrap() as usize];
        let chars: Vec<char> = sentence["text"].as_str().unwrap().chars().collect();
        let offset = sentence["start"].as_u64().unwrap() as usize;
        let span = claim["start"].as_u64().unwrap() as usize - offset
            ..claim["end"].as_u64().unwrap() as usize - offset;
        let expected: String = chars[span].iter().collect();
        assert_eq!(
            expected,
            claim["text"].as_str().unwrap(),
            "the sample's own offsets"
        );
        // Through the overview between claims, so a highlight left from the previous claim
        // cannot pass for this one.
        b.js("location.hash = ''", json!([]));
        b.wait_until(
            "the overview",
            "return !document.getElementById('overview').hidden",
        );
        b.js("location.hash = arguments[0]", json!([link[0]]));
        assert_eq!(b.wait_for_highlight(), expected, "claim {claim}");
    }
    b.assert_no_errors();

    let empty = json!({"schema_version": "2", "generated": "2026-12-03T08:00:00Z",
        "articles": [], "claims": [], "clusters": [], "entities": []});
    std::fs::write(&page, render(&empty)).unwrap();
    b.open(&page);
    assert_eq!(b.visible_rows(), 0);
    let count = b.js(
        "return document.getElementById('claims-count').textContent",
        json!([]),
    );
    assert_eq!(count, "0 of 0 claims");
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary sits in `<target>/<profile>/`, wherever CARGO_TARGET_DIR points.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_newsextract"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

fn require_browser() {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: run `bash scripts/setup-browser.sh` (`make test` runs it)"
        );
    }
}

/// The template with `data` in it, escaped the way the Rust side does it.
fn render(data: &Value) -> String {
    let json = data
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let template = std::fs::read_to_string(repo().join("src/drop/dashboard.html")).unwrap();
    assert_eq!(template.matches("{{NEWSEXTRACT_DATA}}").count(), 1);
    template.replace("{{NEWSEXTRACT_DATA}}", &json)
}

/// innerText breaks lines where the layout does; titles are compared word by word.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct ClaimRow {
    text: String,
    article: String,
    start: usize,
    end: usize,
}

/// A chromedriver process and one Chromium session. Dropping it ends both, also when an
/// assertion fails halfway.
struct Browser {
    driver: Child,
    base: String,
    session: Option<String>,
    agent: ureq::Agent,
    profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Chromium joins this group, so Drop can end everything chromedriver started.
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let mut b = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: None,
            agent: ureq::AgentBuilder::new()
                .timeout_connect(Duration::from_secs(5))
                .timeout(Duration::from_secs(60))
                .build(),
            profile: tempfile::tempdir().unwrap(),
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let ready = b
                .agent
                .get(&format!("{}/status", b.base))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            if let Ok(Some(status)) = b.driver.try_wait() {
                panic!("chromedriver exited: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready after {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = format!("--user-data-dir={}", b.profile.path().display());
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "timeouts": {"pageLoad": 30_000, "script": 30_000, "implicit": 0},
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                // Without these Chromium keeps trying connections the sandboxed hosts refuse.
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                profile, "--window-size=1400,1000"]}}}});
        let session = b.call("POST", "/session", Some(caps));
        b.session = Some(
            session["sessionId"]
                .as_str()
                .expect("a session id")
                .to_string(),
        );
        b
    }

    /// One WebDriver command; returns its `value`, panics with the driver's message on error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let request = self.agent.request(method, &format!("{}{path}", self.base));
        let response = match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        };
        match response {
            Ok(r) => r.into_json::<Value>().expect("WebDriver answers JSON")["value"].take(),
            Err(ureq::Error::Status(code, r)) => {
                panic!(
                    "WebDriver {method} {path}: HTTP {code}: {}",
                    r.into_string().unwrap_or_default()
                )
            }
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let id = self.session.as_deref().unwrap();
        self.call(method, &format!("/session/{id}{path}"), body)
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Polls `script` until it returns something truthy.
    fn wait_until(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.js(script, json!([]));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Loads the page and waits until it has rendered, without script errors.
    fn open(&self, page: &Path) {
        let url = format!("file://{}", page.canonicalize().unwrap().display());
        self.session_call("POST", "/url", Some(json!({"url": url})));
        self.wait_until(
            "the page to render",
            "return document.body.dataset.ready === '1'",
        );
        self.assert_no_errors();
        let fetched = self.js(
            "return performance.getEntriesByType('resource').map((e) => e.name)",
            json!([]),
        );
        assert_eq!(fetched, json!([]), "the page loads nothing");
    }

    fn assert_no_errors(&self) {
        let errors = self.js("return window.__dashboardErrors", json!([]));
        assert_eq!(errors, json!([]), "script errors on the page");
    }

    fn element(&self, css: &str) -> Value {
        self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )
    }

    fn click(&self, element: &Value) {
        let id = element[ELEMENT].as_str().expect("an element reference");
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn visible_rows(&self) -> usize {
        self.js(&format!("{VISIBLE_ROWS} return rows.length"), json!([]))
            .as_u64()
            .unwrap() as usize
    }

    /// Picks an option of `select` that matches some but not all visible rows (the `preferred`
    /// ones first), clicks it, checks that exactly the rows whose `cell` shows it remain and the
    /// count line says so, then clicks "all" again.
    fn check_filter(&self, select: &str, cell: &str, preferred: &[&str], total: usize) {
        let counts = self.js(
            &format!(
                "{VISIBLE_ROWS} const n = {{}}; for (const tr of rows) {{ \
                 const t = tr.querySelector('td.' + arguments[0]).textContent; n[t] = (n[t] || 0) + 1; }} \
                 return n"
            ),
            json!([cell]),
        );
        let options = self.js(
            "return [...document.querySelectorAll(arguments[0] + ' option')].map((o) => o.value)",
            json!([select]),
        );
        let options: Vec<&str> = options
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        assert_eq!(options.first(), Some(&""), "{select} starts with 'all'");
        let count = |v: &str| counts[v].as_u64().unwrap_or(0) as usize;
        let (index, value) = preferred
            .iter()
            .filter_map(|p| options.iter().position(|o| o == p))
            .chain(1..options.len())
            .map(|i| (i, options[i]))
            .find(|&(_, v)| (1..total).contains(&count(v)))
            .unwrap_or_else(|| panic!("no option of {select} {options:?} narrows {counts}"));
        let expected = count(value);
        let option = |i: usize| {
            self.js(
                "return document.querySelectorAll(arguments[0] + ' option')[arguments[1]]",
                json!([select, i]),
            )
        };
        self.click(&option(index));
        self.wait_until(
            &format!("{select} = {value:?}"),
            &format!("{VISIBLE_ROWS} return rows.length === {expected}"),
        );
        let shown = self.js(
            &format!("{VISIBLE_ROWS} return rows.map((tr) => tr.querySelector('td.' + arguments[0]).textContent)"),
            json!([cell]),
        );
        assert!(
            shown.as_array().unwrap().iter().all(|t| t == value),
            "{select} = {value:?} shows {shown}"
        );
        let all = self.js(
            "return document.querySelectorAll('#claims tbody tr').length",
            json!([]),
        );
        let line = self.js(
            "return document.getElementById('claims-count').textContent",
            json!([]),
        );
        assert_eq!(line, format!("{expected} of {all} claims"));
        self.click(&option(0));
        self.wait_until(
            "all rows again",
            &format!("{VISIBLE_ROWS} return rows.length === {total}"),
        );
    }

    fn first_visible_claim_link(&self) -> (Value, ClaimRow) {
        let link = self.js(
            &format!("{VISIBLE_ROWS} return rows[0].querySelector('a.claim-link')"),
            json!([]),
        );
        let row = self.js(
            &format!(
                "{VISIBLE_ROWS} const tr = rows[0]; \
                 return [tr.querySelector('a.claim-link').textContent, tr.dataset.article, +tr.dataset.start, +tr.dataset.end]"
            ),
            json!([]),
        );
        let row = ClaimRow {
            text: row[0].as_str().unwrap().to_string(),
            article: row[1].as_str().unwrap().to_string(),
            start: row[2].as_u64().unwrap() as usize,
            end: row[3].as_u64().unwrap() as usize,
        };
        (link, row)
    }

    /// Waits for the article view with a marked claim scrolled into view; returns the marked text.
    fn wait_for_highlight(&self) -> String {
        let marked = self.wait_until(
            "the article view with a highlighted claim in view",
            "const view = document.getElementById('article-view'); \
             const mark = view.querySelector('mark.claim-highlight'); \
             if (view.getClientRects().length === 0 || !mark) return null; \
             const r = mark.getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= innerHeight ? [mark.textContent] : null",
        );
        marked[0].as_str().unwrap().to_string()
    }

    /// The whole page: the window grows to the document's height for the shot, then shrinks back.
    fn screenshot(&self, path: &Path) {
        let height = self.js(
            "return Math.min(document.documentElement.scrollHeight + outerHeight - innerHeight, 16000)",
            json!([]),
        );
        self.session_call(
            "POST",
            "/window/rect",
            Some(json!({"width": 1400, "height": height})),
        );
        let png = self.session_call("GET", "/screenshot", None);
        self.session_call(
            "POST",
            "/window/rect",
            Some(json!({"width": 1400, "height": 1000})),
        );
        std::fs::write(path, base64_decode(png.as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session closes Chromium; killing chromedriver alone would orphan it.
        if let Some(id) = self.session.take() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{id}", self.base))
                .call();
        }
        // Whatever a hung quit left behind is in chromedriver's process group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (the screenshot), without pulling in a crate for it.
fn base64_decode(s: &str) -> Vec<u8> {
    let digit = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()) {
        acc = (acc << 6 | u32::from(digit(c))) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
