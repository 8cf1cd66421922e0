from replydesk.html_text import html_to_text


def test_paragraphs_breaks_lists_and_no_script_or_style() -> None:
    html = """<html><head><style>p {color: red}</style><title>x</title></head><body>
    <p>Dear campaigners,</p><p>I will <b>sign</b> the pledge.<br>Line two.</p>
    <ul><li>first</li><li>second</li></ul><script>alert('x')</script>
    <p>Best,<br>Alex</p></body></html>"""
    text = html_to_text(html)
    assert text.splitlines() == [
        "Dear campaigners,",
        "",
        "I will sign the pledge.",
        "Line two.",
        "",
        "- first",
        "- second",
        "",
        "Best,",
        "Alex",
    ]
    assert "alert" not in text and "color" not in text


def test_quoted_history_becomes_quote_lines() -> None:
    html = (
        '<div>Yes, I support it.</div><div class="gmail_quote">On Mon, X wrote:'
        "<blockquote>Please sign the treaty.</blockquote></div>"
    )
    lines = html_to_text(html).splitlines()
    assert lines[0] == "Yes, I support it."
    assert all(line.startswith(">") for line in lines[1:] if line)


def test_exchange_reply_section_is_the_message_replied_to() -> None:
    html = (
        '<div><div name="messageBodySection"><p>I will table the question.</p></div>'
        '<div name="messageReplySection"><p>Dear Member, please ask the Minister...</p></div></div>'
    )
    lines = [line for line in html_to_text(html).splitlines() if line]
    assert lines == ["I will table the question.", "> Dear Member, please ask the Minister..."]
    alone = '<div name="messageReplySection"><p>I will table the question.</p></div>'
    assert html_to_text(alone).strip() == "I will table the question."  # no body section: this is the text


def test_malformed_markup_does_not_raise() -> None:
    assert html_to_text("<p>unclosed <b>bold <i>text</p></div></span>&amp; more") == "unclosed bold text\n\n& more"
