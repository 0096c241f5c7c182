"""Files on S3-compatible object storage (S3_BUCKET, django-storages), against moto's S3 server on loopback: the
settings give public media and private files their own prefixes in one bucket, private files are never public (no
ACL for all, links only signed), a second upload of one name keeps both, and the health check reaches the storage.
Each check runs in a fresh process with the S3 settings in its environment, as a node started with them would."""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "portal-files"


@pytest.fixture(scope="module")
def s3():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET)
    yield {"endpoint": endpoint, "client": client}
    server.stop()


def run_with_s3(s3, code):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3["endpoint"],
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }
    script = "import django; django.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_private_files_go_to_their_own_prefix_and_are_never_public(s3):
    name, backend, url = run_with_s3(
        s3,
        """
        from django.core.files.base import ContentFile
        from portal.files.storage import private_storage
        storage = private_storage()
        name = storage.save("deals/7/尽调报告.pdf", ContentFile("保密".encode()))
        with storage.open(name) as stored:
            assert stored.read().decode() == "保密"
        print(name, type(storage).__name__, storage.url(name))
        """,
    )
    assert backend == "S3Storage" and name.startswith("deals/7/")
    key = f"private/{name}"
    assert s3["client"].get_object(Bucket=BUCKET, Key=key)["Body"].read() == "保密".encode()
    grants = s3["client"].get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [grant for grant in grants if "AllUsers" in grant["Grantee"].get("URI", "")]
    assert "Signature=" in url or "X-Amz-Signature=" in url  # a link to a private file is signed, and expires


def test_public_media_has_plain_links_and_a_second_upload_keeps_the_first(s3):
    first, second, url = run_with_s3(
        s3,
        """
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        first = default_storage.save("images/banner.png", ContentFile(b"one"))
        second = default_storage.save("images/banner.png", ContentFile(b"two"))
        print(first, second, default_storage.url(first))
        """,
    )
    assert first == "images/banner.png" and second != first and second.startswith("images/banner")
    assert url == f"{s3['endpoint']}/{BUCKET}/media/images/banner.png"
    assert s3["client"].get_object(Bucket=BUCKET, Key=f"media/{first}")["Body"].read() == b"one"


def test_the_health_check_reaches_the_object_storage(s3):
    (answer,) = run_with_s3(
        s3,
        """
        from portal.health import CHECKS
        print(CHECKS["storage"]())
        """,
    )
    assert answer == "True"
    left = s3["client"].list_objects_v2(Bucket=BUCKET, Prefix="private/health/").get("KeyCount", 0)
    assert left == 0  # the probe file is removed again
