"""Evidence-backed pre-scores: per-criterion point *suggestions* computed from the parsed case text.

Public API::

    prescore_cases(cases, rubric, workspace=None, embedder=None) -> list[PreScore]
    prescores_frame(prescores) -> DataFrame      # one row per suggestion (case_id, criterion, points, …)
    prescore_totals(prescores, rubric) -> DataFrame   # per case: stage sums and weighted total
    save_prescores(workspace, rubric, prescores) / load_prescores(workspace, rubric)

Each `PreScore` is one suggestion: case_id, criterion, points, max_points, the signals that produced
it (raw value → 0–1 score, weight, a one-line explanation) and the evidence lines [{line, text}]
(original 1-based line numbers of the source file), so a judge can check every suggestion.

Why suggestions and never scores: the signals only count what the text *says* (participation words,
조례 제정, actual outcome figures, the pledge's nouns recurring in the body); they cannot judge quality.
They help judges triage and let `rank` show a provisional order before any judge has scored, always
labelled as such.

Signals (configured in the rubric YAML, see `casekit.rubric.SignalSpec`):
  keywords / pattern   counted on the case body (from the first section on, so the form header's own
                       labels such as "관련공약" do not count), spaces ignored when matching terms;
  metrics              outcome metrics: the workspace's stored metrics (`Workspace.metric_rows`, which
                       extracts and stores them when metrics.jsonl is missing), or, without a workspace,
                       `casekit.metrics.extract_metrics(case)` in memory; `metric_kinds` entries
                       "outcome:jobs", "outcome:beneficiaries" … count outcome indicators (casekit.outcomes);
  pledge_link          관련공약 present (presence_weight) plus the share of each pledge's content
                       morphemes that recur in the body;
  novelty              1 − cosine similarity to the nearest other case (TF-IDF over Kiwi morphemes by
                       default, or an `Embedder`), as a percentile among the cases scored together.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from casekit.errors import WorkspaceError
from casekit.korean import morphemes_many
from casekit.metrics import extract_metrics
from casekit.parse.model import Case
from casekit.rubric import Criterion, Rubric, SignalSpec
from casekit.store import Workspace, atomic_write_text

if TYPE_CHECKING:
    from casekit.embed.base import Embedder


@dataclass
class SignalResult:
    id: str
    kind: str
    value: float  # raw value (a count, or 0–1)
    score: float  # 0–1 after the rubric's saturate/thresholds
    weight: float
    detail: str
    used: bool = True  # False when the signal could not be computed (e.g. metrics unavailable)


@dataclass
class PreScore:
    """One suggestion: `points` of `max_points` for `criterion` of `case_id`, with signals and evidence."""

    case_id: str
    rubric_id: str
    rubric_version: str
    stage: str
    criterion: str
    name: str
    points: float
    max_points: float
    signals: list[SignalResult] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)  # [{line, text, signal}]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PreScore:
        data = dict(data)
        data["signals"] = [SignalResult(**s) for s in data.get("signals", [])]
        return cls(**data)


# -- case text views -------------------------------------------------------------------------------


@dataclass
class _CaseView:
    case: Case
    body: list[tuple[int, str]]  # (original line number, repaired text)
    tokens: list[list[str]] = field(default_factory=list)  # content morphemes per body line
    pledge_tokens: dict[str, list[str]] = field(default_factory=dict)  # content morphemes per 관련공약

    def lines_in(self, kinds: Sequence[str] | None) -> list[tuple[int, str]]:
        if not kinds:
            return self.body
        spans = [(s.line_start, s.line_end) for s in self.case.sections if s.kind in kinds]
        return [(n, t) for n, t in self.body if any(a <= n <= b for a, b in spans)]


def _view(case: Case) -> _CaseView:
    start = min((s.line_start for s in case.sections), default=case.line_start)
    body = [(ln.number, ln.text) for ln in case.lines if ln.number >= start and ln.text.strip()]
    if not body:
        body = [(ln.number, ln.text) for ln in case.lines if ln.text.strip()]
    return _CaseView(case, body)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _evidence(line: int, text: str, signal: str) -> dict[str, Any]:
    return {"line": int(line), "text": text.strip()[:200], "signal": signal}


# -- the signals -----------------------------------------------------------------------------------


def _keywords(spec: SignalSpec, view: _CaseView) -> tuple[float, str, list[dict[str, Any]]]:
    lines = view.lines_in(spec.sections)
    terms = [(t, _squash(t)) for t in spec.terms]
    found: dict[str, int] = {}
    matching_lines: list[tuple[int, str]] = []
    for number, text in lines:
        squashed = _squash(text)
        hit = False
        for term, key in terms:
            if key and key in squashed:
                hit = True
                found.setdefault(term, number)
        if hit:
            matching_lines.append((number, text))
    value = float(len(found) if spec.count == "terms" else len(matching_lines))
    text_of = dict(lines)
    evidence: list[dict[str, Any]] = []
    for number in sorted(set(found.values()))[: spec.max_evidence]:
        evidence.append(_evidence(number, text_of[number], spec.id))
    detail = (
        f"{len(found)} of {len(terms)} terms found ({', '.join(found) or 'none'}) "
        f"on {len(matching_lines)} line(s)"
    )
    return value, detail, evidence


def _pattern(spec: SignalSpec, view: _CaseView) -> tuple[float, str, list[dict[str, Any]]]:
    regex = re.compile(spec.regex or "")
    hits: list[tuple[int, str, str]] = []
    for number, text in view.lines_in(spec.sections):
        for match in regex.finditer(text):
            hits.append((number, text, match.group(0)))
    evidence = [_evidence(n, t, spec.id) for n, t, _ in hits[: spec.max_evidence]]
    shown = ", ".join(m for _, _, m in hits[:5])
    return float(len(hits)), f"{len(hits)} match(es){': ' + shown if shown else ''}", evidence


def _metrics_for(case: Case, workspace: Workspace | None, cache: dict[str, Any]) -> list[Any] | None:
    """The case's metrics as objects with kind/temporal/line/text/norm: the workspace's stored rows (read
    once into `cache`), else extracted from the case in memory. None would leave the signal out, said."""
    if workspace is None:
        return list(extract_metrics(case))
    if "ws" not in cache:
        table: dict[str, list[Any]] = {}
        for row in workspace.metric_rows():
            table.setdefault(row.get("case_id", ""), []).append(_Obj(row))
        cache["ws"] = table
    return list(cache["ws"].get(case.id, []))


class _Obj:
    def __init__(self, data: dict[str, Any]) -> None:
        self.__dict__.update(data)


#: `metric_kinds` entries "outcome:<category>" (outcome:jobs, outcome:beneficiaries …) count the case's outcome
#: indicators of that category (casekit.outcomes) instead of raw metric kinds; a forecast counts as planned.
OUTCOME_PREFIX = "outcome:"


def _outcomes_for(case: Case, workspace: Workspace | None, cache: dict[str, Any]) -> list[Any]:
    """The case's outcome indicators as objects with kind "outcome:<category>", made once per run (Kiwi
    loads only for a rubric that asks for them)."""
    from casekit.outcomes import case_indicators
    from casekit.outcomes.classify import classify_case
    from casekit.outcomes.headline import mark_headlines

    if workspace is None:
        found = classify_case(case, [m.to_dict() for m in extract_metrics(case)])
        mark_headlines(found)
    else:
        if "outcomes" not in cache:
            cache["outcomes"] = {}
            for indicator in case_indicators(cache.get("cases") or [case], workspace):
                cache["outcomes"].setdefault(indicator.case_id, []).append(indicator)
        found = cache["outcomes"].get(case.id, [])
    return [
        _Obj(
            {
                **i.to_dict(),
                "kind": OUTCOME_PREFIX + i.category,
                "temporal": "planned" if i.temporal == "forecast" else i.temporal,
            }
        )
        for i in found
    ]


def _metrics(
    spec: SignalSpec, view: _CaseView, metrics: list[Any] | None
) -> tuple[float | None, str, list[dict[str, Any]]]:
    if metrics is None:
        return None, "metrics unavailable for this case", []
    chosen = [
        m
        for m in metrics
        if getattr(m, "kind", None) in spec.metric_kinds
        and (spec.temporal == "any" or getattr(m, "temporal", None) == spec.temporal)
    ]
    distinct = {(getattr(m, "line", 0), round(float(getattr(m, "norm", 0) or 0), 6), m.kind) for m in chosen}
    text_of = {ln.number: ln.text for ln in view.case.lines}
    evidence: list[dict[str, Any]] = []
    seen: set[int] = set()
    for m in chosen:
        line = int(getattr(m, "line", 0))
        if line in seen or len(evidence) >= spec.max_evidence:
            continue
        seen.add(line)
        evidence.append(_evidence(line, text_of.get(line, getattr(m, "text", "")), spec.id))
    kinds = ", ".join(spec.metric_kinds)
    examples = ", ".join(str(getattr(m, "text", "")) for m in chosen[:4])
    return (
        float(len(distinct)),
        f"{len(distinct)} {spec.temporal} {kinds} figure(s){': ' + examples if examples else ''}",
        evidence,
    )


def _pledge_link(spec: SignalSpec, view: _CaseView) -> tuple[float, str, list[dict[str, Any]]]:
    pledges = [p for p in view.case.pledges if p.strip()]
    if not pledges:
        return 0.0, "no 관련공약 (related pledge) given", []
    pledge_tokens = [set(view.pledge_tokens.get(p, ())) for p in pledges]
    body_tokens = [set(t) for t in view.tokens]
    vocabulary = set().union(*body_tokens) if body_tokens else set()
    shares = [len(p & vocabulary) / len(p) for p in pledge_tokens if p]
    coverage = float(np.mean(shares)) if shares else 0.0
    wanted = set().union(*pledge_tokens)
    scored = sorted(
        ((len(toks & wanted), i) for i, toks in enumerate(body_tokens) if toks & wanted),
        key=lambda x: (-x[0], x[1]),
    )
    evidence = [_evidence(view.body[i][0], view.body[i][1], spec.id) for _, i in scored[: spec.max_evidence]]
    evidence.sort(key=lambda e: e["line"])
    value = spec.presence_weight + (1 - spec.presence_weight) * coverage
    return (
        value,
        f"{len(pledges)} pledge(s); {coverage:.0%} of their content words recur in the body",
        evidence,
    )


def _novelty_values(
    views: list[_CaseView], spec: SignalSpec, embedder: Embedder | None
) -> dict[str, tuple[float, str, list[dict[str, Any]]]]:
    """Per case: percentile of (1 − similarity to its nearest other case) among `views`."""
    n = len(views)
    if n < 2:
        return {
            v.case.id: (0.5, "only one case scored: novelty is undefined, neutral 0.5", []) for v in views
        }
    # scikit-learn takes ~0.6 s to import: only novelty needs it, and the judge's notebook reads saved
    # pre-scores without computing any, so it is imported here.
    from sklearn.feature_extraction.text import TfidfVectorizer

    use_embedder = embedder is not None and spec.method in ("auto", "embedder")
    docs = [[tok for toks in v.tokens for tok in toks] for v in views]
    tfidf = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=1)
    weights = tfidf.fit_transform(docs)
    if use_embedder:
        assert embedder is not None
        matrix = embedder.encode([" ".join(t for _, t in v.body)[:5000] for v in views], role="passage")
        sims = np.asarray(matrix @ matrix.T, dtype=float)
        method = f"embedder {embedder.model_id}"
    else:
        sims = np.asarray((weights @ weights.T).toarray(), dtype=float)
        method = "TF-IDF over Kiwi morphemes"
    np.fill_diagonal(sims, -np.inf)
    nearest = sims.argmax(axis=1)
    distance = 1.0 - sims[np.arange(n), nearest]
    # average-rank percentile: most distant → 1.0, least → 0.0
    order = pd.Series(distance).rank(method="average").to_numpy()
    percentile = (order - 1) / (n - 1)
    vocab = np.array(tfidf.get_feature_names_out())
    out = {}
    dense = weights.toarray()
    for i, view in enumerate(views):
        j = int(nearest[i])
        own = dense[i] * (dense[j] == 0)  # terms the nearest case does not use at all
        top = [str(vocab[k]) for k in np.argsort(-own)[:3] if own[k] > 0]
        evidence: list[dict[str, Any]] = []
        for number, text in view.body:
            if len(evidence) >= spec.max_evidence or not top:
                break
            if any(t in text for t in top):
                evidence.append(_evidence(number, text, spec.id))
        detail = (
            f"nearest case {views[j].case.id} ({views[j].case.municipality}) similarity {sims[i, j]:.2f} "
            f"({method}); distinctive: {', '.join(top) or '-'}; percentile {percentile[i]:.2f} of {n}"
        )
        out[view.case.id] = (float(percentile[i]), detail, evidence)
    return out


# -- the driver ------------------------------------------------------------------------------------

#: Kiwi's content morphemes (min_len 2) of every text a workspace's pre-scores have read, by text digest.
MORPHEME_CACHE = "morphemes.json"


def _morphemes_cached(texts: list[str], ws: Workspace | None) -> list[list[str]]:
    """`morphemes_many(texts, min_len=2)`, remembered in `<ws>/prescores/morphemes.json`.

    Why: Kiwi takes seconds to load, and a judge's notebook recomputes the pre-scores whenever the saved
    ones are missing or stale (the rubric was edited). The texts rarely change, so after the first run
    (`casekit run`, `casekit prescore`, or a first notebook) the morphemes come from this file and Kiwi is
    never loaded on the judge's path. Keyed by the text's digest, so an edited case simply misses.
    """
    if ws is None:
        return morphemes_many(texts, min_len=2)
    path = ws.prescores_dir / MORPHEME_CACHE
    cache: dict[str, list[str]] = {}
    if path.is_file():
        try:
            cache = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            cache = {}  # a damaged cache is rebuilt, never trusted
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    if missing:
        found = morphemes_many([t for _, t in missing], min_len=2)
        cache.update({k: toks for (k, _), toks in zip(missing, found)})
        atomic_write_text(path, json.dumps(cache, ensure_ascii=False))
    return [list(cache[k]) for k in keys]


def _round_half(x: float) -> float:
    return float(np.floor(x * 2 + 0.5) / 2)


def prescore_cases(
    cases: Sequence[Case],
    rubric: Rubric,
    workspace: Workspace | str | None = None,
    embedder: Embedder | None = None,
) -> list[PreScore]:
    """Suggest points for every pre-scorable criterion of every case (criteria without signals are skipped).

    `workspace` (optional) supplies the stored metrics (extracted and stored first when metrics.jsonl is
    missing); call `save_prescores` to keep the result. `embedder` switches novelty from TF-IDF to
    embeddings. Deterministic for the same input.
    """
    ws = Workspace.resolve(workspace) if workspace is not None else None
    views = [_view(c) for c in cases]
    specs = [c for c in rubric.criteria if c.prescore and c.prescore.signals]
    kinds = {s.kind for c in specs for s in c.prescore.signals}  # type: ignore[union-attr]
    if kinds & {"pledge_link", "novelty"} and views:
        flat = [t for v in views for _, t in v.body]
        pledges = sorted({p for v in views for p in v.case.pledges if p.strip()})
        tokens = _morphemes_cached(flat + pledges, ws)
        pos = 0
        for v in views:
            v.tokens = tokens[pos : pos + len(v.body)]
            pos += len(v.body)
        by_pledge = dict(zip(pledges, tokens[len(flat) :]))
        for v in views:
            v.pledge_tokens = {p: by_pledge[p] for p in v.case.pledges if p in by_pledge}
    novelty: dict[str, dict[str, tuple[float, str, list[dict[str, Any]]]]] = {}
    for crit in specs:
        for spec in crit.prescore.signals:  # type: ignore[union-attr]
            if spec.kind == "novelty":
                novelty[f"{crit.id}.{spec.id}"] = _novelty_values(views, spec, embedder)
    cache: dict[str, Any] = {"cases": list(cases)}
    results: list[PreScore] = []
    wants_outcomes = any(
        k.startswith(OUTCOME_PREFIX)
        for c in specs
        if c.prescore
        for s in c.prescore.signals
        for k in s.metric_kinds
    )
    for view in views:
        metrics = None
        if "metrics" in kinds:
            metrics = _metrics_for(view.case, ws, cache)
            if wants_outcomes:
                metrics = (metrics or []) + _outcomes_for(view.case, ws, cache)
        for crit in specs:
            results.append(_suggest(view, crit, rubric, metrics, novelty))
    return results


def _suggest(
    view: _CaseView,
    crit: Criterion,
    rubric: Rubric,
    metrics: list[Any] | None,
    novelty: dict[str, dict[str, tuple[float, str, list[dict[str, Any]]]]],
) -> PreScore:
    assert crit.prescore is not None
    signals: list[SignalResult] = []
    evidence: list[dict[str, Any]] = []
    notes: list[str] = []
    for spec in crit.prescore.signals:
        value: float | None
        if spec.kind == "keywords":
            value, detail, ev = _keywords(spec, view)
        elif spec.kind == "pattern":
            value, detail, ev = _pattern(spec, view)
        elif spec.kind == "metrics":
            value, detail, ev = _metrics(spec, view, metrics)
        elif spec.kind == "pledge_link":
            value, detail, ev = _pledge_link(spec, view)
        else:
            value, detail, ev = novelty[f"{crit.id}.{spec.id}"][view.case.id]
        if value is None:
            signals.append(SignalResult(spec.id, spec.kind, 0.0, 0.0, spec.weight, detail, used=False))
            notes.append(f"signal {spec.id} left out: {detail}")
            continue
        signals.append(
            SignalResult(
                spec.id, spec.kind, round(value, 4), round(spec.scale(value), 4), spec.weight, detail
            )
        )
        evidence.extend(ev)
    used = [s for s in signals if s.used]
    total_weight = sum(s.weight for s in used)
    mean = sum(s.score * s.weight for s in used) / total_weight if total_weight else 0.0
    floor = crit.prescore.floor
    max_points = float(crit.max_points or 0)
    points = min(max_points, _round_half(max_points * (floor + (1 - floor) * mean)))
    if not used:
        notes.append("no signal could be computed; the suggestion is the floor only")
    return PreScore(
        view.case.id,
        rubric.id,
        rubric.version,
        crit.stage,
        crit.id,
        crit.name,
        points,
        max_points,
        signals,
        evidence,
        notes,
    )


# -- tables and persistence ------------------------------------------------------------------------


def prescores_frame(prescores: Sequence[PreScore]) -> pd.DataFrame:
    """One row per suggestion; `signals` and `evidence` stay lists (of dicts) for notebooks to expand."""
    rows = []
    for p in prescores:
        row = p.to_dict()
        row["signal_summary"] = "; ".join(
            f"{s.id}={s.value:g}→{s.score:.2f}" + ("" if s.used else " (unused)") for s in p.signals
        )
        row["evidence_lines"] = [e["line"] for e in p.evidence]
        rows.append(row)
    columns = [
        "case_id",
        "stage",
        "criterion",
        "name",
        "points",
        "max_points",
        "signal_summary",
        "evidence_lines",
        "signals",
        "evidence",
        "notes",
        "rubric_id",
        "rubric_version",
    ]
    return pd.DataFrame(rows, columns=columns)


def prescore_totals(prescores: Sequence[PreScore], rubric: Rubric) -> pd.DataFrame:
    """Per case: suggested points per stage (only stages whose every criterion is pre-scored) and their total.

    The total is the rubric-weighted sum over those stages, so it is out of `max_total`, not the full
    rubric total: a presentation stage cannot be suggested from a written report.
    """
    by_case: dict[str, dict[str, float]] = {}
    for p in prescores:
        by_case.setdefault(p.case_id, {})[p.criterion] = p.points
    stages = [s for s in rubric.stages if all(c.prescore and c.prescore.signals for c in s.criteria)]
    rows = []
    for case_id, crits in by_case.items():
        row: dict[str, Any] = {"case_id": case_id}
        total = 0.0
        for stage in stages:
            value = sum(crits.get(c.id, 0.0) for c in stage.criteria)
            row[f"stage_{stage.id}"] = value
            total += stage.weight * value
        for crit in rubric.criteria:
            if crit.id in crits:
                row[crit.id] = crits[crit.id]
        row["total"] = total
        row["max_total"] = sum(s.weight * s.points for s in stages)
        rows.append(row)
    return pd.DataFrame(rows)


def prescores_path(workspace: Workspace | str, rubric: Rubric) -> Any:
    ws = Workspace.resolve(workspace)
    return ws.prescores_dir / f"{rubric.id}.jsonl"


def save_prescores(workspace: Workspace | str, rubric: Rubric, prescores: Sequence[PreScore]) -> Any:
    path = prescores_path(workspace, rubric)
    atomic_write_text(path, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in prescores))
    return path


def load_prescores(workspace: Workspace | str, rubric: Rubric) -> list[PreScore] | None:
    """Saved suggestions for `rubric`, or None when absent or made under another version of the rubric."""
    path = prescores_path(workspace, rubric)
    if not path.is_file():
        return None
    out = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip():
            try:
                out.append(PreScore.from_dict(json.loads(raw)))
            except (ValueError, TypeError) as exc:
                raise WorkspaceError(f"{path}: line {number}: damaged pre-score ({exc})") from exc
    if any(p.rubric_version != rubric.version for p in out):
        return None
    return out
