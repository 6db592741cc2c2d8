import Foundation
@testable import Networked
import Testing

/// `traffic.json`: per-round counts between a round's start and end, written and read by one type.
struct TrafficTests {
    @Test func roundsCountOnlyTheirOwnTrafficAndTheFileRoundTrips() throws {
        let traffic = HTTPTraffic()
        traffic.record(received: 100, sent: 10)  // admission, before round 1
        traffic.startRound(1)
        traffic.record(received: 7, sent: 3)
        traffic.record(received: 5, sent: 2)
        traffic.endRound(1)
        traffic.endRound(2)  // a round that never started records nothing
        let report = traffic.report()
        #expect(report.total.requests == 3 && report.total.receivedBytes == 112 && report.total.sentBytes == 15)
        #expect(report.rounds == [.init(round: 1, requests: 2, receivedBytes: 12, sentBytes: 5)])
        let text = String(decoding: traffic.json(), as: UTF8.self)
        #expect(text.contains("\"received_bytes\" : 12"))
        #expect(try HTTPTraffic.Report.read(traffic.json()) == report)
    }

    @Test func aFileThatIsNotATrafficReportIsATypedError() {
        for bad in ["", "{}", "{\"total\": 1, \"rounds\": []}", "[1, 2]"] {
            #expect(throws: NetworkError.self) { try HTTPTraffic.Report.read(Data(bad.utf8)) }
        }
    }
}
