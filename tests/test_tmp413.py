import io
from tests.test_admin import build_site
def test_x(app, client, make_user, login):
    ids = build_site(app, make_user); login(client, make_user(role="editor"))
    url = f"/en/admin/consultations/{ids['consultation']}/documents/"
    r = client.post(url, input_stream=io.BytesIO(b"--x--\r\n"), content_length=27 * 1024 * 1024, content_type="multipart/form-data; boundary=x")
    print(r.status_code, r.get_data(as_text=True)[-800:])
    r = client.post("/en/account/login/", input_stream=io.BytesIO(b"--x--\r\n"), content_length=27 * 1024 * 1024, content_type="multipart/form-data; boundary=x")
    print(r.status_code)
