"""Features of one event mention for the learned mention filter experiment (issue 3, dev5 round).

Not part of the package: the leave-one-batch-out run (benchmarks/data/README.md, "Mention filter")
found no gain, so the extractor does not call a filter. `train_mention_filter.py` computes these
features for every mention the extractor finds on the dev batches and fits a logistic regression
on them. Every feature is meant to carry from one article to the next: the event type's family,
where the trigger sits, classes of words around it (future, negation, condition, call, reporting,
threat, past), what the rules found (place, actor, date, count, their own confidence), the page
the URL names and how many mentions the article has. No word of a particular article is a feature.
"""

from __future__ import annotations

import math
import re

from marsad.nlp.normalize import fold

_FAMILY = ("battle", "remote", "violence", "protest", "riot", "strategic", "diplomacy")

# Context words over folded text (ة→ه, أ/إ/آ→ا, ى→ي, ئ/ؤ→ي), each a class of the language, not of a corpus.
_W = r"(?<!\w)[وف]?(?:%s)(?!\w)"
_FUTURE = re.compile(
    _W % r"سوف|سيتم|ستتم|المقبل|المقبله|القادم|القادمه|المقرر|المرتقب|المرتقبه|المتوقع|المزمع|"
    r"س[يتن](?!طر|اس|ار|نا|ما)\w{3,}"
)
_NEGATION = re.compile(_W % r"لم|لن|لا|ليس|ليست|عدم|دون|نفي|ينفي|تنفي|نفت")
_CONDITION = re.compile(_W % r"اذا|لو|حال|حاله|ما لم|ان لم|قد|ربما|يمكن|محتمل\w*")
_CALL = re.compile(_W % r"دعا|دعت|يدعو|تدعو|دعوه|طالب|طالبت|يطالب|تطالب|حث|حثت|يحث|ناشد\w*|مطالب\w*")
_REPORT = re.compile(
    _W % r"قال|قالت|يقول|تقول|اعلن\w*|افاد\w*|ذكر\w*|وفق\w*|بحسب|حسب|اضاف\w*|اكد\w*|اوضح\w*|اشار\w*|"
    r"صرح\w*|بيان"
)
_THREAT = re.compile(_W % r"حذر\w*|يحذر\w*|تحذر\w*|هدد\w*|يهدد\w*|تهدد\w*|تهديد\w*|توعد\w*")
_PAST = re.compile(_W % r"كان|كانت|سبق|منذ|سابق|السابق|الماضي|الماضيه|عام|اعوام|سنوات|(?:19|20)\d\d")
_SPORT = re.compile(
    _W % r"مباراه|مباريات|المنتخب|منتخب|الدوري|دوري|بطوله|البطوله|لاعب|اللاعب|لاعبي|الفريق|فريق|"
    r"هدف|اهداف|مدرب|المدرب|نادي|النادي|كاس|الكاس|الموسم|فيلم|مسلسل|الفنان|الفنانه|الممثل|الممثله|"
    r"مهرجان|اغنيه|جمهور|الجمهور|شركه|الشركه|تطبيق|مستخدم\w*"
)
_FORCE = re.compile(
    _W % r"قتلي|قتيل|قتل|مقتل|جرحي|مصاب\w*|اصيب\w*|الجيش|قوات|القوات|مسلح\w*|ميليشي\w*|مليشي\w*|"
    r"الشرطه|الامن|غارات|صواريخ"
)
# the URL path says the page: news pages, or sport, business, technology, culture
_URL_OTHER = re.compile(
    r"/(?:sports?|business|economy|aswaq|tech|technology|science-and-tech|culture[\w-]*)[/-]", re.I
)
_URL_NEWS = re.compile(r"/(?:middle-?east|world|arab-and-world)[/-]", re.I)


def _count(rx: re.Pattern[str], s: str) -> int:
    return sum(1 for _ in rx.finditer(s))


def features(recs: list[dict], extras: list[dict], text: str, article: dict) -> list[dict[str, float]]:
    """One feature dict per mention record (`extras`: what the record leaves out of the rule's state)."""
    title = article.get("title") if isinstance(article, dict) else None
    title = title if isinstance(title, str) else ""
    url = article.get("url") if isinstance(article, dict) else None
    url = url if isinstance(url, str) else ""
    f_title = fold(title)
    f_text = fold(text[:4000])
    n_words = max(1, len(f_text.split()))
    sport_density = 100.0 * _count(_SPORT, f_text + " " + f_title) / n_words
    force_density = 100.0 * _count(_FORCE, f_text + " " + f_title) / n_words
    other_page = 1.0 if _URL_OTHER.search(url) else 0.0
    news_page = 1.0 if not other_page and _URL_NEWS.search(url) else 0.0
    # sentence starts, for the trigger's sentence index
    starts = [0] + [m.end() for m in re.finditer(r"[.!?؟\n]+\s*", text)]
    n = len(recs)
    by_type: dict[str, int] = {}
    for r in recs:
        by_type[r["type"]] = by_type.get(r["type"], 0) + 1
    out = []
    for r, x in zip(recs, extras, strict=True):
        typ = r["type"]
        a, b = r["trigger"]["start"], r["trigger"]["end"]
        sent_idx = sum(1 for s in starts if s <= a) - 1
        f_trig = fold(r["trigger"]["text"])
        near = fold(text[max(0, a - 80) : min(len(text), b + 80)])
        before = fold(text[max(0, a - 50) : a])
        f_sent = fold(r["sentence"] or "")
        loc = r.get("location")
        d: dict[str, float] = {
            "bias_one": 1.0,
            "conf": float(r["confidence"]),
            "lead": 1.0 if sent_idx == 0 else 0.0,
            "sent_idx_log": math.log1p(max(0, sent_idx)),
            "trigger_word_in_title": 1.0 if f_trig and f_trig[-4:] in f_title else 0.0,
            "loc_named": 1.0 if loc and loc.get("text") else 0.0,
            "loc_inferred": 1.0 if loc and not loc.get("text") else 0.0,
            "loc_inherited": 1.0 if x.get("inherited") else 0.0,
            "actor1": 1.0 if any(ac.get("role") == "actor1" for ac in r["actors"]) else 0.0,
            "n_actors": float(min(3, len(r["actors"]))),
            "dated": 1.0 if r.get("date_text") else 0.0,
            "planned": 1.0 if r.get("date_precision") == "planned" else 0.0,
            "counted": 1.0
            if any(r.get(k) is not None for k in ("fatalities", "fatalities_min", "injured", "arrested"))
            else 0.0,
            "verb": 1.0 if x.get("verb") else 0.0,
            "definite": 1.0 if x.get("definite") else 0.0,
            "evaluative": 1.0 if x.get("evaluative") else 0.0,
            "future_near": float(min(2, _count(_FUTURE, near))),
            "negation_before": float(min(2, _count(_NEGATION, before))),
            "condition_near": float(min(2, _count(_CONDITION, near))),
            "call_before": float(min(2, _count(_CALL, before))),
            "report_sent": float(min(3, _count(_REPORT, f_sent))),
            "threat_near": float(min(2, _count(_THREAT, near))),
            "past_near": float(min(3, _count(_PAST, near))),
            "sport_density": min(8.0, sport_density),
            "force_density": min(8.0, force_density),
            "other_page": other_page,
            "news_page": news_page,
            "n_mentions_log": math.log1p(n),
            "same_type_log": math.log1p(by_type[typ] - 1),
            "sent_len_log": math.log1p(len(f_sent.split())),
        }
        fam = typ.split(".")[0]
        for f_ in _FAMILY:
            d["fam_" + f_] = 1.0 if fam == f_ else 0.0
        out.append(d)
    return out


def extras_of(m) -> dict:
    """What `features` reads from the rule's own mention object (events._Mention) beside its record."""
    t = m.trigger
    return {
        "verb": t.verb,
        "definite": t.definite,
        "inherited": m.inherited_place,
        "evaluative": m.evaluative,
    }
