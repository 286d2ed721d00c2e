//! The generator screen: the settings form, the download (button or Ctrl/Cmd+Enter), and the
//! explorer (`ui::explorer`) that previews what the settings generate.

use leptos::prelude::*;

use super::existing::{element_id, ExistingSettings, ModeSwitch};
use super::explorer::{baseline_label, Explorer, Preview};
use super::state::{use_store, Route};
use crate::core::changes::LastDownload;
use crate::core::spec::{Ci, DeployTarget, Field, FieldError, Mode, ProjectSpec, Registry, Stack};
use crate::platform::{clock, download, location, worker};

#[component]
pub fn GenerateScreen() -> impl IntoView {
    let store = use_store();
    let spec = store.spec;
    let errors = Memo::new(move |_| spec.with(|s| s.validate()));
    let preview = Preview::empty();
    // A plan item links here with the file it means selected (`#/generate?file=…`).
    let linked = Route::generate_file(&location::hash());
    let selected = RwSignal::new(linked.unwrap_or_else(|| "Dockerfile".to_string()));
    let status = RwSignal::new(String::new());
    let last_millis = RwSignal::new(None::<f64>);
    let busy = RwSignal::new(false);
    let generation = StoredValue::new(0u64);

    // Live preview: regenerate shortly after the settings, answers or last download change.
    Effect::new(move |_| {
        let s = spec.get();
        let a = store.answers.get();
        let baseline = store.last_download.get();
        store.checklist.track(); // the worker receives the installed checklist with the request
        if !errors.with(Vec::is_empty) {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        // `try_get_value`: the user may have left the screen (its values disposed) meanwhile.
        gloo::timers::callback::Timeout::new(150, move || {
            if generation.try_get_value() != Some(mine) {
                return;
            }
            worker::generate(&s, &a, baseline.as_ref(), false, move |reply| {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                preview.error.set(reply.error.clone());
                if reply.error.is_none() {
                    preview.show(reply, selected);
                }
            });
        })
        .forget();
    });

    let download_zip = move || {
        let problems = errors.with_untracked(Vec::len);
        if problems > 0 {
            status.set(format!(
                "Fix {} above to download.",
                settings_count(problems)
            ));
            if let Some(first) = errors.with_untracked(|e| e.first().map(|e| e.field)) {
                focus_control(&control_id(first));
            }
            return;
        }
        if busy.get_untracked() {
            return;
        }
        let s = spec.get_untracked();
        let answers = store.answers.get_untracked();
        let filename = format!("{}.zip", s.name);
        busy.set(true);
        status.set("Generating…".into());
        let saved = LastDownload::new(&s, &answers, clock::now());
        // The zip is saved even if the user left the screen meanwhile; the screen's own
        // signals are then disposed, hence `try_set`.
        worker::generate(&s, &answers, None, true, move |reply| {
            busy.try_set(false);
            let message = match reply.error {
                Some(e) => e,
                None => match download::save_bytes(&reply.zip, &filename, "application/zip") {
                    Ok(()) => {
                        last_millis.try_set(Some(reply.millis));
                        // The project on the team's disk is now this one: changes are counted
                        // from here.
                        store.last_download.set(Some(saved));
                        format!(
                            "Saved {filename}: {} files, {} KB, generated in {:.1} ms.",
                            reply.files.len(),
                            reply.zip.len().div_ceil(1024),
                            reply.millis
                        )
                    }
                    Err(e) => e,
                },
            };
            status.try_set(message);
        });
    };
    // Ctrl+Enter (Cmd+Enter on a Mac) downloads from anywhere on this screen.
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.repeat() {
            ev.prevent_default();
            download_zip();
        }
    });
    on_cleanup(move || shortcut.remove());
    let baseline =
        Signal::derive(move || store.last_download.with(|l| l.as_ref().map(baseline_label)));

    view! {
        <div class="generate" data-testid="generate-screen">
            <section class="card settings" aria-labelledby="settings-title">
                <h2 id="settings-title">"Project settings"</h2>
                <ModeSwitch/>
                <div class="settings-parts">
                    <div class="settings-part"><BasicSettings errors=errors/></div>
                    <div class="settings-part"><ServicesAndProcesses errors=errors/></div>
                    <div class="settings-part"><DeliveryOptions/></div>
                </div>
                <ExistingSettings errors=errors/>
                {move || store.worker_failure.get().map(|reason| view! {
                    <p class="field-msg error" role="alert" data-testid="generate-unavailable">
                        {format!("Generation is unavailable: the generator did not load ({reason}). Reload the page to try again; your settings and answers are kept.")}
                    </p>
                })}
                <div class="actions">
                    <button class="primary" data-testid="download" aria-keyshortcuts="Control+Enter Meta+Enter"
                        disabled=move || !errors.with(Vec::is_empty) || busy.get() || store.worker_failure.with(Option::is_some) on:click=move |_| download_zip()>
                        "Download project"
                    </button>
                    <span class="hint shortcut-hint"><kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" or "<kbd>"⌘"</kbd>"+"<kbd>"Enter"</kbd></span>
                    <button data-testid="reset-settings" on:click=move |_| spec.set(ProjectSpec::default())>"Reset settings"</button>
                </div>
                <p class="status" role="status" data-testid="download-status" data-millis=move || last_millis.get().map(|m| m.to_string())>{move || status.get()}</p>
                <div class="field-msg error-summary" data-testid="error-summary" hidden=move || errors.with(Vec::is_empty)>
                    <p>{move || no_download_until(errors.with(Vec::len))}</p>
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let id = control_id(e.field);
                            view! {
                                <li><a href=format!("#{id}") on:click=move |ev| {
                                    // The app routes on the hash: move focus instead of navigating.
                                    ev.prevent_default();
                                    focus_control(&id);
                                }>{format!("{}: {}", e.field.label(), e.message)}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </section>
            <Explorer preview=preview selected=selected status=status baseline=baseline/>
        </div>
    }
}

/// The id of the form control that edits `field`, so the summary can take the user to it.
fn control_id(field: Field) -> String {
    match field {
        Field::Name => "project-name".into(),
        Field::Description => "project-description".into(),
        Field::RuntimeVersion => "runtime".into(),
        Field::Port => "port".into(),
        Field::Worker => "proc-worker".into(),
        Field::Release => "proc-release".into(),
        Field::Preset
        | Field::BuildCommand
        | Field::TestCommand
        | Field::Start(_)
        | Field::HealthPath
        | Field::ReadyPath
        | Field::DatabaseVar
        | Field::RedisVar
        | Field::VariableName(_)
        | Field::VariableExample(_)
        | Field::SourceFolders => element_id(field),
    }
}

fn focus_control(id: &str) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    el.scroll_into_view_with_bool(false);
    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
        let _ = el.focus();
    }
}

fn settings_count(n: usize) -> String {
    match n {
        1 => "1 setting".to_string(),
        n => format!("{n} settings"),
    }
}

fn no_download_until(n: usize) -> String {
    let verb = if n == 1 { "is" } else { "are" };
    format!(
        "No download until {} above {verb} fixed:",
        settings_count(n)
    )
}

/// The validation message for `field`, if any, as a reactive closure.
fn field_message(
    errors: Memo<Vec<FieldError>>,
    field: Field,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        errors.with(|e| {
            e.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }
}

/// Name, description, stack, runtime version and port, and what the generated app does.
#[component]
fn BasicSettings(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let error_for = move |field: Field| field_message(errors, field);
    view! {
        <TextField label="Project name" id="project-name" hint="Lowercase letters, digits and hyphens: it names the folder, the image and the zip."
            value=Signal::derive(move || spec.with(|s| s.name.clone()))
            error=Signal::derive(error_for(Field::Name))
            set=Callback::new(move |v: String| spec.update(|s| s.name = v))/>
        <TextField label="Description" id="project-description" hint="One line; it goes into the README and image labels."
            value=Signal::derive(move || spec.with(|s| s.description.clone()))
            error=Signal::derive(error_for(Field::Description))
            set=Callback::new(move |v: String| spec.update(|s| s.description = v))/>
        <div class="field-row">
            <div class="field">
                <label for="stack">"Stack"</label>
                <select id="stack" data-testid="stack" on:change=move |ev| {
                    if let Some(st) = Stack::from_id(&event_target_value(&ev)) {
                        spec.update(|s| {
                            s.stack = st;
                            s.runtime_version.clear();
                            // Settings still at the old tool's defaults follow the new stack's.
                            s.existing.change_preset(st.default_preset());
                        });
                    }
                }>
                    {Stack::ALL.into_iter().map(|st| view! {
                        <option value=st.id() selected=move || spec.with(|s| s.stack == st)>
                            // An existing service brings its own server: the starter's is noise there.
                            {move || match spec.with(|s| s.mode) {
                                Mode::New => format!("{} ({})", st.label(), st.framework()),
                                Mode::Existing => st.label().to_string(),
                            }}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="runtime">"Runtime version"</label>
                <select id="runtime" data-testid="runtime" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    spec.update(|s| s.runtime_version = if v == s.stack.default_version() { String::new() } else { v });
                }>
                    {move || {
                        let st = spec.with(|s| s.stack);
                        st.versions().iter().map(|v| {
                            let v = *v;
                            view! { <option value=v selected=move || spec.with(|s| s.runtime_version() == v)>{v}</option> }
                        }).collect_view()
                    }}
                </select>
                <p class="field-msg">{error_for(Field::RuntimeVersion)}</p>
            </div>
            <div class="field">
                <label for="port">"HTTP port"</label>
                <input id="port" type="number" min="1024" max="65535" data-testid="port"
                    aria-invalid=move || error_for(Field::Port)().is_some().to_string()
                    aria-describedby="port-msg"
                    prop:value=move || spec.with(|s| s.port.to_string())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        spec.update(|s| s.port = v.trim().parse().unwrap_or(0));
                    }/>
                <p class="field-msg" id="port-msg">{move || error_for(Field::Port)().or_else(|| spec.with(|s| (s.port == 0).then(|| "Enter a port number between 1024 and 65535.".to_string())))}</p>
            </div>
        </div>
        <p class="hint app-summary" data-testid="app-summary" hidden=move || spec.with(|s| s.mode == Mode::Existing)>
            "The app reads its settings from the environment, binds $PORT, answers /health and a /ready that checks the services you tick, logs JSON lines and stops cleanly on SIGTERM. Its own tests run with "
            <code>{move || spec.with(|s| s.stack.test_command())}</code>
            " locally and in CI."
        </p>
    }
}

/// Backing services and the processes they allow; the rules and messages come from the core.
#[component]
fn ServicesAndProcesses(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let error_for = move |field: Field| field_message(errors, field);
    view! {
        <fieldset class="group">
            <legend>"Backing services"</legend>
            <Check label="PostgreSQL" hint="DATABASE_URL in config" testid="svc-postgres"
                checked=Signal::derive(move || spec.with(|s| s.services.postgres))
                set=Callback::new(move |v| spec.update(|s| s.set_postgres(v)))/>
            <Check label="Redis" hint="REDIS_URL in config" testid="svc-redis"
                checked=Signal::derive(move || spec.with(|s| s.services.redis))
                set=Callback::new(move |v| spec.update(|s| s.set_redis(v)))/>
        </fieldset>
        <fieldset class="group">
            <legend>"Processes"</legend>
            <p class="muted">"web (always): serves HTTP on $PORT."</p>
            <ProcessCheck field=Field::Worker label="worker" testid="proc-worker" hint="background jobs from a queue"
                error=Signal::derive(error_for(Field::Worker))
                set=Callback::new(move |v| spec.update(|s| s.processes.worker = v))/>
            <Check label="scheduler" testid="proc-scheduler" hint="runs periodic tasks"
                checked=Signal::derive(move || spec.with(|s| s.processes.scheduler))
                set=Callback::new(move |v| spec.update(|s| s.processes.scheduler = v))/>
            <ProcessCheck field=Field::Release label="release" testid="proc-release" hint="runs migrations once per deploy"
                error=Signal::derive(error_for(Field::Release))
                set=Callback::new(move |v| spec.update(|s| s.processes.release = v))/>
        </fieldset>
    }
}

/// CI system, image registry and deploy target.
#[component]
fn DeliveryOptions() -> impl IntoView {
    let spec = use_store().spec;
    view! {
        <div class="field-row">
            <fieldset class="group">
                <legend>"CI"</legend>
                <Radio name="ci" label="GitHub Actions" testid="ci-github" checked=Signal::derive(move || spec.with(|s| s.ci == Ci::GithubActions)) set=Callback::new(move |_| spec.update(|s| s.ci = Ci::GithubActions))/>
                <Radio name="ci" label="GitLab CI" testid="ci-gitlab" checked=Signal::derive(move || spec.with(|s| s.ci == Ci::GitlabCi)) set=Callback::new(move |_| spec.update(|s| s.ci = Ci::GitlabCi))/>
            </fieldset>
            <fieldset class="group">
                <legend>"Image registry"</legend>
                <Radio name="registry" label="GitHub Container Registry" testid="reg-ghcr" checked=Signal::derive(move || spec.with(|s| s.registry == Registry::Ghcr)) set=Callback::new(move |_| spec.update(|s| s.registry = Registry::Ghcr))/>
                <Radio name="registry" label="Docker Hub" testid="reg-dockerhub" checked=Signal::derive(move || spec.with(|s| s.registry == Registry::DockerHub)) set=Callback::new(move |_| spec.update(|s| s.registry = Registry::DockerHub))/>
            </fieldset>
            <fieldset class="group">
                <legend>"Deploy to"</legend>
                {DeployTarget::ALL.into_iter().map(|t| view! {
                    <Radio name="deploy-target" label=t.label() testid=deploy_testid(t)
                        checked=Signal::derive(move || spec.with(|s| s.deploy_target == t))
                        set=Callback::new(move |_| spec.update(|s| s.deploy_target = t))/>
                }).collect_view()}
            </fieldset>
        </div>
    }
}

fn deploy_testid(target: DeployTarget) -> &'static str {
    match target {
        DeployTarget::Swarm => "deploy-swarm",
        DeployTarget::Kubernetes => "deploy-kubernetes",
        DeployTarget::Both => "deploy-both",
    }
}

/// An optional process whose availability depends on the backing services. The rule and its
/// reason come from the core ([`ProjectSpec::toggle`]); a ticked box stays enabled so an
/// imported spec that breaks the rule can be fixed, and the validation message shows under it.
#[component]
fn ProcessCheck(
    field: Field,
    label: &'static str,
    hint: &'static str,
    testid: &'static str,
    error: Signal<Option<String>>,
    set: Callback<bool>,
) -> impl IntoView {
    let spec = use_store().spec;
    let toggle = move || spec.with(|s| s.toggle(field));
    view! {
        <label class="check" class:disabled=move || !toggle().enabled>
            <input type="checkbox" id=testid data-testid=testid
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=format!("{testid}-msg")
                prop:checked=move || toggle().checked
                disabled=move || !toggle().enabled
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            <span>
                <strong>{label}</strong>
                " — "
                <span class="muted">{hint}</span>
                {move || toggle().requirement.map(|r| view! { <span class="reason">{format!(" ({r})")}</span> })}
            </span>
        </label>
        <p class="field-msg" id=format!("{testid}-msg") data-testid=format!("{testid}-error")>{move || error.get()}</p>
    }
}

#[component]
fn TextField(
    label: &'static str,
    id: &'static str,
    hint: &'static str,
    value: Signal<String>,
    error: Signal<Option<String>>,
    set: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" data-testid=id autocomplete="off" spellcheck="false"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=format!("{id}-hint {id}-msg")
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))/>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <p class="field-msg" id=format!("{id}-msg") data-testid=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

#[component]
fn Check(
    label: &'static str,
    hint: &'static str,
    testid: &'static str,
    checked: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" data-testid=testid
                prop:checked=move || checked.get()
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            <span>
                <strong>{label}</strong>
                " — "
                <span class="muted">{hint}</span>
            </span>
        </label>
    }
}

#[component]
fn Radio(
    name: &'static str,
    label: &'static str,
    testid: &'static str,
    checked: Signal<bool>,
    set: Callback<()>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="radio" name=name data-testid=testid prop:checked=move || checked.get() on:change=move |_| set.run(())/>
            <span>{label}</span>
        </label>
    }
}
