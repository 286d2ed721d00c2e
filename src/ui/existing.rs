//! The Generate screen's mode switch and the existing service's settings. Every rule and message
//! comes from the core (`ProjectSpec::validate`, `core::command`); this file only shows them next
//! to their fields and writes what is typed into the spec (autosaved and synced like the rest).

use leptos::prelude::*;

use super::state::use_store;
use crate::core::command::{self, Parsed};
use crate::core::existing::MAX_VARIABLES;
use crate::core::presets::PresetId;
use crate::core::spec::{Field, FieldError, Mode, ProcessType, Variable};

/// The form element id of a field (`existing-start-web`), used by its label and messages.
pub fn element_id(field: Field) -> String {
    field.id().replace(['.', '_'], "-")
}

fn message(errors: Memo<Vec<FieldError>>, field: Field) -> Option<String> {
    errors.with(|e| {
        e.iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    })
}

/// New service or existing service: a radio group at the top of the settings.
#[component]
pub fn ModeSwitch() -> impl IntoView {
    let spec = use_store().spec;
    let option =
        move |mode: Mode, testid: &'static str, title: &'static str, help: &'static str| {
            view! {
                <label class="check mode-option">
                    <input type="radio" name="mode" data-testid=testid
                        prop:checked=move || spec.with(|s| s.mode == mode)
                        on:change=move |_| spec.update(|s| s.mode = mode)/>
                    <span><strong>{title}</strong>" — "<span class="muted">{help}</span></span>
                </label>
            }
        };
    view! {
        <fieldset class="group mode-switch" data-testid="mode-switch">
            <legend>"What are you deploying?"</legend>
            {option(Mode::New, "mode-new", "New service", "a starter app that keeps the contract, plus every deploy file")}
            {option(Mode::Existing, "mode-existing", "Existing service", "deploy files only, fitted to your project's tools, commands and variable names")}
        </fieldset>
    }
}

/// The existing service's settings, shown in existing mode.
#[component]
pub fn ExistingSettings(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    view! {
        <div class="existing-settings" data-testid="existing-settings"
            hidden=move || spec.with(|s| s.mode == Mode::New)>
            <PresetField errors=errors/>
            <div class="field-row">
                <ExField field=Field::BuildCommand label="Build command" errors=errors
                    hint="Runs after the dependencies are installed, in the image's build stage and in CI (a shell command; may be empty)."
                    get=move |s| s.existing.build_command.clone()
                    set=move |s, v| s.existing.build_command = v/>
                <ExField field=Field::TestCommand label="Test command" errors=errors
                    hint="CI runs it on every push (a shell command)."
                    get=move |s| s.existing.test_command.clone()
                    set=move |s, v| s.existing.test_command = v/>
            </div>
            <fieldset class="group">
                <legend>"Start commands"</legend>
                <p class="hint">"As you would type them in the project folder. They run in exec form (no shell), so the program itself gets SIGTERM."</p>
                {ProcessType::ALL.into_iter().map(|p| view! { <StartField process=p errors=errors/> }).collect_view()}
            </fieldset>
            <label class="check">
                <input type="checkbox" data-testid="existing-reads-port"
                    prop:checked=move || spec.with(|s| s.existing.reads_port)
                    on:change=move |ev| spec.update(|s| s.existing.reads_port = event_target_checked(&ev))/>
                <span><strong>"The app reads $PORT"</strong>" — "<span class="muted">"otherwise it always binds the HTTP port above"</span></span>
            </label>
            <div class="field-row">
                <ExField field=Field::HealthPath label="Health path" errors=errors
                    hint="Liveness. Leave empty if the app has none: probes then only check that the port accepts connections."
                    get=move |s| s.existing.health_path.clone()
                    set=move |s, v| s.existing.health_path = v/>
                <ExField field=Field::ReadyPath label="Readiness path" errors=errors
                    hint="200 only when the app can serve. Leave empty if it has none."
                    get=move |s| s.existing.ready_path.clone()
                    set=move |s, v| s.existing.ready_path = v/>
            </div>
            <div class="field-row">
                <div hidden=move || !spec.with(|s| s.services.postgres)>
                    <ExField field=Field::DatabaseVar label="Database URL variable" errors=errors
                        hint="The variable your app reads the PostgreSQL URL from."
                        get=move |s| s.existing.database_var.clone()
                        set=move |s, v| s.existing.database_var = v/>
                </div>
                <div hidden=move || !spec.with(|s| s.services.redis)>
                    <ExField field=Field::RedisVar label="Redis URL variable" errors=errors
                        hint="The variable your app reads the Redis URL from."
                        get=move |s| s.existing.redis_var.clone()
                        set=move |s, v| s.existing.redis_var = v/>
                </div>
            </div>
            <Variables errors=errors/>
            <label class="check">
                <input type="checkbox" data-testid="existing-reads-secret-files"
                    prop:checked=move || spec.with(|s| s.existing.reads_secret_files)
                    on:change=move |ev| spec.update(|s| s.existing.reads_secret_files = event_target_checked(&ev))/>
                <span>
                    <strong>"The app reads secret files"</strong>" — "
                    <span class="muted">"it reads a credential from the file NAME_FILE names (Docker and Kubernetes secrets are files). Otherwise the image's env-from-files script sets NAME from that file before each start command, and the value is in the process environment."</span>
                </span>
            </label>
            <FoldersField errors=errors/>
        </div>
    }
}

#[component]
fn PresetField(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let id = element_id(Field::Preset);
    view! {
        <div class="field">
            <label for=id.clone()>"Dependency tool"</label>
            <select id=id.clone() data-testid="existing-preset" aria-describedby=format!("{id}-msg")
                aria-invalid=move || message(errors, Field::Preset).is_some().to_string()
                on:change=move |ev| {
                    if let Some(p) = PresetId::from_key(&event_target_value(&ev)) {
                        spec.update(|s| s.existing.change_preset(p));
                    }
                }>
                {move || {
                    let stack = spec.with(|s| s.stack);
                    stack.presets().map(|p| {
                        let key = p.key;
                        view! {
                            <option value=key selected=move || spec.with(|s| s.existing.preset_id(s.stack).preset().key == key)>
                                {format!("{} ({})", p.label, p.dependency_files.join(", "))}
                            </option>
                        }
                    }).collect_view()
                }}
            </select>
            <p class="field-msg" id=format!("{id}-msg")>{move || message(errors, Field::Preset)}</p>
        </div>
    }
}

/// A text setting of the existing service, with its hint and message tied to the input.
#[component]
fn ExField(
    field: Field,
    label: &'static str,
    hint: &'static str,
    errors: Memo<Vec<FieldError>>,
    get: fn(&crate::core::spec::ProjectSpec) -> String,
    set: fn(&mut crate::core::spec::ProjectSpec, String),
) -> impl IntoView {
    let spec = use_store().spec;
    let id = element_id(field);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" data-testid=id.clone() autocomplete="off" spellcheck="false"
                aria-invalid=move || message(errors, field).is_some().to_string()
                aria-describedby=format!("{id}-hint {id}-msg")
                prop:value=move || spec.with(get)
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    spec.update(|s| set(s, v));
                }/>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <p class="field-msg" id=format!("{id}-msg") data-testid=format!("{id}-error")>{move || message(errors, field)}</p>
        </div>
    }
}

/// One process type's start command; a command that needs a shell gets the explicit offer.
#[component]
fn StartField(process: ProcessType, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let field = Field::Start(process);
    let id = element_id(field);
    let runs = move || spec.with(|s| s.runs(process));
    let value = move || spec.with(|s| s.existing.start.get(process).to_string());
    let wrapped = move || match command::parse(&value()) {
        Parsed::NeedsShell(shell) => Some(shell.wrapped),
        Parsed::Exec(_) | Parsed::Empty | Parsed::Unbalanced => None,
    };
    let label = format!("{} process", process.id());
    view! {
        // The wrapper carries `hidden`: `.field` sets its own display, which would override it.
        <div hidden=move || !runs()><div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" data-testid=id.clone() autocomplete="off" spellcheck="false" class="mono"
                aria-invalid=move || message(errors, field).is_some().to_string()
                aria-describedby=format!("{id}-msg")
                prop:value=value
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    spec.update(|s| *s.existing.start.get_mut(process) = v);
                }/>
            <p class="field-msg" id=format!("{id}-msg") data-testid=format!("{id}-error")>{move || message(errors, field)}</p>
            {move || wrapped().map(|w| {
                let shown = w.clone();
                view! {
                    <button type="button" data-testid=format!("{}-wrap", element_id(field))
                        on:click=move |_| spec.update(|s| *s.existing.start.get_mut(process) = w.clone())>
                        "Run it through a shell: " <code>{shown}</code>
                    </button>
                }
            })}
        </div></div>
    }
}

/// The app's other variables: name, example value, secret or not.
#[component]
fn Variables(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let count = move || spec.with(|s| s.existing.variables.len());
    let full = move || count() >= MAX_VARIABLES;
    view! {
        <fieldset class="group" data-testid="existing-variables">
            <legend>"Other variables the app reads"</legend>
            <p class="hint">"Secrets go to Docker or Kubernetes secrets (the app reads NAME or the file NAME_FILE names); the rest to config. Examples go into .env.example: placeholders only."</p>
            <For each=move || 0..count() key=|i| *i children=move |i| view! { <VariableRow index=i errors=errors/> }/>
            <button type="button" data-testid="add-variable" disabled=full
                on:click=move |_| spec.update(|s| s.existing.variables.push(Variable::default()))>
                "Add variable"
            </button>
        </fieldset>
    }
}

#[component]
fn VariableRow(index: usize, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let get = move |f: fn(&Variable) -> String| {
        spec.with(|s| s.existing.variables.get(index).map(f).unwrap_or_default())
    };
    let edit = move |f: fn(&mut Variable, String), v: String| {
        spec.update(|s| {
            if let Some(var) = s.existing.variables.get_mut(index) {
                f(var, v);
            }
        })
    };
    let name_id = element_id(Field::VariableName(index));
    let example_id = element_id(Field::VariableExample(index));
    view! {
        <div class="field-row variable-row">
            <div class="field">
                <label for=name_id.clone()>{format!("Name {}", index + 1)}</label>
                <input id=name_id.clone() type="text" class="mono" data-testid=format!("variable-name-{index}") autocomplete="off" spellcheck="false"
                    aria-invalid=move || message(errors, Field::VariableName(index)).is_some().to_string()
                    aria-describedby=format!("{name_id}-msg")
                    prop:value=move || get(|v| v.name.clone())
                    on:input=move |ev| edit(|v, x| v.name = x, event_target_value(&ev))/>
                <p class="field-msg" id=format!("{name_id}-msg") data-testid=format!("variable-name-{index}-error")>{move || message(errors, Field::VariableName(index))}</p>
            </div>
            <div class="field">
                <label for=example_id.clone()>{format!("Example {}", index + 1)}</label>
                <input id=example_id.clone() type="text" class="mono" data-testid=format!("variable-example-{index}") autocomplete="off" spellcheck="false"
                    aria-invalid=move || message(errors, Field::VariableExample(index)).is_some().to_string()
                    aria-describedby=format!("{example_id}-msg")
                    prop:value=move || get(|v| v.example.clone())
                    on:input=move |ev| edit(|v, x| v.example = x, event_target_value(&ev))/>
                <p class="field-msg" id=format!("{example_id}-msg")>{move || message(errors, Field::VariableExample(index))}</p>
            </div>
            <label class="check">
                <input type="checkbox" data-testid=format!("variable-secret-{index}")
                    prop:checked=move || spec.with(|s| s.existing.variables.get(index).is_some_and(|v| v.secret))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        spec.update(|s| if let Some(v) = s.existing.variables.get_mut(index) { v.secret = on; });
                    }/>
                <span>"Secret"</span>
            </label>
            <button type="button" data-testid=format!("variable-remove-{index}")
                aria-label=format!("Remove variable {}", index + 1)
                on:click=move |_| spec.update(|s| if index < s.existing.variables.len() { s.existing.variables.remove(index); })>
                "Remove"
            </button>
        </div>
    }
}

/// Source folders as one comma-separated line. The typed text is kept as typed while the spec
/// gets the cleaned list, so a trailing comma never jumps away under the cursor.
#[component]
fn FoldersField(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let spec = use_store().spec;
    let id = element_id(Field::SourceFolders);
    let joined = move || spec.with(|s| s.existing.source_folders.join(", "));
    let typed = RwSignal::new(joined());
    // Another tab, an import or a preset change replaced the list: show it.
    Effect::new(move |_| {
        let now = joined();
        if split(&typed.get_untracked()) != split(&now) {
            typed.set(now);
        }
    });
    view! {
        <div class="field">
            <label for=id.clone()>"Folders to copy into the image"</label>
            <input id=id.clone() type="text" class="mono" data-testid=id.clone() autocomplete="off" spellcheck="false"
                aria-invalid=move || message(errors, Field::SourceFolders).is_some().to_string()
                aria-describedby=format!("{id}-hint {id}-msg")
                prop:value=move || typed.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    typed.set(v.clone());
                    spec.update(|s| s.existing.source_folders = split(&v));
                }/>
            <p class="hint" id=format!("{id}-hint")>"Relative to the repository root, separated by commas; . copies everything .dockerignore keeps. The dependency files are copied first on their own."</p>
            <p class="field-msg" id=format!("{id}-msg") data-testid=format!("{id}-error")>{move || message(errors, Field::SourceFolders)}</p>
        </div>
    }
}

fn split(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(String::from)
        .collect()
}
