//! The project settings' rules, as the form shows them.

use tfstudio::core::spec::{Field, ProjectSpec};

/// Guards the bug where an imported spec with `release` on and PostgreSQL off showed
/// "Fix 1 setting(s)" with no message at any field, behind a disabled, ticked checkbox.
#[test]
fn an_imported_release_without_postgres_names_the_field_and_can_be_unticked() {
    let spec: ProjectSpec = serde_json::from_str(
        r#"{"processes": {"release": true}, "services": {"postgres": false}}"#,
    )
    .expect("the document parses");
    let errors = spec.validate();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, Field::Release);
    assert!(errors[0].message.contains("PostgreSQL"));
    let toggle = spec.toggle(Field::Release);
    assert!(
        toggle.checked && toggle.enabled,
        "a ticked box must stay untickable: {toggle:?}"
    );
    assert!(toggle.requirement.is_some());

    let mut fixed = spec.clone();
    fixed.processes.release = false;
    assert!(fixed.validate().is_empty());
    let toggle = fixed.toggle(Field::Release);
    assert!(
        !toggle.checked && !toggle.enabled,
        "unticked, it cannot be ticked again: {toggle:?}"
    );
}

#[test]
fn a_worker_needs_a_queue_and_says_so_at_its_own_field() {
    let mut spec = ProjectSpec::default();
    spec.processes.worker = true;
    let errors = spec.validate();
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        [Field::Worker]
    );
    assert!(spec.toggle(Field::Worker).enabled);
    spec.services.redis = true;
    assert!(spec.validate().is_empty());
    assert_eq!(spec.toggle(Field::Worker).requirement, None);
}

/// Every field a validation message can name has a distinct id (the form's element suffix).
#[test]
fn field_ids_are_distinct() {
    let ids: std::collections::BTreeSet<_> = Field::ALL.iter().map(|f| f.id()).collect();
    assert_eq!(ids.len(), Field::ALL.len());
}

#[test]
fn a_misspelt_setting_is_refused_with_a_suggestion() {
    let err = tfstudio::core::spec::parse_spec(r#"{"nmae": "billing"}"#).unwrap_err();
    assert!(
        err.contains("unknown field `nmae`") && err.contains("did you mean `name`?"),
        "{err}"
    );
    let err = tfstudio::core::spec::parse_spec(r#"{"processes": {"relase": true}}"#).unwrap_err();
    assert!(err.contains("did you mean `release`?"), "{err}");
    let err = tfstudio::core::spec::parse_spec(r#"{"deploy_target": "kubernets"}"#).unwrap_err();
    assert!(err.contains("did you mean `kubernetes`?"), "{err}");
    let err = tfstudio::core::spec::parse_spec(r#"{"zzz": 1}"#).unwrap_err();
    assert!(
        err.contains("unknown field `zzz`") && !err.contains("did you mean"),
        "{err}"
    );
    assert!(tfstudio::core::spec::parse_spec(r#"{"stack": "go"}"#).is_ok());
}

#[test]
fn unticking_a_service_drops_only_the_processes_that_need_it() {
    let mut spec = ProjectSpec::default();
    spec.set_postgres(true);
    spec.set_redis(true);
    spec.processes.worker = true;
    spec.processes.release = true;
    spec.set_redis(false);
    assert!(
        spec.processes.worker && spec.processes.release,
        "PostgreSQL still serves both"
    );
    spec.set_postgres(false);
    assert!(!spec.processes.worker && !spec.processes.release);
    assert!(spec.validate().is_empty());
}
