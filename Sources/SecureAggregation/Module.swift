// SecureAggregation: secure aggregation protocols as transport-free state machines (client and server
// types exchanging Codable messages with a versioned binary wire encoding). See Specs/secagg-masking.md,
// Specs/secagg-plus.md and Specs/quantizer.md.
//
// Layout:
//   SecAggError.swift          the module's one error type
//   Ring.swift                 Z_2^k, the word types (UInt32 / UInt64) and the per-element kernels
//   Wire/                      the envelope (header, WireMessage, WireReader/WireWriter) and RingVector
//   Quantizer/                 clip + stochastic rounding into Z_2^k and back
//   Masking/                   Bonawitz et al. 2017: messages, client and server engines (shared with
//                              SecAgg+), key derivation, mask expansion, public client/server/parameters
//   SecAggPlus/                Bell et al. 2020: Harary graph, parameter choice, public client/server/parameters
