"""Kafka connection settings turned into what kafka-python and Faust each expect (TLS, SASL/SCRAM)."""

from __future__ import annotations

import ssl
from typing import Any

from marsad.settings import Settings

PROTOCOLS = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}
MECHANISMS = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}


class KafkaConfigError(ValueError):
    pass


def _check(s: Settings) -> str:
    proto = s.kafka_security_protocol.upper()
    if proto not in PROTOCOLS:
        raise KafkaConfigError(f"MARSAD_KAFKA_SECURITY_PROTOCOL={proto!r}: use one of {', '.join(sorted(PROTOCOLS))}")
    if proto.startswith("SASL"):
        if s.kafka_sasl_mechanism.upper() not in MECHANISMS:
            raise KafkaConfigError(f"MARSAD_KAFKA_SASL_MECHANISM={s.kafka_sasl_mechanism!r}: use one of {', '.join(sorted(MECHANISMS))}")
        if not s.kafka_username or not s.kafka_password:
            raise KafkaConfigError(f"{proto} needs MARSAD_KAFKA_USERNAME and MARSAD_KAFKA_PASSWORD")
    return proto


def ssl_context(s: Settings) -> ssl.SSLContext | None:
    """A TLS context from the CA (and optional client certificate) files, for SSL and SASL_SSL."""
    if not _check(s).endswith("SSL"):
        return None
    ctx = ssl.create_default_context(cafile=s.kafka_ca_file or None)
    if s.kafka_cert_file:
        ctx.load_cert_chain(s.kafka_cert_file, s.kafka_key_file or None)
    return ctx


def kafka_python_config(s: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient."""
    proto = _check(s)
    cfg: dict[str, Any] = {
        "bootstrap_servers": [b.strip() for b in s.kafka_bootstrap.split(",") if b.strip()],
        "security_protocol": proto,
    }
    if proto.startswith("SASL"):
        cfg.update(sasl_mechanism=s.kafka_sasl_mechanism.upper(), sasl_plain_username=s.kafka_username,
                   sasl_plain_password=s.kafka_password)
    ctx = ssl_context(s)
    if ctx is not None:
        cfg["ssl_context"] = ctx
    return cfg


def faust_credentials(s: Settings):
    """Faust's `broker_credentials` for the same settings (None for PLAINTEXT)."""
    import faust

    proto = _check(s)
    if proto == "PLAINTEXT":
        return None
    ctx = ssl_context(s)
    if proto == "SSL":
        return faust.SSLCredentials(ctx)
    return faust.SASLCredentials(username=s.kafka_username, password=s.kafka_password, ssl_context=ctx,
                                 mechanism=s.kafka_sasl_mechanism.upper())
