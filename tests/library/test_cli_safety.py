"""The command line is safe to use by hand: a bad build never replaces the live library,
`--json` is always JSON, a bad path is one line, a mistyped home is refused, and a long build
shows progress. Run as real processes (stdout, stderr and logging as a user sees them)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import COMMANDS, cli

RAW_LAW = "laws/uts_vlc/Luat-quyen-tu-do-hoi-hop-1957-101-SL-L-003-36793.txt"
RAW_LAW_2 = "laws/uts_vlc/Luat-quyen-lap-hoi-1957-102-SL-L-004-36792.txt"
PDF = "documents/an_le_so_432021AL.pdf"


def lawshelf(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LAWSHELF_HOME"}
    if home is not None:
        env["LAWSHELF_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def live_generation(home: Path) -> str:
    return (home / "library" / "current").resolve().name


@pytest.fixture(scope="module")
def home_with_library(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    home = tmp_path_factory.mktemp("safety") / "home"
    res = lawshelf("library", "build", str(shared_data / RAW_LAW), home=home)
    assert res.returncode == 0, res.stderr
    return home


def test_building_an_empty_folder_keeps_the_live_library(
    home_with_library: Path, tmp_path: Path
) -> None:
    before = live_generation(home_with_library)
    empty = tmp_path / "empty"
    empty.mkdir()
    res = lawshelf("library", "build", str(empty), home=home_with_library)
    assert res.returncode == 2
    assert "no documents in" in res.stderr and "nothing was built" in res.stderr
    assert live_generation(home_with_library) == before
    res = lawshelf("search", "--json", "hội họp", home=home_with_library)
    assert json.loads(res.stdout)["hits"]


def test_a_folder_of_corrupt_files_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    (bad / "b.docx").write_bytes(b"PK\x03\x04 not a zip")
    res = lawshelf("library", "build", str(bad), "--out", str(tmp_path / "gen"))
    assert res.returncode == 2 and "no documents in" in res.stderr, res.stderr
    assert not (tmp_path / "gen").exists()


def test_mostly_skipped_build_fails_unless_allowed(tmp_path: Path, shared_data: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_bytes((shared_data / RAW_LAW).read_bytes())
    for name in ("x.pdf", "y.pdf"):
        (src / name).write_bytes(b"%PDF-1.7 broken")
    res = lawshelf("library", "build", str(src), "--out", str(tmp_path / "gen-a"))
    assert res.returncode == 2 and "2 of 3 inputs skipped, more than 50%" in res.stderr
    assert not (tmp_path / "gen-a").exists()
    res = lawshelf(
        "library", "build", str(src), "--out", str(tmp_path / "gen-b"), "--max-skipped", "1"
    )
    assert res.returncode == 0, res.stderr
    # Each skipped file is reported once, as it is met; the summary counts them.
    lines = res.stderr.splitlines()
    assert [sum(name in line for line in lines) for name in ("x.pdf", "y.pdf")] == [1, 1], lines
    assert "2 skipped" in res.stdout


def test_json_output_parses_when_mupdf_complains(tmp_path: Path, shared_data: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "law.txt").write_bytes((shared_data / RAW_LAW).read_bytes())
    pdf = (shared_data / PDF).read_bytes()
    (src / "cut.pdf").write_bytes(pdf[: len(pdf) * 6 // 10])  # MuPDF repairs it, and says so
    res = lawshelf("library", "build", str(src), "--out", str(tmp_path / "gen"), "--json")
    assert res.returncode == 0, res.stderr
    assert "MuPDF" not in res.stdout
    assert json.loads(res.stdout)["counts"]["documents"] == 2


def test_sync_json_parses_when_a_release_carries_a_damaged_pdf(
    tmp_path: Path, shared_data: Path
) -> None:
    from helpers_release import Publisher

    pub = Publisher.at(tmp_path / "pub")
    pub.write({1: "Luật Một"})
    pdf = (shared_data / PDF).read_bytes()
    (pub.src / "raw").mkdir()
    (pub.src / "raw" / "cut.pdf").write_bytes(pdf[: len(pdf) * 6 // 10])
    pub.publish()
    home = tmp_path / "home"
    home.mkdir()
    pub.trust(home)
    res = lawshelf("sync", "--from", str(pub.repo), "--json", home=home)
    assert "MuPDF" not in res.stdout
    report = json.loads(res.stdout)
    assert res.returncode == 0 and report["outcome"] == "applied", res.stderr


def test_a_bad_path_is_one_line(home_with_library: Path) -> None:
    res = lawshelf("stats", "export", "--csv", "/proc/nope/u.csv", home=home_with_library)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "lawshelf: no folder /proc/nope (is the USB stick plugged in?); nothing written"
    ], res.stderr


def test_a_home_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "typo-home"
    res = lawshelf("search", "ly hôn", home=missing)
    assert res.returncode == 2
    assert f"no LawShelf home at {missing}" in res.stderr
    assert "lawshelf library build" in res.stderr
    assert not missing.exists()
    res = lawshelf("show", "nd 100 2019", home=missing)
    assert res.returncode == 2 and not missing.exists()


def test_version() -> None:
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("lawshelf, version ")


def _help_lines(args: list[str]) -> list[str]:
    res = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80)
    assert res.exit_code == 0, res.output
    return res.output.splitlines()


def test_help_lists_whole_first_sentences() -> None:
    """click cuts a command's first sentence to fit a line (`...`); ours are wrapped whole."""
    pages = [[]] + [[name] for name in sorted(COMMANDS)]
    for args in pages:
        lines = [line for line in _help_lines(args) if not line.startswith("Usage:")]
        cut = [line for line in lines if line.rstrip().endswith(("...", "…"))]
        assert not cut, (args, cut)


def test_build_shows_progress_on_a_terminal(tmp_path: Path, shared_data: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in (RAW_LAW, RAW_LAW_2):
        (src / Path(name).name).write_bytes((shared_data / name).read_bytes())
    main, sub = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "library",
            "build",
            str(src),
            "--out",
            str(tmp_path / "g"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=sub,
    )
    os.close(sub)
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(120) == 0
    os.close(main)
    text = out.decode()
    assert "loaded 2 documents" in text, text  # `indexed N/M records` every 1000 records
