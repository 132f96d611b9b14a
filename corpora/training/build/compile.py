"""Assemble corpora/training/units.jsonl from the hand-written batch files in this folder.

Batch file format (one unit per line, written by hand):
    @doc <doc key>                      sets the imagined report for following lines
    <R|F|P> <theme codes or -> | <scie code> [<scie2 code>] | <h|m|l> | <text>
Paragraphs use '-' for scie. Lines starting with '#' are comments.
IDs are assigned in file order (batch_01, batch_02, ...) so they stay stable as batches are appended.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
THEME = dict(neg="neglect", pea="physical_emotional_abuse", sx="sexual_abuse_exploitation",
             da="domestic_abuse", psm="parental_substance_misuse", pmh="parental_mental_health",
             cmh="child_mental_health", ysu="young_people_substance_use", inf="infants_pre_birth",
             is_="information_sharing", ar="assessment_and_risk", pc="planning_and_coordination",
             eng="engagement_with_families", voc="voice_of_the_child", cur="professional_curiosity_challenge",
             tr="transitions", wf="workforce_supervision_training", lg="leadership_governance_qa")
THEME["is"] = THEME.pop("is_")
SCIE = dict(mas="multi_agency_working", fpi="family_professional_interaction", hr="human_reasoning",
            tl="tools", ms="management_systems", pnc="professional_norms_culture")
TYPE = dict(R="recommendation", F="finding", P="paragraph")
CONF = dict(h="high", m="medium", l="low")


def parse(path):
    doc = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@doc"):
            doc = line.split(None, 1)[1].strip()
            continue
        try:
            head, scie, conf, text = [p.strip() for p in line.split("|", 3)]
            t, _, th = head.partition(" ")
            th = th.strip()
            themes = [] if th in ("-", "") else sorted({THEME[c.strip()] for c in th.split(",")})
            sc = scie.split()
            s1 = None if sc[0] == "-" else SCIE[sc[0]]
            s2 = SCIE[sc[1]] if len(sc) > 1 else None
            yield dict(source="synthetic", doc=doc, type=TYPE[t], text=text, themes=themes,
                       scie=s1, scie_second=s2, confidence=CONF[conf])
        except Exception as e:  # noqa: BLE001 - report the exact line so the writer can fix it
            sys.exit(f"{path.name}:{n}: cannot parse ({e!r}): {line[:120]}")


def main():
    units = []
    for f in sorted(HERE.glob("batch_*.txt")):
        units.extend(parse(f))
    out = HERE.parent / "units.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, u in enumerate(units, 1):
            rec = {"id": f"C{i:04d}", **u}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(units)} units to {out}")


if __name__ == "__main__":
    main()
