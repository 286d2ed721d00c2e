//! The contributor list: what each contributor declares is what it renders, and template names
//! are unique, so the derived path list, preview and plan links cannot drift from the files.

use std::collections::BTreeSet;

use tfstudio::core::answers::Answers;
use tfstudio::core::generate::{self, contributors::CONTRIBUTORS, paths_for};
use tfstudio::core::spec::{Ci, DeployTarget, Processes, ProjectSpec, Services, Stack};

fn specs() -> Vec<ProjectSpec> {
    let mut out = Vec::new();
    for stack in Stack::ALL {
        for deploy_target in DeployTarget::ALL {
            for ci in [Ci::GithubActions, Ci::GitlabCi] {
                for release in [false, true] {
                    out.push(ProjectSpec {
                        stack,
                        deploy_target,
                        ci,
                        processes: Processes {
                            release,
                            worker: release,
                            scheduler: !release,
                        },
                        services: Services {
                            postgres: release,
                            redis: false,
                        },
                        ..ProjectSpec::default()
                    });
                }
            }
        }
    }
    out
}

#[test]
fn every_generated_file_comes_from_exactly_the_contributor_that_declares_it() {
    for spec in specs() {
        let project = generate::generate(&spec, &Answers::default()).unwrap();
        let generated: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
        let mut declared = Vec::new();
        for c in CONTRIBUTORS {
            let paths = (c.paths)(&spec);
            for p in &paths {
                let file = project
                    .file(p)
                    .unwrap_or_else(|| panic!("{p} declared, not generated"));
                assert_eq!(file.file_id, c.id, "{p}");
            }
            declared.extend(paths);
        }
        let unique: BTreeSet<&str> = declared.iter().map(String::as_str).collect();
        assert_eq!(
            unique.len(),
            declared.len(),
            "two contributors declare one path"
        );
        assert_eq!(
            unique,
            generated.iter().copied().collect::<BTreeSet<_>>(),
            "{spec:?}"
        );
        for id in tfstudio::core::content::FileId::ALL {
            let mut from_project: Vec<String> = project
                .paths_for(id)
                .into_iter()
                .map(String::from)
                .collect();
            from_project.sort();
            let mut declared = paths_for(id, &spec);
            declared.sort();
            assert_eq!(from_project, declared, "{id:?}");
        }
    }
}

#[test]
fn template_names_are_unique() {
    let mut names = BTreeSet::new();
    for c in CONTRIBUTORS {
        for t in (c.templates)() {
            assert!(
                names.insert(t.name.clone()),
                "template {} registered twice",
                t.name
            );
        }
    }
}

#[test]
fn every_consistency_check_is_declared_once() {
    let checks = generate::consistency::checks();
    let names: BTreeSet<usize> = checks.iter().map(|c| *c as usize).collect();
    assert_eq!(names.len(), checks.len());
    assert!(checks.len() >= 10);
}
