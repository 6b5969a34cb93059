"""Writes an OCI image archive (for `ctr images import`) of one static binary as its entrypoint.

    python3 oci_image.py OUT.tar NAME:TAG BINARY ENTRYPOINT

No registry to pull a base from, and no builder needed: one layer holding the binary at ENTRYPOINT,
a config, a manifest and an index naming the image (containerd reads io.containerd.image.name).
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data


def main(out, name, binary, entrypoint):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as layer:
        info = layer.gettarinfo(binary, arcname=entrypoint.lstrip("/"))
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = 0
        info.mode = 0o755
        with open(binary, "rb") as f:
            layer.addfile(info, f)
    diff_id, _ = blob(raw.getvalue())
    layer_digest, layer_data = blob(gzip.compress(raw.getvalue(), mtime=0))
    config_digest, config_data = blob(json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Entrypoint": [entrypoint], "User": "65535:65535"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }).encode())
    manifest_digest, manifest_data = blob(json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config_data)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": len(layer_data)}],
    }).encode())
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": len(manifest_data),
            "annotations": {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": name.rsplit(":", 1)[1]},
        }],
    }).encode()
    with tarfile.open(out, "w") as archive:
        def add(path, data):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add("index.json", index)
        for digest, data in ((layer_digest, layer_data), (config_digest, config_data), (manifest_digest, manifest_data)):
            add("blobs/sha256/" + digest.split(":")[1], data)


if __name__ == "__main__":
    main(*sys.argv[1:5])
