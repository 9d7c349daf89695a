"""Read a question aloud with the browser's own speech synthesis (no service, nothing leaves the device).

:func:`speech_html` is the small HTML document of a "Lees voor" button: a click speaks ``text`` with
``window.speechSynthesis`` in the given BCP 47 language (``nl-NL``). The text is embedded as a JSON string, so
quotes and ``</script>`` in it cannot break out of the script.
"""

from __future__ import annotations

import html
import json

__all__ = ["SPEECH_LANG", "speech_html"]

SPEECH_LANG = {"nl": "nl-NL", "en": "en-GB"}


def _js_string(value: str) -> str:
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def speech_html(text: str, lang: str, label: str) -> str:
    """The button's HTML: ``label`` on the button, ``text`` spoken in ``lang`` ("nl" or "en", or a BCP 47 tag)."""
    tag = SPEECH_LANG.get(lang, lang)
    return (
        '<button type="button" id="speak" style="font-size:1.1rem;padding:.3rem .8rem;border-radius:.5rem;'
        'border:1px solid #bbb;background:#fff;cursor:pointer">'
        f"{html.escape(label)}</button>\n"
        "<script>\n"
        f"const TEXT = {_js_string(text)};\n"
        f"const LANG = {_js_string(tag)};\n"
        'document.getElementById("speak").addEventListener("click", () => {\n'
        "  const synth = window.speechSynthesis;\n"
        "  if (!synth) { return; }\n"
        "  synth.cancel();\n"
        "  const spoken = new SpeechSynthesisUtterance(TEXT);\n"
        "  spoken.lang = LANG;\n"
        "  spoken.rate = 0.9;\n"
        "  synth.speak(spoken);\n"
        "});\n"
        "</script>\n"
    )
