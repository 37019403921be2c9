"""Scoring: evidence-backed pre-scores, the judges' score store, aggregation, agreement and ranking.

    casekit.score.prescore   prescore_cases(cases, rubric, workspace=None) -> list[PreScore]; prescores_frame
    casekit.score.store      ScoreStore(workspace_or_path): judges, scores, abstain/recuse, history, CSV
    casekit.score.aggregate  judges × cases matrices, z-normalization, (trimmed) means, disagreement
    casekit.score.agreement  krippendorff_alpha, agreement_frame
    casekit.score.rank       rank_cases(cases, rubric, store=None, ...) -> RankResult

Rubrics are in casekit.rubric (load_rubric). The rules are written up in docs/scoring.md. Submodules are
imported on use, so `import casekit.score` stays cheap.
"""
