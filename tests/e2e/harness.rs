//! Starting the app under WebDriver and waiting for what a user would see.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

const TIMEOUT: Duration = Duration::from_secs(15);

/// Child processes stopped in reverse order; SIGTERM first so that tauri-driver can stop
/// its WebKitWebDriver (a SIGKILL would orphan it).
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for c in self.0.iter_mut().rev() {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let t = Instant::now();
            while c.try_wait().ok().flatten().is_none() && t.elapsed() < Duration::from_secs(3) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < TIMEOUT,
            "tauri-driver never listened on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Journeys run one at a time: two apps at once on a small CI machine only add flakiness.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A WebDriver endpoint for the app with one data folder; sessions on it are app runs.
pub struct Driver {
    port: u16,
    pub data_dir: tempfile::TempDir,
    _procs: Processes,
    _turn: Option<std::sync::MutexGuard<'static, ()>>,
}

impl Driver {
    /// Starts Xvfb (if no display is set) and tauri-driver with an empty data folder.
    pub fn start() -> Driver {
        let turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Driver::start_in_turn(Some(turn))
    }

    /// Two drivers, each with its own empty data folder: two laptops of one office.
    pub fn pair() -> (Driver, Driver) {
        let first = Driver::start();
        let second = Driver::start_in_turn(None);
        (first, second)
    }

    fn start_in_turn(turn: Option<std::sync::MutexGuard<'static, ()>>) -> Driver {
        let mut procs = Processes(Vec::new());
        let display = match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => d,
            _ => {
                let d = format!(":{}", 100 + std::process::id() % 400);
                procs.0.push(
                    Command::new("Xvfb")
                        .args([&d, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                        .stderr(Stdio::null())
                        .spawn()
                        .expect("Xvfb not found: install the xvfb package or run under xvfb-run"),
                );
                std::thread::sleep(Duration::from_millis(700));
                d
            }
        };
        let data_dir = tempfile::tempdir().unwrap();
        let (port, native_port) = (free_port(), free_port());
        let driver = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        procs.0.push(
            Command::new(driver)
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .env("DISPLAY", &display)
                .env("KTO_DESK_DATA_DIR", data_dir.path())
                .stdout(Stdio::null())
                .spawn()
                .expect("tauri-driver not found: run `make test`, which installs it"),
        );
        wait_port(port);
        Driver {
            port,
            data_dir,
            _procs: procs,
            _turn: turn,
        }
    }

    /// Starts the app: a new WebDriver session is a new app process.
    pub async fn launch(&self) -> App {
        let app = PathBuf::from(env!("CARGO_BIN_EXE_kto-desk"));
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app }
        });
        // The first session on a fresh machine can be cut off while WebKitWebDriver
        // starts; a new attempt then succeeds. Three tries, then the error.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let connected =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.as_object().unwrap().clone())
                    .connect(&format!("http://127.0.0.1:{}", self.port))
                    .await;
            match connected {
                Ok(client) => return App { c: client },
                Err(e) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(e) => panic!("could not start a WebDriver session with the app: {e}"),
            }
        }
    }

    /// The database file of this data folder.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.path().join("kto-desk.sqlite3")
    }
}

/// Lets the webview paint what the DOM already shows before a screenshot.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(600)).await;
}

/// One running app, seen through the webview.
pub struct App {
    pub c: Client,
}

impl App {
    /// Waits for an element to exist and returns it.
    pub async fn find(&self, css: &str) -> Element {
        let t = Instant::now();
        loop {
            if let Ok(e) = self.c.find(Locator::Css(css)).await {
                return e;
            }
            assert!(t.elapsed() < TIMEOUT, "'{css}' never appeared");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The rendered text (`innerText`) of the first element matching `css`, if any.
    pub async fn text(&self, css: &str) -> Option<String> {
        let v = self
            .c
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the text of '{css}' failed: {e}"));
        v.as_str().map(str::to_string)
    }

    /// Waits until the text of `css` satisfies `pred`; returns the text.
    pub async fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> String {
        let t = Instant::now();
        let mut last = String::new();
        loop {
            if let Some(s) = self.text(css).await {
                if pred(&s) {
                    return s;
                }
                last = s;
            }
            assert!(
                t.elapsed() < TIMEOUT,
                "'{css}' never showed the expected text; last seen: {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Rendered texts of all elements matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let v = self
            .c
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
        serde_json::from_value(v).unwrap()
    }

    /// Clicks an element once it exists and takes clicks: while a dialog is open, or the
    /// app is still busy behind one, the page behind it is inert and a user waits too.
    pub async fn click(&self, css: &str) {
        let t = Instant::now();
        loop {
            match self.find(css).await.click().await {
                Ok(()) => return,
                Err(_) if t.elapsed() < TIMEOUT => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("'{css}' could not be clicked: {e}"),
            }
        }
    }

    /// Scrolls the first element matching `css` to the top of its scrolling area.
    pub async fn scroll_to(&self, css: &str) {
        self.find(css).await;
        self.c
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
    }

    /// Waits until no element matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let t = Instant::now();
        while self.c.find(Locator::Css(css)).await.is_ok() {
            assert!(t.elapsed() < TIMEOUT, "'{css}' never went away");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Replaces the text of an input and checks that the input holds exactly that text.
    ///
    /// Typing goes to whichever element has focus when each key arrives; should focus move
    /// while typing (a view that finishes loading and focuses its first field), the text is
    /// typed again rather than left split over two fields.
    pub async fn fill(&self, css: &str, text: &str) {
        let mut seen = String::new();
        for _ in 0..3 {
            let e = self.find(css).await;
            // A field disabled while its form loads takes no keys yet: wait, as a user would.
            let t = Instant::now();
            while !e.is_enabled().await.unwrap_or(true) {
                assert!(t.elapsed() < TIMEOUT, "'{css}' stayed disabled");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            e.clear()
                .await
                .unwrap_or_else(|err| panic!("could not clear '{css}': {err}"));
            e.send_keys(text)
                .await
                .unwrap_or_else(|err| panic!("could not type into '{css}': {err}"));
            seen = e.prop("value").await.unwrap().unwrap_or_default();
            if seen == text {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("'{css}' holds {seen:?} after typing {text:?} three times");
    }

    /// Types `keys` into whichever element has the focus, as a user's keyboard would.
    pub async fn keys(&self, keys: &str) {
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// The id of the element that has the keyboard focus (empty when it has none).
    pub async fn focused_id(&self) -> String {
        let v = self
            .c
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// The current value of an input.
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Picks `value` in a `<select>` as a user would, firing its change event.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await;
        let took = self
            .c
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1];
                 e.dispatchEvent(new Event('change', { bubbles: true }));
                 return e.value === arguments[1];",
                vec![serde_json::json!(css), serde_json::json!(value)],
            )
            .await
            .unwrap();
        assert_eq!(
            took,
            serde_json::json!(true),
            "'{css}' has no option '{value}' to choose"
        );
    }

    /// Saves a screenshot under the cargo target folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.c.screenshot().await.unwrap();
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("e2e-{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the session, which closes the app.
    pub async fn quit(self) {
        self.c.close().await.unwrap();
    }
}
