"""Ways to get a job to a printer. Every transport opens per job, bounds every blocking
step with a timeout, and closes afterwards, so a printer that vanished between two
visitors costs one failed job, not a wedged kiosk.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import shutil
import socket
import struct
import subprocess
import termios
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from printers.layout import escpos_bytes
from printers.profiles import MAX_DOTS, MIN_DOTS, paper_for_printer
from printers.raster import Rendered

Kind = Literal["usb", "serial", "network", "file", "cups", "dummy", "preview"]
KINDS: tuple[Kind, ...] = ("usb", "serial", "network", "file", "cups", "dummy", "preview")
# raster: every line drawn as an image (any printer). native: Chinese sent as GB18030 text
# for the printer's own font (printers sold in China carry one).
Mode = Literal["raster", "native"]
MODES: tuple[Mode, ...] = ("raster", "native")

# A printer that stops reading must stall our send within io_timeout instead of the kernel
# quietly buffering the whole receipt (loopback and LAN buffers easily hold 100 KB).
NETWORK_SEND_BUFFER = 8192
DRAIN_POLL_S = 0.01
# A serial byte is 10 bits on the wire (start, 8 data, stop); the margin covers printers that
# pause the line with flow control while their buffer drains onto paper.
SERIAL_BITS_PER_BYTE = 10
LINE_MARGIN = 1.25


class TransportError(RuntimeError):
    """The job could not be delivered."""


class PrinterUnreachable(TransportError):
    """The printer definitely is not there (refused, no such device): it is offline."""


@dataclass(frozen=True)
class PrinterConfig:
    kind: Kind = "preview"
    width_mm: int = 80
    profile: str | None = None  # python-escpos capabilities profile name
    dots: int | None = None  # printable width in dots; default: the profile's, else the paper's
    mode: Mode = "raster"
    io_timeout: float = 10.0
    job_timeout: float = 30.0
    status_timeout: float = 1.0
    check_status: bool = True  # ask before each job; a printer that says paper out fails fast
    reprint_seconds: float = 300.0
    # usb
    vendor_id: int | None = None
    product_id: int | None = None
    interface: int = 0
    in_endpoint: int | None = None
    out_endpoint: int | None = None
    # serial
    device: str | None = None
    baudrate: int = 9600
    rtscts: bool = False
    # network
    host: str | None = None
    port: int = 9100
    # file
    path: str | None = None
    # cups
    printer_name: str | None = None
    # preview
    folder: str = "var/receipts"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"printer kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.width_mm not in (58, 80):
            raise ValueError(f"width_mm must be 58 or 80, not {self.width_mm}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.dots is not None and not MIN_DOTS <= self.dots <= MAX_DOTS:
            raise ValueError(f"dots must be between {MIN_DOTS} and {MAX_DOTS}, not {self.dots}")
        if self.baudrate <= 0:
            raise ValueError("baudrate must be positive")
        if self.profile is not None:
            paper_for_printer(self.width_mm, self.profile, self.dots)  # a known, usable profile
        required = {
            "usb": ("vendor_id", "product_id"),
            "serial": ("device",),
            "network": ("host",),
            "file": ("path",),
            "cups": ("printer_name",),
        }.get(self.kind, ())
        missing = [name for name in required if getattr(self, name) in (None, "")]
        if missing:
            raise ValueError(f"{self.kind} printer needs {', '.join(missing)}")
        for name in ("io_timeout", "job_timeout", "status_timeout", "reprint_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PrinterConfig:
        """Build from a config file section; USB ids may be written as "0x0416"."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown printer settings: {', '.join(sorted(unknown))}")
        values = dict(data)
        for name in ("vendor_id", "product_id", "in_endpoint", "out_endpoint"):
            if isinstance(values.get(name), str):
                values[name] = int(values[name], 0)
        return cls(**values)


class Transport(ABC):
    """Delivers rendered documents; optionally answers real-time status queries."""

    def __init__(self, profile: str | None = None) -> None:
        self.profile = profile

    io_timeout: float = 10.0

    def send(self, rendered: Rendered) -> None:
        self.send_bytes(escpos_bytes(rendered, self.profile))

    @abstractmethod
    def send_bytes(self, data: bytes) -> None: ...

    def bytes_per_second(self) -> float | None:
        """The line's real rate; None when the line is much faster than any printer."""
        return None

    def transfer_seconds(self, size: int) -> float:
        """How long `size` bytes take on this line, margin included (0 on a fast line)."""
        rate = self.bytes_per_second()
        return 0.0 if rate is None else size / rate * LINE_MARGIN

    def time_limit(self, size: int) -> float:
        """The time one job of `size` bytes may take to go out before it counts as stuck."""
        return self.io_timeout + self.transfer_seconds(size)

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None] | None:
        """Send a job, then ask `questions` on the same line, each answered by one byte.

        The first question may wait `first_wait` (it is answered once the job is printed),
        the others `wait` each; after the first, the rest are asked even if it went
        unanswered (a printer stopped mid-job still answers real-time queries). None
        overall: this transport cannot talk back (the job was still sent). None for a
        question: no answer in time. `rendered`: the raster the bytes were made from, for
        transports that keep it.
        """
        self.send_bytes(data)
        return None

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None] | None:
        """Send each real-time command and read its one-byte answer.

        None overall: this transport cannot talk back. None for a command: no answer in
        time (the rest are then not asked). Raises PrinterUnreachable if definitely gone.
        """
        return None

    @abstractmethod
    def describe(self) -> str: ...


class NetworkTransport(Transport):
    """Raw TCP, port 9100 (JetDirect / AppSocket)."""

    def __init__(
        self, host: str, port: int = 9100, io_timeout: float = 10.0, profile: str | None = None
    ) -> None:
        super().__init__(profile)
        self.host, self.port, self.io_timeout = host, port, io_timeout

    def describe(self) -> str:
        return f"network {self.host}:{self.port}"

    def _connect(self, timeout: float) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=timeout)
        except (ConnectionRefusedError, socket.gaierror) as e:
            raise PrinterUnreachable(f"{self.describe()}: {e}") from e
        except TimeoutError as e:
            raise TransportError(f"{self.describe()}: connect timed out") from e
        except OSError as e:
            raise PrinterUnreachable(f"{self.describe()}: {e}") from e
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, NETWORK_SEND_BUFFER)
        return sock

    def send_bytes(self, data: bytes) -> None:
        self.deliver(data, (), 0.0, 0.0)

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None]:
        deadline = time.monotonic() + self.time_limit(len(data))
        sock = self._connect(self.io_timeout)
        try:
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
            sock.sendall(data)  # the timeout bounds the whole call, not each chunk
            _drain(sock, deadline)
            answers = _ask_all(sock, questions, first_wait, wait)
            sock.shutdown(socket.SHUT_WR)
        except TimeoutError as e:
            raise TransportError(f"{self.describe()}: printer stopped accepting data") from e
        except OSError as e:
            raise TransportError(f"{self.describe()}: {e}") from e
        finally:
            sock.close()
        return answers

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None]:
        deadline = time.monotonic() + timeout
        try:
            sock = self._connect(timeout)
        except PrinterUnreachable:
            raise
        except TransportError:
            return [None] * len(commands)
        answers: list[bytes | None] = []
        with sock:
            for cmd in commands:
                answers.append(_ask(sock, cmd, deadline))
                if answers[-1] is None:
                    break
        return answers + [None] * (len(commands) - len(answers))


def _ask(sock: socket.socket, cmd: bytes, deadline: float) -> bytes | None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    try:
        sock.settimeout(remaining)
        sock.sendall(cmd)
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        reply = sock.recv(1)
    except OSError:
        return None
    return reply or None


def _ask_all(
    sock: socket.socket, questions: Sequence[bytes], first_wait: float, wait: float
) -> list[bytes | None]:
    answers: list[bytes | None] = []
    for i, question in enumerate(questions):
        answer = _ask(sock, question, time.monotonic() + (first_wait if i == 0 else wait))
        answers.append(answer)
        if answer is None and i > 0:
            break
    return answers + [None] * (len(questions) - len(answers))


def _drain(sock: socket.socket, deadline: float) -> None:
    """Wait until the printer has acknowledged every byte (Linux SIOCOUTQ)."""
    while True:
        try:
            buf = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
        except OSError:
            return  # not supported here: sendall having returned is the best we know
        if struct.unpack("i", buf)[0] == 0:
            return
        if time.monotonic() > deadline:
            raise TimeoutError("unacknowledged data left in the send queue")
        time.sleep(DRAIN_POLL_S)


class FileTransport(Transport):
    """A device node (/dev/usb/lp0) or a regular file; jobs are appended."""

    def __init__(self, path: str, io_timeout: float = 10.0, profile: str | None = None) -> None:
        super().__init__(profile)
        self.path, self.io_timeout = path, io_timeout

    def describe(self) -> str:
        return f"file {self.path}"

    def send_bytes(self, data: bytes) -> None:
        deadline = time.monotonic() + self.time_limit(len(data))
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
        except FileNotFoundError as e:
            raise PrinterUnreachable(f"{self.describe()}: {e}") from e
        except OSError as e:
            raise TransportError(f"{self.describe()}: {e}") from e
        try:
            view = memoryview(data)
            while view:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TransportError(f"{self.describe()}: device stopped accepting data")
                _, writable, _ = select.select([], [fd], [], remaining)
                if not writable:
                    continue
                try:
                    view = view[os.write(fd, view) :]
                except BlockingIOError:
                    continue
        except OSError as e:
            raise TransportError(f"{self.describe()}: {e}") from e
        finally:
            os.close(fd)


class SerialTransport(Transport):
    def __init__(
        self,
        device: str,
        baudrate: int = 9600,
        rtscts: bool = False,
        io_timeout: float = 10.0,
        profile: str | None = None,
    ) -> None:
        super().__init__(profile)
        self.device, self.baudrate, self.rtscts = device, baudrate, rtscts
        self.io_timeout = io_timeout

    def describe(self) -> str:
        return f"serial {self.device}@{self.baudrate}"

    def _open(self, timeout: float) -> Any:
        import serial  # pyserial; imported here so other transports work without it

        try:
            return serial.Serial(
                self.device,
                self.baudrate,
                timeout=timeout,
                write_timeout=timeout,
                rtscts=self.rtscts,
            )
        except serial.SerialException as e:
            raise PrinterUnreachable(f"{self.describe()}: {e}") from e

    def bytes_per_second(self) -> float:
        return self.baudrate / SERIAL_BITS_PER_BYTE

    def send_bytes(self, data: bytes) -> None:
        self.deliver(data, (), 0.0, 0.0)

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None]:
        import serial

        # pyserial's write_timeout bounds the whole write: it must cover the job at line rate.
        port = self._open(self.time_limit(len(data)))
        answers: list[bytes | None] = []
        try:
            port.reset_input_buffer()
            started = time.monotonic()
            written = port.write(data)
            if written is not None and written < len(data):
                raise TransportError(
                    f"{self.describe()}: printer stopped accepting data "
                    f"({written} of {len(data)} bytes sent)"
                )
            port.flush()
            # flush() may return while the bytes still sit in a driver's or a USB adapter's
            # buffer (a pty's drain does not wait at all): the printer answers only once the
            # job has crossed the line, so the first question also waits for what is left.
            on_line = max(0.0, self.transfer_seconds(len(data)) - (time.monotonic() - started))
            for i, question in enumerate(questions):
                port.timeout = first_wait + on_line if i == 0 else wait
                port.write(question)
                answers.append(port.read(1) or None)
                if answers[-1] is None and i > 0:
                    break
        except serial.SerialTimeoutException as e:
            raise TransportError(f"{self.describe()}: printer stopped accepting data") from e
        except serial.SerialException as e:
            raise TransportError(f"{self.describe()}: {e}") from e
        finally:
            port.close()
        return answers + [None] * (len(questions) - len(answers))

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None]:
        import serial

        port = self._open(timeout / max(len(commands), 1))
        answers: list[bytes | None] = []
        try:
            for cmd in commands:
                port.reset_input_buffer()
                port.write(cmd)
                answers.append(port.read(1) or None)
        except serial.SerialException:
            pass
        finally:
            port.close()
        return answers + [None] * (len(commands) - len(answers))


class UsbTransport(Transport):
    """USB printer class device through libusb (pyusb); detaches the kernel usblp driver."""

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        interface: int = 0,
        in_endpoint: int | None = None,
        out_endpoint: int | None = None,
        io_timeout: float = 10.0,
        profile: str | None = None,
    ) -> None:
        super().__init__(profile)
        self.vendor_id, self.product_id, self.interface = vendor_id, product_id, interface
        self.in_endpoint, self.out_endpoint = in_endpoint, out_endpoint
        self.io_timeout = io_timeout

    def describe(self) -> str:
        return f"usb {self.vendor_id:04x}:{self.product_id:04x}"

    @contextlib.contextmanager
    def _claimed(self) -> Any:
        import usb.core
        import usb.util

        try:
            dev = usb.core.find(idVendor=self.vendor_id, idProduct=self.product_id)
        except usb.core.NoBackendError as e:
            raise TransportError(f"{self.describe()}: libusb not available: {e}") from e
        if dev is None:
            raise PrinterUnreachable(f"{self.describe()}: not connected")
        try:
            with contextlib.suppress(NotImplementedError, usb.core.USBError):
                if dev.is_kernel_driver_active(self.interface):
                    dev.detach_kernel_driver(self.interface)
            with contextlib.suppress(usb.core.USBError):  # already configured is fine
                dev.set_configuration()
            usb.util.claim_interface(dev, self.interface)
            yield dev
        except usb.core.USBError as e:
            raise TransportError(f"{self.describe()}: {e}") from e
        finally:
            usb.util.dispose_resources(dev)

    def _endpoints(self, dev: Any) -> tuple[int, int | None]:
        import usb.util

        if self.out_endpoint is not None:
            return self.out_endpoint, self.in_endpoint
        intf = dev.get_active_configuration()[(self.interface, 0)]
        out_ep = in_ep = None
        for ep in intf:
            direction = usb.util.endpoint_direction(ep.bEndpointAddress)
            if direction == usb.util.ENDPOINT_OUT and out_ep is None:
                out_ep = ep.bEndpointAddress
            elif direction == usb.util.ENDPOINT_IN and in_ep is None:
                in_ep = ep.bEndpointAddress
        if out_ep is None:
            raise TransportError(f"{self.describe()}: no OUT endpoint on interface")
        return out_ep, self.in_endpoint if self.in_endpoint is not None else in_ep

    def send_bytes(self, data: bytes) -> None:
        self.deliver(data, (), 0.0, 0.0)

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None] | None:
        import usb.core

        answers: list[bytes | None] = []
        with self._claimed() as dev:
            out_ep, in_ep = self._endpoints(dev)
            dev.write(out_ep, data, int(self.time_limit(len(data)) * 1000))
            if in_ep is None:
                return None
            for i, question in enumerate(questions):
                ms = max(int((first_wait if i == 0 else wait) * 1000), 1)
                try:
                    dev.write(out_ep, question, ms)
                    answers.append(bytes(dev.read(in_ep, 16, ms))[:1] or None)
                except usb.core.USBError:
                    answers.append(None)
                if answers[-1] is None and i > 0:
                    break
        return answers + [None] * (len(questions) - len(answers))

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None]:
        import usb.core

        ms = max(int(timeout * 1000 / max(len(commands), 1)), 1)
        answers: list[bytes | None] = []
        with self._claimed() as dev:
            out_ep, in_ep = self._endpoints(dev)
            if in_ep is None:
                return [None] * len(commands)
            for cmd in commands:
                try:
                    dev.write(out_ep, cmd, ms)
                    answers.append(bytes(dev.read(in_ep, 16, ms))[:1] or None)
                except usb.core.USBError:
                    break
        return answers + [None] * (len(commands) - len(answers))


class CupsTransport(Transport):
    """A CUPS queue fed raw ESC/POS with `lp -d NAME -o raw`."""

    def __init__(
        self,
        printer_name: str,
        io_timeout: float = 10.0,
        profile: str | None = None,
        lp: str = "lp",
        lpstat: str = "lpstat",
    ) -> None:
        super().__init__(profile)
        self.printer_name, self.io_timeout = printer_name, io_timeout
        self.lp, self.lpstat = lp, lpstat

    def describe(self) -> str:
        return f"cups {self.printer_name}"

    def send_bytes(self, data: bytes) -> None:
        exe = shutil.which(self.lp)
        if exe is None:
            raise TransportError(f"{self.describe()}: `{self.lp}` not found (install cups-client)")
        try:
            done = subprocess.run(
                [exe, "-d", self.printer_name, "-o", "raw"],
                input=data,
                capture_output=True,
                timeout=self.io_timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as e:
            raise TransportError(f"{self.describe()}: lp did not return in time") from e
        if done.returncode != 0:
            err = done.stderr.decode(errors="replace").strip()
            raise TransportError(f"{self.describe()}: lp failed ({done.returncode}): {err}")

    def queue_state(self, timeout: float) -> tuple[bool | None, str]:
        """(enabled?, lpstat's words); None when lpstat could not tell."""
        exe = shutil.which(self.lpstat)
        if exe is None:
            return None, "lpstat not found"
        try:
            done = subprocess.run(
                [exe, "-p", self.printer_name],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, "lpstat did not answer in time"
        text = (done.stdout or done.stderr).strip()
        if done.returncode != 0:
            return None, text
        return "disabled" not in text, text


class DummyTransport(Transport):
    """In memory, for tests: keeps every job; answers status with the given bytes."""

    OK_REPLIES: Mapping[int, bytes] = {1: b"\x12", 2: b"\x12", 3: b"\x12", 4: b"\x12"}
    JOB_DONE = b"\x1dr\x01"

    def __init__(
        self,
        replies: Mapping[int, bytes] | None = None,
        profile: str | None = None,
        fail_with: Exception | None = None,
        done_reply: bytes | None = b"\x00",
    ) -> None:
        """`done_reply`: the answer to GS r 1 after a job (None: the job never finishes)."""
        super().__init__(profile)
        self.replies = dict(self.OK_REPLIES if replies is None else replies)
        self.fail_with = fail_with
        self.done_reply = done_reply
        self.jobs: list[bytes] = []
        self.rendered: list[Rendered] = []
        self.queries = 0
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "dummy"

    def send(self, rendered: Rendered) -> None:
        with self._lock:
            self.rendered.append(rendered)
        super().send(rendered)

    def send_bytes(self, data: bytes) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        with self._lock:
            self.jobs.append(data)

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None]:
        with self._lock:
            self.queries += 1
        return [self.replies.get(cmd[-1]) for cmd in commands]

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None]:
        if rendered is not None:
            with self._lock:
                self.rendered.append(rendered)
        self.send_bytes(data)
        if not questions:
            return []
        with self._lock:
            self.queries += 1
        return [
            self.done_reply if q == self.JOB_DONE else self.replies.get(q[-1]) for q in questions
        ]


class PreviewTransport(Transport):
    """The demo printer: one PNG per job in a folder (nnnn-NUMBER.png)."""

    def __init__(self, folder: str | Path) -> None:
        super().__init__(None)
        self.folder = Path(folder)
        self.last_path: Path | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"preview {self.folder}"

    def send(self, rendered: Rendered) -> None:
        image = rendered.to_image()
        safe = "".join(c for c in rendered.title if c.isalnum() or c in "-_") or "job"
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            seq = 1 + max((_seq(p) for p in self.folder.glob("*.png")), default=0)
            path = self.folder / f"{seq:04d}-{safe}.png"
            image.save(path, format="PNG")
        self.last_path = path

    def send_bytes(self, data: bytes) -> None:
        raise TransportError("the preview printer takes rendered documents, not bytes")


def _seq(path: Path) -> int:
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def make_transport(config: PrinterConfig) -> Transport:
    c = config
    if c.kind == "network":
        assert c.host
        return NetworkTransport(c.host, c.port, c.io_timeout, c.profile)
    if c.kind == "file":
        assert c.path
        return FileTransport(c.path, c.io_timeout, c.profile)
    if c.kind == "serial":
        assert c.device
        return SerialTransport(c.device, c.baudrate, c.rtscts, c.io_timeout, c.profile)
    if c.kind == "usb":
        assert c.vendor_id is not None and c.product_id is not None
        return UsbTransport(
            c.vendor_id,
            c.product_id,
            c.interface,
            c.in_endpoint,
            c.out_endpoint,
            c.io_timeout,
            c.profile,
        )
    if c.kind == "cups":
        assert c.printer_name
        return CupsTransport(c.printer_name, c.io_timeout, c.profile)
    if c.kind == "dummy":
        return DummyTransport(profile=c.profile)
    return PreviewTransport(c.folder)
