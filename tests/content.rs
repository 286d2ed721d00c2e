//! The checklist content is complete and well-formed.

use std::collections::HashSet;

use tfstudio::core::answers::Answers;
use tfstudio::core::content::{self, Level, TopicKind};
use tfstudio::core::generate;
use tfstudio::core::spec::ProjectSpec;

#[test]
fn there_are_twelve_factors_in_order() {
    let factors = content::factors();
    assert_eq!(factors.len(), 12);
    for (i, f) in factors.iter().enumerate() {
        assert_eq!(f.kind, TopicKind::Factor);
        assert_eq!(f.number as usize, i + 1, "{}", f.id);
    }
    assert_eq!(factors[2].id, "config");
    assert_eq!(factors[11].id, "admin-processes");
}

#[test]
fn readiness_sections_cover_the_seeds() {
    let ids: Vec<&str> = content::readiness_sections().map(|t| t.id).collect();
    for expected in [
        "ready-artifacts",
        "ready-container",
        "ready-config",
        "ready-health",
        "ready-rollout",
        "ready-rollback",
        "ready-migrations",
        "ready-monitoring",
        "ready-checklist",
        "ready-scaling",
    ] {
        assert!(ids.contains(&expected), "missing section {expected}");
    }
    for t in content::readiness_sections() {
        assert_eq!(t.kind, TopicKind::Readiness);
    }
}

#[test]
fn ids_are_unique_and_slugs() {
    let mut seen = HashSet::new();
    let slug = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    for t in content::topics() {
        assert!(slug(t.id), "topic id {:?}", t.id);
        assert!(seen.insert(t.id), "duplicate id {}", t.id);
    }
    for (_, q) in content::questions() {
        assert!(slug(q.id), "question id {:?}", q.id);
        assert!(seen.insert(q.id), "duplicate id {}", q.id);
    }
}

#[test]
fn no_text_is_empty_and_questions_are_questions() {
    for t in content::topics() {
        for (field, text) in [
            ("title", t.title),
            ("principle", t.principle),
            ("why", t.why()),
            ("looks_like", t.looks_like()),
            ("watch_out", t.watch_out()),
        ] {
            assert!(text.trim().len() > 3, "{}.{field} is empty", t.id);
        }
        let sentences = t.why().matches(['.', '!', '?']).count();
        assert!(
            (2..=5).contains(&sentences),
            "{}.why should be 2-4 sentences, has {sentences}",
            t.id
        );
    }
    for (t, q) in content::questions() {
        assert!(
            q.text.trim_end().ends_with('?'),
            "{}/{} is not phrased as a question",
            t.id,
            q.id
        );
        assert!(q.help().trim().len() > 10, "{} has no help", q.id);
        assert!(
            q.remediation().trim().len() > 10,
            "{} has no remediation",
            q.id
        );
    }
}

#[test]
fn every_question_is_one_sentence_asking_one_thing() {
    // A meeting answers one word per question: one sentence, one question mark, at the end.
    for (_, q) in content::questions() {
        let text = q.text.trim();
        assert!(text.ends_with('?'), "{}: {text}", q.id);
        assert_eq!(
            text.matches('?').count(),
            1,
            "{} asks more than one question: {text}",
            q.id
        );
        for stop in [". ", "! ", "; "] {
            assert!(
                !text.contains(stop),
                "{} is more than one sentence: {text}",
                q.id
            );
        }
        assert!(
            text.starts_with(|c: char| c.is_ascii_uppercase()),
            "{}: {text}",
            q.id
        );
    }
}

#[test]
fn every_file_a_question_links_to_is_generated() {
    // A plan item links to exact files: each must exist in a project the generator writes.
    // Both deploy targets, so the Kubernetes manifests are generated too.
    let spec = ProjectSpec {
        deploy_target: tfstudio::core::spec::DeployTarget::Both,
        ..ProjectSpec::default()
    };
    let project =
        generate::generate(&spec, &Answers::default()).expect("the default spec generates");
    for (_, q) in content::questions() {
        for file in q.files {
            let paths = generate::paths_for(*file, &spec);
            assert!(
                !paths.is_empty(),
                "{} links to {file:?}, which has no path",
                q.id
            );
            for path in paths {
                assert!(
                    project.file(&path).is_some(),
                    "{} links to {path}, which is not generated",
                    q.id
                );
            }
        }
    }
}

#[test]
fn every_topic_has_three_to_seven_questions() {
    for t in content::topics() {
        assert!(
            (3..=7).contains(&t.questions.len()),
            "{} has {} questions",
            t.id,
            t.questions.len()
        );
    }
}

#[test]
fn weights_levels_and_blockers_are_consistent() {
    let mut per_level = [0usize; 5];
    for (_, q) in content::questions() {
        assert!((1..=3).contains(&q.weight), "{} weight {}", q.id, q.weight);
        assert!(
            q.level != Level::NotReady,
            "{} is required at no level",
            q.id
        );
        assert!(
            !q.blocker || q.level <= Level::Launchable,
            "blocker {} must be required by Launchable",
            q.id
        );
        per_level[q.level as usize] += 1;
    }
    for (l, count) in per_level.iter().enumerate().skip(1) {
        assert!(*count > 0, "no question at level {l}");
    }
    assert!(content::questions().any(|(_, q)| q.blocker));
}

#[test]
fn referenced_files_are_not_repeated() {
    for (_, q) in content::questions() {
        let unique: HashSet<_> = q.files.iter().collect();
        assert_eq!(unique.len(), q.files.len(), "{} lists a file twice", q.id);
    }
}

#[test]
fn weight_never_grows_with_level_and_blockers_weigh_most() {
    // The rules at the top of factors.rs: weight 3 only up to Launchable, at most 2 at
    // Production, 1 at Exemplary; every blocker weighs 3.
    for (_, q) in content::questions() {
        let max = match q.level {
            Level::NotReady | Level::Foundation | Level::Launchable => 3,
            Level::Production => 2,
            Level::Exemplary => 1,
        };
        assert!(
            q.weight <= max,
            "{} weighs {} at {:?}",
            q.id,
            q.weight,
            q.level
        );
        assert!(
            !q.blocker || q.weight == 3,
            "blocker {} weighs {}",
            q.id,
            q.weight
        );
    }
}

/// The page's module leaves the long texts of later topics out and shows them once the worker
/// has sent `texts::builtin()`: it must carry every built-in topic's and question's texts.
#[test]
fn the_worker_sends_every_long_text_the_page_may_lack() {
    let texts = content::texts::builtin();
    let builtin_topics: Vec<_> = content::factors()
        .iter()
        .chain(content::readiness_sections())
        .collect();
    assert_eq!(texts.topics.len(), builtin_topics.len());
    for topic in builtin_topics {
        let sent = texts.topic(topic.id).expect(topic.id);
        assert_eq!(
            (
                sent.why.as_str(),
                sent.looks_like.as_str(),
                sent.watch_out.as_str()
            ),
            (topic.why(), topic.looks_like(), topic.watch_out()),
            "{}",
            topic.id
        );
        for q in topic.questions {
            let sent = texts.question(q.id).expect(q.id);
            assert_eq!(
                (sent.help.as_str(), sent.remediation.as_str()),
                (q.help(), q.remediation()),
                "{}",
                q.id
            );
        }
    }
    let json = serde_json::to_string(&texts).unwrap();
    let back: content::texts::LongTexts = serde_json::from_str(&json).unwrap();
    assert_eq!(back, texts, "the texts survive the trip to the page");
}
