import Foundation

/// What the networked coordinator's web page shows at one moment: the run, its configuration, every
/// client's admission state and the finished rounds. The server builds one per request and renders it with
/// `DashboardPage.render`.
public struct DashboardSnapshot: Sendable, Equatable {
    public enum ClientState: String, Sendable, Equatable, CaseIterable { case pending, admitted, rejected }

    public struct Client: Sendable, Equatable {
        public var id: Int
        public var state: ClientState
        /// Why the client was rejected (or nil).
        public var reason: String?
        public var roundsContributed: Int

        public init(id: Int, state: ClientState, reason: String? = nil, roundsContributed: Int = 0) {
            self.id = id
            self.state = state
            self.reason = reason
            self.roundsContributed = roundsContributed
        }
    }

    public var runID: String
    /// Settings in display order.
    public var configuration: [(name: String, value: String)]
    /// Human-readable state, e.g. "round 3 of 10: masked input".
    public var phase: String
    /// The current round, 1-based; 0 before training.
    public var round: Int
    public var totalRounds: Int
    public var clients: [Client]
    /// The finished rounds.
    public var rounds: [RoundRecord]
    public var finished: Bool

    public init(
        runID: String, configuration: [(name: String, value: String)] = [], phase: String, round: Int = 0,
        totalRounds: Int, clients: [Client] = [], rounds: [RoundRecord] = [], finished: Bool = false
    ) {
        self.runID = runID
        self.configuration = configuration
        self.phase = phase
        self.round = round
        self.totalRounds = totalRounds
        self.clients = clients
        self.rounds = rounds
        self.finished = finished
    }

    /// How many clients are in `state`.
    public func count(_ state: ClientState) -> Int {
        clients.reduce(0) { $0 + ($1.state == state ? 1 : 0) }
    }

    public static func == (a: DashboardSnapshot, b: DashboardSnapshot) -> Bool {
        a.runID == b.runID && a.configuration.elementsEqual(b.configuration, by: { $0 == $1 }) && a.phase == b.phase
            && a.round == b.round && a.totalRounds == b.totalRounds && a.clients == b.clients && a.rounds == b.rounds
            && a.finished == b.finished
    }
}

/// The dashboard: one server-rendered HTML5 page with inline CSS and inline SVG charts, no JavaScript.
/// The markup is also well-formed XML (every element closed, only the five XML entities), so it can be
/// checked with an XML parser. Stable hooks: `#phase`, `#round`, `#progress`, `#counts`,
/// `#accuracy-chart` / `#loss-chart` / `#time-chart` / `#bytes-chart` (each a figure holding an `<svg>`, or
/// a `p.empty` note before the first round finishes; the accuracy curve is its `polyline.series`, one
/// point per finished round), `#admission` (one `tr.client.<state>[data-client=ID]` per client),
/// `#configuration` and `#rounds` (one `tr.round[data-round=R]` per finished round).
public enum DashboardPage {
    /// The accuracy curve's colour; nothing else on the page uses it, so a screenshot can find the curve.
    public static let accuracyColor = "#1f77b4"
    static let lossColor = "#d62728"
    static let phaseColors = ["#9467bd", "#2ca02c", "#ff7f0e", "#8c564b"]
    static let bytesColors = ["#17becf", "#bcbd22"]

    /// A complete HTML5 document; `refreshSeconds` adds `<meta http-equiv="refresh">` (nil: no refresh;
    /// values below 1 count as 1).
    public static func render(_ snapshot: DashboardSnapshot, refreshSeconds: Int?) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>

            """
        if let refreshSeconds { html += "<meta http-equiv=\"refresh\" content=\"\(max(1, refreshSeconds))\"/>\n" }
        html += "<title>SecAggKit run \(escape(snapshot.runID)) · \(escape(roundText(snapshot)))</title>\n"
        html += "<style>\n\(css)</style>\n</head>\n<body>\n"
        html += header(snapshot)
        html += "<main>\n"
        html += charts(snapshot)
        html += "<div class=\"columns\">\n"
        html += admission(snapshot)
        html += configuration(snapshot)
        html += "</div>\n"
        html += roundsTable(snapshot)
        html += "</main>\n"
        let refresh = refreshSeconds.map { "This page reloads every \(max(1, $0)) s." } ?? "This page does not reload itself."
        html += "<footer>SecAggKit coordinator dashboard. \(refresh)</footer>\n</body>\n</html>\n"
        return html
    }

    // MARK: Sections

    /// Rounds finished, as the progress bar shows them.
    static func finishedRounds(_ s: DashboardSnapshot) -> Int { min(s.rounds.count, max(s.totalRounds, 0)) }

    static func roundText(_ s: DashboardSnapshot) -> String {
        if s.finished { return "finished after \(s.rounds.count) of \(s.totalRounds) rounds" }
        if s.round <= 0 { return "training not started (\(s.totalRounds) rounds)" }
        return "round \(s.round) of \(s.totalRounds)"
    }

    static func header(_ s: DashboardSnapshot) -> String {
        let done = finishedRounds(s)
        let fraction = s.totalRounds > 0 ? Double(done) / Double(s.totalRounds) : 0
        let status = s.finished ? "finished" : "running"
        var h = "<header>\n<div class=\"title\">\n"
        h += "<h1>SecAggKit run <span id=\"run-id\">\(escape(s.runID))</span></h1>\n"
        h += "<span id=\"status\" class=\"status \(status)\">\(status)</span>\n</div>\n"
        h += "<p id=\"phase\">\(escape(s.phase))</p>\n"
        h += "<div class=\"progress-line\">\n<span id=\"round\">\(escape(roundText(s)))</span>\n"
        h += "<div id=\"progress\" class=\"progress\" role=\"progressbar\" aria-valuemin=\"0\" "
            + "aria-valuemax=\"\(max(s.totalRounds, 0))\" aria-valuenow=\"\(done)\">"
            + "<div class=\"bar\" style=\"width: \(String(format: "%.1f", fraction * 100))%\"></div></div>\n"
        h += "<span class=\"done\">\(done) of \(max(s.totalRounds, 0)) rounds finished</span>\n</div>\n"
        h += "<ul id=\"counts\">\n"
        for state in [DashboardSnapshot.ClientState.admitted, .rejected, .pending] {
            let n = s.count(state)
            h += "<li class=\"count \(state.rawValue)\" data-count=\"\(n)\"><span class=\"n\">\(n)</span> \(state.rawValue)</li>\n"
        }
        h += "<li class=\"count total\" data-count=\"\(s.clients.count)\"><span class=\"n\">\(s.clients.count)</span> clients</li>\n"
        h += "</ul>\n</header>\n"
        return h
    }

    static func charts(_ s: DashboardSnapshot) -> String {
        let rounds = s.rounds
        let xs = rounds.map { Double($0.round) }
        var h = "<section id=\"training\">\n<h2>Training</h2>\n<div class=\"charts\">\n"
        func figure(_ id: String, _ caption: String, _ svg: () -> String) {
            h += "<figure id=\"\(id)\" class=\"chart\">\n"
            if rounds.isEmpty {
                h += "<figcaption>\(escape(caption))</figcaption>\n<p class=\"empty\">no finished rounds yet</p>\n"
            } else {
                h += svg()
            }
            h += "</figure>\n"
        }
        figure("accuracy-chart", "Test accuracy") {
            SVGChart.lineChart(
                title: "Test accuracy", xLabel: "round", yLabel: "accuracy", xs: xs,
                series: [.init(name: "accuracy", values: rounds.map(\.accuracy))],
                style: .init(colors: [accuracyColor], legend: false))
        }
        figure("loss-chart", "Test loss") {
            SVGChart.lineChart(
                title: "Test loss", xLabel: "round", yLabel: "cross-entropy", xs: xs,
                series: [.init(name: "loss", values: rounds.map(\.loss))],
                style: .init(colors: [lossColor], legend: false))
        }
        figure("time-chart", "Time per phase") {
            SVGChart.stackedBarChart(
                title: "Time per phase", xLabel: "round", yLabel: "seconds", xs: xs,
                series: [
                    .init(name: "admission", values: rounds.map(\.seconds.admission)),
                    .init(name: "train", values: rounds.map(\.seconds.train)),
                    .init(name: "protect", values: rounds.map(\.seconds.protect)),
                    .init(name: "aggregate", values: rounds.map(\.seconds.aggregate)),
                ],
                style: .init(colors: phaseColors))
        }
        figure("bytes-chart", "Bytes per round") {
            let largest = rounds.map { Double($0.uploadBytes) + Double($0.downloadBytes) }.max() ?? 0
            let (unit, scale) = byteUnit(largest)
            return SVGChart.stackedBarChart(
                title: "Bytes per round (all clients)", xLabel: "round", yLabel: unit, xs: xs,
                series: [
                    .init(name: "upload", values: rounds.map { Double($0.uploadBytes) / scale }),
                    .init(name: "download", values: rounds.map { Double($0.downloadBytes) / scale }),
                ],
                style: .init(colors: bytesColors))
        }
        h += "</div>\n</section>\n"
        return h
    }

    static func admission(_ s: DashboardSnapshot) -> String {
        var h = "<section id=\"admission-section\">\n<h2>Admission</h2>\n<table id=\"admission\">\n"
        h += "<thead><tr><th class=\"num\">client</th><th>state</th><th>reason</th><th class=\"num\">rounds contributed</th></tr></thead>\n<tbody>\n"
        if s.clients.isEmpty {
            h += "<tr class=\"none\"><td colspan=\"4\" class=\"empty\">no clients have connected yet</td></tr>\n"
        }
        for c in s.clients {
            let state = c.state.rawValue
            h += "<tr class=\"client \(state)\" data-client=\"\(c.id)\"><td class=\"num\">\(c.id)</td>"
                + "<td><span class=\"state \(state)\">\(state)</span></td>"
                + "<td class=\"reason\">\(c.reason.map(escape) ?? "")</td><td class=\"num\">\(c.roundsContributed)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    static func configuration(_ s: DashboardSnapshot) -> String {
        var h = "<section id=\"configuration-section\">\n<h2>Configuration</h2>\n<table id=\"configuration\">\n<tbody>\n"
        if s.configuration.isEmpty {
            h += "<tr class=\"none\"><td colspan=\"2\" class=\"empty\">no configuration reported</td></tr>\n"
        }
        for setting in s.configuration {
            h += "<tr class=\"setting\"><th>\(escape(setting.name))</th><td>\(escape(setting.value))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    static func roundsTable(_ s: DashboardSnapshot) -> String {
        var h = "<section id=\"rounds-section\">\n<h2>Rounds</h2>\n"
        guard !s.rounds.isEmpty else {
            return h + "<p class=\"empty\">no finished rounds yet</p>\n</section>\n"
        }
        h += "<table id=\"rounds\">\n<thead><tr>"
        let headings = [
            "round", "accuracy", "loss", "max |Δ|", "bound", "admission s", "train s", "protect s", "aggregate s",
            "total s", "upload", "download", "selected", "dropped",
        ]
        for heading in headings { h += "<th class=\"num\">\(escape(heading))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for r in s.rounds {
            let cells = [
                String(r.round), percent(r.accuracy), decimal(r.loss, 4), r.maxAbsError.map(scientific) ?? "–",
                r.errorBound.map(scientific) ?? "–", decimal(r.seconds.admission, 3), decimal(r.seconds.train, 3),
                decimal(r.seconds.protect, 3), decimal(r.seconds.aggregate, 3), decimal(r.seconds.total, 3),
                bytes(r.uploadBytes), bytes(r.downloadBytes), String(r.selected), String(r.dropped),
            ]
            h += "<tr class=\"round\" data-round=\"\(r.round)\">"
            for cell in cells { h += "<td class=\"num\">\(escape(cell))</td>" }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    // MARK: Formatting

    /// Text for HTML content and attribute values: the XML special characters as entities, and characters
    /// XML does not allow (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) as U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func decimal(_ v: Double, _ places: Int) -> String {
        v.isFinite ? String(format: "%.\(places)f", v) : String(describing: v)
    }

    static func percent(_ v: Double) -> String {
        v.isFinite ? String(format: "%.2f%%", v * 100) : String(describing: v)
    }

    static func scientific(_ v: Double) -> String {
        v.isFinite ? String(format: "%.2e", v) : String(describing: v)
    }

    /// The unit for byte counts up to `largest` and its size in bytes.
    static func byteUnit(_ largest: Double) -> (String, Double) {
        if largest >= 1e9 { return ("GB", 1e9) }
        if largest >= 1e6 { return ("MB", 1e6) }
        if largest >= 1e3 { return ("kB", 1e3) }
        return ("bytes", 1)
    }

    /// A byte count to three significant digits in the largest unit it reaches after rounding ("480 kB").
    static func bytes(_ n: Int) -> String {
        for (unit, scale) in [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)] where Double(n) >= scale * 0.9995 {
            return String(format: "%.3g", Double(n) / scale) + " " + unit
        }
        return "\(n) B"
    }

    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 14px;
          color: #1f2328; background: #f4f5f7; }
        header { background: #24292f; color: #f6f8fa; padding: 18px 28px 16px; }
        header .title { display: flex; align-items: center; gap: 14px; }
        h1 { font-size: 22px; margin: 0; font-weight: 600; }
        h2 { font-size: 16px; margin: 0 0 10px; font-weight: 600; }
        #run-id { font-family: "DejaVu Sans Mono", monospace; }
        .status { font-size: 12px; padding: 2px 10px; border-radius: 10px; text-transform: uppercase;
          letter-spacing: 0.05em; }
        .status.running { background: #bf8700; color: #fff; }
        .status.finished { background: #2da44e; color: #fff; }
        #phase { font-size: 16px; margin: 10px 0 8px; }
        .progress-line { display: flex; align-items: center; gap: 14px; }
        .progress { flex: 0 0 420px; height: 12px; background: #57606a; border-radius: 6px; overflow: hidden; }
        .progress .bar { height: 100%; background: #4ac26b; }
        .done { color: #afb8c1; }
        #counts { list-style: none; display: flex; gap: 10px; margin: 14px 0 0; padding: 0; }
        #counts li { padding: 6px 12px; border-radius: 6px; background: #32383f; }
        #counts .n { font-size: 18px; font-weight: 700; margin-right: 4px; }
        #counts .admitted .n { color: #4ac26b; }
        #counts .rejected .n { color: #ff8182; }
        #counts .pending .n { color: #eac54f; }
        main { padding: 18px 28px 8px; }
        section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px;
          margin-bottom: 18px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px; }
        figure.chart { margin: 0; border: 1px solid #eaeef2; border-radius: 6px; overflow: hidden; }
        figure.chart svg { display: block; width: 100%; height: auto; }
        figure.chart svg text { font-size: 13px; }
        figure.chart svg text[font-size="16"] { font-size: 17px; }
        figcaption { font-size: 17px; text-align: center; padding: 12px 12px 0; }
        p.empty, td.empty { color: #6e7781; font-style: italic; }
        figure.chart p.empty { margin: 0; padding: 60px 0; text-align: center; }
        .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 18px; align-items: start; }
        .columns section { margin-bottom: 18px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
        thead th { font-size: 12px; color: #57606a; font-weight: 600; border-bottom: 2px solid #d0d7de;
          white-space: nowrap; }
        #configuration th { font-weight: 600; color: #57606a; width: 1%; white-space: nowrap; }
        #configuration td { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
        #configuration td.empty { font-family: inherit; font-size: 14px; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.reason { color: #57606a; overflow-wrap: anywhere; }
        #admission .num { width: 1%; white-space: nowrap; }
        .state { display: inline-block; min-width: 76px; text-align: center; font-size: 12px; font-weight: 600;
          padding: 1px 8px; border-radius: 10px; }
        .state.admitted { background: #dafbe1; color: #116329; }
        .state.rejected { background: #ffebe9; color: #a40e26; }
        .state.pending { background: #fff8c5; color: #7d4e00; }
        #rounds td, #rounds th { padding: 4px 8px; }
        #rounds tbody tr:nth-child(even) { background: #f6f8fa; }
        footer { color: #6e7781; font-size: 12px; padding: 0 28px 20px; }

        """
}
