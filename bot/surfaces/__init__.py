"""The ways in: the CLI, the HTTP API and its server, the Gradio UI and the embeddable widget.

Surfaces hold no answering or ingest logic: they call the services (`bot.service`, `ingest.service`)
through the components built once per process (`bot.components`)."""
