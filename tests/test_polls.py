"""Polls: one vote per voter, enforced by the database; results shown only when the poll allows."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from consult.models import Poll, Vote

from .conftest import csrf_token_from


def _poll(app, **changes):
    from consult.extensions import db
    with app.app_context():
        poll = db.session.query(Poll).filter_by(on_home=False).one()
        for key, value in changes.items():
            setattr(poll, key, value)
        db.session.commit()
        return poll.id, [o.id for o in poll.options]


def _home_poll(app):
    from consult.extensions import db
    with app.app_context():
        poll = db.session.query(Poll).filter_by(on_home=True).one()
        return poll.id, [o.id for o in poll.options]


def _votes(app, poll_id):
    from consult.extensions import db
    with app.app_context():
        return db.session.query(Vote).filter_by(poll_id=poll_id).count()


def vote(client, poll_id, answer, lang="lv"):
    url = f"/{lang}/polls/{poll_id}/"
    token = csrf_token_from(client.get(url).get_data(as_text=True)) if "csrf_token" in client.get(url).get_data(
        as_text=True) else csrf_token_from(client.get("/lv/account/login/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "answer": answer})


def test_signed_in_person_votes_once_and_sees_results(app, client, demo, make_user, login):
    poll_id, options = _poll(app)
    login(client, make_user())
    response = vote(client, poll_id, str(options[1]))
    assert response.status_code == 303
    html = client.get(f"/en/polls/{poll_id}/").get_data(as_text=True)
    assert "You have answered this poll" in html
    assert '<svg class="poll-chart" role="img"' in html and "<table" in html and "100%" in html
    again = vote(client, poll_id, str(options[0]), lang="en")
    assert again.status_code == 409
    assert "already answered" in again.get_data(as_text=True)
    assert _votes(app, poll_id) == 1


def test_results_use_the_page_number_format(app, client, demo, make_user, login):
    poll_id, options = _poll(app)
    for answer in (options[0], options[0], options[1]):
        c = app.test_client()
        login(c, make_user())
        vote(c, poll_id, str(answer))
    lv = client.get(f"/lv/polls/{poll_id}/").get_data(as_text=True)
    en = client.get(f"/en/polls/{poll_id}/").get_data(as_text=True)
    assert "66,7%" in lv and "33,3%" in lv
    assert "66.7%" in en and "33.3%" in en


def test_accounts_only_poll_refuses_anonymous_votes(app, client, demo):
    poll_id, options = _poll(app)
    html = client.get(f"/en/polls/{poll_id}/").get_data(as_text=True)
    assert "Only signed-in people" in html
    assert _votes(app, poll_id) == 0


def test_anyone_poll_counts_one_vote_per_browser(app, client, demo):
    poll_id, options = _home_poll(app)
    first = vote(client, poll_id, str(options[0]))
    assert first.status_code == 303 and "poll_voter=" in first.headers["Set-Cookie"]
    assert "results" in client.get(f"/en/polls/{poll_id}/").get_data(as_text=True).lower()
    second = vote(client, poll_id, str(options[2]))
    assert second.status_code in (200, 409)
    assert _votes(app, poll_id) == 1
    other_browser = app.test_client()
    assert vote(other_browser, poll_id, str(options[2])).status_code == 303
    assert _votes(app, poll_id) == 2


def test_vote_on_a_closed_poll_is_refused(app, client, demo, make_user, login):
    from consult.clock import utcnow
    poll_id, options = _poll(app, closes_at=utcnow() - timedelta(days=1))
    login(client, make_user())
    html = client.get(f"/en/polls/{poll_id}/").get_data(as_text=True)
    assert "not taking answers" in html
    token = csrf_token_from(client.get("/en/").get_data(as_text=True))
    response = client.post(f"/en/polls/{poll_id}/", data={"csrf_token": token, "answer": str(options[0])})
    assert response.status_code == 400
    assert "This poll is closed" in response.get_data(as_text=True)
    assert _votes(app, poll_id) == 0


@pytest.mark.parametrize("answer", ["", "999999", "abc", "99999999999999999999"])
def test_invalid_answer_gets_a_message(app, client, demo, make_user, login, answer):
    poll_id, options = _poll(app)
    login(client, make_user())
    response = vote(client, poll_id, answer, lang="en")
    assert response.status_code == 400
    assert _votes(app, poll_id) == 0


def test_results_after_close_stay_hidden_until_then(app, client, demo, make_user, login):
    poll_id, options = _poll(app, results_shown="after_close")
    login(client, make_user())
    vote(client, poll_id, str(options[0]))
    html = client.get(f"/en/polls/{poll_id}/").get_data(as_text=True)
    assert "poll-chart" not in html and "shown when the poll closes" in html


def test_fifty_simultaneous_votes_from_one_account_count_once(app, demo, make_user, login):
    poll_id, options = _poll(app)
    user = make_user()
    clients = [login(app.test_client(), user) for _ in range(50)]
    tokens = [csrf_token_from(c.get(f"/lv/polls/{poll_id}/").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(50)
    statuses = []

    def submit(c, token):
        start.wait()
        statuses.append(c.post(f"/lv/polls/{poll_id}/", data={"csrf_token": token,
                                                               "answer": str(options[0])}).status_code)
    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _votes(app, poll_id) == 1
    assert sorted(set(statuses)) in ([303, 409], [303], [303, 409, 429], [303, 429])
    assert statuses.count(303) == 1
    assert 500 not in statuses


def test_home_page_shows_the_poll(client, demo):
    html = client.get("/en/").get_data(as_text=True)
    assert "pension" in html and "Answer the poll" in html
