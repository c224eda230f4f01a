"""Bar charts drawn on the server as SVG: no script, the same in the page, the print and the PDF.

`bar_chart` works out every bar's position; the template `reports/includes/chart.html` draws one
<rect> per bar, with the label and the value as text, and a <title> for screen readers (the data
also appear as a table beside each chart).
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 300
VALUE_GAP = 6
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 6
MAX_LABEL = 48
COLOUR = "#1f4e79"


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_x: int
    colour: str = COLOUR

    @property
    def is_empty(self) -> bool:
        return not self.bars or all(bar.value == 0 for bar in self.bars)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(title: str, data: list[tuple[str, int]], *, description: str = "") -> Chart:
    """A horizontal bar chart of (label, count) pairs, in the order given."""
    largest = max((value for _, value in data), default=0)
    span = WIDTH - LABEL_WIDTH - 50
    bars = []
    for index, (label, value) in enumerate(data):
        y = TOP + index * ROW_HEIGHT
        width = round(span * value / largest) if largest else 0
        bars.append(
            Bar(
                label=label,
                short_label=_short(label),
                value=value,
                x=LABEL_WIDTH,
                y=y,
                # A zero still shows as a hairline, so the row reads as "none" rather than missing.
                width=max(width, 1),
                height=BAR_HEIGHT,
                text_y=y + BAR_HEIGHT - 4,
                value_x=LABEL_WIDTH + max(width, 1) + VALUE_GAP,
            )
        )
    return Chart(
        title=title,
        description=description or f"{title}: " + "; ".join(f"{label} {value}" for label, value in data),
        bars=bars,
        width=WIDTH,
        height=TOP * 2 + ROW_HEIGHT * max(len(bars), 1),
        label_x=LABEL_WIDTH - 8,
    )


# A share is drawn as a bar whose filled part has one of 21 widths (0%, 5%, ... 100%): classes in the
# stylesheets, because the CSP forbids a style attribute. The figure itself is always in the text.
SHARE_STEP = 5


@dataclass(frozen=True)
class Share:
    """A part of a whole as a bar with its figure in words: "12 of 20 staff (60%)"."""

    label: str  # what is measured: "Staff who have confirmed the current policy"
    part: int
    whole: int
    noun: str = ""  # what is counted: "staff"

    @property
    def percent(self) -> int:
        return round(100 * self.part / self.whole) if self.whole else 0

    @property
    def step(self) -> int:
        """The bar's width class: the percentage to the nearest step of 5 (a share above none shows at
        least one step; one short of all at most 95)."""
        stepped = SHARE_STEP * round(self.percent / SHARE_STEP)
        if self.part and not stepped:
            return SHARE_STEP
        if self.part < self.whole and stepped == 100:
            return 100 - SHARE_STEP
        return stepped

    @property
    def text(self) -> str:
        noun = f" {self.noun}" if self.noun else ""
        return f"{self.part:,} of {self.whole:,}{noun} ({self.percent}%)"
