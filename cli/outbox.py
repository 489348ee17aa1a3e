"""`lawshelf enroll | outbox | seal-keys` (kiosk side): thin commands around sync.outbox & co.

The centre's commands (kiosks, inbox, opinions, access-log) are in cli/centre.py."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from cli.main import home_of
from kiosk import settings
from kiosk.state import open_state
from offline_index.dates import local_time
from offline_index.home import keys_dir
from sync import enroll as enroll_mod
from sync import outbox, sealing, upload

# ---------------------------------------------------------------- kiosk side


@click.command("enroll")
@click.option("--id", "kiosk_id", help="Kiosk id (a-z, 0-9, '-'); random if omitted.")
@click.option("--force", is_flag=True, help="Replace an existing enrolment (new key).")
@click.pass_context
def enroll_cmd(ctx: click.Context, kiosk_id: str | None, force: bool) -> None:
    """Create this kiosk's id, signing key and upload password; print what the centre needs."""
    home = home_of(ctx)
    ident = enroll_mod.enroll(home, kiosk_id=kiosk_id, force=force)
    settings.set_value(open_state(home), "kiosk_id", ident.kiosk_id, command="lawshelf enroll")
    click.echo(f"kiosk id:        {ident.kiosk_id}")
    click.echo(f"public key:      {ident.public_key}")
    click.echo(f"upload password: {ident.upload_password}   (basic auth user = kiosk id)")
    click.echo("At the centre run:")
    click.echo(
        f"  lawshelf kiosks add {ident.kiosk_id} {ident.public_key} --db CENTRAL.sqlite"
        f" --password={ident.upload_password}"
    )
    if not (keys_dir(home) / sealing.PUBLIC_NAME).exists():
        click.echo(
            "Note: no publisher sealing key yet; install it with `lawshelf seal-keys install`."
        )


@click.group("outbox")
def outbox_group() -> None:
    """Records waiting to go to the centre."""


@outbox_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def outbox_status(ctx: click.Context, as_json: bool) -> None:
    """How many records wait, since when, and the last upload error."""
    home = home_of(ctx, create=False)
    data = outbox.status(open_state(home))
    auth = enroll_mod.upload_auth(home)
    data["kiosk_id"] = auth[0] if auth else None
    data["seal_key_installed"] = (keys_dir(home) / sealing.PUBLIC_NAME).exists()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key}: {_in_words(key, value)}")


# What an empty value means, per field of `outbox status` (JSON keeps null and {}).
_EMPTY = {"last_sent": "never", "kiosk_id": "not enrolled (run `lawshelf enroll`)"}


def _in_words(key: str, value: object) -> str:
    """A status value as a person reads it: `never`, `none`, `yes`, `question 2, heartbeat 1`
    rather than Python's `None`, `{}`, `True`."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == {}:
        return _EMPTY.get(key, "none")
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if key in _TIMES:
        return local_time(value)
    return str(value)


_TIMES = ("oldest_pending", "last_sent")


@outbox_group.command("upload")
@click.option("--to", "target", help="Server base URL, or a folder (default: setting sync_source).")
@click.option("--deadline", default=600, show_default=True, help="Seconds for the whole run.")
@click.pass_context
def outbox_upload(ctx: click.Context, target: str | None, deadline: int) -> None:
    """Send pending records now (the nightly sync does this by itself)."""
    home = home_of(ctx, create=False)
    db = open_state(home)
    target = target or settings.load(home, db).sync_source
    if not target:
        raise click.UsageError("no upload target: pass --to URL|DIR or set sync_source")
    rep = upload.upload_pending(home, db, base_url=target, deadline=time.monotonic() + deadline)
    click.echo(
        f"sent {rep.records_sent} records in {rep.batches_sent} batches; {rep.pending} pending"
    )
    if rep.error:
        click.echo(f"lawshelf: {rep.error}", err=True)
        sys.exit(3)


# ---------------------------------------------------------------- sealing keys


@click.group("seal-keys")
def seal_keys() -> None:
    """X25519 keys that seal residents' personal data to the publisher."""


@seal_keys.command("init")
@click.option("--dir", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option(
    "--force", is_flag=True, help="Overwrite an existing key (old blobs become unreadable)."
)
def seal_init(out_dir: str, force: bool) -> None:
    """Publisher: create publisher_seal.key (keep offline) and publisher_seal.pub (ship to kiosks)."""
    priv, pub = sealing.generate_keypair(Path(out_dir), force=force)
    click.echo(f"private key: {priv}  (keep it offline; needed to read entries)")
    click.echo(f"public key:  {pub}  (install on every kiosk)")


@seal_keys.command("install")
@click.argument("public_file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def seal_install(ctx: click.Context, public_file: str) -> None:
    """Kiosk: install the publisher's sealing public key into HOME/keys."""
    dest = sealing.install_public(home_of(ctx), Path(public_file))
    click.echo(f"installed {dest} (key id {sealing.key_id(sealing.load_public(dest)).hex()})")


def register(cli: click.Group) -> None:
    for cmd in (enroll_cmd, outbox_group, seal_keys):
        cli.add_command(cmd)
