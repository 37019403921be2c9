"""Scoring: evidence-backed pre-scores, the judges' score store, aggregation, agreement and ranking.

    casekit.score.prescore     prescore_cases(cases, rubric, workspace=None) -> list[PreScore]; prescores_frame
    casekit.score.store        ScoreStore(workspace_or_path): judges, scores, abstain/recuse, history (any thread)
    casekit.score.judges       Judge, organizers, who may change whose data (UnknownJudgeError, NotPermittedError)
    casekit.score.points       validate_points, POINTS_STEP: the points a judge may give on a criterion
    casekit.score.csv_io       import_scores_csv / export_scores_csv / import_judges_csv (store, path, …)
    casekit.score.queue        review_queue(store, judge_id, cases, rubric): what a judge scores next
    casekit.score.affiliation  resolve_affiliation (through the gazetteer), conflict: when a judge may not score
    casekit.score.aggregate    judges × cases matrices, z-normalization, (trimmed) means, disagreement
    casekit.score.agreement    krippendorff_alpha, agreement_frame
    casekit.score.standings    ranks, tie-breaks and awards within the rubric's partitions
    casekit.score.intervals    bootstrap rank intervals over resampled judges
    casekit.score.rank         rank_cases(cases, rubric, store=None, ...) -> RankResult

Rubrics are in casekit.rubric (load_rubric). The rules are written up in docs/scoring.md. Submodules are
imported on use, so `import casekit.score` stays cheap.
"""
