"""The NLP stage alone: marsad.nlp.extract.extract on cleaned corpus articles, in this one process.

Extraction is pure Python, so one process uses one core: articles per CPU second is articles/s per
core. Wall-clock rate is reported beside it (they differ when the machine is busy)."""

from __future__ import annotations

import time

from marsad.bench.stats import rate, summarize


def cleaned_dicts(articles) -> list[dict]:
    """Articles as the extract stage receives them: after the clean step, as dicts."""
    from marsad.clean import clean_article
    from marsad.settings import get_settings

    s = get_settings()
    return [
        clean_article(a, max_chars=s.max_article_chars, arabic_min_ratio=s.arabic_min_ratio).to_dict()
        for a in articles
    ]


def bench_extract(docs: list[dict], warmup: int = 5) -> dict:
    from marsad.nlp.extract import extract

    for d in docs[:warmup]:  # load the CRF model, lexicons and caches before timing
        extract(d)
    per: list[float] = []
    chars = mentions = entities = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        t = time.perf_counter()
        r = extract(d)
        per.append(time.perf_counter() - t)
        mentions += len(r.get("mentions") or [])
        entities += len(r.get("entities") or [])
        chars += len(d.get("title") or "") + len(d.get("body") or "")
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {
        "articles": len(docs),
        "warmup": warmup,
        "chars": chars,
        "entities": entities,
        "mentions": mentions,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": rate(len(docs), wall),
        "articles_per_cpu_s": rate(len(docs), cpu),
        "kchars_per_cpu_s": round(chars / cpu / 1000, 1) if cpu else None,
        "per_article_seconds": summarize(per),
        "per_article": [round(x, 4) for x in per],
    }


def stage_costs(articles) -> dict:
    """CPU milliseconds per article of each processing step's pure code, run in this process in the
    order the worker runs them (clean -> MinHash signature -> exact + near dedup -> extract -> event
    merge), plus the JSON encoding/decoding between stages. Comparing their sum with the worker's
    measured CPU per article shows how much goes to the stream framework (Faust, aiokafka, tables)."""
    import json
    from dataclasses import replace

    from marsad.clean import clean_article
    from marsad.dedup.events import assign, expire, partition_key
    from marsad.dedup.exact import decide
    from marsad.dedup.near import NearDuplicateIndex, signature, signature_to_str
    from marsad.nlp.extract import extract
    from marsad.records import Article
    from marsad.settings import get_settings

    s = get_settings()
    near = NearDuplicateIndex(s.near_window)
    seen: dict[str, dict] = {}
    open_events: dict[str, list] = {}
    cost = dict.fromkeys(("json", "clean", "signature", "dedup", "extract", "merge"), 0.0)
    pt = time.process_time
    for d in articles[:5]:
        extract(
            clean_article(d, max_chars=s.max_article_chars, arabic_min_ratio=s.arabic_min_ratio).to_dict()
        )
    for a in articles:
        t = pt()
        a = Article.from_json(a.to_json())
        cost["json"] += pt() - t
        t = pt()
        c = clean_article(a, max_chars=s.max_article_chars, arabic_min_ratio=s.arabic_min_ratio)
        cost["clean"] += pt() - t
        t = pt()
        sig = signature(c.title, c.body)
        c = replace(c, simhash=signature_to_str(sig))
        cost["signature"] += pt() - t
        t = pt()
        dec = decide(seen.get(c.fingerprint), c.id, time.time(), s.dedup_window)
        if dec.entry is not None:
            seen[c.fingerprint] = dec.entry
        near.check_and_add(c.id, c.source, time.time(), sig)
        near.pop_changes()
        cost["dedup"] += pt() - t
        t = pt()
        doc = json.loads(c.to_json())
        cost["json"] += pt() - t
        t = pt()
        r = extract(doc)
        cost["extract"] += pt() - t
        t = pt()
        for m in r.get("mentions") or []:
            key = partition_key(m)
            evs = open_events.get(key) or []
            day = (m.get("published_at") or "")[:10] or None
            if day:
                evs = expire(evs, day)
            evs, _merged, _changed = assign(evs, m)
            open_events[key] = evs
        cost["merge"] += pt() - t
        t = pt()
        doc["entities"] = r.get("entities") or []
        json.loads(json.dumps(doc, ensure_ascii=False).encode())
        cost["json"] += pt() - t
    n = max(1, len(articles))
    ms = {k: round(v / n * 1000, 3) for k, v in cost.items()}
    ms["total"] = round(sum(cost.values()) / n * 1000, 3)
    return {
        "articles": len(articles),
        "cpu_ms_per_article": ms,
        "articles_per_cpu_s": round(1000 / ms["total"], 1) if ms["total"] else None,
    }
