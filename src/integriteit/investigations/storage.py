"""Investigation files on disk, sealed under the case's data key like report attachments."""

from pathlib import Path

from django.conf import settings

from integriteit.reports.sealing import sealer_for


def path_of(obj, name: str = "content") -> Path:
    key = f"{obj._meta.model_name}-{obj.pk}-{name}"
    return Path(settings.UPLOAD_ROOT) / "investigations" / key


def write_sealed_file(obj, file_name: str, content: bytes, name: str = "content") -> None:
    sealer = sealer_for(obj.report)
    record_name = f"{obj._meta.model_name}:{obj.pk}"
    if hasattr(obj, "sealed_name") and name == "content":
        obj.sealed_name = sealer.seal_text(record_name, "name", file_name)
        obj.save(update_fields=["sealed_name"])
    path = path_of(obj, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sealer.seal(record_name, name, content))


def read_sealed_file(obj, name: str = "content") -> bytes:
    sealer = sealer_for(obj.report)
    return sealer.open(f"{obj._meta.model_name}:{obj.pk}", name, path_of(obj, name).read_bytes())
