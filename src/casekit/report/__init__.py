"""Renderers: results in, something a person reads out — no data is loaded and nothing is ranked here.

    casekit.report.fonts    a Hangul font for matplotlib (no tofu boxes)
    casekit.report.plots    figures: metric overview, score distributions, rank intervals, the one theme map
    casekit.report.html     escaped HTML tables and pages, the batch's index page
    casekit.report.excel    workbooks for the office (case text escaped against formula injection)
    casekit.report.display  showing tables, notices and figures in a notebook

The pages that load a workspace and call these live in `casekit.views`.
"""
