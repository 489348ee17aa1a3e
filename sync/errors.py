"""Typed sync errors, each with the exit code `lawshelf sync` returns for it.

Why exit codes: the nightly timer and the librarian screen must tell "nothing to do",
"network down, try later" and "someone tampered with the release" apart without parsing text.
The table is documented in docs/sync.md; keep both in step.
"""

from __future__ import annotations

from offline_index.errors import LawShelfError

EXIT_OK = 0  # synced (or already up to date)
EXIT_USAGE = 2  # bad arguments / not configured (no trusted root, no source)
EXIT_NETWORK = 3  # server unreachable, timeouts, deadline passed: retry later
EXIT_VERIFY = 4  # metadata or a blob failed verification: refused, live library untouched
EXIT_EXPIRED = 5  # metadata expired (or the clock is wrong): refused
EXIT_BUSY = 6  # another sync holds the lock
EXIT_APPLY = 7  # verified release could not be built/applied (disk full, build failure)
EXIT_UPLOAD = 8  # content synced, but the outbox upload failed (content stays applied)
EXIT_CANCELLED = 9  # stopped on request (librarian's cancel button); live library untouched
EXIT_APP = 10  # content synced, but the software update was refused or failed (app unchanged)


class SyncError(LawShelfError):
    """Base of every sync failure; `exit_code` is what the CLI exits with."""

    exit_code = EXIT_USAGE
    message_vi = "Không cập nhật được dữ liệu."


class NotConfigured(SyncError):
    exit_code = EXIT_USAGE
    message_vi = "Máy chưa được cấu hình nguồn cập nhật hoặc khóa tin cậy."


class NetworkError(SyncError):
    exit_code = EXIT_NETWORK
    message_vi = "Không kết nối được máy chủ cập nhật. Sẽ thử lại sau."


class VerificationError(SyncError):
    exit_code = EXIT_VERIFY
    message_vi = "Bản cập nhật không qua được kiểm tra chữ ký và đã bị từ chối."


class StickIncomplete(VerificationError):
    """A stick missing a file its signed release lists: copied in part (pulled out early,
    or a copy that stopped), not tampered with. Nothing is applied."""

    message_vi = (
        "USB này chép chưa đủ tệp (có thể đã rút ra quá sớm). Hãy chép lại USB rồi thử lại;"
        " thư viện trên máy không thay đổi."
    )


class ExpiredError(SyncError):
    exit_code = EXIT_EXPIRED
    message_vi = (
        "Bản cập nhật đã hết hạn, hoặc đồng hồ của máy bị sai. Nếu ngày giờ trên máy đúng, hãy "
        "chờ lần cập nhật sau hoặc xin USB mới từ Sở Tư pháp."
    )


class BusyError(SyncError):
    exit_code = EXIT_BUSY
    message_vi = "Đang có một lần cập nhật khác chạy."


class ApplyError(SyncError):
    exit_code = EXIT_APPLY
    message_vi = "Không áp dụng được bản cập nhật; thư viện cũ vẫn được giữ nguyên."


class PublishError(SyncError):
    """Publisher-side failure (bad source, missing key, unsafe target path)."""

    exit_code = EXIT_USAGE
    message_vi = "Không phát hành được bản nội dung."


class SigningKeyError(SyncError):
    """A signing key is missing, unreadable or not authorised for the role."""

    exit_code = EXIT_USAGE
    message_vi = "Khóa ký không hợp lệ hoặc bị thiếu."


class UnsafeFolder(SyncError):
    """A folder on a stick or share that the kiosk would write into is a symbolic link: a
    planted link would send its writes anywhere it may write (its own release cache)."""

    exit_code = EXIT_USAGE
    message_vi = (
        "Thư mục trên thẻ nhớ trỏ sang nơi khác (liên kết), nên máy không ghi vào thẻ này. "
        "Hãy dùng thẻ nhớ khác, hoặc xóa thư mục lawshelf trên thẻ rồi làm lại."
    )


class StickHoldsNewer(SyncError):
    """An export would overwrite a newer release already on the stick (the publisher's, made
    for weeks): the stick is worth more than this kiosk's copy."""

    exit_code = EXIT_USAGE
    message_vi = (
        "USB này đang chứa bản dữ liệu mới hơn bản của máy, nên máy không ghi đè. Hãy dùng "
        "USB này để cập nhật máy (Nạp dữ liệu từ USB)."
    )


class NoSyncSource(NotConfigured):
    """No `sync_source` and none given: the librarian can set it."""

    message_vi = (
        "Máy chưa có nguồn cập nhật. Vào Cài đặt để điền nguồn cập nhật (địa chỉ máy chủ hoặc "
        "thư mục), hoặc nạp dữ liệu từ USB."
    )


class NoTrustedRoot(NotConfigured):
    """The publisher's root of trust is not installed: only a technician installs it."""

    message_vi = (
        "Máy chưa có khóa tin cậy của Sở Tư pháp nên chưa kiểm tra được bản cập nhật nào. "
        "Hãy báo kỹ thuật viên cài đặt."
    )


class NoStick(NotConfigured):
    """The folder an export was told to write to is not there: a stick not plugged in (or
    not mounted yet), or a typo. Written anyway, 18 MB went onto the kiosk's own disk."""

    message_vi = "Không thấy USB ở thư mục đã chọn. Hãy cắm USB, chờ máy nhận rồi làm lại."


class NothingToExport(NotConfigured):
    """An export from a kiosk still on the demo library, which is no signed release."""

    message_vi = (
        "Máy này chưa nhận bản dữ liệu nào từ Sở Tư pháp nên chưa có gì để xuất "
        "(thư viện mẫu không được xuất)."
    )


class NoReleaseOnStick(NotConfigured):
    """A folder given as the source (a stick) holds no release tree at all."""

    message_vi = (
        "USB này không có dữ liệu thư viện (không thấy thư mục lawshelf). Hãy kiểm tra lại USB "
        "do Sở Tư pháp hoặc xã, phường bên cạnh gửi."
    )


class OlderOnStick(SyncError):
    """A stick holds an older release than the one this kiosk already verified: nothing to
    load, and nothing suspicious (sticks age); over HTTP the same is a rollback (exit 4)."""

    exit_code = EXIT_USAGE
    message_vi = (
        "USB này chứa bản dữ liệu cũ hơn bản máy đang dùng, nên không cần nạp. Thư viện của "
        "máy vẫn giữ nguyên."
    )


class StickFull(SyncError):
    """The stick has no room for the release: checked before anything is written."""

    exit_code = EXIT_APPLY
    message_vi = (
        "USB không còn đủ chỗ cho bản dữ liệu này. Hãy dùng USB khác hoặc xóa bớt tệp trên USB."
    )


class Cancelled(SyncError):
    """The job was cancelled (librarian's button, service stop) before the switch."""

    exit_code = EXIT_CANCELLED
    message_vi = "Đã dừng cập nhật theo yêu cầu; thư viện cũ vẫn được giữ nguyên."
