"""Writes scores.csv, the judges' fixture for tests/score (run once; the CSV is committed).

Designed so the expected ranking follows from the rules by hand (see test_rank.py):
each case has a written sum w and a presentation sum p that every judge gives, plus per-judge
deviations on 소통성 (written) and 발표력 (presentation) that sum to zero over the judges who score
the case — so every stage mean is exactly w and p. Conflicts: O1 (수원시 official) also sends rows
for 수원시 (rejected); C1 (청주시) and O2 (김해시) send none for their own municipality. E3 abstains on
원주시. A few bad rows test the line-numbered report. Ties: 수원시 = 이천시 = 80 (broken by 서면심사),
원주시 = 여주시 = 72 on every tie-break key (shared rank).
"""

import csv

JUDGES = ["E1", "E2", "E3", "O1", "O2", "C1"]
# case: (fit, creativity, diffusion, impact, communication base), (delivery base, preparation, response)
CASES = {
    "경산시": ((13, 13, 13, 13, 10), (8, 9, 9)),  # 62 + 26 = 88
    "정읍시": ((12, 12, 12, 12, 10), (8, 8, 8)),  # 58 + 24 = 82
    "수원시": ((12, 12, 12, 14, 10), (6, 7, 7)),  # 60 + 20 = 80
    "이천시": ((12, 11, 11, 12, 9), (8, 8, 9)),  # 55 + 25 = 80
    "원주시": ((10, 11, 10, 10, 9), (7, 7, 8)),  # 50 + 22 = 72
    "여주시": ((10, 11, 10, 10, 9), (7, 7, 8)),  # 50 + 22 = 72
    "김해시": ((10, 9, 10, 10, 9), (6, 7, 7)),  # 48 + 20 = 68
    "청주시": ((9, 9, 9, 9, 9), (6, 7, 7)),  # 45 + 20 = 65
    "남양주시": ((8, 8, 8, 8, 8), (6, 6, 6)),  # 40 + 18 = 58
}
ABSENT = {"수원시": "O1", "김해시": "O2", "청주시": "C1", "원주시": "E3"}
DEV6 = ([3, -2, 0, 1, -2, 0], [2, -1, 0, 0, -1, 0])
DEV5 = ([3, -2, 0, 1, -2], [2, -1, 0, 0, -1])

rows = [("judge", "case_id", "criterion", "points", "comment")]
# typos first (lines 2-3): refused, then the judge's corrected rows below are stored
rows.append(("E2", "남양주시", "적합성", "15", "over the 14-point maximum"))
rows.append(("E1", "정읍시", "창의성", "열", "not a number"))
for case, ((fit, cre, dif, imp, com), (dlv, pre, res)) in CASES.items():
    judges = [j for j in JUDGES if ABSENT.get(case) != j]
    wdev, pdev = DEV6 if len(judges) == 6 else DEV5
    for judge, dw, dp in zip(judges, wdev, pdev):
        for crit, pts in (
            ("적합성", fit),
            ("창의성", cre),
            ("소통성", com + dw),
            ("확산가능성", dif),
            ("체감성", imp),
            ("발표력", dlv + dp),
            ("준비도", pre),
            ("호응도", res),
        ):
            rows.append((judge, case, crit, str(pts), ""))
    if case == "원주시":
        rows.append(("E3", case, "*", "abstain", "지인이 사업에 참여"))
# conflicted rows: O1 is a 수원시 official
for crit in ("적합성", "창의성"):
    rows.append(("O1", "수원시", crit, "14", "자기 시 사례"))
# bad rows
rows.append(("E1", "경산시", "혁신성", "10", "no such criterion"))
rows.append(("X9", "경산시", "적합성", "10", "unknown judge"))
rows.append(("E1", "세종시", "창의성", "10", "unknown case"))
rows.append(("E1", "경산시", "창의성", "13", "same judge/case/criterion again"))

with open("scores.csv", "w", newline="", encoding="utf-8") as handle:
    csv.writer(handle).writerows(rows)
