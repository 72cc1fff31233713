"""Server-rendered SVG bar charts: no JavaScript, no external library, and they print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    value_text: str
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]

    @property
    def is_empty(self) -> bool:
        return not self.bars or all(b.value == 0 for b in self.bars)


def _short(value: int, money: bool) -> str:
    text = f"{value:,}".replace(",", ".")
    return f"{text} ₫" if money else text


def bar_chart(points: list[tuple[str, int]], *, money: bool = False, width: int = 640, height: int = 240) -> BarChart:
    """Bars for ``[(label, value)]`` in the given order; the tallest fills the plot area."""
    top, bottom = 24.0, 40.0
    plot = height - top - bottom
    count = max(len(points), 1)
    slot = width / count
    highest = max((v for _, v in points), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot * value / highest
        bars.append(Bar(label=label, value=value, value_text=_short(value, money), x=index * slot + slot * 0.2,
                        y=top + plot - bar_height, width=slot * 0.6, height=bar_height))
    return BarChart(width=width, height=height, baseline=top + plot, bars=tuple(bars))
