// SecureAggregation: secure aggregation protocols as transport-free state machines (client and server
// types exchanging Codable messages with a versioned binary wire encoding). See Specs/secagg-*.md.
