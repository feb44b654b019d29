//! The deploy files stay in step with the code: every variable they set is
//! one the example reads, every value they spell out is one it accepts (a
//! service that would exit at start, such as a 6-byte `HEALTH_TOKEN`, fails
//! here), and each file's ports agree with its `BIND`.
//!
//! A value the shell or Kubernetes supplies at run time (`$(...)`,
//! `${...}`, `valueFrom`) is checked by name only. The manifests' schemas
//! are checked by `kubernetes-validate` in `./test.sh`.
#![cfg(feature = "services")]

use health_examples::{Config, Service, VARIABLES};
use std::path::PathBuf;

fn deploy_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A variable a deploy file sets: its name, and its value when the file
/// spells it out.
#[derive(Debug)]
struct Setting {
    name: String,
    value: Option<String>,
}

impl Setting {
    fn new(name: &str, value: Option<&str>) -> Self {
        let value = value
            .map(|v| v.trim_matches('"').to_owned())
            // Supplied at run or build time: not in the file.
            .filter(|v| !v.starts_with("$(") && !v.starts_with("${"));
        Self {
            name: name.to_owned(),
            value,
        }
    }
}

/// The Dockerfile's `ENV` settings (with their `\` continuations), and the
/// `-e NAME=VALUE` of the `docker run` lines its comments show.
fn dockerfile_settings(text: &str) -> (Vec<Setting>, Vec<Setting>) {
    let joined = text.replace("\\\n", " ");
    let mut env = Vec::new();
    let mut run = Vec::new();
    for line in joined.lines() {
        let line = line.trim();
        if let Some(pairs) = line.strip_prefix("ENV ") {
            for pair in pairs.split_whitespace() {
                let (name, value) = pair.split_once('=').expect("ENV NAME=VALUE");
                env.push(Setting::new(name, Some(value)));
            }
        }
        if line.contains("docker run") {
            let mut words = line.split_whitespace();
            while let Some(word) = words.next() {
                if word == "-e" {
                    let pair = words.next().expect("a variable after -e");
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    run.push(Setting::new(name, Some(value).filter(|v| !v.is_empty())));
                }
            }
        }
    }
    (env, run)
}

/// A manifest's container `env` entries: `- name:` then `value:` or
/// `valueFrom:`.
fn manifest_settings(text: &str) -> Vec<Setting> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let mut settings = Vec::new();
    let mut in_env = false;
    for (i, line) in lines.iter().enumerate() {
        if *line == "env:" {
            in_env = true;
            continue;
        }
        if !in_env {
            continue;
        }
        match line.strip_prefix("- name: ") {
            Some(name) => {
                let next = lines.get(i + 1).copied().unwrap_or_default();
                let value = next.strip_prefix("value: ");
                assert!(
                    value.is_some() || next.starts_with("valueFrom:"),
                    "{name}: neither value nor valueFrom: {next}"
                );
                settings.push(Setting::new(name, value));
            }
            None if line.starts_with("value") || line.starts_with("secretKeyRef") => {}
            None => in_env = false,
        }
    }
    settings
}

/// Every setting names a variable of [`VARIABLES`]; together, the values
/// spelled out make a service that starts. `Err` says what is wrong.
fn accepted(file: &str, settings: &[Setting]) -> Result<(), String> {
    if settings.is_empty() {
        return Err(format!("{file}: no setting found"));
    }
    if let Some(unknown) = settings
        .iter()
        .find(|s| !VARIABLES.contains(&s.name.as_str()))
    {
        return Err(format!(
            "{file} sets {}, which the example does not read (it reads {VARIABLES:?})",
            unknown.name
        ));
    }
    let config = Config::from_vars("127.0.0.1:8080", |name| {
        settings
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.value.clone())
    })
    .map_err(|e| format!("{file}: {e}"))?;
    Service::new("deploy", config)
        .map(drop)
        .map_err(|e| format!("{file}: the service would not start: {e}"))
}

/// The value of `name` in `settings`.
fn value<'a>(settings: &'a [Setting], name: &str) -> Option<&'a str> {
    settings
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.value.as_deref())
}

/// The port of a `BIND` value.
fn port(bind: &str) -> &str {
    bind.rsplit(':').next().unwrap_or_default()
}

#[tokio::test]
async fn the_dockerfile_sets_what_the_service_reads_and_accepts() {
    let text = deploy_file("Dockerfile");
    let (env, run) = dockerfile_settings(&text);
    assert_eq!(accepted("Dockerfile ENV", &env), Ok(()));
    // The image's settings with the documented `docker run -e` on top.
    let mut both = run;
    both.extend(env);
    assert_eq!(accepted("Dockerfile ENV and docker run", &both), Ok(()));

    let bind = value(&both, "BIND").expect("the Dockerfile sets BIND");
    assert!(!bind.starts_with("127."), "BIND={bind} inside a container");
    let port = port(bind);
    let probes = value(&both, "PROBE_BIND").expect("the Dockerfile sets PROBE_BIND");
    assert!(
        !probes.starts_with("127."),
        "PROBE_BIND={probes} inside a container"
    );
    let probe_port = self::port(probes);
    assert!(
        text.contains(&format!("EXPOSE {port} {probe_port}\n")),
        "EXPOSE {port} {probe_port}"
    );
    assert!(
        text.contains(&format!("\"http://127.0.0.1:{probe_port}/health\"")),
        "the HEALTHCHECK probes PROBE_BIND's port {probe_port}"
    );
    assert!(text.contains(&format!("-p {port}:{port}")), "docker run -p");
}

#[tokio::test]
async fn the_manifests_set_what_the_services_read_and_accept() {
    for (file, port_name) in [
        ("kubernetes.yaml", "http"),
        ("kubernetes-grpc.yaml", "grpc"),
    ] {
        let text = deploy_file(file);
        let settings = manifest_settings(&text);
        assert_eq!(accepted(file, &settings), Ok(()));
        let bind = value(&settings, "BIND").unwrap_or_else(|| panic!("{file} sets BIND"));
        assert!(!bind.starts_with("127."), "{file}: BIND={bind}");
        let container_port = format!(
            "- name: {port_name}\n              containerPort: {}",
            port(bind)
        );
        assert!(
            text.contains(&container_port),
            "{file}: the container port is BIND's ({bind})"
        );
        // The probes on their own port: PROBE_BIND's, and every probe there.
        if let Some(probes) = value(&settings, "PROBE_BIND") {
            let probe_port = format!(
                "- name: probes\n              containerPort: {}",
                port(probes)
            );
            assert!(
                text.contains(&probe_port),
                "{file}: the probes' port is PROBE_BIND's"
            );
            for path in ["/startup", "/health", "/ready"] {
                assert!(
                    text.contains(&format!("path: {path}, port: probes")),
                    "{file}: {path} probed on the probes' port"
                );
            }
        }
    }
}

/// The parsers above find what they look for, and would catch the drift
/// this test was written for.
#[tokio::test]
async fn the_checks_catch_a_weak_token_and_an_unknown_variable() {
    let (env, run) = dockerfile_settings(
        "ENV BIND=0.0.0.0:8080 \\\n    DRAIN_DELAY_SECS=5\n#   docker run --rm -p 8080:8080 -e HEALTH_TOKEN=s3cret img\n",
    );
    assert_eq!(env.len(), 2);
    assert_eq!(value(&run, "HEALTH_TOKEN"), Some("s3cret"));
    let weak = accepted("weak", &run).expect_err("a 6-byte token passed");
    assert!(weak.contains("HEALTH_TOKEN"), "{weak}");

    let settings = manifest_settings(
        "env:\n  - name: BIND\n    value: \"0.0.0.0:8080\"\n  - name: HEALTH_ADMIN\n    valueFrom:\n      secretKeyRef: { name: x, key: y }\nresources:\n",
    );
    assert_eq!(settings.len(), 2, "{settings:?}");
    assert_eq!(value(&settings, "BIND"), Some("0.0.0.0:8080"));
    let unknown = accepted("unknown", &settings).expect_err("HEALTH_ADMIN passed");
    assert!(unknown.contains("sets HEALTH_ADMIN,"), "{unknown}");
}

/// What `binary --print-kubernetes-probes` prints with exactly `env` set
/// of the variables the example reads (none of the caller's own).
fn printed_probes(binary: &str, env: &[(String, String)]) -> String {
    let path = match binary {
        "axum-service" => env!("CARGO_BIN_EXE_axum-service"),
        "grpc-service" => env!("CARGO_BIN_EXE_grpc-service"),
        other => panic!("no binary {other}"),
    };
    let mut command = std::process::Command::new(path);
    command.arg("--print-kubernetes-probes");
    for name in VARIABLES {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(n, v)| (n, v)));
    let output = command.output().expect("the example runs");
    assert!(output.status.success(), "{binary}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Whether the manifest `text` holds what `--print-kubernetes-probes`
/// printed: its grace period line and its probe blocks (comments between
/// their lines aside), and no other. `Err` says what differs.
fn probes_in_step(text: &str, printed: &str) -> Result<(), String> {
    let (grace, blocks) = printed
        .split_once('\n')
        .ok_or_else(|| format!("nothing printed: {printed:?}"))?;
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    for key in [
        "terminationGracePeriodSeconds:",
        "startupProbe:",
        "livenessProbe:",
        "readinessProbe:",
    ] {
        let count = lines
            .iter()
            .filter(|l| l.trim_start().starts_with(key))
            .count();
        if count != 1 {
            return Err(format!("`{key}` is there {count} times, not once"));
        }
    }
    if !lines.contains(&grace) {
        return Err(format!("its grace period is not `{}`", grace.trim()));
    }
    if !(lines.join("\n") + "\n").contains(blocks) {
        return Err("its probe blocks are not the ones printed".to_owned());
    }
    Ok(())
}

/// The manifests' probe blocks and grace period are what the examples
/// print with the manifests' environment: generated, never edited by hand.
#[test]
fn the_manifests_probe_settings_are_what_the_services_print() {
    for (file, binary) in [
        ("kubernetes.yaml", "axum-service"),
        ("kubernetes-grpc.yaml", "grpc-service"),
    ] {
        let text = deploy_file(file);
        let env: Vec<(String, String)> = manifest_settings(&text)
            .into_iter()
            .filter_map(|s| Some((s.name, s.value?)))
            .collect();
        let printed = printed_probes(binary, &env);
        if let Err(why) = probes_in_step(&text, &printed) {
            let variables: Vec<String> = env.iter().map(|(n, v)| format!("{n}={v}")).collect();
            panic!(
                "deploy/{file}: {why}. Its probe settings are generated: run\n\n    \
                 {} cargo run -q -p health-examples --bin {binary} -- --print-kubernetes-probes\n\n\
                 (with the file's environment, and no REDIS_URL or UPSTREAM_URL of your own) and \
                 put what it prints in place of the file's terminationGracePeriodSeconds and \
                 probe blocks. It prints:\n{printed}",
                variables.join(" ")
            );
        }
    }
}

/// The comparison above catches a number changed by hand, a probe block
/// added, and a grace period edited.
#[test]
fn the_comparison_catches_an_edited_probe() {
    let printed = "  terminationGracePeriodSeconds: 16\n    startupProbe:\n      x: 1\n    \
                   livenessProbe:\n      x: 2\n    readinessProbe:\n      x: 3\n";
    let manifest = |probes: &str| {
        format!("  terminationGracePeriodSeconds: 16\n  # the probes\n{probes}  resources: {{}}\n")
    };
    let blocks = printed.split_once('\n').expect("two parts").1;
    assert_eq!(probes_in_step(&manifest(blocks), printed), Ok(()));
    let commented = blocks.replace("    livenessProbe:\n", "    # why\n    livenessProbe:\n");
    assert_eq!(probes_in_step(&manifest(&commented), printed), Ok(()));
    let edited = blocks.replace("x: 3", "x: 5");
    let why = probes_in_step(&manifest(&edited), printed).expect_err("edited");
    assert!(why.contains("probe blocks"), "{why}");
    let twice = format!("{blocks}    readinessProbe:\n      x: 3\n");
    let why = probes_in_step(&manifest(&twice), printed).expect_err("twice");
    assert!(why.contains("`readinessProbe:` is there 2 times"), "{why}");
    let graced = manifest(blocks).replace(": 16\n  #", ": 30\n  #");
    let why = probes_in_step(&graced, printed).expect_err("grace");
    assert!(why.contains("grace period is not"), "{why}");
}

/// `--print-kubernetes-probes` prints the probe blocks and the grace
/// period each example's checks call for (`httpGet` for the HTTP
/// examples, `grpc` for `grpc-service`), and they pass Kubernetes 1.37's
/// schema (`kubernetes-validate --strict`, which `./test.sh` installs)
/// inside a Deployment.
#[test]
fn the_generated_probe_settings_pass_the_kubernetes_schema() {
    use std::io::Write;
    let tools = std::env::var_os("HEALTH_TOOLS_DIR").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/health-tools"),
        PathBuf::from,
    );
    let validate = tools.join("venv/bin/kubernetes-validate");
    for (binary, bind, port, probe) in [
        (
            "axum-service",
            "127.0.0.1:8080",
            "probes",
            "httpGet: { path: /ready, port: probes }",
        ),
        (
            "grpc-service",
            "127.0.0.1:50051",
            "grpc",
            "grpc: { port: 50051, service: readiness }",
        ),
    ] {
        let env =
            [("BIND", bind), ("DRAIN_DELAY_SECS", "7")].map(|(n, v)| (n.to_owned(), v.to_owned()));
        let printed = printed_probes(binary, &env);
        // 7 s of drain, 10 s for requests in flight, and the margins.
        assert!(
            printed.starts_with("      terminationGracePeriodSeconds: 18\n"),
            "{binary}: {printed}"
        );
        for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
            assert!(
                printed.contains(&format!("\n          {probe}:\n")),
                "{binary}: {printed}"
            );
        }
        assert!(
            printed.contains(&format!("\n            {probe}\n")),
            "{binary}: {printed}"
        );
        let (grace, probes) = printed.split_once('\n').expect("two parts");
        let manifest = format!(
            "apiVersion: apps/v1\n\
             kind: Deployment\n\
             metadata: {{ name: generated }}\n\
             spec:\n  \
               selector: {{ matchLabels: {{ app: generated }} }}\n  \
               template:\n    \
                 metadata: {{ labels: {{ app: generated }} }}\n    \
                 spec:\n\
             {grace}\n      \
                   containers:\n        \
                     - name: service\n          \
                       image: example\n          \
                       ports:\n            \
                         - {{ name: {port}, containerPort: {number} }}\n\
             {probes}",
            number = bind.rsplit(':').next().unwrap_or_default(),
        );
        if !validate.is_file() {
            let why = format!(
                "{} is not installed: `./test.sh` installs it",
                validate.display()
            );
            assert!(std::env::var_os("CI").is_none(), "in CI, {why}");
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED the schema check of the generated probe settings: {why}"
            );
            return;
        }
        let dir = std::env::temp_dir().join(format!("health-probes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("{binary}.yaml"));
        std::fs::write(&file, &manifest).expect("manifest written");
        let result = std::process::Command::new(&validate)
            .args(["--strict", "-k", "1.37.0"])
            .arg(&file)
            .output()
            .expect("kubernetes-validate runs");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            result.status.success(),
            "kubernetes-validate refuses the settings {binary} printed:\n{}{}\n--- manifest ---\n{manifest}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
    }
}

/// The systemd unit's `Environment=` settings.
fn unit_settings(text: &str) -> Vec<Setting> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("Environment="))
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("Environment=NAME=VALUE");
            Setting::new(name, Some(value))
        })
        .collect()
}

/// The systemd unit sets only variables the example reads, values it
/// accepts, and is a `Type=notify` unit with a watchdog (the example
/// speaks the protocol: `binaries.rs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_systemd_unit_is_in_step_with_the_example() {
    let text = deploy_file("health-example.service");
    accepted("health-example.service", &unit_settings(&text)).unwrap_or_else(|e| panic!("{e}"));
    for line in ["Type=notify", "NotifyAccess=main", "WatchdogSec=10s"] {
        assert!(
            text.lines().any(|l| l.trim() == line),
            "the unit lacks {line}"
        );
    }
}
