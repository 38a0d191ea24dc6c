"""The lateness rules of bot/dossiers/lateness.py, each from the decree's wording.

Decree 61/2018/NĐ-CP on the one-stop mechanism, carried into Decree 118/2025/NĐ-CP
(which replaced it; article numbers there unconfirmed), as summarised in
../shared/docs/domain.md. Dates: March 2026, Monday 2 to Friday 20.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.dossiers.lateness import judge
from bot.dossiers.model import Apology, Dossier, DossierEvent
from bot.workdays import WorkCalendar, WorkdaysConfig

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar(config=WorkdaysConfig())


def at(day: int, hour: int = 3) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def dossier(status: int, status_day: int, due_day: int = 6) -> Dossier:
    return Dossier(
        code="X-260302-0001", procedure_code="1.001193", agency_code="18496",
        received_at=at(2), status=status, status_at=at(status_day), due_at=at(due_day, 10),
    )  # fmt: skip


def history(*changes: tuple[int, int]) -> list[DossierEvent]:
    """(day, new status) after the 'created' event (received 2 March, due 6 March)."""
    events = [DossierEvent(1, "X", "created", at(2), "import", None, 2, None, at(6, 10))]
    for i, (day, status) in enumerate(changes, start=2):
        events.append(DossierEvent(i, "X", "status", at(day), "official:1", None, status))
    return events


def test_open_past_the_appointment_is_late():
    """Decree 61/2018 Art. 19(2)(đ)/21: a dossier still being handled after the appointment
    written on the receipt is 'quá hạn'; the office owes an apology."""
    v = judge(dossier(4, 3), history((3, 4)), at(9), CAL, TZ)
    assert v.late and not v.returned_late and v.late_since == at(6, 10)


def test_a_request_for_papers_in_time_stops_the_count():
    """Art. 21(3): "Thời gian mà cơ quan, tổ chức đã giải quyết lần đầu được tính trong
    thời gian giải quyết hồ sơ" — the count stops while the citizen is awaited and the time
    already used still counts: asked on Wed 4th (2 of 4 days used), papers back Tue 10th,
    so the appointment moves on by the 4 working days waited, to Thu 12th."""
    waiting = judge(dossier(5, 4), history((4, 5)), at(16), CAL, TZ)
    assert not waiting.late and waiting.waiting_papers
    resumed = judge(dossier(4, 10), history((4, 5), (10, 4)), at(11), CAL, TZ)
    assert not resumed.late and resumed.appointment.astimezone(TZ).day == 12
    assert judge(dossier(4, 10), history((4, 5), (10, 4)), at(13), CAL, TZ).late


def test_a_request_for_papers_after_the_appointment_does_not_erase_it():
    """domain.md: "a request made after the appointment does not erase the lateness"."""
    v = judge(dossier(5, 9), history((3, 4), (9, 5)), at(10), CAL, TZ)
    assert v.late and not v.waiting_papers


def test_asking_for_papers_twice_counts_as_late():
    """Decision 766/QĐ-TTg (the portal's rate) and Art. 21(3): papers are asked for once
    ("chỉ thực hiện một lần"); asking again counts the dossier as late."""
    v = judge(dossier(5, 5), history((3, 5), (4, 4), (5, 5)), at(5, 4), CAL, TZ)
    assert v.late and v.papers_requests == 2


def test_a_result_returned_late_is_late_whatever_its_status_now():
    """domain.md: "a result returned after the appointment was late (and counts as late in
    the statistics and Decision 766's rate), whatever status it has now"."""
    v = judge(dossier(10, 11), history((3, 4), (10, 9), (11, 10)), at(20), CAL, TZ)
    assert v.late and v.returned_late


def test_a_result_on_time_is_not_late():
    """Returned before the appointment: 'trước hạn' / 'đúng hạn', not late."""
    v = judge(dossier(10, 5), history((3, 4), (4, 9), (5, 10)), at(20), CAL, TZ)
    assert not v.late and not v.returned_late


def test_an_apology_moves_the_date_but_the_dossier_stays_late():
    """Art. 21(4)-(5): the late office sends "Phiếu xin lỗi và hẹn lại ngày trả kết quả" with a
    new date; the new date is a promise, not a new deadline that makes it on time."""
    d = dossier(4, 3, due_day=13)  # the stored appointment is now the apology's
    apology = Apology(1, "X", "thiếu chữ ký", at(13, 10), at(6, 8), None, None, at(6, 10))
    events = [
        DossierEvent(1, "X", "created", at(2), "import", None, 2, None, None),
        DossierEvent(2, "X", "status", at(3), "official:1", None, 4),
    ]
    v = judge(d, events, at(9), CAL, TZ, [apology])
    assert v.late and v.appointment == at(6, 10)
