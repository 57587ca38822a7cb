import Foundation

/// A horizontal bar chart drawn on the server as inline SVG: no script, prints as it shows, and
/// each bar links to the records behind it when the reader may open them.
struct BarChart {
    struct Bar {
        let label: String
        let value: Int
        /// The drill-down (穿透) link, nil when the reader may not open the records.
        let href: String?
        /// A CSS class for the bar's colour (`bar-warn`, `bar-danger`, …).
        var tone: String = "bar"
    }

    let title: String
    let bars: [Bar]

    static let width = 520
    static let labelWidth = 130
    static let rowHeight = 30
    static let valueWidth = 56

    /// The chart as an SVG element (escaped; safe to embed unescaped in the page).
    var svg: String {
        let height = max(bars.count, 1) * Self.rowHeight + 8
        let span = Self.width - Self.labelWidth - Self.valueWidth
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        var svg = #"<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \#(Self.width) \#(height)" width="100%" "#
        svg += #"preserveAspectRatio="xMinYMin meet" aria-labelledby="\#(Self.id(title))"><title id="\#(Self.id(title))">\#(Markup.escaped(title))</title>"#
        if bars.isEmpty {
            svg += #"<text x="0" y="20" class="chart-empty">暂无数据</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * Self.rowHeight
            let length = bar.value == 0 ? 0 : max(2, bar.value * span / largest)
            var row = #"<text x="\#(Self.labelWidth - 8)" y="\#(y + 19)" text-anchor="end" class="chart-label">\#(Markup.escaped(bar.label))</text>"#
            row += #"<rect x="\#(Self.labelWidth)" y="\#(y + 4)" width="\#(length)" height="\#(Self.rowHeight - 10)" rx="3" class="\#(bar.tone)"/>"#
            row += #"<text x="\#(Self.labelWidth + length + 6)" y="\#(y + 19)" class="chart-value">\#(bar.value)</text>"#
            if let href = bar.href {
                svg += #"<a href="\#(Markup.escaped(href))" aria-label="\#(Markup.escaped("\(bar.label) \(bar.value)，查看明细"))">\#(row)</a>"#
            } else {
                svg += "<g>\(row)</g>"
            }
        }
        return svg + "</svg>"
    }

    /// A stable element id for the title (ASCII, from the title's scalars).
    static func id(_ title: String) -> String {
        "chart-" + String(title.unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) &+ $1.value }, radix: 36)
    }
}
