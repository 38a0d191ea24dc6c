"""What happens to a question the catalog could not answer; `question_notices` says who
hears of it and in which words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.notify.events import Event

if TYPE_CHECKING:  # bot.questions records these events
    from bot.questions import Question


@dataclass(frozen=True)
class QuestionSent(Event):
    """The citizen asked for it to go to officials: the first target, then the others."""

    question: Question
    targets: tuple[tuple[str, str], ...]  # (channel, chat), the first is the desk's
    locale: str  # the officials' (the deployment's) language


@dataclass(frozen=True)
class QuestionAnswered(Event):
    """An official's answer, to the citizen in their own language."""

    question: Question
    text: str


@dataclass(frozen=True)
class QuestionLinked(Event):
    """An official said which procedure answers it: the citizen is shown the way to it."""

    question: Question
    code8: str
    procedure_name: str
