//! The generator worker: the protocol, the worker side, and the page-side client.
//!
//! Rendering templates (tera) and zipping (zip + flate2) are the heaviest code in the product,
//! so they run in a second wasm module loaded after the first screen is up. One worker is kept
//! alive for the page's life; requests carry an id so answers are matched to callers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo_worker::{HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::core::answers::Answers;
use crate::core::archive;
use crate::core::changes::{self, FileChange, LastDownload};
use crate::core::content::custom::{self, Checklist};
use crate::core::content::texts::{self, LongTexts};
use crate::core::content::FileId;
use crate::core::explain::{self, Explanation};
use crate::core::generate::{self, GeneratedFile};
use crate::core::spec::ProjectSpec;

/// What the page asks. JSON strings keep the wire format independent of serde attributes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub spec_json: String,
    pub answers_json: String,
    /// The team's checklist in use on the page (JSON, empty for none): the worker has its own
    /// thread, so it installs the checklist before generating.
    #[serde(default)]
    pub checklist_json: String,
    /// Also build the zip (for download), not just the files (for preview).
    pub zip: bool,
    /// Only the paths each checklist file is written to (for the plan's links), nothing
    /// rendered: the page asks here so its own module does not link the generator's tables.
    #[serde(default)]
    pub paths_only: bool,
    /// Only the long content texts the page's module leaves out (`core::content::texts`).
    #[serde(default)]
    pub texts_only: bool,
    /// The last download (`core::changes::LastDownload` as JSON, empty for none): the worker
    /// renders it too and returns what differs.
    #[serde(default)]
    pub baseline_json: String,
}

/// The paths the generator writes for one checklist file with the request's settings.
pub type FilePaths = Vec<(FileId, Vec<String>)>;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reply {
    pub id: u64,
    pub error: Option<String>,
    pub files: Vec<GeneratedFile>,
    pub zip: Vec<u8>,
    /// Milliseconds the worker spent generating (and zipping).
    pub millis: f64,
    /// The cross-file consistency checks of the generated project.
    pub checks: Vec<Check>,
    /// With `paths_only`: every checklist file's paths.
    #[serde(default)]
    pub paths: FilePaths,
    /// With `texts_only`: the long content texts.
    #[serde(default)]
    pub texts: Option<LongTexts>,
    /// The files that differ from the last download (none without one).
    #[serde(default)]
    pub changes: Vec<FileChange>,
    /// Why the last download could not be compared, when it could not.
    #[serde(default)]
    pub baseline_error: Option<String>,
    /// "Why this file", per file id of the project.
    #[serde(default)]
    pub explanations: Vec<Explanation>,
}

/// One consistency check, as the preview shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

pub struct GeneratorWorker;

fn now() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().map(|f| (p, f)))
        .and_then(|(p, f)| {
            wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f)
                .ok()
                .map(|f| (p, f))
        })
        .and_then(|(p, f)| f.call0(&p).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn handle(request: &Request) -> Reply {
    let start = now();
    let mut reply = Reply {
        id: request.id,
        error: None,
        files: Vec::new(),
        zip: Vec::new(),
        millis: 0.0,
        checks: Vec::new(),
        paths: Vec::new(),
        changes: Vec::new(),
        baseline_error: None,
        explanations: Vec::new(),
        texts: None,
    };
    if request.texts_only {
        reply.texts = Some(texts::builtin());
        return reply;
    }
    let spec: ProjectSpec = match serde_json::from_str(&request.spec_json) {
        Ok(s) => s,
        Err(e) => {
            reply.error = Some(format!("The project settings could not be read: {e}"));
            return reply;
        }
    };
    if request.paths_only {
        reply.paths = FileId::ALL
            .iter()
            .map(|&file| (file, generate::paths_for(file, &spec)))
            .collect();
        return reply;
    }
    let answers: Answers = serde_json::from_str(&request.answers_json).unwrap_or_default();
    let checklist: Option<Checklist> = serde_json::from_str(&request.checklist_json).ok();
    custom::install(checklist.as_ref());
    match generate::generate(&spec, &answers) {
        Ok(project) => {
            reply.checks = project
                .consistency()
                .checks
                .into_iter()
                .map(|c| Check {
                    name: c.name.to_string(),
                    ok: c.ok,
                    detail: c.detail,
                })
                .collect();
            if request.zip {
                match archive::zip_project(&project) {
                    Ok(bytes) => reply.zip = bytes,
                    Err(e) => reply.error = Some(format!("The zip could not be written: {e}")),
                }
            }
            match baseline_files(request) {
                Ok(Some(before)) => reply.changes = changes::compare(&before, &project.files),
                Ok(None) => {}
                Err(e) => reply.baseline_error = Some(e),
            }
            reply.explanations = explain::explain_project(&project.files, &answers);
            reply.files = project.files;
        }
        Err(e) => reply.error = Some(e.to_string()),
    }
    reply.millis = now() - start;
    reply
}

thread_local! {
    /// The last baseline rendered, by its request text: it changes only on a download, while
    /// the preview regenerates on every edit.
    static BASELINE: RefCell<(String, Vec<GeneratedFile>)> = RefCell::new(Default::default());
}

/// The files of the last download, rendered with this version's templates and the checklist
/// installed for this request (`None` without a last download).
fn baseline_files(request: &Request) -> Result<Option<Vec<GeneratedFile>>, String> {
    let json = &request.baseline_json;
    if json.is_empty() {
        return Ok(None);
    }
    let key = format!("{}\n{json}", request.checklist_json);
    let cached = BASELINE.with(|b| {
        let b = b.borrow();
        (b.0 == key).then(|| b.1.clone())
    });
    if cached.is_some() {
        return Ok(cached);
    }
    let last: LastDownload = serde_json::from_str(json)
        .map_err(|e| format!("The last download's settings could not be read ({e})."))?;
    let project = generate::generate(&last.project, &last.answers()).map_err(|e| {
        format!("The last download's settings cannot be generated by this version ({e}).")
    })?;
    BASELINE.with(|b| *b.borrow_mut() = (key, project.files.clone()));
    Ok(Some(project.files))
}

impl Worker for GeneratorWorker {
    type Message = ();
    type Input = Request;
    type Output = Reply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        GeneratorWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        scope.respond(id, handle(&msg));
    }
}

/// Called by the worker binary. Not in the page's build (feature `page`), whose templates are
/// empty: that module must never serve as the generator.
#[cfg(not(feature = "page"))]
pub fn register() {
    use gloo_worker::Registrable;
    GeneratorWorker::registrar().register();
}

type Callback = Box<dyn FnOnce(Reply)>;

thread_local! {
    static BRIDGE: RefCell<Option<WorkerBridge<GeneratorWorker>>> = const { RefCell::new(None) };
    /// Tells the page that the worker's files did not load (set by `on_failure`).
    static FAILED: RefCell<Option<Report>> = const { RefCell::new(None) };
    /// Where `public/worker-boot.js` reports that worker.js or worker_bg.wasm did not load,
    /// kept alive with its handler.
    static CHANNEL: RefCell<Option<(web_sys::BroadcastChannel, Closure<web_sys::MessageEvent>)>> =
        const { RefCell::new(None) };
    /// The `error` listener on the Worker, kept alive for the page's life.
    static LOAD_ERROR: RefCell<Option<Closure<web_sys::Event>>> = const { RefCell::new(None) };
    static PENDING: RefCell<HashMap<u64, Callback>> = RefCell::new(HashMap::new());
    static NEXT_ID: RefCell<u64> = const { RefCell::new(1) };
}

type Closure<E> = wasm_bindgen::closure::Closure<dyn FnMut(E)>;
type Report = Rc<dyn Fn(String)>;

/// Calls `failed` with the reason when the worker's files cannot load; the worker is then never
/// going to answer. Call before the first request.
pub fn on_failure(failed: impl Fn(String) + 'static) {
    use wasm_bindgen::JsCast;
    FAILED.with(|f| *f.borrow_mut() = Some(Rc::new(failed)));
    let Ok(channel) = web_sys::BroadcastChannel::new(&format!("tfstudio-worker-{}", page_id()))
    else {
        return;
    };
    let handler = Closure::new(|event: web_sys::MessageEvent| {
        report(event.data().as_string().unwrap_or_default())
    });
    channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    CHANNEL.with(|c| *c.borrow_mut() = Some((channel, handler)));
}

fn report(reason: String) {
    let failed = FAILED.with(|f| f.borrow().clone());
    if let Some(failed) = failed {
        failed(reason);
    }
}

/// Runs `spawn` while the global `Worker` is a Proxy that adds an `error` listener to the
/// Worker it constructs, then puts the real constructor back.
///
/// Why: worker-boot.js reports when worker.js or worker_bg.wasm cannot load, but when
/// worker-boot.js itself cannot load (missing, blocked, offline before the service worker saved
/// it) nothing of ours runs in the worker, and the browser says so only with an `error` event on
/// the Worker object, which gloo-worker creates and keeps to itself. The event comes when the
/// load has failed, however long that took, so a slow network never raises a false alarm, as a
/// readiness timeout could.
fn watching_load<T>(spawn: impl FnOnce() -> T) -> T {
    use js_sys::{Object, Proxy, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let global = js_sys::global();
    let key = JsValue::from_str("Worker");
    let Ok(real) = Reflect::get(&global, &key) else {
        return spawn();
    };
    let construct = wasm_bindgen::closure::Closure::<
        dyn FnMut(js_sys::Function, js_sys::Array) -> Result<JsValue, JsValue>,
    >::new(|class: js_sys::Function, args: js_sys::Array| {
        let worker = Reflect::construct(&class, &args)?;
        LOAD_ERROR.with(|listener| {
            let listener = listener
                .borrow_mut()
                .get_or_insert_with(|| Closure::new(load_error))
                .as_ref()
                .clone();
            worker
                .unchecked_ref::<web_sys::EventTarget>()
                .add_event_listener_with_callback("error", listener.unchecked_ref())
        })?;
        Ok(worker)
    });
    let traps = Object::new();
    let watched = Reflect::set(&traps, &"construct".into(), construct.as_ref())
        .and_then(|_| Reflect::set(&global, &key, &Proxy::new(real.unchecked_ref(), &traps)));
    let spawned = spawn();
    if watched.is_ok() {
        let _ = Reflect::set(&global, &key, &real);
    }
    spawned
}

/// The Worker's `error` event. A script that fails to load fires a plain Event; an exception
/// thrown in the running worker fires an ErrorEvent, with a message, and is not a load failure.
fn load_error(event: web_sys::Event) {
    if !js_sys::Reflect::has(&event, &"message".into()).unwrap_or(false) {
        report("worker-boot.js: the browser could not fetch or run it".into());
    }
}

/// Names this page's failure channel, so another tab's worker never reports here.
fn page_id() -> String {
    thread_local! {
        static PAGE: String = format!("{:x}", (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64);
    }
    PAGE.with(String::clone)
}

/// Starts the worker if it is not running yet. Cheap to call again.
pub fn start() {
    BRIDGE.with(|bridge| {
        if bridge.borrow().is_none() {
            let spawned = watching_load(|| {
                GeneratorWorker::spawner()
                    .callback(|reply: Reply| {
                        let callback = PENDING.with(|p| p.borrow_mut().remove(&reply.id));
                        if let Some(callback) = callback {
                            callback(reply);
                        }
                    })
                    .with_loader(true)
                    .as_module(false)
                    .spawn(&format!("./worker-boot.js#{}", page_id()))
            });
            *bridge.borrow_mut() = Some(spawned);
        }
    });
}

/// Sends a generation request; `done` runs with the reply.
pub fn generate(
    spec: &ProjectSpec,
    answers: &Answers,
    baseline: Option<&LastDownload>,
    zip: bool,
    done: impl FnOnce(Reply) + 'static,
) {
    send(
        Request {
            id: 0,
            spec_json: serde_json::to_string(spec).unwrap_or_default(),
            answers_json: serde_json::to_string(answers).unwrap_or_default(),
            checklist_json: custom::installed()
                .and_then(|c| serde_json::to_string(c).ok())
                .unwrap_or_default(),
            zip,
            paths_only: false,
            texts_only: false,
            baseline_json: baseline
                .and_then(|b| serde_json::to_string(b).ok())
                .unwrap_or_default(),
        },
        done,
    );
}

/// Asks for the paths each checklist file is written to with `spec`; `done` runs with them
/// (nothing when the settings cannot be read: the plan then shows no file links).
pub fn paths(spec: &ProjectSpec, done: impl FnOnce(FilePaths) + 'static) {
    send(
        Request {
            id: 0,
            spec_json: serde_json::to_string(spec).unwrap_or_default(),
            answers_json: String::new(),
            checklist_json: String::new(),
            zip: false,
            paths_only: true,
            texts_only: false,
            baseline_json: String::new(),
        },
        move |reply| done(reply.paths),
    );
}

/// Asks for the long content texts this build leaves out; `done` runs with them.
pub fn long_texts(done: impl FnOnce(LongTexts) + 'static) {
    send(
        Request {
            id: 0,
            spec_json: String::new(),
            answers_json: String::new(),
            checklist_json: String::new(),
            zip: false,
            paths_only: false,
            texts_only: true,
            baseline_json: String::new(),
        },
        move |reply| done(reply.texts.unwrap_or_default()),
    );
}

/// Starts the worker if needed, numbers the request and remembers who waits for the reply.
fn send(mut request: Request, done: impl FnOnce(Reply) + 'static) {
    start();
    request.id = NEXT_ID.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    PENDING.with(|p| p.borrow_mut().insert(request.id, Box::new(done)));
    BRIDGE.with(|b| {
        if let Some(bridge) = b.borrow().as_ref() {
            bridge.send(request);
        }
    });
}
