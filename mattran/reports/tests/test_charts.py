from hypothesis import given
from hypothesis import strategies as st

from mattran.reports.charts import bar_chart


def test_the_tallest_bar_fills_the_plot_and_bars_keep_their_order() -> None:
    chart = bar_chart([("6 tháng đầu năm 2022", 100), ("6 tháng cuối năm 2022", 50)], money=True)
    first, second = chart.bars
    assert first.label.startswith("6 tháng đầu") and first.height == 2 * second.height
    assert first.y + first.height == chart.baseline
    assert first.value_text == "100 ₫"


@given(st.lists(st.integers(min_value=0, max_value=10**15), max_size=12))
def test_bars_stay_inside_the_drawing(values: list[int]) -> None:
    chart = bar_chart([(str(i), v) for i, v in enumerate(values)])
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width
        assert 0 <= bar.y <= chart.baseline and bar.height >= 0
