"""The messages about a question the bot could not answer: the officials' alert, and the
answer or the procedure the citizen is told of (in the language they asked in)."""

from __future__ import annotations

from bot.i18n import translator
from bot.notify.events import notice
from bot.notify.outbox import Priority, enqueue
from bot.question_events import QuestionAnswered, QuestionLinked, QuestionSent
from bot.questions import Question
from bot.reply import Button, Reply, esc
from bot.store.sql import Conn


def alert_buttons(question: Question, locale: str) -> list[list[Button]]:
    """Under the alert in the officials' chat (in the deployment's language)."""
    _ = translator(locale).gettext
    return [
        [
            Button("✍️ " + _("Answer"), f"q:an:{question.id}"),
            Button("📎 " + _("This is a procedure…"), f"q:ln:{question.id}"),
        ]
    ]


def officials_alert(question: Question, locale: str) -> Reply:
    gettext = translator(locale).gettext
    return Reply(
        "\n".join(
            [
                "❓ <b>" + gettext("A citizen's question the bot could not answer") + "</b>",
                gettext("Question no. %s") % question.number,
                esc(question.text),
                "👉 "
                + gettext("Answer it, or say which procedure it is: I will learn the wording."),
            ]
        ),
        alert_buttons(question, locale),
    )


@notice(QuestionSent)
async def sent(conn: Conn, e: QuestionSent, settings) -> int:
    """Urgent: the citizen waits. The first target keeps the short key (one alert ever)."""
    alert = officials_alert(e.question, e.locale)
    (channel, chat), mirrors = e.targets[0], e.targets[1:]
    qid = e.question.id
    await enqueue(
        conn, channel, chat, alert, dedupe_key=f"question:{qid}", priority=Priority.URGENT
    )
    for channel, chat in mirrors:  # e.g. the officials' Zalo OA group
        key = f"question:{qid}:{channel}:{chat}"
        await enqueue(conn, channel, chat, alert, dedupe_key=key, priority=Priority.URGENT)
    return len(e.targets)


@notice(QuestionAnswered)
async def answered(conn: Conn, e: QuestionAnswered, settings) -> int:
    question = e.question
    citizen = translator(question.locale).gettext
    to_citizen = Reply(
        "\n".join(
            [
                "💬 <b>"
                + citizen("The one-stop desk answered your question %s:") % question.number
                + "</b>",
                "<i>" + esc(question.text[:200]) + "</i>",
                "",
                esc(e.text),
                "",
                "👉 " + citizen("You can ask me another question at any time."),
            ]
        ),
        [[Button("🏠 " + citizen("Main menu"), "menu")]],
    )
    await enqueue(
        conn,
        question.channel,
        question.chat_id,
        to_citizen,
        dedupe_key=f"question-answer:{question.id}",
        priority=Priority.REPLY,  # the answer to the citizen's own question
    )
    return 1


@notice(QuestionLinked)
async def linked(conn: Conn, e: QuestionLinked, settings) -> int:
    question = e.question
    citizen = translator(question.locale).gettext
    to_citizen = Reply(
        "\n".join(
            [
                "💡 "
                + citizen("The one-stop desk says your question %s is about this procedure:")
                % question.number,
                "<b>" + esc(e.procedure_name) + "</b>",
                "👉 " + citizen("Press the button to see its documents, time and fee."),
            ]
        ),
        [
            [Button("📄 " + citizen("See the procedure"), f"p:c:{e.code8}")],
            [Button("🏠 " + citizen("Main menu"), "menu")],
        ],
    )
    await enqueue(
        conn,
        question.channel,
        question.chat_id,
        to_citizen,
        dedupe_key=f"question-link:{question.id}",
        priority=Priority.REPLY,  # the answer to the citizen's own question
    )
    return 1
