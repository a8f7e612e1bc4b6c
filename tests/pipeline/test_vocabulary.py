"""The options' vocabulary is declared once (scenes.pipeline.options); the kit's own names for
modes and themes, the engine's languages and the CLI's choices all agree with it."""

from __future__ import annotations

import click

from cli import cli
from convmath.i18n import LANGS
from scenes.pipeline import options


def test_kit_and_engine_names_agree_with_the_vocabulary() -> None:
    from scenes.kit import base, theme

    assert base.MODES is options.MODES  # imported, not repeated
    assert theme.THEME_NAMES is options.THEMES
    assert tuple(theme.THEMES) == options.THEMES  # a palette for every theme name, no other
    assert options.LANGS == LANGS


def _choices(command: str, name: str) -> tuple:
    cmd = cli.commands[command]
    param = next(p for p in cmd.params if p.name == name)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_cli_choices_come_from_the_vocabulary() -> None:
    assert _choices("render", "mode") == options.MODES
    assert _choices("render", "theme") == options.THEMES
    assert _choices("render", "lang") == options.LANGS
    assert _choices("render", "fmt") == options.FORMATS
    assert _choices("render", "quality") == options.QUALITY_CHOICES
    assert _choices("gallery", "fmt") == options.FORMATS
    assert _choices("gallery", "theme") == options.THEMES
    assert _choices("explain", "lang") == options.LANGS
