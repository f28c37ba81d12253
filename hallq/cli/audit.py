"""`hallq audit`: check the event log's chain, write signed checkpoints of it, and show the
public key an auditor keeps to check them (docs/reliability.md, the threat model)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hallq.cli.common import open_database
from queue_server.domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    public_key_hex,
    read_signed,
)
from queue_server.services.bookings.keys import existing_key
from queue_server.services.chain_anchor import (
    check_against,
    load_or_create_signing_key,
    load_public_key,
    take_checkpoint,
    write_checkpoint,
)
from queue_server.services.event_log import verify_chain
from queue_server.settings import Settings
from queue_server.storage.tables import Hall


def cmd_verify(args: argparse.Namespace) -> int:
    settings = Settings()
    key_path = Path(args.chain_key or settings.chain_key_file)
    key = existing_key(key_path)
    if key is None:
        print(f"no chain key at {key_path}: keyed events are checked for their links only")
    checkpoints: list[Checkpoint] = []
    if args.checkpoint:
        trusted = load_public_key(Path(args.public_key or settings.checkpoint_key_file))
        for name in args.checkpoint:
            try:
                checkpoints.append(read_signed(Path(name).read_text(encoding="utf-8"), trusted))
            except (OSError, CheckpointError) as exc:
                print(f"checkpoint {name}: REFUSED: {exc}")
                return 1
    services = open_database(args.database, migrate=False, chain_key=key)
    failed = False
    with services.db.read() as session:
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
            against = check_against(session, checkpoint)
            where = f"checkpoint {checkpoint.hall}@{checkpoint.seq} ({checkpoint.reason})"
            if against is None:
                print(f"{where}: matches")
            else:
                failed = True
                print(f"{where}: chain BROKEN at event seq {against.seq}: {against.reason}")
    return 1 if failed else 0


def cmd_checkpoint(args: argparse.Namespace) -> int:
    settings = Settings()
    signing = load_or_create_signing_key(Path(args.signing_key or settings.checkpoint_key_file))
    services = open_database(args.database, migrate=False)
    with services.db.read() as session:
        halls = [args.hall] if args.hall else [h.id for h in session.query(Hall).all()]
        for hall in halls:
            checkpoint = take_checkpoint(session, services.clock, hall, args.reason)
            path = write_checkpoint(Path(args.out), checkpoint, signing)
            print(f"{path}: hall {hall} event {checkpoint.seq} hash {checkpoint.hash}")
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    path = Path(args.signing_key or Settings().checkpoint_key_file)
    print(public_key_hex(load_or_create_signing_key(path).public_key()))
    return 0
