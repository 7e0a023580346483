"""The Chat tab: streamed, cited answers; [n] opens the cited passage; survives a page reload.

The conversation lives in the browser (`gr.BrowserState`, localStorage) as question/answer pairs:
the chat is re-rendered from it on load, and the same pairs are the follow-up history given to
`ChatService.ask`. Nothing here decides an answer.
"""

from __future__ import annotations

import time
from typing import Any

import gradio as gr

from bot.api import answer_chunks
from bot.models import Answer, Turn
from bot.ui.render import answer_html, answer_text, text

INTRO = """\
### Ask about the meetings in your articles
Who met whom, where and when, what they discussed, what each side **demanded, warned or agreed**.
Every claim carries a numbered source: click **[n]** under an answer to see the sentence in its article.
When the articles don't say, Briefbot says so. Follow-up questions ("What did he ask for?") continue the conversation.
"""

EXAMPLES = [
    "Who met, and where?",
    "When did the meeting take place?",
    "What did they discuss?",
    "What did each side demand?",
    "What did they agree on?",
]

MAX_TURNS = 20
STREAM_PAUSE = 0.03  # seconds between streamed pieces, so the answer visibly builds up


def _history(conversation: list[dict]) -> list[Turn]:
    return [Turn(question=t["question"], answer=Answer.model_validate(t["answer"])) for t in conversation]


def render_conversation(components: Any, conversation: list[dict] | None) -> list[dict]:
    """Chatbot messages for stored turns: escaped questions, answers with their openable sources."""
    messages: list[dict] = []
    for turn in conversation or []:
        try:
            answer = Answer.model_validate(turn["answer"])
        except (KeyError, TypeError, ValueError):
            continue  # a stored turn from an older version: skip rather than fail the page
        articles = {c.article_id: components.store.get_article(c.article_id) for c in answer.citations}
        messages.append({"role": "user", "content": text(turn.get("question", ""))})
        messages.append({"role": "assistant", "content": answer_html(answer, articles)})
    return messages


def build_chat_tab(components: Any) -> dict[str, Any]:
    """Lay out the chat inside the current Blocks context and wire its events."""
    gr.Markdown(INTRO)
    conversation = gr.BrowserState([], storage_key="briefbot-conversation")
    chatbot = gr.Chatbot(
        label="Briefbot",
        elem_id="bb-chat",
        height=520,
        sanitize_html=True,
        latex_delimiters=[],
        feedback_options=None,
        placeholder="Ask a question below, or pick an example.",
    )
    with gr.Row(equal_height=True):
        question = gr.Textbox(
            label="Your question",
            placeholder="e.g. What did each side demand?",
            elem_id="bb-question",
            scale=8,
            max_length=1000,
            autofocus=True,
        )
        ask_button = gr.Button("Ask", variant="primary", scale=1, elem_id="bb-ask")
        clear_button = gr.Button("Clear conversation", scale=1, elem_id="bb-clear")
    gr.Examples(EXAMPLES, inputs=[question], label="Example questions")

    def respond(message: str, stored: list[dict] | None):
        stored = list(stored or [])
        message = " ".join((message or "").split())
        messages = render_conversation(components, stored)
        if not message:
            yield messages, stored, ""
            return
        messages.append({"role": "user", "content": text(message)})
        messages.append({"role": "assistant", "content": "…"})
        yield messages, stored, ""
        try:
            answer = components.chat.ask(message, _history(stored))
        except ValueError as exc:
            messages[-1]["content"] = text(str(exc))
            yield messages, stored, ""
            return
        shown = ""
        for piece in answer_chunks(answer.answer):
            shown += piece
            messages[-1]["content"] = f'<div class="bb-streaming">{answer_text(shown)}</div>'
            yield messages, stored, ""
            time.sleep(STREAM_PAUSE)
        stored = [*stored, {"question": message, "answer": answer.model_dump(mode="json")}][-MAX_TURNS:]
        articles = {c.article_id: components.store.get_article(c.article_id) for c in answer.citations}
        messages[-1]["content"] = answer_html(answer, articles)
        yield messages, stored, ""

    outputs = [chatbot, conversation, question]
    question.submit(respond, [question, conversation], outputs, api_visibility="private")
    ask_button.click(respond, [question, conversation], outputs, api_visibility="private")
    clear_button.click(lambda: ([], []), None, [chatbot, conversation], api_visibility="private")
    chatbot.clear(lambda: [], None, [conversation], api_visibility="private")  # the chat's own bin icon
    return {"chatbot": chatbot, "conversation": conversation}
