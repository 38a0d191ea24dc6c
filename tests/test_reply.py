"""Splitting long replies under a channel's limit without breaking markup."""

from bot.reply import Reply, esc, split_text


def test_short_text_is_one_part():
    assert split_text("a\nb", 10) == ["a\nb"]


def test_split_between_lines_under_limit():
    text = "\n".join(f"<b>line {i}</b> " + "x" * 50 for i in range(200))
    parts = split_text(text, 4096)
    assert len(parts) > 1
    assert all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    assert all(p.count("<b>") == p.count("</b>") for p in parts)


def test_overlong_line_is_cut_outside_entities():
    text = ("a &amp; b " * 1000).strip()
    parts = split_text(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert all(p.count("&") == p.count("&amp;") for p in parts)


def test_plain_unescapes_and_strips_tags():
    reply = Reply(f"<b>{esc('<script>&')}</b>")
    assert reply.plain() == "<script>&"
