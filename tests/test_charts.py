"""The server-drawn SVG charts: marks in proportion, every number printed, text escaped."""

import xml.etree.ElementTree as ET

import pytest

from annotator.charts import Bar, bar_chart, heatmap, line_chart

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": SVG[1:-1]}
HOSTILE = "<script>x</script>"  # 18 characters: short enough to be shown whole


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def bar_widths(svg: str) -> list[float]:
    return [
        float(rect.get("width")) for rect in parse(svg).findall(".//svg:rect[@class='bar']", NS)
    ]


def a_bar_chart(label="Marked by one only", title="Disagreements"):
    return bar_chart([Bar(label, 40, "40"), Bar("b", 10, "10")], title=title)


def a_line_chart(label="11-16", title="F1 by week"):
    return line_chart([(label, 0.5, "0.50"), ("11-23", 0.75, "0.75")], title=title)


def a_heatmap(label="alice", title="F1 between annotators"):
    return heatmap([label, "bob"], [label, "bob"], [[(None, ""), (0.7, "0.70")]] * 2, title=title)


CHARTS = [a_bar_chart, a_line_chart, a_heatmap]


def test_bars_are_in_proportion_to_their_values_the_largest_one_full_length():
    widths = bar_widths(
        bar_chart(
            [Bar("a", 40, "40"), Bar("b", 10, "10"), Bar("c", 20, "20"), Bar("d", 0, "0")],
            title="Counts",
        )
    )
    longest = widths[0]
    assert longest > 0
    assert widths == pytest.approx([longest, longest / 4, longest / 2, 0])
    # Scaled to the largest value, not drawn in absolute units: 4 and 1 look like 40 and 10.
    assert bar_widths(bar_chart([Bar("a", 4, "4"), Bar("b", 1, "1")], title="Counts")) == (
        pytest.approx([longest, longest / 4])
    )


def test_bars_of_nothing_but_zeros_have_no_length():
    assert bar_widths(bar_chart([Bar("a", 0, "0"), Bar("b", 0, "0")], title="Counts")) == [0, 0]


def test_every_bar_prints_its_label_and_its_value_as_given():
    root = parse(
        bar_chart(
            [Bar("Same span, other label", 1234, "1,234"), Bar("Marked by one only", 0.5, "½")],
            title="Counts",
        )
    )
    assert texts(root) == ["Same span, other label", "1,234", "Marked by one only", "½"]


def test_every_point_and_heatmap_cell_prints_its_value():
    line = texts(parse(line_chart([("a", 0.25, "0.25"), ("b", 1.0, "1.00")], title="F1")))
    assert {"0.25", "1.00", "a", "b"} <= set(line)
    cells = texts(
        parse(
            heatmap(
                ["x", "y"],
                ["p", "q"],
                [[(0.1, "1"), (0.2, "2")], [(0.3, "3"), (1, "4")]],
                title="T",
            )
        )
    )
    assert cells[-4:] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda chart: chart.__name__)
def test_labels_and_title_are_escaped(chart):
    svg = str(chart(label=HOSTILE, title=HOSTILE))

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # still well-formed SVG
    assert root.find(".//svg:script", NS) is None
    assert root.find("svg:title", NS).text == HOSTILE
    assert HOSTILE in texts(root)


@pytest.mark.parametrize("chart", CHARTS, ids=lambda chart: chart.__name__)
def test_chart_is_an_image_with_its_title_for_screen_readers(chart):
    root = parse(chart(title="Documents by exact span F1"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == "Documents by exact span F1"


def test_heatmap_leaves_an_empty_cell_blank_and_shades_the_others():
    root = parse(
        heatmap(
            ["alice", "bob"],
            ["alice", "bob"],
            [[(None, ""), (0.9, "0.90")], [(0.1, "0.10"), (None, "")]],
            title="F1",
        )
    )
    opacities = [float(rect.get("fill-opacity")) for rect in root.iter(f"{SVG}rect")]

    assert opacities[0] == opacities[3] == 0
    assert opacities[1] > opacities[2] > 0  # darker is more


def test_line_chart_breaks_where_a_value_is_missing():
    root = parse(
        line_chart(
            [
                ("w1", 0.2, "0.20"),
                ("w2", 0.4, "0.40"),
                ("w3", None, "—"),
                ("w4", 0.6, "0.60"),
                ("w5", 0.8, "0.80"),
            ],
            title="F1 by week",
        )
    )
    lines = root.findall(".//svg:polyline", NS)

    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    assert len(root.findall(".//svg:circle", NS)) == 4  # no point for the missing week
    assert "—" not in texts(root)
    assert texts(root)[-5:] == ["w1", "w2", "w3", "w4", "w5"]  # every week keeps its place


def test_line_chart_draws_no_line_through_a_lone_point():
    root = parse(
        line_chart([("w1", None, "—"), ("w2", 0.5, "0.50"), ("w3", None, "—")], title="F1")
    )
    assert root.findall(".//svg:polyline", NS) == []
    assert len(root.findall(".//svg:circle", NS)) == 1
