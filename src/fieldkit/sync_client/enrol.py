"""Enrolling this laptop with its commune server: a one-time code for a device token.

The token and the server's address are kept inside the encrypted store (local_meta), never
in a settings file, so a lost laptop does not hand its token to whoever finds it.

Enrolling is also the way back for a laptop the commune revoked (`fieldkit.core.revocation`):
once the officer has readmitted it, a new code at the same server lifts the lock, in the
transaction that keeps the new token. Only that server can lift it: the lock is the commune's
decision, and a laptop must not be unlocked by pointing it at some other server.
"""

import json
import socket

from pydantic import ValidationError

from fieldkit.core.profile import load_profile
from fieldkit.core.receipts import public_key_of
from fieldkit.core.revocation import clear_mark, revocation_of
from fieldkit.core.store import Store
from fieldkit.core.sync_protocol import ENROLL_PATH, EnrollRequest, EnrollResponse
from fieldkit.sync_client.client import BAD_ANSWER, RetryPolicy, SyncClient, SyncError

DEMO_REFUSED = ("Đây là dữ liệu thực hành (chế độ demo): không bao giờ đăng ký hay đồng bộ "
                "với máy chủ xã.")
BAD_URL = "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https:// (ví dụ http://192.168.1.10:8000)."
OTHER_COMMUNE = ("Máy chủ này phục vụ {server}, còn máy của bạn ghi {laptop}. Không đăng ký; hãy "
                 "kiểm tra lại địa chỉ máy chủ hoặc xã đã chọn khi cài đặt.")
BAD_QR = "Không đọc được mã QR đăng ký: cần địa chỉ máy chủ và mã đăng ký."
OTHER_SERVER = ("Máy này bị máy chủ {server} vô hiệu hóa, nên chỉ đăng ký lại được với chính máy "
                "chủ đó (không phải {url}). Hãy hỏi cán bộ kỹ thuật của xã.")


def enrol(store: Store, url: str, code: str, device_name: str | None = None,
          retry: RetryPolicy | None = None) -> EnrollResponse:
    """Spend `code` at the server at `url` and keep the token; SyncError says why not."""
    if store.is_demo:
        raise SyncError(DEMO_REFUSED)
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SyncError(BAD_URL)
    revoked = revocation_of(store)
    if revoked is not None and url != revoked.server_url.rstrip("/"):
        raise SyncError(OTHER_SERVER.format(server=revoked.server_url, url=url))
    request = EnrollRequest(code=code.strip(), device_id=store.device_id,
                            device_name=(device_name or socket.gethostname())[:120],
                            public_key=public_key_of(store.signing_key()).hex())
    with SyncClient(url, retry=retry) as client:
        body = client.post_json(ENROLL_PATH, request.model_dump(mode="json"), idempotent=False)
    try:
        response = EnrollResponse.model_validate(body)
    except ValidationError as exc:
        raise SyncError(BAD_ANSWER.format(detail=f"enroll: {exc.error_count()} lỗi")) from exc
    profile = load_profile(store)
    if profile is not None and profile.commune_id != response.commune_id:
        raise SyncError(OTHER_COMMUNE.format(server=response.commune_name,
                                             laptop=profile.commune_name))
    values = {"server_url": url, "device_token": response.token,
              "server_commune": response.commune_name,
              "token_expires_at": response.expires_at.isoformat()}
    if store.meta.get("server_url") != url:
        # A cursor means nothing to another server.
        values["pull_cursor"] = "0"
    with store.write() as session:
        store.set_meta(session, values)
        if revoked is not None:
            clear_mark(store, session)
    return response


def parse_enrolment_text(text: str) -> tuple[str, str]:
    """(url, code) from the text of the enrolment QR the server prints."""
    try:
        data = json.loads(text)
        url, code = data["url"], data["code"]
    except (ValueError, KeyError, TypeError):
        raise SyncError(BAD_QR) from None
    if not isinstance(url, str) or not isinstance(code, str):
        raise SyncError(BAD_QR)
    return url, code
