//! Issue 24, points 3, 4 and 5: whatever the tool writes it reads back, a folder is written whole
//! or not at all, and a full disk is named as such.

mod common;

use common::Sandbox;
use isms_ready::model::Change;

/// The path `delete` printed for its backup.
fn backup_of(delete_output: &str) -> String {
    delete_output
        .split("backup: ")
        .nth(1)
        .and_then(|rest| rest.split(" (").next())
        .expect("the backup path")
        .to_string()
}

// Point 3: a backup over the old 32 MiB limit (long notes and their history) imports back.
#[test]
fn a_deleted_assessment_of_more_than_32_mib_imports_back() {
    let sandbox = Sandbox::new();
    sandbox.create("Big", "iso27001-2022", "", "");
    // 20 notes of 1 MiB: 20 MiB of answers and as much again in their history.
    let note = "n".repeat(1024 * 1024);
    sandbox.answer_all("Big", 1..=20, |item| {
        vec![Change::Note(format!("{item}{note}"))]
    });
    let before = sandbox.json(&["export", "-a", "Big", "--format", "json", "-o", "-"]);
    let deleted = sandbox.ok(&["delete", "-a", "Big", "--yes"]);
    let backup = backup_of(&deleted);
    let size = std::fs::metadata(&backup).unwrap().len();
    assert!(size > 33 * 1024 * 1024, "the backup is only {size} bytes");
    sandbox.ok(&["import", &backup]);
    let after = sandbox.json(&["export", "-a", "Big", "--format", "json", "-o", "-"]);
    assert_eq!(after["answers"], before["answers"]);
}

// Point 3: `delete` reads its backup back as import would, and deletes nothing when it would not
// import (here the debug binary's test hook lowers the size limit below the backup's size).
#[test]
fn delete_keeps_the_assessment_when_its_backup_would_not_import() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.answer("Acme", 1, &[Change::Note("x".repeat(4096))]);
    let before = sandbox.state();
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_MAX_DOCUMENT_BYTES", "2048")
        .args(["delete", "-a", "Acme", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("would not import"), "{stderr}");
    assert!(stderr.contains("nothing was deleted"), "{stderr}");
    assert_eq!(sandbox.state(), before, "the assessment was deleted");
}

/// `isms-ready ARGS` with the size of any file it writes capped at `limit` bytes (RLIMIT_FSIZE,
/// SIGXFSZ ignored so a write fails with EFBIG instead): a disk that fills up part way.
#[cfg(unix)]
fn run_with_file_size_limit(sandbox: &Sandbox, limit: u64, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = sandbox.command();
    command.args(args);
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let cap = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().expect("run isms-ready")
}

/// The names in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

// Point 4: a write that fails part way (a full disk) leaves no folder at all, not a lone
// audit.xlsx; the old code wrote the first files, then failed part way.
#[test]
#[cfg(unix)]
fn a_hand_over_that_fails_part_way_leaves_no_folder() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    // A long note of letters that do not compress makes audit.xlsx larger than the cap, while the
    // files written before it (the README, the matrix) fit: the export fails part way.
    // (A cell holds at most 32,767 characters: the notes are spread over rows of the audit.)
    let mut seed = 7u32;
    for item in [1, 11, 29, 68, 92, 101, 131, 143, 180, 220] {
        let note: String = (0..25_000)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from(b'a' + ((seed >> 16) % 26) as u8)
            })
            .collect();
        sandbox.answer("Acme", item, &[common::level(2), Change::Note(note)]);
    }
    let out = sandbox.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let folder = out.join("handover");
    let output = run_with_file_size_limit(
        &sandbox,
        48 * 1024,
        &[
            "export",
            "-a",
            "Acme",
            "--format",
            "ciso-assistant",
            "-o",
            folder.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(names_in(&out), Vec::<String>::new(), "{stderr}");
    // Without the cap the same export writes the whole folder.
    sandbox.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "ciso-assistant",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert!(names_in(&folder).contains(&"audit.xlsx".to_string()));
}

// Point 4: a symbolic link at one file of an existing hand-over refuses the whole export before
// anything is written; the old code had already replaced audit.xlsx when it refused a later file.
#[test]
#[cfg(unix)]
fn a_link_at_one_file_refuses_the_hand_over_before_anything_is_written() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    let folder = sandbox.dir.path().join("handover");
    let folder_arg = folder.to_str().unwrap();
    sandbox.ok(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "ciso-assistant",
        "-o",
        folder_arg,
    ]);
    let victim = sandbox.dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::fs::remove_file(folder.join("README.md")).unwrap();
    std::os::unix::fs::symlink(&victim, folder.join("README.md")).unwrap();
    let xlsx_before = std::fs::read(folder.join("audit.xlsx")).unwrap();
    // The next export would write different sheets.
    sandbox.answer("Acme", 1, &[common::level(3)]);
    let output = sandbox.run(&[
        "export",
        "-a",
        "Acme",
        "--format",
        "ciso-assistant",
        "-o",
        folder_arg,
        "--force",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(stderr.contains("Nothing was written"), "{stderr}");
    assert!(
        std::fs::read(folder.join("audit.xlsx")).unwrap() == xlsx_before,
        "audit.xlsx was replaced"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(
        names_in(&folder)
            .iter()
            .all(|name| !name.starts_with(".isms-ready-export-")),
        "a temporary was left"
    );
}

/// Runs `script` (sh) in a new user and mount namespace, where a 512 KiB tmpfs is mounted at
/// `$1`, the sandbox's database copied into it as `$1/t.db`, and the rest of the tmpfs filled:
/// a real full disk, made without privileges (`unshare --user --map-root-user --mount`). `$2` is
/// the binary. Returns what the script printed on stdout and stderr.
#[cfg(target_os = "linux")]
fn on_a_full_disk(sandbox: &Sandbox, script: &str) -> String {
    let mount = sandbox.dir.path().join("full");
    std::fs::create_dir(&mount).unwrap();
    let setup = r#"mount -t tmpfs -o size=512k tmpfs "$1" || exit 99
cp "$3" "$1/t.db" || exit 98
dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null
dd if=/dev/zero of="$1/fill2" bs=512 2>/dev/null
export ISMS_READY_DB="$1/t.db"
"#;
    let output = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(format!("{setup}{script}"))
        .arg("sh")
        .arg(&mount)
        .arg(common::BIN)
        .arg(sandbox.db())
        .env("XDG_CONFIG_HOME", sandbox.config_dir())
        .env("XDG_DATA_HOME", sandbox.dir.path().join("data"))
        .env("HOME", sandbox.dir.path())
        .env("RUST_LIB_BACKTRACE", "0")
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        output.status.success(),
        "the full-disk sandbox could not be set up ({:?}): {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

// Point 5: with 0 bytes free, commands that read work, commands that write say the disk is full
// (not "disk I/O error"), and nothing is left behind (the old code left a 3-byte -shm).
#[test]
#[cfg(target_os = "linux")]
fn read_only_commands_work_on_a_full_disk_and_writers_name_it() {
    let sandbox = Sandbox::new();
    sandbox.create("Acme", "iso27001-2022", "", "");
    sandbox.answer("Acme", 1, &[common::level(2)]);
    let out = on_a_full_disk(
        &sandbox,
        r#"df -k "$1" | tail -1 | awk '{print "free=" $4}'
echo "== list"; "$2" list; echo "rc=$?"
echo "== summary"; "$2" summary -a Acme; echo "rc=$?"
echo "== json"; "$2" export -a Acme --format json -o - | head -2; echo "rc=$?"
echo "== answer"; "$2" answer -a Acme --item 2 --level 1 2>&1; echo "rc=$?"
echo "== export"; "$2" export -a Acme --format md -o "$1/r.md" 2>&1; echo "rc=$?"
echo "== files"; ls -a "$1"
"#,
    );
    assert!(out.contains("free=0\n"), "the disk is not full: {out}");
    let section = |name: &str| {
        out.split(&format!("== {name}\n"))
            .nth(1)
            .and_then(|rest| rest.split("\n== ").next())
            .unwrap_or_else(|| panic!("no {name} section in {out}"))
            .to_string()
    };
    let list = section("list");
    assert!(list.contains("Acme") && list.contains("rc=0"), "{out}");
    let summary = section("summary");
    assert!(
        summary.contains("Clauses 4-10") && summary.contains("rc=0"),
        "{out}"
    );
    assert!(section("json").contains("isms-ready/assessment"), "{out}");
    let answer = section("answer");
    assert!(
        answer.contains("the disk is full") && answer.contains("rc=1"),
        "{out}"
    );
    let export = section("export");
    assert!(
        export.contains("the disk is full") && export.contains("rc=1"),
        "{out}"
    );
    assert!(!out.contains("disk I/O error"), "{out}");
    let files = section("files");
    let mut names: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    names.sort_unstable();
    assert_eq!(names, [".", "..", "fill", "fill2", "t.db"], "{out}");
}
