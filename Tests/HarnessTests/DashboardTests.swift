import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Harness
import Testing

/// A run in progress: 8 of 10 rounds finished, 12 clients (9 admitted, 2 rejected, 1 pending).
func sampleSnapshot(rounds: Int = 8, reason: String = "token share 3 failed its DLEQ proof") -> DashboardSnapshot {
    let records = (1...max(rounds, 1)).prefix(rounds).map { r in
        let x = Double(r)
        return RoundRecord(
            round: r, accuracy: 0.93 - 0.6 * exp(-x / 2.5), loss: 0.25 + 1.9 * exp(-x / 2.2),
            maxAbsError: 1.2e-5 * (1 + 0.1 * x), errorBound: 3.05e-5,
            seconds: .init(admission: r == 1 ? 0.42 : 0, train: 0.8 + 0.05 * x, protect: 0.35, aggregate: 0.12),
            uploadBytes: 1_250_000 + 1000 * r, downloadBytes: 480_000, selected: 8, dropped: r % 3 == 0 ? 1 : 0)
    }
    var clients = (1...9).map { DashboardSnapshot.Client(id: $0, state: .admitted, roundsContributed: min(rounds, 7)) }
    clients.append(.init(id: 10, state: .rejected, reason: reason))
    clients.append(.init(id: 11, state: .rejected, reason: "public key is not registered"))
    clients.append(.init(id: 12, state: .pending))
    return DashboardSnapshot(
        runID: "run-7f3a", configuration: [
            ("dataset", "synthetic (10 classes, 20 features)"), ("model", "softmax"), ("clients", "12"),
            ("clients_per_round", "8"), ("rounds", "10"), ("protection", "masking (threshold 6, 16 bits)"),
            ("admission", "3 of 5 authorities"), ("seed", "7"),
        ],
        phase: "round \(rounds + 1) of 10: masked input", round: rounds + 1, totalRounds: 10, clients: clients,
        rounds: records, finished: false)
}

/// The page parsed as XML (the dashboard emits well-formed markup), with XPath helpers.
struct Page {
    let html: String
    let document: XMLDocument

    init(_ snapshot: DashboardSnapshot, refreshSeconds: Int? = nil) throws {
        html = DashboardPage.render(snapshot, refreshSeconds: refreshSeconds)
        document = try XMLDocument(xmlString: html)
    }

    func nodes(_ xpath: String) throws -> [XMLNode] { try document.nodes(forXPath: xpath) }

    func element(id: String) throws -> XMLElement? { try nodes("//*[@id='\(id)']").first as? XMLElement }

    /// Rows of the admission table with class "client" and `state`.
    func clientRows(_ state: String) throws -> [XMLElement] {
        try nodes("//table[@id='admission']//tr[contains(concat(' ', @class, ' '), ' client ') and "
            + "contains(concat(' ', @class, ' '), ' \(state) ')]").compactMap { $0 as? XMLElement }
    }

    /// The `points` of each accuracy curve: polylines of class "series" in #accuracy-chart (SVG is in its own
    /// namespace, hence local-name()).
    func accuracyCurves() throws -> [String] {
        try nodes("//*[@id='accuracy-chart']//*[local-name()='polyline' and @class='series']/@points").compactMap(\.stringValue)
    }
}

@Suite struct DashboardTests {
    @Test func clientRowsByStateAndCounts() throws {
        let page = try Page(sampleSnapshot())
        #expect(try page.clientRows("admitted").count == 9)
        #expect(try page.clientRows("rejected").count == 2)
        #expect(try page.clientRows("pending").count == 1)
        let ids = try page.nodes("//table[@id='admission']//tr[@data-client]").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "data-client")?.stringValue
        }
        #expect(ids == (1...12).map(String.init))
        let counts = try page.nodes("//ul[@id='counts']/li").compactMap { node -> String? in
            guard let li = node as? XMLElement else { return nil }
            return "\(li.attribute(forName: "class")?.stringValue ?? "")=\(li.attribute(forName: "data-count")?.stringValue ?? "")"
        }
        #expect(counts == ["count admitted=9", "count rejected=2", "count pending=1", "count total=12"])
        let rejected = try page.clientRows("rejected")
        #expect(rejected.first?.stringValue?.contains("token share 3 failed its DLEQ proof") == true)
    }

    @Test func accuracyCurveHasOnePointPerFinishedRound() throws {
        for rounds in [1, 2, 8] {
            let page = try Page(sampleSnapshot(rounds: rounds))
            let curves = try page.accuracyCurves()
            #expect(curves.count == 1)
            let points = curves.first?.split(separator: " ") ?? []
            #expect(points.count == rounds)
            #expect(try page.nodes("//*[@id='accuracy-chart']/*[local-name()='svg']").count == 1)
            #expect(try page.nodes("//table[@id='rounds']//tr[@class='round']").count == rounds)
            // The loss curve, time bars (4 phases, admission only in round 1) and byte bars (2 per round).
            #expect(try page.nodes("//*[@id='loss-chart']//*[local-name()='polyline']").count == 1)
            #expect(try page.nodes("//*[@id='time-chart']//*[local-name()='rect' and @class='bar']").count == 3 * rounds + 1)
            #expect(try page.nodes("//*[@id='bytes-chart']//*[local-name()='rect' and @class='bar']").count == 2 * rounds)
        }
        // Higher accuracy is drawn higher (smaller y): the sample's accuracy rises every round.
        let points = try Page(sampleSnapshot()).accuracyCurves().first ?? ""
        let ys = points.split(separator: " ").compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(ys.count == 8 && zip(ys, ys.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func headerShowsPhaseRoundAndProgress() throws {
        let page = try Page(sampleSnapshot())
        #expect(try page.element(id: "phase")?.stringValue == "round 9 of 10: masked input")
        #expect(try page.element(id: "round")?.stringValue == "round 9 of 10")
        #expect(try page.element(id: "run-id")?.stringValue == "run-7f3a")
        #expect(try page.element(id: "status")?.stringValue == "running")
        let progress = try #require(try page.element(id: "progress"))
        #expect(progress.attribute(forName: "aria-valuenow")?.stringValue == "8")
        #expect(progress.attribute(forName: "aria-valuemax")?.stringValue == "10")
        #expect(try page.nodes("//*[@id='progress']/div[@style='width: 80.0%']").count == 1)
        var done = sampleSnapshot(rounds: 10)
        done.finished = true
        done.phase = "finished"
        let finished = try Page(done)
        #expect(try finished.element(id: "status")?.stringValue == "finished")
        #expect(try finished.element(id: "round")?.stringValue == "finished after 10 of 10 rounds")
        #expect(try finished.nodes("//*[@id='progress']/div[@style='width: 100.0%']").count == 1)
        let settings = try page.nodes("//table[@id='configuration']//tr[@class='setting']")
        #expect(settings.count == 8)
        #expect(settings.first?.stringValue == "datasetsynthetic (10 classes, 20 features)")
    }

    @Test func roundsTableFormatsNumbers() throws {
        var snapshot = sampleSnapshot(rounds: 2)
        snapshot.rounds[1].uploadBytes = 999_999
        snapshot.rounds[1].downloadBytes = 512
        snapshot.rounds[1].maxAbsError = nil
        snapshot.rounds[1].errorBound = nil
        let page = try Page(snapshot)
        func cells(_ round: Int) throws -> [String] {
            try page.nodes("//table[@id='rounds']//tr[@data-round='\(round)']/td").compactMap(\.stringValue)
        }
        #expect(try cells(1) == [
            "1", "52.78%", "1.4560", "1.32e-05", "3.05e-05", "0.420", "0.850", "0.350", "0.120", "1.740", "1.25 MB",
            "480 kB", "8", "0",
        ])
        #expect(try cells(2) == ["2", "66.04%", "1.0155", "–", "–", "0.000", "0.900", "0.350", "0.120", "1.370", "1 MB", "512 B", "8", "0"])
    }

    @Test func networkTextIsEscaped() throws {
        let attack = "<script>alert(\"x\")</script><img src=x onerror='alert(1)'> & done"
        var snapshot = sampleSnapshot(reason: attack)
        snapshot.runID = "</title><script>1</script>"
        snapshot.phase = "<b>phase</b>"
        snapshot.configuration.append(("<i>name</i>", "\"quoted\" & 'single' <value>"))
        let page = try Page(snapshot)
        #expect(!page.html.contains("<script"))
        #expect(!page.html.contains("<img"))
        #expect(!page.html.contains("<b>") && !page.html.contains("<i>"))
        #expect(page.html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; done"))
        // Parsed back, the text is exactly what the client sent.
        let reason = try page.nodes("//tr[@data-client='10']/td[@class='reason']").first?.stringValue
        #expect(reason == attack)
        #expect(try page.element(id: "run-id")?.stringValue == snapshot.runID)
        #expect(try page.element(id: "phase")?.stringValue == "<b>phase</b>")
        #expect(try page.nodes("//title").first?.stringValue?.hasPrefix("SecAggKit run </title><script>") == true)
        let last = try page.nodes("//table[@id='configuration']//tr[@class='setting'][last()]/td").first?.stringValue
        #expect(last == "\"quoted\" & 'single' <value>")
    }

    @Test func charactersXMLForbidsAreReplaced() throws {
        let page = try Page(sampleSnapshot(reason: "nul\u{0} esc\u{1B} del\u{7F} tab\tok"))
        let reason = try page.nodes("//tr[@data-client='10']/td[@class='reason']").first?.stringValue
        #expect(reason == "nul\u{FFFD} esc\u{FFFD} del\u{FFFD} tab\tok")
    }

    @Test func refreshMetaOnlyWhenAsked() throws {
        let refresh = "//meta[@http-equiv='refresh']/@content"
        #expect(try Page(sampleSnapshot(), refreshSeconds: 5).nodes(refresh).map(\.stringValue) == ["5"])
        #expect(try Page(sampleSnapshot(), refreshSeconds: 0).nodes(refresh).map(\.stringValue) == ["1"])
        let none = try Page(sampleSnapshot(), refreshSeconds: nil)
        #expect(try none.nodes(refresh).isEmpty)
        #expect(!none.html.contains("http-equiv"))
    }

    @Test func emptyStates() throws {
        let empty = DashboardSnapshot(runID: "r0", phase: "waiting for clients", totalRounds: 5)
        let page = try Page(empty)
        for id in ["accuracy-chart", "loss-chart", "time-chart", "bytes-chart"] {
            let figure = try #require(try page.element(id: id))
            #expect(try figure.nodes(forXPath: ".//*[local-name()='svg']").isEmpty, "\(id)")
            #expect(try figure.nodes(forXPath: "p[@class='empty']").first?.stringValue == "no finished rounds yet")
        }
        #expect(try page.nodes("//table[@id='rounds']").isEmpty)
        #expect(try page.nodes("//*[@id='rounds-section']/p[@class='empty']").count == 1)
        #expect(try page.nodes("//table[@id='admission']//tr[@data-client]").isEmpty)
        #expect(try page.nodes("//table[@id='admission']//td[@class='empty']").first?.stringValue == "no clients have connected yet")
        #expect(try page.nodes("//ul[@id='counts']/li/@data-count").compactMap(\.stringValue) == ["0", "0", "0", "0"])
        #expect(try page.element(id: "round")?.stringValue == "training not started (5 rounds)")
        #expect(try page.nodes("//*[@id='progress']/div[@style='width: 0.0%']").count == 1)
        #expect(try page.nodes("//table[@id='configuration']//td[@class='empty']").count == 1)
        // Clients but no rounds yet; rounds but no clients.
        var admitting = empty
        admitting.clients = [.init(id: 4, state: .pending)]
        #expect(try Page(admitting).clientRows("pending").count == 1)
        var noClients = sampleSnapshot(rounds: 3)
        noClients.clients = []
        #expect(try Page(noClients).accuracyCurves().count == 1)
    }

    /// Well-formed, every id unique, nothing executable: no script elements, no event-handler attributes.
    @Test func markupIsWellFormedWithoutScript() throws {
        for snapshot in [sampleSnapshot(), sampleSnapshot(rounds: 1), DashboardSnapshot(runID: "x", phase: "", totalRounds: 0)] {
            let page = try Page(snapshot, refreshSeconds: 3)
            #expect(page.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
            #expect(page.document.rootElement()?.name == "html")
            let ids = try page.nodes("//@id").compactMap(\.stringValue)
            #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
            #expect(try page.nodes("//*[local-name()='script']").isEmpty)
            #expect(try page.nodes("//@*[starts-with(local-name(), 'on')]").isEmpty)
            #expect(try page.nodes("//*[local-name()='img']").isEmpty)
        }
    }

    /// The screenshot check finds the curve by colour, so no other part of the page may use it.
    @Test func accuracyColourIsUsedOnlyByTheAccuracyChart() throws {
        let page = try Page(sampleSnapshot())
        let figure = try #require(try page.element(id: "accuracy-chart")).xmlString
        let colour = DashboardPage.accuracyColor
        #expect(figure.components(separatedBy: colour).count - 1 == 1 + 8)  // the polyline and its 8 points
        #expect(page.html.components(separatedBy: colour).count == figure.components(separatedBy: colour).count)
    }

    @Test func equalityComparesConfiguration() {
        let a = sampleSnapshot()
        var b = a
        #expect(a == b)
        b.configuration[0].value = "other"
        #expect(a != b)
        b = a
        b.clients[0].reason = "x"
        #expect(a != b)
    }
}

/// The real-browser check (Tools/check_dashboard.py, headless Chromium) on a rendered sample page.
@Suite struct DashboardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let chromiumInstalled = onPath("chromium") != nil

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Runs the checker on `html` (written to a temporary file); returns its exit status and output.
    static func check(_ html: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let python = onPath("python3") else {
            throw Failure(description: "python3 is needed for the browser check (Tools/test.sh installs it)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("dashboard.html")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            root.appendingPathComponent("Tools/check_dashboard.py").path, page.absoluteString,
            "--screenshot", dir.appendingPathComponent("dashboard.png").path,
        ] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    @Test(.enabled(if: chromiumInstalled, "chromium not installed (Tools/deps.sh: secagg_install_chromium): browser check skipped"))
    func sampleDashboardPassesInChromium() throws {
        let result = try Self.check(
            DashboardPage.render(sampleSnapshot(), refreshSeconds: 5), ["--expect-admitted", "9", "--expect-rounds", "8"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("check_dashboard: ok: 9 admitted, 2 rejected, 1 pending client rows; accuracy curve 8 points"))
    }

    @Test(.enabled(if: chromiumInstalled, "chromium not installed (Tools/deps.sh: secagg_install_chromium): browser check skipped"))
    func checkerRejectsMissingRowsAndCurveAndBlankPages() throws {
        let html = DashboardPage.render(sampleSnapshot(), refreshSeconds: nil)
        let tooMany = try Self.check(html, ["--expect-admitted", "10"])
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr.contains("expected at least 10 tr.client.admitted rows in #admission, found 9"), "\(tooMany.stderr)")

        let empty = DashboardPage.render(DashboardSnapshot(runID: "r", phase: "waiting", totalRounds: 3), refreshSeconds: nil)
        let noCurve = try Self.check(empty, ["--expect-admitted", "0", "--expect-rounds", "1"])
        #expect(noCurve.status == 1)
        #expect(noCurve.stderr.contains("has no polyline.series"), "\(noCurve.stderr)")
        #expect(try Self.check(empty, ["--expect-admitted", "0"]).status == 0)

        // The same DOM, drawn invisibly: only the screenshot can tell.
        let hidden = html.replacingOccurrences(of: "</style>", with: "body { visibility: hidden; }\n</style>")
        let blank = try Self.check(hidden, ["--expect-admitted", "9", "--expect-rounds", "8"])
        #expect(blank.status == 1)
        #expect(blank.stderr.contains("the screenshot looks blank"), "\(blank.stderr)")
    }
}
