"""`hallq audit`: check the event log's chain, write signed checkpoints of it, and show the
public key an auditor keeps to check them (docs/reliability.md, the threat model)."""

from __future__ import annotations

import argparse
from pathlib import Path

from queue_server.settings import Settings


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from queue_server.domain.checkpoint import CheckpointError, read_signed
    from queue_server.services.bookings.keys import existing_key
    from queue_server.services.chain_anchor import check_against, load_public_key
    from queue_server.services.database import Database
    from queue_server.services.event_log import verify_chain
    from queue_server.storage.engine import make_engine
    from queue_server.storage.tables import Hall

    settings = Settings()
    key_path = Path(args.chain_key or settings.chain_key_file)
    key = existing_key(key_path)
    if key is None:
        print(f"no chain key at {key_path}: keyed events are checked for their links only")
    checkpoints = []
    if args.checkpoint:
        trusted = load_public_key(Path(args.public_key or settings.checkpoint_key_file))
        for name in args.checkpoint:
            try:
                checkpoints.append(read_signed(Path(name).read_text(encoding="utf-8"), trusted))
            except (OSError, CheckpointError) as exc:
                print(f"checkpoint {name}: REFUSED: {exc}")
                return 1
    db = Database(make_engine(args.database or settings.database_url), chain_key=key)
    failed = False
    with db.read() as session:
        halls = [args.hall] if args.hall else [h.id for h in session.query(Hall).all()]
        for hall in halls:
            count, broken = verify_chain(session, hall, key)
            row = session.get(Hall, hall)
            if broken is None:
                keyed = row.chain_keyed_from if row is not None else None
                how = "not keyed" if keyed is None else f"keyed from event {keyed}"
                print(f"hall {hall}: {count} events, chain intact ({how})")
            else:
                failed = True
                print(f"hall {hall}: chain BROKEN at event seq {broken.seq}: {broken.reason}")
        for checkpoint in checkpoints:
            if args.hall and checkpoint.hall != args.hall:
                continue
            broken = check_against(session, checkpoint)
            where = f"checkpoint {checkpoint.hall}@{checkpoint.seq} ({checkpoint.reason})"
            if broken is None:
                print(f"{where}: matches")
            else:
                failed = True
                print(f"{where}: chain BROKEN at event seq {broken.seq}: {broken.reason}")
    return 1 if failed else 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from queue_server.services.chain_anchor import (
        load_or_create_signing_key,
        take_checkpoint,
        write_checkpoint,
    )
    from queue_server.services.database import Database
    from queue_server.settings import process_clock
    from queue_server.storage.engine import make_engine
    from queue_server.storage.tables import Hall

    settings = Settings()
    signing = load_or_create_signing_key(Path(args.signing_key or settings.checkpoint_key_file))
    db = Database(make_engine(args.database or settings.database_url))
    with db.read() as session:
        halls = [args.hall] if args.hall else [h.id for h in session.query(Hall).all()]
        for hall in halls:
            checkpoint = take_checkpoint(session, process_clock(), hall, args.reason)
            path = write_checkpoint(Path(args.out), checkpoint, signing)
            print(f"{path}: hall {hall} event {checkpoint.seq} hash {checkpoint.hash}")
    return 0


def cmd_audit_public_key(args: argparse.Namespace) -> int:
    from queue_server.domain.checkpoint import public_key_hex
    from queue_server.services.chain_anchor import load_or_create_signing_key

    path = Path(args.signing_key or Settings().checkpoint_key_file)
    print(public_key_hex(load_or_create_signing_key(path).public_key()))
    return 0


def add_audit_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="event log audit")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain of the event log")
    verify.add_argument("--database")
    verify.add_argument("--hall")
    verify.add_argument("--chain-key", help="chain key file (default: HALLQ_CHAIN_KEY_FILE)")
    verify.add_argument(
        "--checkpoint",
        action="append",
        metavar="FILE",
        help="a signed checkpoint file the log must still match (repeatable)",
    )
    verify.add_argument(
        "--public-key",
        metavar="FILE",
        help="trusted checkpoint public key (hex, from `hallq audit public-key`); default: "
        "the public half of HALLQ_CHECKPOINT_KEY_FILE",
    )
    verify.set_defaults(func=cmd_audit_verify)

    checkpoint = audit_sub.add_parser(
        "checkpoint", help="write a signed checkpoint of each hall's chain head"
    )
    checkpoint.add_argument("--database")
    checkpoint.add_argument("--hall")
    checkpoint.add_argument("--out", required=True, help="directory for the checkpoint files")
    checkpoint.add_argument(
        "--reason", default="manual", choices=("day", "assessment", "bulletin", "manual")
    )
    checkpoint.add_argument("--signing-key", help="default: HALLQ_CHECKPOINT_KEY_FILE")
    checkpoint.set_defaults(func=cmd_audit_checkpoint)

    public = audit_sub.add_parser(
        "public-key", help="print the checkpoint public key, for the auditor to keep"
    )
    public.add_argument("--signing-key", help="default: HALLQ_CHECKPOINT_KEY_FILE")
    public.set_defaults(func=cmd_audit_public_key)
