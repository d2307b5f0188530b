//! Finds and launches real browser engines on a page URL, headless: Chromium,
//! Firefox and WebKit (WebKitGTK's MiniBrowser, driven by `WebKitWebDriver`
//! under `Xvfb`).
//!
//! The launcher only navigates: the page itself reports what it saw (by a
//! POST back to the server that served it), so any test whose page reports
//! back can use it — see [`find`] and [`launch`]. Self-contained on purpose
//! (no dependency on the case table or the app under test).
//!
//! Everything a launch starts — the browser and its child processes,
//! `Xvfb`, `WebKitWebDriver` — runs in process groups of its own that
//! [`Launched`] kills when dropped, even on panic, and the temporary
//! profile is removed then too.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A browser engine the suite runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        }
    }

    /// What to install when the engine is missing.
    fn install_hint(self) -> &'static str {
        match self {
            Engine::Chromium => "set $CHROMIUM or `apt-get install chromium`",
            Engine::Firefox => "set $FIREFOX or `apt-get install firefox-esr`",
            Engine::WebKit => "set $WEBKIT_WEBDRIVER or `apt-get install webkit2gtk-driver xvfb`",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `CORS_ACTIX_REQUIRE_BROWSER=1` (set by `.ci/run`): a missing engine is a
/// failure, not a skip.
pub fn required() -> bool {
    std::env::var("CORS_ACTIX_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// An engine found on this machine, ready to [`launch`].
#[derive(Clone, Debug)]
pub struct Found {
    pub engine: Engine,
    /// The browser binary (Chromium, Firefox) or `WebKitWebDriver`.
    pub binary: PathBuf,
    /// WebKit only: `Xvfb`, and MiniBrowser when it sits where Debian puts
    /// it (otherwise the driver's own default browser is used).
    xvfb: Option<PathBuf>,
    minibrowser: Option<PathBuf>,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(name);
    if path.is_absolute() {
        return path.exists().then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

fn first_found(variable: &str, names: &[&str]) -> Option<PathBuf> {
    std::env::var(variable).ok().into_iter().chain(names.iter().map(|n| n.to_string())).find_map(|n| on_path(&n))
}

/// Looks `engine` up: `$CHROMIUM`, `chromium`, `chromium-headless-shell`,
/// `chromium-browser`, `google-chrome`; `$FIREFOX`, `firefox-esr`,
/// `firefox`; `$WEBKIT_WEBDRIVER`, `WebKitWebDriver` with `$XVFB`, `Xvfb`.
/// `Err` says what is missing and how to install it.
pub fn find(engine: Engine) -> Result<Found, String> {
    let missing = |what: &str| format!("no {what} found ({})", engine.install_hint());
    let found = |binary| Found { engine, binary, xvfb: None, minibrowser: None };
    match engine {
        Engine::Chromium => {
            first_found("CHROMIUM", &["chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"])
                .map(found)
                .ok_or_else(|| missing("Chromium"))
        }
        Engine::Firefox => {
            first_found("FIREFOX", &["firefox-esr", "firefox"]).map(found).ok_or_else(|| missing("Firefox"))
        }
        Engine::WebKit => {
            let driver =
                first_found("WEBKIT_WEBDRIVER", &["WebKitWebDriver"]).ok_or_else(|| missing("WebKitWebDriver"))?;
            let xvfb = first_found("XVFB", &["Xvfb"]).ok_or_else(|| missing("Xvfb"))?;
            let minibrowser = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/libexec"]
                .iter()
                .flat_map(|lib| ["webkit2gtk-4.1", "webkit2gtk-4.0", "webkitgtk-6.0"].map(|v| Path::new(lib).join(v)))
                .map(|dir| dir.join("MiniBrowser"))
                .find(|p| p.is_file());
            Ok(Found { engine, binary: driver, xvfb: Some(xvfb), minibrowser })
        }
    }
}

/// For an engine [`find`] did not find: panics when engines are
/// [`required`]; otherwise prints a loud skip message, straight to the
/// process's standard error so `cargo test` shows it without `--nocapture`.
pub fn skip_or_fail(engine: Engine, msg: &str) {
    if required() {
        panic!("{engine}: {msg}, and CORS_ACTIX_REQUIRE_BROWSER=1 requires the real-browser tests to run");
    }
    let loud = format!("\n!!!!!!!!\n!!! SKIPPING the real-browser tests in {engine}: {msg}\n!!!!!!!!\n\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), loud.as_bytes());
}

/// A fresh, unique temporary path for this process.
fn temp_path(what: &str) -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    std::env::temp_dir().join(format!("cors-actix-{what}-{}-{nanos}", std::process::id()))
}

/// A free loopback port (the listener is closed again before the caller
/// binds it; good enough for a driver that starts right away).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

/// Starts `command` in a process group of its own, so dropping the
/// [`Launched`] kills it with every process it started.
fn spawn(mut command: Command, what: &str) -> Result<Child, String> {
    use std::os::unix::process::CommandExt;
    command.process_group(0).stdin(Stdio::null());
    command.spawn().map_err(|e| format!("could not start {what}: {e}"))
}

fn first_line_of(output: std::io::Result<std::process::Output>) -> Option<String> {
    let out = output.ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_owned())
}

/// A running engine showing one page. Dropping it ends the WebDriver
/// session, kills every process it started (by process group) and
/// removes its profile and logs.
pub struct Launched {
    /// As the engine reports it: `chromium --version`, `firefox --version`,
    /// or WebKit's `browserVersion` from the WebDriver session.
    pub version: String,
    /// Killed in this order: the browser (or driver) before `Xvfb`.
    children: Vec<Child>,
    /// The driver's address and session, when there is one.
    session: Option<(String, String)>,
    /// Profile directory and log files, removed on drop.
    temp: Vec<PathBuf>,
    log: PathBuf,
}

impl Launched {
    /// What the engine wrote to its standard error (for a failure message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        if let Some((driver, session)) = self.session.take() {
            // Closes MiniBrowser cleanly; the group kill below is the backstop.
            let _ = webdriver_agent().delete(&format!("{driver}/session/{session}")).call();
        }
        for child in &mut self.children {
            // The child leads its own process group (see `spawn`): kill the group.
            let _ =
                Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
            let _ = child.kill();
            let _ = child.wait();
        }
        for path in &self.temp {
            let _ = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
        }
    }
}

/// Starts `found`'s engine, headless, on `url`. Returns once the engine is
/// navigating; the page reports its results itself. `Err` when the engine
/// could not be started (its log included).
pub fn launch(found: &Found, url: &str) -> Result<Launched, String> {
    match found.engine {
        Engine::Chromium => launch_chromium(found, url),
        Engine::Firefox => launch_firefox(found, url),
        Engine::WebKit => launch_webkit(found, url),
    }
}

fn version_of(binary: &Path) -> String {
    first_line_of(Command::new(binary).arg("--version").stderr(Stdio::null()).output())
        .unwrap_or_else(|| format!("{} (version unknown)", binary.display()))
}

fn new_launched(version: String, profile: PathBuf) -> Result<(Launched, std::fs::File), String> {
    let log = profile.with_extension("log");
    let file = std::fs::File::create(&log).map_err(|e| format!("log file {}: {e}", log.display()))?;
    let launched = Launched { version, children: Vec::new(), session: None, temp: vec![profile, log.clone()], log };
    Ok((launched, file))
}

fn launch_chromium(found: &Found, url: &str) -> Result<Launched, String> {
    let profile = temp_path("chromium");
    let (mut launched, log) = new_launched(version_of(&found.binary), profile.clone())?;
    let mut command = Command::new(&found.binary);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(log);
    launched.children.push(spawn(command, "Chromium")?);
    Ok(launched)
}

/// Preferences of the fresh Firefox profile: no first-run or default-browser
/// pages, and no background traffic (updates, telemetry, remote settings,
/// captive-portal and connectivity probes) — the machine has no network and
/// the test talks to loopback only.
const FIREFOX_PREFS: &str = r#"user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.page", 0);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.tabs.warnOnClose", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.proxy.type", 0);
user_pref("services.settings.server", "http://127.0.0.1:9/");
"#;

fn launch_firefox(found: &Found, url: &str) -> Result<Launched, String> {
    let profile = temp_path("firefox");
    let (mut launched, log) = new_launched(version_of(&found.binary), profile.clone())?;
    std::fs::create_dir_all(&profile).map_err(|e| format!("Firefox profile {}: {e}", profile.display()))?;
    std::fs::write(profile.join("user.js"), FIREFOX_PREFS).map_err(|e| format!("Firefox user.js: {e}"))?;
    let stdout = log.try_clone().map_err(|e| format!("Firefox log: {e}"))?;
    let mut command = Command::new(&found.binary);
    command
        .args(["--headless", "--no-remote", "--profile"])
        .arg(&profile)
        .arg(url)
        .env("MOZ_HEADLESS", "1")
        .stdout(stdout)
        .stderr(log);
    launched.children.push(spawn(command, "Firefox")?);
    Ok(launched)
}

/// Short timeouts: every WebDriver call is to loopback.
fn webdriver_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// One WebDriver call with a JSON body; returns the response's `value`.
fn webdriver_post(agent: &ureq::Agent, url: &str, body: &serde_json::Value) -> Result<serde_json::Value, String> {
    let mut response = agent
        .post(url)
        .header("content-type", "application/json")
        .send(body.to_string())
        .map_err(|e| format!("POST {url}: {e}"))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().map_err(|e| format!("POST {url}: reading the answer: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("POST {url}: answer is not JSON ({e}): {text}"))?;
    if status != 200 {
        return Err(format!("POST {url}: status {status}: {text}"));
    }
    Ok(json["value"].clone())
}

fn launch_webkit(found: &Found, url: &str) -> Result<Launched, String> {
    let xvfb = found.xvfb.as_ref().ok_or("no Xvfb")?;
    let profile = temp_path("webkit");
    // The version is known once the session says it.
    let (mut launched, log) = new_launched(String::new(), profile)?;

    // Xvfb picks a free display itself and writes its number to fd 1.
    let mut command = Command::new(xvfb);
    command
        .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1280x800x24"])
        .stdout(Stdio::piped())
        .stderr(log.try_clone().map_err(|e| format!("Xvfb log: {e}"))?);
    let mut server = spawn(command, "Xvfb")?;
    let stdout = server.stdout.take();
    launched.children.push(server);
    // Read on a thread of its own, so an Xvfb that neither reports nor exits
    // cannot stall the run (dropping `launched` kills it, ending the read).
    let (sent, reported) = std::sync::mpsc::channel();
    if let Some(out) = stdout {
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = sent.send(line);
        });
    }
    let display = reported.recv_timeout(Duration::from_secs(20)).unwrap_or_default().trim().to_owned();
    if display.is_empty() || !display.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("Xvfb did not report a display; its log:\n{}", launched.log()));
    }

    let port = free_port();
    let driver = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(&found.binary);
    command
        .arg(format!("--port={port}"))
        .arg("--host=local")
        .env("DISPLAY", format!(":{display}"))
        .stdout(log.try_clone().map_err(|e| format!("WebKitWebDriver log: {e}"))?)
        .stderr(log);
    // Killed before Xvfb: it goes first.
    launched.children.insert(0, spawn(command, "WebKitWebDriver")?);

    let agent = webdriver_agent();
    let started = Instant::now();
    while agent.get(&format!("{driver}/status")).call().is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            return Err(format!("WebKitWebDriver did not listen on {driver}; its log:\n{}", launched.log()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut options = serde_json::json!({ "args": ["--automation"] });
    if let Some(minibrowser) = &found.minibrowser {
        options["binary"] = minibrowser.display().to_string().into();
    }
    let capabilities = serde_json::json!({
        "capabilities": { "alwaysMatch": { "webkitgtk:browserOptions": options } }
    });
    let session = webdriver_post(&agent, &format!("{driver}/session"), &capabilities)
        .map_err(|e| format!("no WebKit session: {e}; the driver's log:\n{}", launched.log()))?;
    let id = session["sessionId"].as_str().ok_or_else(|| format!("no sessionId in {session}"))?.to_owned();
    let caps = &session["capabilities"];
    launched.version = format!(
        "WebKitGTK {} ({})",
        caps["browserVersion"].as_str().unwrap_or("(version unknown)"),
        caps["browserName"].as_str().unwrap_or("browser unknown")
    );
    launched.session = Some((driver.clone(), id.clone()));
    webdriver_post(&agent, &format!("{driver}/session/{id}/url"), &serde_json::json!({ "url": url }))
        .map_err(|e| format!("WebKit did not navigate to {url}: {e}"))?;
    Ok(launched)
}

/// One `#[test]` per engine, named by the caller, each running `$run` for
/// its engine: `per_engine!(run => chromium_test, firefox_test, webkit_test);`.
macro_rules! per_engine {
    ($run:path => $chromium:ident, $firefox:ident, $webkit:ident) => {
        #[test]
        fn $chromium() {
            $run(engines::Engine::Chromium);
        }

        #[test]
        fn $firefox() {
            $run(engines::Engine::Firefox);
        }

        #[test]
        fn $webkit() {
            $run(engines::Engine::WebKit);
        }
    };
}
