"""`flask --app consult analyse`: the campaigns of a consultation as JSON."""
from __future__ import annotations

import json
import random

from consult.services.synthetic import edited_copies, same_subject_comments

from .pages import DEMO
from .test_workgroup import add_comment


def _run(runner, tmp_path, *extra):
    output = tmp_path / "analysis.json"
    result = runner.invoke(args=["analyse", "--consultation", DEMO, "--output", str(output), *extra])
    return result, output


def test_analyse_writes_the_campaigns_with_model_text_and_member_ids(app, demo, make_user, runner, tmp_path):
    rng = random.Random(11)
    author = make_user()
    copies = [add_comment(app, author, body=text, section=2) for text in edited_copies(rng, 30)]
    others = [add_comment(app, author, body=text, section=2) for text in same_subject_comments(rng, 10)]
    add_comment(app, author, body=edited_copies(rng, 1)[0], section=2, status="pending")
    result, output = _run(runner, tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["consultation"] == DEMO and data["section"] is None and data["format_version"] == 1
    assert data["comments"] >= 40
    letter = [c for c in data["campaigns"] if set(c["member_ids"]) & set(copies)]
    assert len(letter) == 1
    (campaign,) = letter
    assert sorted(campaign["member_ids"]) == sorted(copies) and campaign["size"] == 30
    assert campaign["id"] == copies[0] and campaign["model_id"] in copies and campaign["sections"] == [2]
    assert campaign["model_text"].startswith("Labdien!")
    assert not any(set(c["member_ids"]) & set(others) for c in data["campaigns"])

    result, output = _run(runner, tmp_path, "--section", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["section"] == 1 and not any(set(c["member_ids"]) & set(copies) for c in data["campaigns"])


def test_analyse_refuses_an_unknown_consultation_section_or_folder(app, demo, runner, tmp_path):
    result, output = _run(runner, tmp_path, "--section", "99")
    assert result.exit_code == 2 and "--section 99: Choose a section" in result.output and not output.exists()
    result = runner.invoke(args=["analyse", "--consultation", "nav", "--output", str(tmp_path / "a.json")])
    assert result.exit_code == 2 and "no consultation" in result.output
    result = runner.invoke(args=["analyse", "--consultation", DEMO, "--output", str(tmp_path / "no" / "a.json")])
    assert result.exit_code == 2 and "does not exist" in result.output
