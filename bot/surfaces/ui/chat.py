"""The Chat tab: cited answers; [n] opens the cited passage; survives a page reload.

Without a reader model the answer is shown at once, whole. With one, the model's sentences appear as
each is verified (`ChatService.stream`); if the model fails after some appeared, they are replaced
by the extractive answer. A read-only line above the chat says which mode answers.

The conversation lives in the browser (`gr.BrowserState`, localStorage) as question/answer pairs:
the chat is rendered from it once on load, and the same pairs are the follow-up history given to
`ChatService.ask`. The rendered messages are kept for the page's session (`gr.State`), so a new
question renders only its own turn. Questions count against the same per-address and per-day quotas
as the JSON API's (`bot.surfaces.sessions`). Nothing here decides an answer.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.models import Answer, Turn
from bot.service import configured_chat
from bot.streaming import Finished, Shown
from bot.surfaces.access import client_address
from bot.surfaces.sessions import QuotaExceeded, SessionStore
from bot.surfaces.ui.render import answer_html, answer_text, text
from vectorstore.errors import StoreError

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
MAX_QUESTION_CHARS = 1000


def mode_line(components: Any) -> str:
    """The read-only line that says who answers (never the model's address or key)."""
    return f"**Answering:** {text(configured_chat(components).mode_label)}"


def _history(conversation: list[dict]) -> list[Turn]:
    return [Turn(question=t["question"], answer=Answer.model_validate(t["answer"])) for t in conversation[-MAX_TURNS:]]


def turn_messages(components: Any, question: str, answer: Answer) -> list[dict]:
    """The two chatbot messages of one turn: the escaped question, the answer with openable sources."""
    articles = {c.article_id: components.store.get_article(c.article_id) for c in answer.citations}
    return [
        {"role": "user", "content": text(question)},
        {"role": "assistant", "content": answer_html(answer, articles)},
    ]


def render_conversation(components: Any, conversation: list[dict] | None) -> list[dict]:
    """Chatbot messages for stored turns (on page load; a new question renders only its own turn)."""
    messages: list[dict] = []
    for turn in conversation or []:
        try:
            answer = Answer.model_validate(turn["answer"])
        except (KeyError, TypeError, ValueError):
            continue  # a stored turn from an older version: skip rather than fail the page
        messages += turn_messages(components, turn.get("question", ""), answer)
    return messages


def build_chat_tab(components: Any, sessions: SessionStore) -> dict[str, Any]:
    """Lay out the chat inside the current Blocks context and wire its events.

    The question's event is named `chat` (callable by gradio_client, not listed in the API page):
    inputs question and stored conversation; outputs chat messages, stored conversation, cleared box.
    """
    gr.Markdown(INTRO)
    gr.Markdown(mode_line(components), elem_id="bb-mode")
    conversation = gr.BrowserState([], storage_key="briefbot-conversation")
    shown = gr.State([])  # the chat's rendered messages, for this page's session
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
            max_length=MAX_QUESTION_CHARS,
            autofocus=True,
        )
        ask_button = gr.Button("Ask", variant="primary", scale=1, elem_id="bb-ask")
        clear_button = gr.Button("Clear conversation", scale=1, elem_id="bb-clear")
    gr.Examples(EXAMPLES, inputs=[question], label="Example questions")

    def respond(message: str, stored: list[dict] | None, rendered: list[dict] | None, request: gr.Request):
        stored = list(stored or [])
        before = list(rendered or [])
        message = " ".join((message or "").split())
        if not message:
            yield before, stored, before, ""
            return
        pending = {"role": "assistant", "content": "…"}
        yield [*before, {"role": "user", "content": text(message)}, pending], stored, before, ""
        asked = {"role": "user", "content": text(message)}
        chat = configured_chat(components)
        try:
            if len(message) > MAX_QUESTION_CHARS:
                raise ValueError(f"a question may be at most {MAX_QUESTION_CHARS} characters")
            sessions.charge(None, client_address(request))
            draft = chat.prepare(message, _history(stored))
        except (QuotaExceeded, ValueError, StoreError) as exc:
            refused = [*before, asked, {"role": "assistant", "content": text(exc)}]
            yield refused, stored, refused, ""
            return
        answer = draft.extractive
        streamed = ""
        for event in chat.stream(draft):
            if isinstance(event, Shown):
                streamed += event.text
                partial = {"role": "assistant", "content": f'<div class="bb-streaming">{answer_text(streamed)}</div>'}
                yield [*before, asked, partial], stored, before, ""
            elif isinstance(event, Finished):
                answer = event.reply.answer
        stored = [*stored, {"question": message, "answer": answer.model_dump(mode="json")}][-MAX_TURNS:]
        after = [*before, *turn_messages(components, message, answer)][-2 * MAX_TURNS :]
        yield after, stored, after, ""

    outputs = [chatbot, conversation, shown, question]
    # Gradio serves one run of an event at a time unless told otherwise: the chat answers as many
    # askers at once as the settings allow, like the JSON API on its thread pool.
    limit = components.settings.ui_concurrency
    question.submit(
        respond,
        [question, conversation, shown],
        outputs,
        api_name="chat",
        api_visibility="undocumented",
        concurrency_limit=limit,
        concurrency_id="chat",
    )
    ask_button.click(
        respond,
        [question, conversation, shown],
        outputs,
        api_visibility="private",
        concurrency_limit=limit,
        concurrency_id="chat",
    )
    clear_button.click(lambda: ([], [], []), None, [chatbot, conversation, shown], api_visibility="private")
    chatbot.clear(lambda: ([], []), None, [conversation, shown], api_visibility="private")  # the chat's bin icon
    return {"chatbot": chatbot, "conversation": conversation, "shown": shown}
