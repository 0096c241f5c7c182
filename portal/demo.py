"""Demo data: each app contributes steps in its own `demo.py`; `manage.py seed_demo` runs them.

    from portal.demo import demo_step

    @demo_step(order=40)
    def seed_councils(log): ...

Steps must be idempotent (get_or_create by natural keys): `make run` seeds on every start.
Portal steps use orders below 100, themes 100-199, domains 200 and up.
"""

from collections.abc import Callable

DEMO_PASSWORD = "Pingshan@2026"

_steps: list[tuple[int, str, Callable]] = []


def demo_step(order: int):
    def register(function):
        name = f"{function.__module__}.{function.__name__}"
        if name not in {existing for _, existing, _ in _steps}:
            _steps.append((order, name, function))
        return function

    return register


def steps(without=()):
    """The registered step functions in the order they must run; ``without``: leave out the steps of these top-level
    packages (``funds``), whose data a caller does not need."""
    ordered = sorted(_steps, key=lambda step: (step[0], step[1]))
    return [function for _order, name, function in ordered if name.split(".")[0] not in without]


def tiny_pdf(*lines) -> bytes:
    """A small valid one-page PDF (ASCII text, Helvetica): stands in for a real document in demo data."""
    text = " ".join(f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 56 780 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
