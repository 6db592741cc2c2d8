import Foundation

/// A small SVG chart writer (no dependencies): line charts of per-round series and stacked bar charts of
/// per-round phase totals, with axes, ticks, a title and a legend. Output is a complete SVG document, which
/// can also be inlined in HTML (the dashboard does). Marks carry stable classes: each line is a
/// `<polyline class="series" data-series="NAME">` with a `<circle class="point">` per point, each bar segment
/// a `<rect class="bar" data-series="NAME">`.
public enum SVGChart {
    /// One named series of y values, one per x.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// How a chart is drawn: series k gets `colors[k % colors.count]`; without a legend the plot area
    /// takes the legend's width.
    public struct Style: Sendable {
        public var colors: [String]
        public var legend: Bool

        public init(colors: [String] = SVGChart.palette, legend: Bool = true) {
            self.colors = colors.isEmpty ? SVGChart.palette : colors
            self.legend = legend
        }

        func color(_ k: Int) -> String { colors[k % colors.count] }
    }

    /// The default series colours.
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// The plot area inside the drawing: margins on each side (the right one holds the legend).
    struct Layout {
        var width = 720.0, height = 400.0
        var left = 70.0, right = 170.0, top = 40.0, bottom = 50.0

        init(legend: Bool) {
            if !legend { right = 30 }
        }

        func px(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
            left + (x - lo) / (hi - lo) * (width - left - right)
        }

        func py(_ y: Double, _ lo: Double, _ hi: Double) -> Double {
            height - bottom - (y - lo) / (hi - lo) * (height - top - bottom)
        }
    }

    /// A line chart of `series` against x = `xs` (e.g. rounds); non-finite values are left out.
    public static func lineChart(
        title: String, xLabel: String, yLabel: String, xs: [Double], series: [Series], style: Style = Style()
    ) -> String {
        let layout = Layout(legend: style.legend)
        let values = series.flatMap(\.values).filter(\.isFinite)
        let (yMin, yMax) = niceRange(values.min() ?? 0, values.max() ?? 1)
        let (xMin, xMax) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1))
        var body = frame(
            layout, title: title, xLabel: xLabel, yLabel: yLabel, xRange: (xMin, xMax), yRange: (yMin, yMax))
        for (k, s) in series.enumerated() {
            let color = style.color(k)
            let points = zip(xs, s.values).filter { $0.1.isFinite }.map { x, y in
                (fmt(layout.px(x, xMin, xMax)), fmt(layout.py(y, yMin, yMax)))
            }
            body += "<polyline class=\"series\" data-series=\"\(escape(s.name))\" fill=\"none\" stroke=\"\(color)\" "
                + "stroke-width=\"2\" points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>\n"
            for (x, y) in points {
                body += "<circle class=\"point\" cx=\"\(x)\" cy=\"\(y)\" r=\"2.5\" fill=\"\(color)\"/>\n"
            }
        }
        if style.legend { body += legend(layout, style, series.map(\.name)) }
        return document(layout, title: title, body)
    }

    /// A stacked bar chart: one bar per x, one stacked segment per series.
    public static func stackedBarChart(
        title: String, xLabel: String, yLabel: String, xs: [Double], series: [Series], style: Style = Style()
    ) -> String {
        let layout = Layout(legend: style.legend)
        let count = xs.count
        let totals = (0..<count).map { i in series.reduce(0.0) { $0 + max(0, $1.values.indices.contains(i) ? $1.values[i] : 0) } }
        let (yMin, yMax) = niceRange(0, totals.max() ?? 1)
        let (xMin, xMax) = ((xs.min() ?? 0) - 0.5, (xs.max() ?? 0) + 0.5)
        var body = frame(
            layout, title: title, xLabel: xLabel, yLabel: yLabel, xRange: (xMin, xMax), yRange: (yMin, yMax))
        let slot = (layout.width - layout.left - layout.right) / Double(max(count, 1))
        let barWidth = max(1, slot * 0.7)
        for (i, x) in xs.enumerated() {
            var base = 0.0
            for (k, s) in series.enumerated() {
                let v = s.values.indices.contains(i) ? max(0, s.values[i]) : 0
                guard v > 0 else { continue }
                let y0 = layout.py(base, yMin, yMax), y1 = layout.py(base + v, yMin, yMax)
                body += "<rect class=\"bar\" data-series=\"\(escape(s.name))\" x=\"\(fmt(layout.px(x, xMin, xMax) - barWidth / 2))\" "
                    + "y=\"\(fmt(y1))\" width=\"\(fmt(barWidth))\" height=\"\(fmt(y0 - y1))\" fill=\"\(style.color(k))\"/>\n"
                base += v
            }
        }
        if style.legend { body += legend(layout, style, series.map(\.name)) }
        return document(layout, title: title, body)
    }

    // MARK: Layout

    /// A range with round ends that contains [lo, hi] (never empty).
    static func niceRange(_ lo: Double, _ hi: Double) -> (Double, Double) {
        guard lo.isFinite, hi.isFinite else { return (0, 1) }
        if hi - lo < 1e-12 { return (lo - 0.5, hi + 0.5) }
        let step = niceStep((hi - lo) / 5)
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step)
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    static func frame(
        _ layout: Layout, title: String, xLabel: String, yLabel: String, xRange: (Double, Double),
        yRange: (Double, Double)
    ) -> String {
        let (width, height) = (layout.width, layout.height)
        let (x0, x1) = (layout.left, width - layout.right), (y0, y1) = (height - layout.bottom, layout.top)
        var s = "<rect x=\"0\" y=\"0\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"white\"/>\n"
        s += "<text x=\"\(fmt((x0 + x1) / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(escape(title))</text>\n"
        s += "<line x1=\"\(fmt(x0))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(x1))\" y2=\"\(fmt(y0))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(fmt(x0))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(x0))\" y2=\"\(fmt(y1))\" stroke=\"black\"/>\n"
        let yStep = niceStep((yRange.1 - yRange.0) / 5)
        var y = yRange.0
        while y <= yRange.1 + yStep / 2 {
            let p = layout.py(y, yRange.0, yRange.1)
            s += "<line x1=\"\(fmt(x0 - 4))\" y1=\"\(fmt(p))\" x2=\"\(fmt(x1))\" y2=\"\(fmt(p))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(fmt(x0 - 8))\" y=\"\(fmt(p + 4))\" text-anchor=\"end\" font-size=\"11\">\(tick(y))</text>\n"
            y += yStep
        }
        let xStep = max(1, niceStep((xRange.1 - xRange.0) / 10))
        var x = (xRange.0 / xStep).rounded(.up) * xStep
        while x <= xRange.1 {
            let p = layout.px(x, xRange.0, xRange.1)
            s += "<line x1=\"\(fmt(p))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(p))\" y2=\"\(fmt(y0 + 4))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(fmt(p))\" y=\"\(fmt(y0 + 18))\" text-anchor=\"middle\" font-size=\"11\">\(tick(x))</text>\n"
            x += xStep
        }
        s += "<text x=\"\(fmt((x0 + x1) / 2))\" y=\"\(fmt(height - 10))\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>\n"
        s += "<text x=\"16\" y=\"\(fmt((y0 + y1) / 2))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 \(fmt((y0 + y1) / 2)))\">\(escape(yLabel))</text>\n"
        return s
    }

    static func legend(_ layout: Layout, _ style: Style, _ names: [String]) -> String {
        var s = ""
        let x = layout.width - layout.right
        for (k, name) in names.enumerated() {
            let y = layout.top + 10 + Double(k) * 20
            s += "<rect x=\"\(fmt(x + 15))\" y=\"\(fmt(y - 9))\" width=\"12\" height=\"12\" fill=\"\(style.color(k))\"/>\n"
            s += "<text x=\"\(fmt(x + 33))\" y=\"\(fmt(y + 2))\" font-size=\"12\">\(escape(name))</text>\n"
        }
        return s
    }

    static func document(_ layout: Layout, title: String, _ body: String) -> String {
        let (w, h) = (fmt(layout.width), fmt(layout.height))
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"sans-serif\" role=\"img\" aria-label=\"\(escape(title))\">\n\(body)</svg>\n"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func tick(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.2g", v) }
        return String(format: "%.3g", v)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
