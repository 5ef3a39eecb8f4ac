"""The upload sweep (`flask --app consult sweep-uploads`): what a killed writer left is cleaned up,
nothing a row names is ever removed, and an upload in flight is left alone."""
from __future__ import annotations

import os
import re
import time

import pytest

from consult.demo import minimal_pdf
from consult.services import uploads

MINUTE = 60


def _file(directory, name, age_seconds=0.0, data=b"data"):
    path = os.path.join(directory, name)
    with open(path, "wb") as handle:
        handle.write(data)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))
    return name


def _name():
    import secrets
    return secrets.token_hex(16)


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    """An upload directory of the test's own (the session's one holds other tests' files)."""
    directory = tmp_path / "uploads"
    directory.mkdir()
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(directory))
    return str(directory)


@pytest.fixture
def referenced(app, demo, make_user, upload_dir):
    """A document and a position with a PDF, stored through the real code paths; returns their stored names."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Organisation, User
    from consult.services import authoring, positions
    author_id = make_user()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=demo).one()
        checked = uploads.check_document(minimal_pdf(["Document"]), "dokuments.pdf")
        document = authoring.add_document(consultation, checked, "Dokuments", "Document", upload_dir)
        author = db.session.get(User, author_id)
        organisation = Organisation(name="Biedrība", kind="ngo", representatives=[author], verified_at=utcnow())
        db.session.add(organisation)
        db.session.commit()
        position = positions.submit_position(consultation, author, positions.NewPosition(
            organisation_id=organisation.id, title="Viedoklis", body="Teksts.", section_numbers=[],
            publish_name=True, language="lv", idempotency_key="sweep-test",
            attachment=positions.check_attachment(minimal_pdf(["Position"]), "viedoklis.pdf", None)))
        names = [document.stored_name, position.attachment_stored]
        db.session.remove()
    for name in names:  # old enough for any grace period
        os.utime(os.path.join(upload_dir, name), (0, 0))
    return names


def test_every_model_column_about_stored_files_is_swept_against():
    """A new kind of upload must name its column in uploads.stored_name_columns, or its files look orphaned."""
    from consult.extensions import db
    found = {(mapper.class_.__name__, column.key) for mapper in db.Model.registry.mappers
             for column in mapper.columns if re.search(r"stored|file_path|upload", column.key)}
    listed = {(column.class_.__name__, column.key) for column in uploads.stored_name_columns()}
    assert found == listed == {("Document", "stored_name"), ("Position", "attachment_stored")}


def test_referenced_names_cover_documents_and_positions(app, referenced):
    with app.app_context():
        assert set(referenced) <= uploads.referenced_names()


def test_temp_leftover_and_old_orphans_go_young_files_and_referenced_files_stay(app, referenced, upload_dir):
    old_temp = _file(upload_dir, _name() + uploads.TEMP_SUFFIX, age_seconds=11 * MINUTE)
    young_temp = _file(upload_dir, _name() + uploads.TEMP_SUFFIX, age_seconds=30)
    old_orphan = _file(upload_dir, _name(), age_seconds=11 * MINUTE)
    young_orphan = _file(upload_dir, _name(), age_seconds=5 * MINUTE)
    with app.app_context():
        result = uploads.sweep_upload_dir(older_than_seconds=10 * MINUTE)
    assert sorted(result.removed) == sorted([old_temp, old_orphan]) and result.restored == []
    assert sorted(os.listdir(upload_dir)) == sorted([*referenced, young_temp, young_orphan])
    # Referenced files are kept even with no grace at all; everything else goes.
    with app.app_context():
        result = uploads.sweep_upload_dir(older_than_seconds=0)
    assert sorted(result.removed) == sorted([young_temp, young_orphan])
    assert sorted(os.listdir(upload_dir)) == sorted(referenced)


def test_a_committed_row_whose_rename_never_happened_gets_its_file(app, referenced, upload_dir):
    """The writer was killed after committing the row and before renaming: the fsynced temp file is the file."""
    from consult.extensions import db
    from consult.models import Document
    stranded = referenced[0]
    os.rename(os.path.join(upload_dir, stranded), os.path.join(upload_dir, stranded + uploads.TEMP_SUFFIX))
    with app.app_context():
        result = uploads.sweep_upload_dir(older_than_seconds=10 * MINUTE)
        assert result.removed == [] and result.restored == [stranded]
        assert db.session.query(Document).filter_by(stored_name=stranded).one()
    assert sorted(os.listdir(upload_dir)) == sorted(referenced)


def test_a_writer_finishing_after_the_sweep_restored_its_file_succeeds(tmp_path):
    staged = uploads.StagedFile(str(tmp_path), b"content")
    os.utime(staged.temp_path, (0, 0))
    restored = []
    assert uploads.sweep_orphans(str(tmp_path), {staged.stored_name}, 60, restored=restored) == []
    assert restored == [staged.stored_name]
    assert staged.commit() == staged.stored_name
    assert os.listdir(tmp_path) == [staged.stored_name]
    assert (tmp_path / staged.stored_name).read_bytes() == b"content"


def test_names_are_read_after_the_directory_is_listed(tmp_path):
    """A file renamed into place just before the listing has its row committed before the names are read."""
    name = _file(str(tmp_path), _name(), age_seconds=3600)
    calls = []

    def known():
        calls.append(os.listdir(tmp_path))
        return {name}
    assert uploads.sweep_orphans(str(tmp_path), known, 60) == []
    assert calls == [[name]] and os.listdir(tmp_path) == [name]


def test_files_the_app_did_not_name_and_directories_are_left_alone(tmp_path):
    for other in ("README", ".gitkeep", "notes.tmp", "x" * 32):
        _file(str(tmp_path), other, age_seconds=3600)
    (tmp_path / _name()).mkdir()
    before = sorted(os.listdir(tmp_path))
    assert uploads.sweep_orphans(str(tmp_path), set(), 0) == []
    assert sorted(os.listdir(tmp_path)) == before


def test_a_missing_upload_directory_is_nothing_to_sweep(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "never-made"))
    with app.app_context():
        assert uploads.sweep_upload_dir(0) == uploads.SweepResult(removed=[], restored=[])


def test_cli_prints_how_many_were_removed(app, runner, referenced, upload_dir):
    _file(upload_dir, _name() + uploads.TEMP_SUFFIX, age_seconds=20 * MINUTE)
    _file(upload_dir, _name(), age_seconds=20 * MINUTE)
    _file(upload_dir, _name(), age_seconds=12 * MINUTE)
    young = _file(upload_dir, _name(), age_seconds=2 * MINUTE)
    result = runner.invoke(args=["sweep-uploads"])
    assert result.exit_code == 0, result.output
    assert result.output == "Removed 3 orphaned upload file(s).\n"
    assert sorted(os.listdir(upload_dir)) == sorted([*referenced, young])

    result = runner.invoke(args=["sweep-uploads", "--older-than", "1"])
    assert result.exit_code == 0 and result.output == "Removed 1 orphaned upload file(s).\n"
    assert sorted(os.listdir(upload_dir)) == sorted(referenced)

    os.rename(os.path.join(upload_dir, referenced[1]), os.path.join(upload_dir, referenced[1] + ".tmp"))
    result = runner.invoke(args=["sweep-uploads", "--older-than", "0"])
    assert result.exit_code == 0
    assert result.output == ("Restored 1 file(s) whose row was saved before their worker stopped.\n"
                             "Removed 0 orphaned upload file(s).\n")
    assert sorted(os.listdir(upload_dir)) == sorted(referenced)


def test_cli_refuses_a_negative_grace(runner):
    result = runner.invoke(args=["sweep-uploads", "--older-than", "-1"])
    assert result.exit_code == 2 and "--older-than" in result.output
