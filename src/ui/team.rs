//! Team review screens over [`crate::core::team`]: start a review and invite, join and send a
//! response, merge responses, and the vote spread shown on question cards and in results.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::{use_store, Route, Store};
use crate::core::answers::{Answer, Answers};
use crate::core::content;
use crate::core::team::{self, decode_invitation, TeamReview, MAX_PARTICIPANTS};
use crate::platform::{download, location};

/// Handles `#join=<invitation>` and `#response=<response>`. Returns true when the fragment
/// was one of them.
pub fn apply_hash(store: Store, hash: &str) -> bool {
    let (join_code, response) = (hash.strip_prefix("#join="), hash.strip_prefix("#response="));
    if join_code.is_none() && response.is_none() {
        return false;
    }
    location::replace_hash(&Route::Team.hash());
    store.navigate(Route::Team);
    let (join_code, response) = (join_code.map(String::from), response.map(String::from));
    // Deferred: on page load this runs before autosave starts, and the change must be saved.
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(code) = join_code {
            join(store, &code);
        } else if let Some(code) = response {
            if store.team.with_untracked(|t| t.as_ref().is_some_and(|t| !t.is_participant())) {
                add_response(store, &code);
            } else {
                store.error("This is a participant's response to a team review. Open it in the facilitator's browser, or paste it into the facilitator's Team page.");
            }
        }
    })
    .forget();
    true
}

/// Joins a review as a participant, after saving any other work in this browser to a file.
fn join(store: Store, code: &str) {
    let (joined, checklist) = match decode_invitation(code) {
        Ok(j) => j,
        Err(e) => return store.error(e),
    };
    let current = store.team.get_untracked();
    if let Some(cur) = current.as_ref().filter(|c| c.id == joined.id) {
        if cur.is_participant() {
            store.info(format!(
                "You are already answering \"{}\"; carry on.",
                cur.title
            ));
        } else {
            store.error("This is the invitation to the review you are running. Send it to the participants: each opens it in their own browser.");
        }
        return;
    }
    if store.has_work() || current.is_some() {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&format!("Join the team review \"{}\"? Your answers start blank so they are your own. The work now in this browser is first saved as a JSON file (import it later to continue).", joined.title)).ok())
            .unwrap_or(false);
        if !ok {
            return store.info("You did not join the team review; your work is unchanged.");
        }
        let json = store.document().to_json();
        if let Err(e) = download::save_text(
            &json,
            "twelve-factor-assessment-before-team-review.json",
            "application/json",
        ) {
            return store.error(format!("{e} You did not join, so your work is unchanged."));
        }
    }
    let title = joined.title.clone();
    // The facilitator's checklist comes with the invitation, so everyone answers the same.
    store.replace_work(Answers::default(), None, checklist);
    store.team.set(Some(joined));
    store.info(format!(
        "You joined \"{title}\". Enter your name, answer on your own, then send your response."
    ));
}

fn add_response(store: Store, code: &str) {
    let Some(mut team) = store.team.get_untracked() else {
        return;
    };
    match team.receive(code) {
        Ok(r) => {
            store.team.set(Some(team));
            store.info(received_text(&r));
        }
        Err(e) => store.error(e),
    }
}

fn received_text(r: &team::Received) -> String {
    format!(
        "{} response from {} ({} answered).",
        if r.replaced {
            "Replaced the earlier"
        } else {
            "Added the"
        },
        r.name,
        r.answered
    )
}

/// An id for a new review: 10 random base-36 characters.
fn new_id() -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..10)
        .map(|_| DIGITS[(js_sys::Math::random() * 36.0) as usize % 36] as char)
        .collect()
}

fn copy(text: &str) {
    if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
        let _ = clipboard.write_text(text);
    }
}

fn select_on_focus(ev: leptos::ev::FocusEvent) {
    if let Some(t) = ev.target() {
        if let Ok(i) = t.clone().dyn_into::<web_sys::HtmlInputElement>() {
            i.select();
        } else if let Ok(t) = t.dyn_into::<web_sys::HtmlTextAreaElement>() {
            t.select();
        }
    }
}

#[component]
pub fn TeamScreen() -> impl IntoView {
    let store = use_store();
    // A memo, so the screen is rebuilt only when the role changes, not on every response or
    // keystroke (which would reset messages and move the focus).
    let role = Memo::new(move |_| {
        store
            .team
            .with(|t| t.as_ref().map(TeamReview::is_participant))
    });
    view! {
        <div class="team" data-testid="team-screen">
            {move || match role.get() {
                None => view! { <StartTeam/> }.into_any(),
                Some(false) => view! { <Facilitator/> }.into_any(),
                Some(true) => view! { <Participant/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn StartTeam() -> impl IntoView {
    let store = use_store();
    let title = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<&'static str>::new());
    let title_error = RwSignal::new(None::<String>);
    let join_code = RwSignal::new(String::new());
    let start = move |_| {
        let picked = chosen.get_untracked();
        match TeamReview::start(&new_id(), &title.get_untracked(), &picked) {
            Err(e) => title_error.set(Some(e)),
            Ok(team) => {
                title_error.set(None);
                let t = team.title.clone();
                store.team.set(Some(team));
                store.info(format!("Started the team review \"{t}\". Send the invitation link to the participants."));
            }
        }
    };
    let topics = content::topics()
        .map(|t| {
            let id = t.id;
            view! {
                <label class="check">
                    <input type="checkbox" data-testid="team-topic" value=id
                        prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                        }/>
                    {format!("{}: {}", t.label(), t.title)}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="team-start-title">
            <h2 id="team-start-title">"Run a team review"</h2>
            <p>"Each participant answers on their own device without seeing the others' answers, then sends you a short response code over any chat. You paste the codes here, see where the team disagrees, and settle the team answer in review mode or the presenter view. Nothing is uploaded: invitations and responses are links and codes."</p>
            <div class="field">
                <label for="team-title">"Review title"</label>
                <input id="team-title" type="text" maxlength="80" data-testid="team-title"
                    placeholder="billing-api pre-launch review"
                    aria-invalid=move || title_error.with(Option::is_some).to_string()
                    aria-describedby="team-title-msg"
                    prop:value=move || title.get()
                    on:input=move |ev| { title.set(event_target_value(&ev)); title_error.set(None); }/>
                <p class="field-msg" id="team-title-msg" data-testid="team-title-msg">{move || title_error.get()}</p>
            </div>
            <details class="team-topics">
                <summary>{move || match chosen.with(Vec::len) {
                    0 => "Topics: the whole questionnaire (choose some to narrow the review)".to_string(),
                    n => format!("Topics: {n} chosen"),
                }}</summary>
                <div class="topic-checks">{topics}</div>
            </details>
            <div class="actions">
                <button class="primary" data-testid="team-start" on:click=start>"Start team review"</button>
            </div>
        </section>
        <section class="card" aria-labelledby="team-join-title">
            <h2 id="team-join-title">"Join with an invitation code"</h2>
            <p class="muted">"Opening the invitation link joins directly. If you received a code instead, paste it here."</p>
            <div class="field">
                <label for="team-join-code">"Invitation code or link"</label>
                <input id="team-join-code" type="text" data-testid="team-join-code"
                    prop:value=move || join_code.get()
                    on:input=move |ev| join_code.set(event_target_value(&ev))/>
            </div>
            <button data-testid="team-join" on:click=move |_| join(store, &join_code.get_untracked())>"Join"</button>
        </section>
    }
}

#[component]
fn Facilitator() -> impl IntoView {
    let store = use_store();
    let team = store.team;
    let pasted = RwSignal::new(String::new());
    let paste_msg = RwSignal::new(None::<(bool, String)>);
    let invitation = move || {
        team.with(|t| {
            t.as_ref()
                .map(|t| format!("{}#join={}", location::base_url(), t.invitation()))
                .unwrap_or_default()
        })
    };
    let add = move || {
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            paste_msg.set(Some((
                false,
                "Paste a participant's response code first.".into(),
            )));
            return;
        }
        let before = team.get_untracked();
        let mut next = before.clone();
        let Some(t) = next.as_mut() else { return };
        match t.receive(&text) {
            Ok(r) => {
                team.set(next);
                pasted.set(String::new());
                paste_msg.set(Some((true, received_text(&r))));
            }
            // The pasted text stays in the field so it can be corrected.
            Err(e) => paste_msg.set(Some((false, e))),
        }
    };
    let summary = Memo::new(move |_| {
        team.with(|t| {
            store
                .answers
                .with(|a| t.as_ref().map(|t| t.summary(a)).unwrap_or_default())
        })
    });
    let unanimous_open = move || {
        team.with(|t| {
            store.answers.with(|a| {
                let mut copy = a.clone();
                t.as_ref().map_or(0, |t| t.apply_unanimous(&mut copy))
            })
        })
    };
    let apply = move |_| {
        let Some(t) = team.get_untracked() else {
            return;
        };
        let mut n = 0;
        store.answers.update(|a| n = t.apply_unanimous(a));
        store.info(format!(
            "Recorded {n} unanimous answer{} as the team's.",
            if n == 1 { "" } else { "s" }
        ));
    };
    let review_disagreements = move |_| {
        if let Some(r) = use_context::<super::review::ReviewState>() {
            r.disagreements_only.set(true);
            r.most_disagreement_first.set(true);
            r.cursor.set(0);
        }
        store.navigate(Route::Review);
    };
    let present = move |_| {
        let first = use_context::<super::review::ReviewState>()
            .and_then(|r| r.visible.with_untracked(|v| v.first().copied()))
            .and_then(position)
            .unwrap_or(0);
        store.navigate(Route::Present(first));
    };
    let end = move |_| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message("End the team review? The team answers stay; the participants' responses and notes are removed from this browser. Export JSON first to keep them.").ok())
            .unwrap_or(false);
        if ok {
            team.set(None);
            store.info("Ended the team review; the team answers are kept.");
        }
    };
    let ballots = move || {
        team.with(|t| t.as_ref().map(|t| t.ballots.clone()).unwrap_or_default())
            .into_iter()
            .map(|b| {
                let answered = b.answers.values().filter(|r| r.answer.is_some()).count();
                let name = b.name.clone();
                let remove = move |_| {
                    team.update(|t| {
                        if let Some(t) = t.as_mut() {
                            t.remove(&name)
                        }
                    })
                };
                view! {
                    <li data-testid="participant">
                        <strong>{b.name.clone()}</strong>
                        {format!(" · {answered} answered ")}
                        <button class="link-button" on:click=remove aria-label=format!("Remove the response from {}", b.name)>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || team.with(|t| t.as_ref().map_or(0, |t| t.ballots.len()));
    let in_scope = move || team.with(|t| t.as_ref().map_or(0, |t| t.questions_in_scope().count()));
    view! {
        <section class="card" aria-labelledby="team-title-h">
            <p class="eyebrow">"Team review · you are the facilitator"</p>
            <h2 id="team-title-h" data-testid="team-heading">{move || team.with(|t| t.as_ref().map(|t| t.title.clone()))}</h2>
            <p class="muted">{move || team.with(|t| t.as_ref().map(scope_text))}</p>
            <div class="field">
                <label for="team-invite">"Invitation link: send it to each participant"</label>
                <input id="team-invite" type="text" readonly data-testid="team-invitation" class="wide" prop:value=invitation on:focus=select_on_focus/>
            </div>
            <button data-testid="team-copy-invitation" on:click=move |_| { copy(&invitation()); store.info("Invitation link copied (if the browser allowed it)."); }>"Copy invitation link"</button>
        </section>
        <section class="card" aria-labelledby="team-responses-title">
            <h2 id="team-responses-title">{move || format!("Responses ({} of up to {MAX_PARTICIPANTS})", count())}</h2>
            <div class="field">
                <label for="team-paste">"Paste a response code or link (or drop it here)"</label>
                <textarea id="team-paste" rows="3" class="wide" data-testid="team-paste"
                    aria-invalid=move || matches!(paste_msg.get(), Some((false, _))).to_string()
                    aria-describedby="team-paste-msg"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                    on:drop=move |ev: leptos::ev::DragEvent| {
                        // Dropped text lands in the field by itself; a dropped file is read.
                        let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
                        ev.prevent_default();
                        let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
                        let reader = gloo::file::callbacks::read_as_text(&blob, move |text| match text {
                            Ok(text) => { pasted.set(text); add(); }
                            Err(_) => paste_msg.set(Some((false, "That file could not be read as text. Nothing was changed.".into()))),
                        });
                        // The reader must live until its callback runs.
                        std::mem::forget(reader);
                    }></textarea>
                <p id="team-paste-msg" role="status" data-testid="team-paste-msg"
                    class=move || if matches!(paste_msg.get(), Some((false, _))) { "field-msg" } else { "status" }>
                    {move || paste_msg.get().map(|(_, m)| m)}
                </p>
            </div>
            <button class="primary" data-testid="team-add" on:click=move |_| add()>"Add response"</button>
            <ul class="participants">{ballots}</ul>
        </section>
        <section class="card" aria-labelledby="team-merge-title">
            <h2 id="team-merge-title">"Merge"</h2>
            <p data-testid="team-summary">{move || summary_text(&summary.get(), in_scope())}</p>
            <div class="actions">
                <button data-testid="team-apply-unanimous" disabled=move || unanimous_open() == 0 on:click=apply>
                    {move || format!("Record {} unanimous answers", unanimous_open())}
                </button>
                <button class="primary" data-testid="team-review-disagreements" on:click=review_disagreements>"Review disagreements"</button>
                <button data-testid="team-present" on:click=present>"Presenter view"</button>
            </div>
            <p class="muted">"In review mode, 1-4 settle the current question's team answer and a records the majority answer. Export JSON to keep the responses and notes with the work."</p>
            <button class="link-button" data-testid="team-end" on:click=end>"End team review"</button>
        </section>
    }
}

fn scope_text(t: &TeamReview) -> String {
    let n = t.questions_in_scope().count();
    if t.topics.is_empty() {
        format!("The whole questionnaire: {n} questions.")
    } else {
        let titles: Vec<&str> = t.topics_in_scope().map(|t| t.title).collect();
        format!("{n} questions in {}.", titles.join(", "))
    }
}

fn summary_text(s: &team::Summary, in_scope: usize) -> String {
    if s.voted == 0 {
        return "No responses yet.".into();
    }
    format!(
        "{} of {in_scope} questions have votes: {} unanimous, {} with disagreement ({} settled, {} open).",
        s.voted,
        s.unanimous,
        s.disagreements,
        s.settled,
        s.disagreements - s.settled
    )
}

#[component]
fn Participant() -> impl IntoView {
    let store = use_store();
    let team = store.team;
    let name = move || {
        team.with(|t| {
            t.as_ref()
                .and_then(|t| t.participant.clone())
                .unwrap_or_default()
        })
    };
    let name_error = move || team::check_name(&name()).err();
    let touched = RwSignal::new(false);
    let code = move || {
        let n = name();
        team.with(|t| {
            let t = t.as_ref()?;
            team::check_name(&n).ok()?;
            Some(store.answers.with(|a| t.response_code(&n, a)))
        })
    };
    let link = move || code().map(|c| format!("{}#response={c}", location::base_url()));
    let progress = move || {
        team.with(|t| {
            store.answers.with(|a| {
                t.as_ref().map(|t| {
                    let total = t.questions_in_scope().count();
                    let done = t
                        .questions_in_scope()
                        .filter(|(_, q)| a.effective(q.id).is_some())
                        .count();
                    format!("{done} of {total} answered")
                })
            })
        })
    };
    let first_step = move || {
        team.with(|t| {
            t.as_ref()
                .and_then(|t| t.topics_in_scope().next())
                .and_then(|first| content::topics().position(|x| x == first))
                .unwrap_or(0)
        })
    };
    let leave = move |_| {
        let ok = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(
                    "Leave the team review? Your answers stay in this browser as ordinary work.",
                )
                .ok()
            })
            .unwrap_or(false);
        if ok {
            team.set(None);
            store.info("You left the team review; your answers are kept.");
        }
    };
    view! {
        <section class="card" aria-labelledby="team-title-h">
            <p class="eyebrow">"Team review · you are a participant"</p>
            <h2 id="team-title-h" data-testid="team-heading">{move || team.with(|t| t.as_ref().map(|t| t.title.clone()))}</h2>
            <p>{move || team.with(|t| t.as_ref().map(scope_text))} " Answer on your own: nobody sees your answers until you send them, and you never see the others'."</p>
            <div class="field">
                <label for="team-name">"Your name"</label>
                <input id="team-name" type="text" maxlength="40" data-testid="team-name" autocomplete="name"
                    aria-invalid=move || (touched.get() && name_error().is_some()).to_string()
                    aria-describedby="team-name-msg"
                    prop:value=name
                    on:blur=move |_| touched.set(true)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        team.update(|t| if let Some(t) = t.as_mut() { t.participant = Some(v) });
                    }/>
                <p class="field-msg" id="team-name-msg" data-testid="team-name-msg">{move || touched.get().then(name_error).flatten()}</p>
            </div>
            <p data-testid="team-progress"><strong>{progress}</strong></p>
            <div class="actions">
                <button class="primary" data-testid="team-answer-guided" on:click=move |_| store.navigate(Route::Guide(first_step()))>"Answer step by step"</button>
                <button data-testid="team-answer-review" on:click=move |_| store.navigate(Route::Review)>"Answer in review mode"</button>
            </div>
        </section>
        <section class="card" aria-labelledby="team-send-title">
            <h2 id="team-send-title">"Send your response"</h2>
            <p class="muted">"When you are done, copy this code (or the link) and send it to the facilitator over any chat. Send again after changing answers: your new response replaces the old one."</p>
            <Show when=move || code().is_some() fallback=|| view! { <p class="field-msg">"Enter your name above to get your response code."</p> }>
                <div class="field">
                    <label for="team-response">"Your response code"</label>
                    <textarea id="team-response" rows="3" readonly class="wide" data-testid="team-response"
                        prop:value=move || code().unwrap_or_default() on:focus=select_on_focus></textarea>
                </div>
                <div class="actions">
                    <button class="primary" data-testid="team-copy-response" on:click=move |_| { if let Some(c) = code() { copy(&c); store.info("Response code copied (if the browser allowed it). Paste it into your chat with the facilitator."); } }>"Copy response code"</button>
                    <button data-testid="team-copy-response-link" on:click=move |_| { if let Some(l) = link() { copy(&l); store.info("Response link copied (if the browser allowed it)."); } }>"Copy as a link"</button>
                </div>
            </Show>
            <button class="link-button" data-testid="team-leave" on:click=leave>"Leave the team review"</button>
        </section>
    }
}

/// The position of a question in the content, for `#/present/<n>`.
pub fn position(question_id: &str) -> Option<usize> {
    content::questions().position(|(_, q)| q.id == question_id)
}

/// Whether this browser runs a team review with at least one response.
pub fn has_votes(store: Store) -> bool {
    store.team.with(|t| {
        t.as_ref()
            .is_some_and(|t| !t.is_participant() && !t.ballots.is_empty())
    })
}

/// Records the answer most participants gave as the team answer. Returns false when there is
/// no majority.
pub fn accept_majority(store: Store, question_id: &str) -> bool {
    let Some(team) = store.team.get_untracked().filter(|t| !t.is_participant()) else {
        return false;
    };
    let mut settled = None;
    store
        .answers
        .update(|a| settled = team.settle_with_majority(question_id, a));
    if settled.is_none() {
        store.info("No majority on this question: press 1-4 to settle it.");
    }
    settled.is_some()
}

/// The vote spread on a question card or in the presenter view (facilitator with responses).
#[component]
pub fn Votes(question_id: &'static str, #[prop(optional)] large: bool) -> impl IntoView {
    let store = use_store();
    let data = move || {
        store.team.with(|t| {
            let t = t
                .as_ref()
                .filter(|t| !t.is_participant() && !t.ballots.is_empty())?;
            Some((t.spread(question_id), t.notes(question_id)))
        })
    };
    move || {
        data().map(|(spread, notes)| {
            let counts = Answer::ALL
                .into_iter()
                .filter(|a| spread.count(*a) > 0)
                .map(|a| view! { <span class=format!("vote vote-{}", a.code()) style:flex-grow=spread.count(a).to_string()>{format!("{} {}", a.label(), spread.count(a))}</span> })
                .collect_view();
            let notes = notes
                .into_iter()
                .map(|(name, text)| view! { <li><strong>{name}": "</strong>{text}</li> })
                .collect_view();
            view! {
                <div class="votes" class:votes-large=large data-testid="votes" data-disagreement=spread.is_disagreement().to_string()>
                    <p class="votes-line">
                        <span class="votes-label">"Team votes: "</span>
                        <span data-testid="spread">{spread.label()}</span>
                        {spread.is_disagreement().then(|| view! { " " <span class="badge badge-dispute" data-testid="disagreement-flag">"Disagreement"</span> })}
                        {spread.is_unanimous().then(|| view! { " " <span class="badge badge-agree">"Unanimous"</span> })}
                    </p>
                    <div class="vote-bar" aria-hidden="true">{counts}</div>
                    <ul class="vote-notes" data-testid="vote-notes">{notes}</ul>
                </div>
            }
        })
    }
}

/// The team review's counts in the results.
#[component]
pub fn TeamResults() -> impl IntoView {
    let store = use_store();
    let data = move || {
        store.team.with(|t| {
            let t = t.as_ref().filter(|t| !t.is_participant())?;
            let s = store.answers.with(|a| t.summary(a));
            Some((
                t.title.clone(),
                t.ballots.len(),
                s,
                t.questions_in_scope().count(),
            ))
        })
    };
    move || {
        data().map(|(title, n, s, in_scope)| {
            view! {
                <section class="card" aria-labelledby="team-results-title" data-testid="team-results">
                    <h2 id="team-results-title">{format!("Team review: {title}")}</h2>
                    <p>{format!("{n} participant{} responded.", if n == 1 { "" } else { "s" })}</p>
                    <p class="team-counts">
                        <span data-testid="team-unanimous">{format!("{} unanimous", s.unanimous)}</span>
                        " · "
                        <span data-testid="team-settled">{format!("{} settled", s.settled)}</span>
                        " · "
                        <span>{format!("{} disagreements still open", s.disagreements - s.settled)}</span>
                    </p>
                    <p class="muted">{summary_text(&s, in_scope)}</p>
                </section>
            }
        })
    }
}

/// Shown above every screen during a team review: who this browser is and what to do next.
#[component]
pub fn TeamBanner() -> impl IntoView {
    let store = use_store();
    let text = move || {
        store.team.with(|t| {
            let t = t.as_ref()?;
            Some(match t.participant.as_deref() {
                Some(name) if !name.trim().is_empty() => format!(
                    "Team review \"{}\": you answer as {}, on your own.",
                    t.title,
                    name.trim()
                ),
                Some(_) => format!(
                    "Team review \"{}\": enter your name on the Team page.",
                    t.title
                ),
                None => format!(
                    "Team review \"{}\": {} response{} in.",
                    t.title,
                    t.ballots.len(),
                    if t.ballots.len() == 1 { "" } else { "s" }
                ),
            })
        })
    };
    let hidden = move || matches!(store.route.get(), Route::Team | Route::Present(_));
    move || {
        (!hidden()).then(|| {
            text().map(|text| {
                view! {
                    <div class="team-banner no-print" data-testid="team-banner">
                        <span>{text}</span>
                        " "
                        <a href=Route::Team.hash()>"Team page"</a>
                    </div>
                }
            })
        })
    }
}
