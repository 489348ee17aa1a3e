"""install.sh asks for the ward when run from a terminal without --ward, and writes no
placeholder when it cannot ask. The steps run from the sourced script on a scratch /etc folder,
so these tests need neither root nor a real install."""

from __future__ import annotations

import os
import pty
import subprocess
import tomllib
from pathlib import Path

INSTALL = Path(__file__).resolve().parents[2] / "installer" / "install.sh"

# write_config's first part: the config file from the template, ward and sync source set.
STEPS = """
. {install}
CONF={conf}
parse_args "$@"
ask_ward
install -m 0644 "$HERE/files/config.toml.in" "$CONF/config.toml"
set_config ward_name "$WARD"
set_config sync_source "$SYNC_SOURCE"
"""


def run_steps(conf: Path, *args: str, answer: str | None = None) -> str:
    """Run the steps; with `answer`, stdin is a terminal on which the answer is typed."""
    cmd = ["bash", "-c", STEPS.format(install=INSTALL, conf=conf), "steps", *args]
    if answer is None:
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        return res.stdout + res.stderr
    main, sub = pty.openpty()
    proc = subprocess.Popen(cmd, stdin=sub, stdout=sub, stderr=sub)
    os.close(sub)
    os.write(main, answer.encode() + b"\n")
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(30) == 0, out
    os.close(main)
    return out.decode()


def config(conf: Path) -> dict:
    return tomllib.loads((conf / "config.toml").read_text(encoding="utf-8"))


def test_ward_is_asked_on_a_terminal(tmp_path: Path) -> None:
    out = run_steps(tmp_path, answer="Phường Láng")
    assert "Ward or commune" in out
    assert config(tmp_path)["ward_name"] == "Phường Láng"


def test_without_a_terminal_no_placeholder_and_how_to_set_it(tmp_path: Path) -> None:
    out = run_steps(tmp_path, "--sync-source", "https://example.invalid/lawshelf")
    values = config(tmp_path)
    assert values["ward_name"] == ""
    assert values["sync_source"] == "https://example.invalid/lawshelf"
    assert "no ward name given" in out and "lawshelf settings set ward_name" in out


def test_ward_option_is_not_asked_and_is_written_safely(tmp_path: Path) -> None:
    out = run_steps(tmp_path, "--ward", 'Xã "Tân & Lập" \\ 1', answer="ignored")
    assert "Ward or commune" not in out
    assert config(tmp_path)["ward_name"] == 'Xã "Tân & Lập" \\ 1'
